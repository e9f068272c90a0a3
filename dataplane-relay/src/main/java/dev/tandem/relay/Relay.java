package dev.tandem.relay;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.common.StreamIds;
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
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * A running relay: N workers on their own threads, each with SO_REUSEPORT socket(s) on the public address(es), an
 * Aeron client (of a running media driver, or of an embedded one), and optionally a Prometheus endpoint. Close it
 * to stop.
 */
public final class Relay implements AutoCloseable
{
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);

    private final RelayContext context;
    private final List<RelayWorker> workers = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final TransportKind transport;
    private MediaDriver driver;
    private Aeron aeron;
    private boolean ownsAeron;
    private MetricsServer metricsServer;

    private Relay(final RelayContext context, final TransportKind transport)
    {
        this.context = context;
        this.transport = transport;
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
        if (System.getProperty("io.netty.leakDetection.level") == null)
        {
            // Netty samples buffer allocations for leak reports by default: extra objects and stack walks on the
            // packet path. The relay's buffers never leave a duty cycle; -Dio.netty.leakDetection.level turns it on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        final StringBuilder why = new StringBuilder();
        final TransportKind transport = context.transport.resolve(why);
        final Relay relay = new Relay(context, transport);
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

        List<InetSocketAddress> listen = context.listen;
        for (int w = 0; w < context.workers; w++)
        {
            final RelayWorker worker = newWorker(w, listen);
            workers.add(worker);
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
            context.autoAffinity);
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
     * @return the Prometheus endpoint's address, or null.
     */
    public InetSocketAddress metricsAddress()
    {
        return metricsServer != null ? metricsServer.address() : null;
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(metricsServer);
        for (final AgentRunner runner : runners)
        {
            CloseHelper.quietClose(runner);
        }
        if (ownsAeron)
        {
            CloseHelper.quietClose(aeron);
        }
        CloseHelper.quietClose(driver);
    }
}
