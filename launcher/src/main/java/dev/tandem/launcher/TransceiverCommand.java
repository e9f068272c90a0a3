package dev.tandem.launcher;

import dev.tandem.common.Log;
import dev.tandem.config.Command;
import dev.tandem.config.Config;
import dev.tandem.config.Setting;
import dev.tandem.transceiver.Transceiver;
import dev.tandem.transceiver.TransceiverSettings;

import java.util.List;
import java.util.concurrent.TimeUnit;

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
    public int run(final String[] args) throws InterruptedException
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
        final Signals signals = new Signals();
        try (Transceiver transceiver = Transceiver.launch(config))
        {
            // Wait for a signal, or for a drain started by POST /admin/drain to finish.
            String signal = Signals.NONE;
            while (Signals.NONE.equals(signal) && !transceiver.isDrained())
            {
                signal = signals.await(100, TimeUnit.MILLISECONDS);
            }
            if ("TERM".equals(signal) && config.get(TransceiverSettings.DRAIN_ON_SIGTERM))
            {
                Log.info("transceiver", "SIGTERM: draining (a second signal stops at once)");
                transceiver.drain();
                transceiver.awaitDrained(Long.MAX_VALUE);
            }
            Log.info("transceiver", "stopping: " + transceiver.sessions().activeSessions() + " session(s) open");
        }
        return EXIT_OK;
    }
}
