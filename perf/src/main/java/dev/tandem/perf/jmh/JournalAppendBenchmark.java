package dev.tandem.perf.jmh;

import dev.tandem.common.ClientAddress;
import dev.tandem.journal.FlowJournal;
import dev.tandem.journal.FlowJournalReader;
import dev.tandem.journal.FlowJournalWriter;
import dev.tandem.journal.JournalAgent;
import dev.tandem.journal.JournalChannel;
import dev.tandem.journal.JournalCounters;
import dev.tandem.journal.JournalEntry;
import dev.tandem.journal.JournalHandler;
import dev.tandem.journal.JournalRollCycle;
import dev.tandem.journal.SampledEpochClock;
import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.route.RouteToken;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the flow journal costs, on a Chronicle Queue in the temporary directory (the relay's default). On a relay
 * worker's thread: handing one flow event to the journal agent through its channel ({@code handOver}: a flow
 * opened, refreshed after a gap or closed; never per packet). On the journal agent's thread: appending one entry
 * to Chronicle ({@code append}), a reader at the head finding nothing new ({@code followAtHead}: what the agent pays
 * per worker and duty cycle), appending then reading one entry ({@code appendAndFollow}), and the whole trip of an
 * event handed over, appended by the agent and read back for a sibling worker ({@code handOverAppendForward}). The
 * queue is made afresh for every iteration so the disk use stays bounded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JournalAppendBenchmark
{
    private static final long ROUTE = RouteToken.route(1, 1, 2, 0);
    private static final JournalHandler COUNT = (entry) ->
    {
    };

    private MediaDriver driver;
    private Aeron aeron;
    private JournalCounters workerCounters;
    private JournalCounters siblingCounters;
    private JournalChannel worker;
    private JournalChannel sibling;
    private JournalAgent agent;
    private Path dir;
    private FlowJournal journal;
    private FlowJournalWriter writer;
    private FlowJournalReader reader;
    private long low = ClientAddress.ipv4Low(0x0A000001);
    private int port = 1024;
    private long timeEpochNs = System.currentTimeMillis() * 1_000_000L;

    /**
     * A fresh journal with a writer and a reader at its head.
     *
     * @throws IOException when no temporary directory can be made.
     */
    @Setup(Level.Trial)
    public void startDriver()
    {
        final String aeronDir = AeronSupport.uniqueDirectory("jmh-journal");
        driver = AeronSupport.launchEmbeddedDriver(aeronDir, ThreadingMode.SHARED, IdleMode.SLEEP,
            JournalAppendBenchmark::fail);
        aeron = AeronSupport.connect(aeronDir, JournalAppendBenchmark::fail, "jmh-journal");
        workerCounters = new JournalCounters(aeron, 1, 0);
        siblingCounters = new JournalCounters(aeron, 1, 1);
    }

    /**
     * Stop the media driver.
     */
    @TearDown(Level.Trial)
    public void stopDriver()
    {
        workerCounters.close();
        siblingCounters.close();
        aeron.close();
        driver.close();
    }

    /**
     * A fresh journal with a writer, a reader at its head, and an agent with two workers' channels.
     *
     * @throws IOException when no temporary directory can be made.
     */
    @Setup(Level.Iteration)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("jmh-journal");
        journal = FlowJournal.open(dir, JournalRollCycle.FIVE_MINUTELY, null);
        writer = journal.newWriter(1, 0, null);
        reader = journal.newReader(null);
        writer.append(JournalEntry.OPENED, timeEpochNs, 0, low, port, ROUTE, 0);
        reader.toEnd();
        worker = new JournalChannel(1, 0, reader.position(), workerCounters);
        sibling = new JournalChannel(1, 1, reader.position(), siblingCounters);
        agent = new JournalAgent(journal, 1, Long.MAX_VALUE, new SampledEpochClock(), new SystemNanoClock(), aeron,
            List.of(worker, sibling));
        agent.onStart();
    }

    /**
     * Close and delete the journal.
     */
    @TearDown(Level.Iteration)
    public void tearDown()
    {
        agent.onClose();
        reader.close();
        writer.close();
        journal.close();
        deleteRecursively(dir);
    }

    /**
     * @return entries dropped by the consumer stand-in (1).
     */
    @Benchmark
    public int handOver()
    {
        next();
        worker.append(JournalEntry.REFRESHED, timeEpochNs, 0, low, port, ROUTE, 0);
        return worker.discardHandedOver(1);
    }

    /**
     * @return entries the sibling worker got (1).
     */
    @Benchmark
    public int handOverAppendForward()
    {
        next();
        worker.append(JournalEntry.OPENED, timeEpochNs, 0, low, port, ROUTE, 0);
        agent.doWork();
        return sibling.poll(COUNT, 16);
    }

    /**
     * @return true when appended.
     */
    @Benchmark
    public boolean append()
    {
        next();
        return writer.append(JournalEntry.REFRESHED, timeEpochNs, 0, low, port, ROUTE, 0);
    }

    /**
     * @return entries read (0).
     */
    @Benchmark
    public int followAtHead()
    {
        return reader.poll(COUNT, 256);
    }

    /**
     * @return entries read (1).
     */
    @Benchmark
    public int appendAndFollow()
    {
        next();
        writer.append(JournalEntry.OPENED, timeEpochNs, 0, low, port, ROUTE, 0);
        return reader.poll(COUNT, 256);
    }

    private void next()
    {
        timeEpochNs += 1000;
        if (++port > 65_535)
        {
            port = 1024;
            low++;
        }
    }

    private static void fail(final Throwable error)
    {
        throw new IllegalStateException(error);
    }

    static void deleteRecursively(final Path path)
    {
        if (path != null)
        {
            deleteRecursively(path.toFile());
        }
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
            throw new IllegalStateException("cannot delete " + file);
        }
    }
}
