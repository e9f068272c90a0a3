package dev.tandem.launcher;

import dev.tandem.common.Log;
import dev.tandem.config.Command;
import dev.tandem.config.Config;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.relay.RelaySettings;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.util.Map;

/**
 * {@code bin/tandem relay}: the stateless relay on the public UDP port, forwarding into Aeron by route token.
 */
final class RelayCommand implements Command
{
    @Override
    public String name()
    {
        return "relay";
    }

    @Override
    public String summary()
    {
        return "run the relay: one public UDP port, route-token routing into Aeron";
    }

    @Override
    public int run(final String[] args)
    {
        final Config config = Config.parse(RelaySettings.ALL, args);
        if (config.helpRequested())
        {
            System.out.print("Usage: bin/tandem relay [--config FILE] [OPTIONS]\n\n" + summary() + ".\n" +
                "Uses the media driver in --aeron-dir, or an embedded one. Stops on SIGINT or SIGTERM.\n\n" +
                "Options:\n" + Config.describe(RelaySettings.ALL));
            return EXIT_OK;
        }
        final RelayContext context = RelayContext.from(config);
        // Config.effective() masks secret settings (route.keys shows as "(secret)")
        for (final Map.Entry<String, String> entry : config.effective().entrySet())
        {
            Log.info("relay", entry.getKey() + " = " + entry.getValue());
        }
        // The barrier must be closed: its shutdown hook waits for close(), and System.exit would deadlock.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            Relay relay = Relay.launch(context))
        {
            // Collect start-up garbage before traffic, so the first young collection does not come with it.
            System.gc();
            Log.info("relay", "running on " + relay.localAddress(0) + " with " + relay.workerCount() +
                " worker(s), transport " + relay.transport().name().toLowerCase());
            barrier.await();
            Log.info("relay", "stopping: received " + relay.packetsInTotal() + ", forwarded " +
                relay.forwardedTotal() + ", sent " + relay.sentTotal() + ", dropped " + relay.dropsTotal());
        }
        return EXIT_OK;
    }
}
