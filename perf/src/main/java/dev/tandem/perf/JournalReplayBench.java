package dev.tandem.perf;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.ClientAddress;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.config.Config;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;
import dev.tandem.journal.FlowJournal;
import dev.tandem.journal.FlowJournalWriter;
import dev.tandem.journal.JournalEntry;
import dev.tandem.journal.JournalRollCycle;
import dev.tandem.relay.Directory;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.relay.RelaySettings;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteToken;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/tandem bench journal-replay}: a relay's time from start to ready on a journal of many live flows. It
 * writes the journal first ({@code --history} older entries that the replay's seek skips, then one OPENED entry for
 * each of {@code --flows} flows over the last 25 seconds), then starts a relay on it {@code --runs} times (the first
 * in a cold JVM, as a restarted relay is) and once without the journal, each with an embedded media driver already
 * running, and prints the times: {@code Relay.launch} until it returns with every worker's sockets bound, and the
 * replay inside it.
 */
public final class JournalReplayBench
{
    /** Live flows in the journal. */
    public static final Setting<Integer> FLOWS = Settings.integer(
        "bench.flows", "flows", "100000", 1, 10_000_000, "live flows in the journal (one OPENED entry each)");
    /** Older entries. */
    public static final Setting<Integer> HISTORY = Settings.integer(
        "bench.history", "history", "1000000", 0, 100_000_000,
        "entries older than the idle timeout before them (REFRESHED of the same flows), which the replay skips");
    /** Relay starts. */
    public static final Setting<Integer> RUNS = Settings.integer(
        "bench.runs", "runs", "5", 0, 100,
        "relay starts on the journal, the first in a cold JVM; 0: only the start without the journal (cold)");
    /** Which phases. */
    public static final Setting<String> PHASE = Settings.string(
        "bench.phase", "phase", "both",
        "write (the journal only), launch (relays on a journal written by a write run less than 5 s ago, in a " +
        "fresh JVM: a cold start as a restart is), or both");
    /** Journal directory. */
    public static final Setting<String> DIR = Settings.string(
        "bench.dir", "dir", "", "journal directory (default: a new temporary one, deleted at the end)");

    /** Settings of the benchmark. */
    public static final List<Setting<?>> SETTINGS =
        List.of(FLOWS, HISTORY, RUNS, DIR, PHASE, RelaySettings.WORKERS);

    private static final int CLUSTER = 1;
    private static final int TRANSCEIVER = 2;

    private JournalReplayBench()
    {
    }

    /**
     * @param args command-line arguments after {@code journal-replay}.
     * @param out  where the results go.
     * @return the exit code.
     * @throws IOException when the journal directory cannot be made.
     */
    public static int run(final String[] args, final PrintStream out) throws IOException
    {
        final Config config = Config.parse(SETTINGS, args);
        if (config.helpRequested())
        {
            out.print("Usage: bin/tandem bench journal-replay [OPTIONS]\n\n" +
                "Time from start to ready of a relay on a journal of many live flows.\n\nOptions:\n" +
                Config.describe(SETTINGS));
            return 0;
        }
        final int flows = config.get(FLOWS);
        final int history = config.get(HISTORY);
        final int workers = config.get(RelaySettings.WORKERS);
        final String phase = config.get(PHASE);
        if (!"both".equals(phase) && !"write".equals(phase) && !"launch".equals(phase))
        {
            out.println("bench.phase: '" + phase + "' is not write, launch or both");
            return 2;
        }
        if (!"both".equals(phase) && config.get(DIR).isBlank())
        {
            out.println("bench.dir: --phase " + phase + " needs --dir");
            return 2;
        }
        final boolean temporary = config.get(DIR).isBlank();
        final Path dir = temporary ? Files.createTempDirectory("tandem-journal-bench") : Path.of(config.get(DIR));
        try
        {
            if (!"launch".equals(phase))
            {
                final long writeNs = write(dir, flows, history);
                out.printf("journal-replay: wrote %d entries (%d older, %d live flows) in %.1f ms (%.0f appends/s) " +
                    "to %s%n", history + flows, history, flows, writeNs / 1e6, (history + flows) / (writeNs / 1e9),
                    dir);
            }
            if ("write".equals(phase))
            {
                return 0;
            }
            final String aeronDir = AeronSupport.uniqueDirectory("bench");
            final String keys = RouteKeyRing.generateKeySpec(1);
            try (MediaDriver driver = AeronSupport.launchEmbeddedDriver(aeronDir, ThreadingMode.SHARED,
                IdleMode.BACKOFF, (ex) -> Log.error("bench", "driver", ex));
                Aeron aeron = AeronSupport.connect(aeronDir, (ex) -> Log.error("bench", "client", ex), "bench"))
            {
                final long[] readyNs = new long[config.get(RUNS)];
                for (int run = 0; run < readyNs.length; run++)
                {
                    readyNs[run] = launch(out, aeron, keys, dir, flows, workers, run + 1, true);
                }
                final long withoutNs = launch(out, aeron, keys, dir, flows, workers, readyNs.length + 1, false);
                if (readyNs.length == 0)
                {
                    out.printf("journal-replay: workers=%d ready_without_journal_ms=%.1f (cold)%n", workers,
                        withoutNs / 1e6);
                    return 0;
                }
                final long[] warm = Arrays.copyOfRange(readyNs, 1, readyNs.length);
                Arrays.sort(warm);
                // with one run there is no warm run: its median is shown as '-', not as the cold run again
                final String warmMedianMs =
                    warm.length == 0 ? "-" : String.format("%.1f", warm[warm.length / 2] / 1e6);
                out.printf("journal-replay: flows=%d workers=%d ready_cold_ms=%.1f ready_warm_median_ms=%s " +
                    "ready_without_journal_ms=%.1f driver=%s%n", flows, workers, readyNs[0] / 1e6,
                    warmMedianMs, withoutNs / 1e6, driver.aeronDirectoryName());
            }
        }
        finally
        {
            if (temporary)
            {
                deleteRecursively(dir.toFile());
            }
        }
        return 0;
    }

    private static long write(final Path dir, final int flows, final int history)
    {
        final long nowEpochNs = System.currentTimeMillis() * 1_000_000L;
        final long route = RouteToken.route(1, CLUSTER, TRANSCEIVER, 0);
        final long startNs = System.nanoTime();
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.FIVE_MINUTELY, null);
            FlowJournalWriter writer = journal.newWriter(250, 0, null))
        {
            // history: 200 s of refreshes ending a minute before now, older than any idle timeout of 30 s
            final long historyStartNs = nowEpochNs - TimeUnit.SECONDS.toNanos(260);
            for (int i = 0; i < history; i++)
            {
                final int flow = i % flows;
                writer.append(JournalEntry.REFRESHED, historyStartNs + TimeUnit.SECONDS.toNanos(200) * i / history,
                    0, address(flow), port(flow), route, 0);
            }
            final long liveStartNs = nowEpochNs - TimeUnit.SECONDS.toNanos(25);
            for (int flow = 0; flow < flows; flow++)
            {
                writer.append(JournalEntry.OPENED, liveStartNs + TimeUnit.SECONDS.toNanos(25) * flow / flows,
                    0, address(flow), port(flow), route, 0);
            }
            if (writer.failed() > 0)
            {
                throw new IllegalStateException(writer.failed() + " appends failed");
            }
        }
        return System.nanoTime() - startNs;
    }

    private static long launch(
        final PrintStream out,
        final Aeron aeron,
        final String keys,
        final Path dir,
        final int flows,
        final int workers,
        final int run,
        final boolean journal)
    {
        final RelayContext context = new RelayContext()
            .relayId(run)
            .workers(workers)
            .aeron(aeron)
            .keyRing(RouteKeyRing.parse(keys, 1))
            .listen(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
            .maxFlows(Math.max(65_536, flows + flows / 4))
            .directory(Directory.parse(CLUSTER + "." + TRANSCEIVER + "=aeron:ipc", null, ""))
            .journalEnabled(journal)
            .journalDir(dir.toString());
        final long startNs = System.nanoTime();
        try (Relay relay = Relay.launch(context))
        {
            final long readyNs = System.nanoTime() - startNs;
            if (journal)
            {
                out.printf("run %d: ready in %.1f ms: journal opened in %.1f ms, replay %.1f ms (%d entries read), " +
                    "restore %.1f ms (%d flows into each of %d worker(s))%n", run, readyNs / 1e6,
                    relay.journalOpenNs() / 1e6, relay.journalReplayNs() / 1e6, relay.journalReplayEntries(),
                    relay.journalRestoreNs() / 1e6, relay.journalReplayedTotal() / workers, workers);
                if (relay.journalReplayedTotal() != (long)flows * workers)
                {
                    throw new IllegalStateException("restored " + relay.journalReplayedTotal() + ", expected " +
                        (long)flows * workers);
                }
            }
            else
            {
                out.printf("run %d: without the journal, ready in %.1f ms%n", run, readyNs / 1e6);
            }
            return readyNs;
        }
    }

    private static long address(final int flow)
    {
        return ClientAddress.ipv4Low(0x0A000000 + flow);
    }

    private static int port(final int flow)
    {
        return 40_000 + (flow & 0xFFF);
    }

    private static void deleteRecursively(final File file)
    {
        final File[] children = file.listFiles();
        if (children != null)
        {
            for (final File child : children)
            {
                deleteRecursively(child);
            }
        }
        if (!file.delete() && file.exists())
        {
            Log.warn("bench", "cannot delete " + file);
        }
    }
}
