package dev.tandem.relay;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.common.StreamIds;
import dev.tandem.config.ConfigException;
import dev.tandem.journal.FlowJournal;
import dev.tandem.journal.JournalAgent;
import dev.tandem.journal.JournalChannel;
import dev.tandem.journal.JournalCounters;
import dev.tandem.journal.JournalSettings;
import dev.tandem.journal.SampledEpochClock;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteTokenVerifier;
import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.netty.util.ResourceLeakDetector;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * A running relay: N workers on their own threads, each with SO_REUSEPORT socket(s) on the public address(es), an
 * Aeron client (of a running media driver, or of an embedded one), optionally a flow journal (replayed before the
 * sockets open, so a restarted relay forwards existing sessions at once) and a Prometheus endpoint. Close it to stop.
 */
public final class Relay implements AutoCloseable
{
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);
    /**
     * The journal agent parks up to this long without work: about the delay before other relays learn a new flow
     * (twice: this one appends, theirs reads), with few wake-ups (100 a second; at 1 ms the agent cost 0.3% and
     * showed in compare-relay's CPU per packet).
     */
    private static final long JOURNAL_AGENT_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final RelayContext context;
    private final List<RelayWorker> workers = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final TransportKind transport;
    private MediaDriver driver;
    private Aeron aeron;
    private boolean ownsAeron;
    private MetricsServer metricsServer;
    private FlowJournal journal;
    private Path temporaryJournalDir;
    private JournalReplay replay;
    private final List<JournalCounters> journalCounters = new ArrayList<>();
    private final List<JournalChannel> journalChannels = new ArrayList<>();
    private JournalAgent journalAgent;
    private AgentRunner journalRunner;
    private boolean closed;
    private long journalOpenNs;
    private long journalRestoreNs;
    private final JournalOpening opening;

    private Relay(final RelayContext context, final TransportKind transport, final JournalOpening opening)
    {
        this.context = context;
        this.transport = transport;
        this.opening = opening;
    }

    /**
     * The journal being opened on its own thread: Chronicle's first use in a JVM takes hundreds of milliseconds of
     * class loading and set-up, which overlaps the transport's and Aeron's this way (a restart's gap is its start).
     */
    private static final class JournalOpening
    {
        final Path dir;
        final boolean temporary;
        final long startNs = System.nanoTime();
        final CompletableFuture<FlowJournal> journal = new CompletableFuture<>();

        JournalOpening(final RelayContext context, final Path dir, final boolean temporary)
        {
            this.dir = dir;
            this.temporary = temporary;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    journal.complete(FlowJournal.open(dir, context.journalRollCycle, context.wallClock));
                }
                catch (final Throwable ex)
                {
                    journal.completeExceptionally(ex);
                }
            }, "relay-journal-open");
            thread.setDaemon(true);
            thread.start();
        }

        static JournalOpening start(final RelayContext context) throws IOException
        {
            if (!context.journalEnabled)
            {
                return null;
            }
            final Path dir = context.journalDirectory(context.listen.get(0).getPort());
            return dir != null ?
                new JournalOpening(context, dir, false) :
                new JournalOpening(context, Files.createTempDirectory("tandem-relay-journal-"), true);
        }

        FlowJournal await()
        {
            try
            {
                return journal.join();
            }
            catch (final CompletionException ex)
            {
                final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                throw new ConfigException(JournalSettings.DIR.name() + ": cannot open a journal in " + dir + ": " +
                    cause.getMessage());
            }
        }
    }

    /**
     * Start a relay; returns once every worker's sockets are bound.
     *
     * @param context what to run.
     * @return the running relay.
     */
    public static Relay launch(final RelayContext context)
    {
        context.conclude();
        final JournalOpening opening;
        try
        {
            opening = JournalOpening.start(context);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(JournalSettings.DIR.name() + ": cannot make a temporary journal: " + ex);
        }
        if (System.getProperty("io.netty.leakDetection.level") == null)
        {
            // Netty samples buffer allocations for leak reports by default: extra objects and stack walks on the
            // packet path. The relay's buffers never leave a duty cycle; -Dio.netty.leakDetection.level turns it on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        final StringBuilder why = new StringBuilder();
        final TransportKind transport;
        try
        {
            transport = context.transport.resolve(why);
        }
        catch (final RuntimeException ex)
        {
            if (opening != null)
            {
                CloseHelper.quietClose(opening.journal.exceptionally((error) -> null).join());
            }
            throw ex;
        }
        final Relay relay = new Relay(context, transport, opening);
        try
        {
            relay.start(why.toString());
            return relay;
        }
        catch (final RuntimeException | IOException ex)
        {
            relay.close();
            throw ex instanceof RuntimeException ? (RuntimeException)ex : new IllegalStateException(ex);
        }
    }

    private void start(final String why) throws IOException
    {
        final ErrorHandler errorHandler = (ex) -> Log.error("relay", "error", ex);
        if (context.aeron != null)
        {
            aeron = context.aeron;
        }
        else
        {
            String dir = context.aeronDirectory;
            if (dir == null)
            {
                dir = AeronSupport.uniqueDirectory("relay");
                driver = AeronSupport.launchEmbeddedDriver(dir, ThreadingMode.SHARED, IdleMode.BACKOFF, errorHandler);
                Log.info("relay", "embedded media driver in " + dir);
            }
            aeron = AeronSupport.connect(dir, errorHandler, "tandem-relay-" + context.relayId);
            ownsAeron = true;
        }
        Log.info("relay", "transport " + transport.name().toLowerCase() + " (" + why + "), " + context.workers +
            " worker(s), listen " + context.listen + ", idle " + idleDescription() + ", directory " +
            context.directory);
        openJournal();
        if (journalAgent != null)
        {
            // before the workers: each waits, before binding its sockets, for the agent to read up to the head
            journalRunner = new AgentRunner(new BackoffIdleStrategy(1, 1, TimeUnit.MICROSECONDS.toNanos(1),
                JOURNAL_AGENT_MAX_PARK_NS), errorHandler, null, journalAgent);
            AgentRunner.startOnThread(journalRunner);
        }

        List<InetSocketAddress> listen = context.listen;
        for (int w = 0; w < context.workers; w++)
        {
            final RelayWorker worker = newWorker(w, listen);
            workers.add(worker);
            if (replay != null)
            {
                final long restoreStartNs = System.nanoTime();
                final int restored = worker.restore(replay, wallClock().nanoTime());
                journalRestoreNs += System.nanoTime() - restoreStartNs;
                Log.info("relay", worker.roleName() + ": " + restored + " flow(s) restored from the journal in " +
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restoreStartNs) + " ms");
            }
            final IdleStrategy idle = newIdleStrategy(worker);
            final Agent agent = context.companion == null ?
                worker : new CompositeAgent(worker, context.companion.apply(w));
            final AgentRunner runner = new AgentRunner(idle, errorHandler, null, agent);
            runners.add(runner);
            AgentRunner.startOnThread(runner);
            awaitOpen(worker);
            if (worker.cpu() >= 0)
            {
                Log.info("relay", worker.roleName() + " pinned to CPU " + worker.cpu());
            }
            if (w == 0)
            {
                // Port 0 asks the kernel once: every other worker binds the port the first one got.
                final List<InetSocketAddress> bound = new ArrayList<>();
                for (int s = 0; s < listen.size(); s++)
                {
                    bound.add(new InetSocketAddress(listen.get(s).getAddress(), worker.sockets().localAddress(s)
                        .getPort()));
                }
                listen = bound;
                Log.info("relay", "listening on " + bound);
            }
        }
        if (context.metricsListen != null)
        {
            metricsServer = new MetricsServer(context.metricsListen, aeron.countersReader());
            Log.info("relay", "Prometheus metrics at http://" + metricsServer.address().getHostString() + ":" +
                metricsServer.address().getPort() + "/metrics");
        }
    }

    private void openJournal()
    {
        if (opening == null)
        {
            Log.info("relay", "journal off (" + JournalSettings.ENABLED.name() + "=false): a restarted relay " +
                "forwards a session again only after its next STUN packet");
            return;
        }
        final Path dir = opening.dir;
        temporaryJournalDir = opening.temporary ? dir : null;
        journal = opening.await();
        final long openStartNs = opening.startNs;
        for (int w = 0; w < context.workers; w++)
        {
            journalCounters.add(new JournalCounters(aeron, context.relayId, w));
        }
        final int deleted = journal.deleteCyclesEndedBefore(
            (wallClock().nanoTime() - context.journalRetentionNs) / 1_000_000);
        journalOpenNs = System.nanoTime() - openStartNs;
        replay = JournalReplay.run(
            journal, wallClock().nanoTime(), context.flowIdleTimeoutNs, context.maxFlows, journalCounters.get(0));
        for (int w = 0; w < context.workers; w++)
        {
            journalChannels.add(new JournalChannel(context.relayId, w, replay.endPosition(), journalCounters.get(w)));
        }
        journalAgent = new JournalAgent(journal, context.relayId, context.journalRetentionNs, wallClock(),
            new SystemNanoClock(), aeron, journalChannels);
        final long replayMs = TimeUnit.NANOSECONDS.toMillis(replay.durationNs());
        journalAgent.replayMs.setRelease(replayMs);
        journalAgent.replayEntries.setRelease(replay.entries());
        Log.info("relay", "journal " + dir + (temporaryJournalDir != null ? " (temporary)" : "") + ": " +
            "opened in " + TimeUnit.NANOSECONDS.toMillis(journalOpenNs) + " ms, " + replay.snapshot().size() +
            " live flow(s) from " + replay.entries() + " entries in " + replayMs + " ms" +
            (replay.corrupt() > 0 ? ", " + replay.corrupt() + " corrupt entries skipped" : "") +
            (replay.tableFull() > 0 ? ", " + replay.tableFull() + " flow(s) not restored: relay.flows.max reached" :
            "") +
            (deleted > 0 ? ", " + deleted + " old file(s) deleted" : "") + ", roll " +
            context.journalRollCycle.name().toLowerCase().replace('_', '-') + ", retention " +
            TimeUnit.NANOSECONDS.toSeconds(context.journalRetentionNs) + "s, refresh gap " +
            TimeUnit.NANOSECONDS.toMillis(context.journalRefreshGapNs) + "ms");
    }

    private EpochNanoClock wallClock()
    {
        return context.wallClock != null ? context.wallClock : new SampledEpochClock();
    }

    private IdleStrategy newIdleStrategy(final RelayWorker worker)
    {
        final long socketWaitNs = context.effectiveSocketWaitNs();
        if (socketWaitNs > 0)
        {
            return new SocketWaitIdleStrategy(worker, socketWaitNs);
        }
        if (context.idleMode == IdleMode.BACKOFF)
        {
            // Every empty duty cycle costs a system call (a non-blocking io_uring enter or epoll wait): spin and
            // yield once, not dozens of times, before parking.
            return new BackoffIdleStrategy(1, 1, TimeUnit.MICROSECONDS.toNanos(1), context.maxParkNs);
        }
        return context.idleMode.newStrategy(context.maxParkNs);
    }

    private String idleDescription()
    {
        final long socketWaitNs = context.effectiveSocketWaitNs();
        if (socketWaitNs > 0)
        {
            return "backoff waiting in the socket up to " + TimeUnit.NANOSECONDS.toMicros(socketWaitNs) + "us";
        }
        return context.idleMode.name().toLowerCase() +
            (context.idleMode == IdleMode.BACKOFF ? " (park up to " + context.maxParkNs / 1000 + "us)" : "");
    }

    private RelayWorker newWorker(final int workerId, final List<InetSocketAddress> listen)
    {
        final Destinations destinations = new Destinations(aeron, context.directory, 4096);
        for (final Map.Entry<Long, String> entry : context.directory.entries().entrySet())
        {
            final int cluster = (int)(entry.getKey() >>> 16);
            final int transceiver = (int)(entry.getKey() & 0xFFFF);
            for (int shard = 0; shard < context.directoryShards; shard++)
            {
                destinations.addNow(cluster, transceiver, shard);
            }
        }
        if (context.directory.entries().isEmpty() && !context.directory.hasTemplate() &&
            context.directory.channel(0, 0, 0) != null)
        {
            // A single-transceiver deployment on the default channel: add its shards now, so the first check of the
            // first call is forwarded rather than dropped while a publication is added.
            for (int shard = 0; shard < context.directoryShards; shard++)
            {
                destinations.addNow(0, 0, shard);
            }
        }
        final int defaultDestination = context.benchmarkEcho ? destinations.addNow(0, 0, workerId) : -1;
        final Subscription returnSubscription =
            aeron.addSubscription(context.returnChannel, StreamIds.relayReturn(context.relayId, workerId));
        final RouteKeyRing ring = context.keyRing;
        final int cpu = context.cpus.length > 0 ? context.cpus[workerId] : -1;
        final RelayJournal relayJournal = journal == null ? null : new RelayJournal(
            journalChannels.get(workerId),
            context.relayId,
            workerId,
            wallClock(),
            context.journalRefreshGapNs,
            context.flowIdleTimeoutNs,
            listen.size());
        return new RelayWorker(
            context.relayId,
            workerId,
            (receiver) -> new UdpSockets(
                transport, listen, context.maxDatagramBytes, context.socketBufferBytes, receiver),
            new FlowTable(context.maxFlows),
            new SourceRateLimiter(context.newFlowRatePerSecond, context.newFlowBurst, context.newFlowSources),
            destinations,
            ring != null ? new RouteTokenVerifier(ring) : null,
            returnSubscription,
            new RelayCounters(aeron, context.relayId, workerId),
            new SystemNanoClock(),
            context.maxDatagramBytes,
            context.flowIdleTimeoutNs,
            defaultDestination,
            cpu,
            context.autoAffinity,
            relayJournal);
    }

    private static void awaitOpen(final RelayWorker worker)
    {
        final long deadlineNs = System.nanoTime() + START_TIMEOUT_NS;
        while (!worker.isOpen())
        {
            if (worker.startError() != null)
            {
                throw new IllegalStateException(
                    worker.roleName() + " did not start: " + worker.startError().getMessage(), worker.startError());
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException(worker.roleName() + " did not start in time");
            }
            try
            {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", ex);
            }
        }
    }

    /**
     * @return the transport in use.
     */
    public TransportKind transport()
    {
        return transport;
    }

    /**
     * @return workers.
     */
    public int workerCount()
    {
        return workers.size();
    }

    /**
     * @param socketIndex index in the listen list.
     * @return the bound public address (with the kernel's port when 0 was asked).
     */
    public InetSocketAddress localAddress(final int socketIndex)
    {
        return workers.get(0).sockets().localAddress(socketIndex);
    }

    /**
     * @return the Aeron client the relay uses.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * @return the CPU each worker is pinned to, -1 when it is not.
     */
    public int[] workerCpus()
    {
        final int[] cpus = new int[workers.size()];
        for (int i = 0; i < cpus.length; i++)
        {
            cpus[i] = workers.get(i).cpu();
        }
        return cpus;
    }

    /**
     * @return datagrams received by every worker.
     */
    public long packetsInTotal()
    {
        return sum((counters) -> counters.packetsIn.get());
    }

    /**
     * @return datagrams forwarded into Aeron by every worker.
     */
    public long forwardedTotal()
    {
        return sum((counters) -> counters.forwarded.get());
    }

    /**
     * @return datagrams sent to clients by every worker.
     */
    public long sentTotal()
    {
        return sum((counters) -> counters.sent.get());
    }

    /**
     * @return datagrams dropped by every worker, for every reason.
     */
    public long dropsTotal()
    {
        return sum((counters) ->
        {
            long drops = 0;
            for (final DropReason reason : DropReason.values())
            {
                drops += counters.drops(reason);
            }
            return drops;
        });
    }

    /**
     * @return flows of every worker.
     */
    public long flowsActive()
    {
        return sum((counters) -> counters.flowsActive.get());
    }

    private long sum(final ToLongFunction<RelayCounters> value)
    {
        long total = 0;
        for (final RelayWorker worker : workers)
        {
            total += value.applyAsLong(worker.counters());
        }
        return total;
    }

    RelayWorker worker(final int workerId)
    {
        return workers.get(workerId);
    }

    /**
     * @return the journal's directory, or null when the journal is off.
     */
    public Path journalDirectory()
    {
        return journal != null ? journal.directory() : null;
    }

    /**
     * @return flows restored from the journal at start, summed over the workers.
     */
    public long journalReplayedTotal()
    {
        long total = 0;
        for (final JournalCounters counters : journalCounters)
        {
            total += counters.replayed.get();
        }
        return total;
    }

    /**
     * @return entries of other workers and relays applied while running, summed over the workers.
     */
    public long journalFollowedTotal()
    {
        long total = 0;
        for (final JournalCounters counters : journalCounters)
        {
            total += counters.followed.get();
        }
        return total;
    }

    /**
     * @return how long opening the journal took (Chronicle Queue and counters, retention), or -1 without one.
     */
    public long journalOpenNs()
    {
        return replay != null ? journalOpenNs : -1;
    }

    /**
     * @return how long copying the replayed flows into the workers' tables took, or -1 without a journal.
     */
    public long journalRestoreNs()
    {
        return replay != null ? journalRestoreNs : -1;
    }

    /**
     * @return well-formed entries the start-up replay read, or -1 without a journal.
     */
    public long journalReplayEntries()
    {
        return replay != null ? replay.entries() : -1;
    }

    /**
     * @return how long the start-up replay took, or -1 without a journal.
     */
    public long journalReplayNs()
    {
        return replay != null ? replay.durationNs() : -1;
    }

    /**
     * @return the Prometheus endpoint's address, or null.
     */
    public InetSocketAddress metricsAddress()
    {
        return metricsServer != null ? metricsServer.address() : null;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(metricsServer);
        for (final AgentRunner runner : runners)
        {
            CloseHelper.quietClose(runner);
        }
        // after the workers: the agent appends what they handed over before it stops
        CloseHelper.quietClose(journalRunner);
        if (journalRunner == null && journalAgent != null)
        {
            journalAgent.onClose();
        }
        CloseHelper.closeAll(journalCounters);
        if (journal == null && opening != null)
        {
            // launch failed before the journal was taken: close it once it is open
            temporaryJournalDir = opening.temporary ? opening.dir : null;
            journal = opening.journal.exceptionally((error) -> null).join();
        }
        CloseHelper.quietClose(journal);
        deleteTemporaryJournal();
        if (ownsAeron)
        {
            CloseHelper.quietClose(aeron);
        }
        CloseHelper.quietClose(driver);
    }

    private void deleteTemporaryJournal()
    {
        if (temporaryJournalDir == null)
        {
            return;
        }
        try (Stream<Path> files = Files.walk(temporaryJournalDir))
        {
            files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            Log.warn("relay", "cannot delete " + temporaryJournalDir + ": " + ex);
        }
    }
}
