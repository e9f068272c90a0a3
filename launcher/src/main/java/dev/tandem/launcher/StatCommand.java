package dev.tandem.launcher;

import dev.tandem.common.CncCounters;
import dev.tandem.common.TandemCounters;
import dev.tandem.config.Command;
import dev.tandem.config.Config;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/tandem stat}: print the counters of running Tandem processes from their media driver's counters file,
 * as Aeron's AeronStat does, once or every interval.
 */
final class StatCommand implements Command
{
    static final Setting<String> AERON_DIR = Settings.string(
        "aeron.dir", "aeron-dir", null,
        "Aeron directory to read (default: every live Tandem or Aeron directory under /dev/shm)");
    static final Setting<Long> WATCH = Settings.durationNs(
        "stat.watch", "watch", null, "print again every interval, e.g. 1s, until interrupted");
    static final Setting<Boolean> PROMETHEUS = Settings.bool(
        "stat.prometheus", "prometheus", "false", "print Prometheus text instead of a table");
    static final Setting<String> FILTER = Settings.string(
        "stat.filter", "filter", "", "only counters whose label contains this text");

    private static final List<Setting<?>> SETTINGS = List.of(AERON_DIR, WATCH, PROMETHEUS, FILTER);

    @Override
    public String name()
    {
        return "stat";
    }

    @Override
    public String summary()
    {
        return "print the counters of running relays and transceivers";
    }

    @Override
    public int run(final String[] args) throws InterruptedException
    {
        final Config config = Config.parse(SETTINGS, args);
        if (config.helpRequested())
        {
            System.out.print("Usage: bin/tandem stat [OPTIONS]\n\n" + summary() + ".\n\nOptions:\n" +
                Config.describe(SETTINGS));
            return EXIT_OK;
        }
        final String dir = config.getOrNull(AERON_DIR);
        final List<String> dirs = dir != null ? List.of(dir) : CncCounters.activeDirectories();
        if (dirs.isEmpty())
        {
            System.err.println("tandem stat: no running media driver found under /dev/shm (give --aeron-dir)");
            return EXIT_FAILURE;
        }
        final Long watchNs = config.getOrNull(WATCH);
        do
        {
            for (final String d : dirs)
            {
                try (CncCounters counters = CncCounters.open(d))
                {
                    print(System.out, counters, config.get(PROMETHEUS), config.get(FILTER));
                }
                catch (final IllegalStateException ex)
                {
                    System.err.println("tandem stat: " + ex.getMessage());
                    return EXIT_FAILURE;
                }
            }
            if (watchNs != null)
            {
                TimeUnit.NANOSECONDS.sleep(watchNs);
            }
        }
        while (watchNs != null);
        return EXIT_OK;
    }

    static void print(final PrintStream out, final CncCounters counters, final boolean prometheus, final String filter)
    {
        if (prometheus)
        {
            final StringBuilder text = new StringBuilder();
            TandemCounters.renderPrometheus(counters.reader(), text);
            out.print(text);
            return;
        }
        out.println("# " + Instant.now() + "  " + counters.directory() + "  (driver pid " + counters.pid() + ")");
        final Map<String, Long> values = TandemCounters.snapshot(counters.reader());
        int width = 0;
        for (final String label : values.keySet())
        {
            width = Math.max(width, label.length());
        }
        for (final Map.Entry<String, Long> entry : values.entrySet())
        {
            if (entry.getKey().contains(filter))
            {
                out.printf("%-" + width + "s %,20d%n", entry.getKey(), entry.getValue());
            }
        }
    }
}
