package dev.tandem.perf.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.tandem.dtls.DtlsCertificate;
import dev.tandem.dtls.DtlsCryptoProvider;
import dev.tandem.dtls.DtlsEndpoint;
import dev.tandem.dtls.DtlsEndpointFactory;
import dev.tandem.dtls.DtlsFailure;
import dev.tandem.dtls.DtlsHandshakeResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mutually authenticated DTLS 1.2 handshakes (ECDHE_ECDSA P-256 certificates, use_srtp, extended master secret, SRTP
 * key export) between a Tandem server endpoint and a Tandem client endpoint in one process, through the endpoints'
 * queues as the media thread sees them. The benchmark thread plays both media threads; the server's handshakes run
 * on one executor thread and the client's on another, so each thread's CPU time per handshake is what one core
 * spends on one side. Each invocation runs {@value #CONCURRENT} handshakes at once so both threads stay busy.
 * <p>
 * After each iteration it prints the CPU time per handshake of the server thread and the client thread: the server
 * figure is the per-core cost a transceiver pays (the browser does the client side).
 * <pre>
 * java @config/jvm.options -cp ... org.openjdk.jmh.Main DtlsHandshakeBenchmark -prof gc -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DtlsHandshakeBenchmark
{
    /** Handshakes in flight per invocation. */
    public static final int CONCURRENT = 8;

    private static final long HANDSHAKE_LIMIT_NS = TimeUnit.SECONDS.toNanos(10);

    @Param({ "JCA", "BC" })
    String crypto;

    private final List<Thread> serverThreads = new CopyOnWriteArrayList<>();
    private final List<Thread> clientThreads = new CopyOnWriteArrayList<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final DtlsEndpoint[] servers = new DtlsEndpoint[CONCURRENT];
    private final DtlsEndpoint[] clients = new DtlsEndpoint[CONCURRENT];
    private final Events[] serverEvents = new Events[CONCURRENT];
    private final Events[] clientEvents = new Events[CONCURRENT];
    private final DtlsEndpoint.OutboundHandler[] toServer = new DtlsEndpoint.OutboundHandler[CONCURRENT];
    private final DtlsEndpoint.OutboundHandler[] toClient = new DtlsEndpoint.OutboundHandler[CONCURRENT];
    private ExecutorService serverExecutor;
    private ExecutorService clientExecutor;
    private DtlsEndpointFactory serverFactory;
    private DtlsEndpointFactory clientFactory;
    private long serverCpuStartNs;
    private long clientCpuStartNs;
    private long handshakes;

    /**
     * Certificates, executors and factories, once per trial.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final SecureRandom random = new SecureRandom();
        serverExecutor = executor("dtls-server", serverThreads);
        clientExecutor = executor("dtls-client", clientThreads);
        final DtlsCryptoProvider provider = DtlsCryptoProvider.valueOf(crypto);
        serverFactory = new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
            .certificate(DtlsCertificate.generate(random))
            .executor(serverExecutor)
            .cryptoProvider(provider)
            .random(random));
        clientFactory = new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
            .certificate(DtlsCertificate.generate(random))
            .executor(clientExecutor)
            .cryptoProvider(provider)
            .random(random));
        for (int i = 0; i < CONCURRENT; i++)
        {
            final int index = i;
            serverEvents[i] = new Events();
            clientEvents[i] = new Events();
            toServer[i] = (buffer, offset, length) -> servers[index].onDatagram(buffer, offset, length);
            toClient[i] = (buffer, offset, length) -> clients[index].onDatagram(buffer, offset, length);
        }
    }

    /**
     * Start the CPU clocks of the handshake threads.
     */
    @Setup(Level.Iteration)
    public void startCpuClocks()
    {
        serverCpuStartNs = cpuNs(serverThreads);
        clientCpuStartNs = cpuNs(clientThreads);
        handshakes = 0;
    }

    /**
     * Print the CPU time per handshake of each side.
     */
    @TearDown(Level.Iteration)
    public void reportCpu()
    {
        if (handshakes > 0)
        {
            final double serverUs = (cpuNs(serverThreads) - serverCpuStartNs) / 1000.0 / handshakes;
            final double clientUs = (cpuNs(clientThreads) - clientCpuStartNs) / 1000.0 / handshakes;
            System.out.printf("%n  %s: %d handshakes, server thread %.0f us CPU each (%.0f handshakes/s per core), " +
                "client thread %.0f us CPU each%n", crypto, handshakes, serverUs, 1e6 / serverUs, clientUs);
        }
    }

    /**
     * Stop the executors.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        serverExecutor.shutdownNow();
        clientExecutor.shutdownNow();
    }

    /**
     * {@value #CONCURRENT} handshakes from ClientHello to SRTP keys on both sides.
     *
     * @return the sum of the negotiated SRTP profiles, so nothing is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(CONCURRENT)
    public int handshake()
    {
        final String serverFingerprint = serverFactory.certificate().sdpFingerprint();
        final String clientFingerprint = clientFactory.certificate().sdpFingerprint();
        for (int i = 0; i < CONCURRENT; i++)
        {
            servers[i] = serverFactory.newServer(clientFingerprint);
            clients[i] = clientFactory.newClient(serverFingerprint);
            serverEvents[i].reset();
            clientEvents[i].reset();
            clients[i].start();
        }
        final long deadlineNs = System.nanoTime() + HANDSHAKE_LIMIT_NS;
        int done = 0;
        while (done < CONCURRENT)
        {
            int work = 0;
            done = 0;
            for (int i = 0; i < CONCURRENT; i++)
            {
                work += clients[i].drainOutbound(toServer[i], 16);
                work += servers[i].drainOutbound(toClient[i], 16);
                work += clients[i].pollEvents(clientEvents[i], 4);
                work += servers[i].pollEvents(serverEvents[i], 4);
                if (serverEvents[i].failure != null || clientEvents[i].failure != null)
                {
                    throw new IllegalStateException("handshake failed: server " + serverEvents[i].failure +
                        ", client " + clientEvents[i].failure + " " + clientEvents[i].detail);
                }
                done += serverEvents[i].result != null && clientEvents[i].result != null ? 1 : 0;
            }
            if (work == 0)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("handshakes did not complete in time");
                }
                LockSupport.parkNanos(20_000);
            }
        }
        int sum = 0;
        for (int i = 0; i < CONCURRENT; i++)
        {
            sum += serverEvents[i].result.srtpProfileId() + clientEvents[i].result.srtpProfileId();
            servers[i].close();
            clients[i].close();
        }
        handshakes += CONCURRENT;
        return sum;
    }

    private long cpuNs(final List<Thread> group)
    {
        long total = 0;
        for (final Thread thread : group)
        {
            final long cpuNs = threads.getThreadCpuTime(thread.getId());
            total += Math.max(0, cpuNs);
        }
        return total;
    }

    private static ExecutorService executor(final String name, final List<Thread> created)
    {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (runnable) ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            created.add(thread);
            return thread;
        });
    }

    /**
     * The events of one endpoint.
     */
    static final class Events implements DtlsEndpoint.EventHandler
    {
        DtlsHandshakeResult result;
        DtlsFailure failure;
        String detail;

        void reset()
        {
            result = null;
            failure = null;
            detail = null;
        }

        @Override
        public void onHandshakeComplete(final DtlsHandshakeResult result)
        {
            this.result = result;
        }

        @Override
        public void onClosed()
        {
        }

        @Override
        public void onFailed(final DtlsFailure reason, final String detail)
        {
            this.failure = reason;
            this.detail = detail;
        }
    }
}
