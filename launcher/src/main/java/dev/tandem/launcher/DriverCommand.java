package dev.tandem.launcher;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.config.Command;
import dev.tandem.config.Config;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.util.List;

/**
 * {@code bin/tandem driver}: a standalone Aeron media driver that relays, transceivers and backends on this host
 * share.
 */
final class DriverCommand implements Command
{
    static final Setting<String> AERON_DIR = Settings.string(
        "aeron.dir", "aeron-dir", AeronSupport.SHM_ROOT + "/tandem-driver", "Aeron directory of the driver");
    static final Setting<ThreadingMode> THREADING = Settings.enumeration(
        "driver.threading", "threading", "shared", ThreadingMode.class,
        "driver threads: shared (one thread, small hosts), shared-network, dedicated (tuned hosts)");
    static final Setting<IdleMode> IDLE = Settings.enumeration(
        "driver.idle", "idle", "backoff", IdleMode.class,
        "how driver threads wait: busy-spin (tuned hosts), yield, backoff, sleep");

    private static final List<Setting<?>> SETTINGS = List.of(AERON_DIR, THREADING, IDLE);

    @Override
    public String name()
    {
        return "driver";
    }

    @Override
    public String summary()
    {
        return "run a standalone Aeron media driver for the processes of this host";
    }

    @Override
    public int run(final String[] args)
    {
        final Config config = Config.parse(SETTINGS, args);
        if (config.helpRequested())
        {
            System.out.print("Usage: bin/tandem driver [OPTIONS]\n\n" + summary() + ".\n" +
                "Stops on SIGINT or SIGTERM and deletes its directory.\n\nOptions:\n" + Config.describe(SETTINGS));
            return EXIT_OK;
        }
        final String dir = config.get(AERON_DIR);
        if (AeronSupport.isDriverActive(dir))
        {
            System.err.println("tandem driver: a media driver is already running in " + dir + " (--aeron-dir)");
            return EXIT_USAGE;
        }
        // The barrier must be closed: its shutdown hook waits for close(), and System.exit would deadlock.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            MediaDriver driver = AeronSupport.launchEmbeddedDriver(
            dir, config.get(THREADING), config.get(IDLE), (ex) -> Log.error("driver", "error", ex)))
        {
            Log.info("driver", "media driver running in " + driver.aeronDirectoryName() + ", threading " +
                config.get(THREADING) + ", idle " + config.get(IDLE));
            barrier.await();
            Log.info("driver", "stopping");
        }
        return EXIT_OK;
    }
}
