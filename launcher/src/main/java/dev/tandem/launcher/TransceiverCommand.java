package dev.tandem.launcher;

import dev.tandem.common.Log;
import dev.tandem.config.Command;
import dev.tandem.config.Config;
import dev.tandem.config.Setting;
import dev.tandem.transceiver.Transceiver;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.util.List;

/**
 * {@code bin/tandem transceiver}: signaling, media shards and optionally the echo backend in one process, fed by
 * relays over Aeron.
 */
final class TransceiverCommand implements Command
{
    @Override
    public String name()
    {
        return "transceiver";
    }

    @Override
    public String summary()
    {
        return "run a transceiver: HTTP signaling, ICE-lite, DTLS-SRTP, RTP, backend bridge (optional echo)";
    }

    @Override
    public int run(final String[] args)
    {
        final List<Setting<?>> settings = Transceiver.settings();
        final Config config = Config.parse(settings, args);
        if (config.helpRequested())
        {
            System.out.print("Usage: bin/tandem transceiver [--config FILE] [OPTIONS]\n\n" + summary() + ".\n" +
                "Relays forward client packets to it over Aeron; route.keys must be the relays' keys.\n" +
                "Stops on SIGINT or SIGTERM.\n\nOptions:\n" + Config.describe(settings));
            return EXIT_OK;
        }
        // The barrier must be closed: its shutdown hook waits for close(), and System.exit would deadlock.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            Transceiver transceiver = Transceiver.launch(config))
        {
            barrier.await();
            Log.info("transceiver", "stopping: " + transceiver.sessions().activeSessions() + " session(s) open");
        }
        return EXIT_OK;
    }
}
