package dev.tandem.perf;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.config.Config;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;
import dev.tandem.journal.JournalSettings;
import dev.tandem.perf.proc.ProcessCpu;
import dev.tandem.relay.Directory;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.relay.RelaySettings;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/tandem bench relay-echo}: a relay plus an in-process echo transceiver over Aeron IPC. A benchmark-only
 * default route sends every datagram, whatever its first byte, to the echo, which publishes it straight back as
 * {@code Egress}; so a UDP load generator (the baseline's {@code udp-load}) measures the relay's hop the same way
 * it measures a reference forwarder. On SIGINT or SIGTERM it prints packets each way and the process's CPU time,
 * in the reference forwarder's format.
 */
public final class RelayEcho
{
    /** Compose each echo onto its relay worker's thread, or run the echoes on a thread of their own. */
    public static final Setting<Boolean> COMPOSE = Settings.bool(
        "bench.compose", "compose", "true",
        "run each echo on its relay worker's thread (one duty cycle carries a datagram through), else on its own");
    /** Where the relay listens. */
    public static final Setting<String> LISTEN = RelaySettings.LISTEN.withDefault(null);

    /** Settings of the benchmark. */
    public static final List<Setting<?>> SETTINGS = List.of(
        LISTEN, RelaySettings.WORKERS, RelaySettings.TRANSPORT, RelaySettings.IDLE, RelaySettings.SOCKET_WAIT,
        RelaySettings.MAX_PARK, RelaySettings.CPUS, RelaySettings.MAX_DATAGRAM, RelaySettings.SOCKET_BUFFER,
        RelaySettings.MAX_FLOWS, JournalSettings.ENABLED, COMPOSE);

    private RelayEcho()
    {
    }

    /**
     * @param args command-line arguments after {@code relay-echo}.
     * @param out  where the help and the final line go.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out)
    {
        final Config config = Config.parse(SETTINGS, args);
        if (config.helpRequested())
        {
            out.print("Usage: bin/tandem bench relay-echo --listen HOST:PORT [OPTIONS]\n\n" +
                "A relay plus an in-process echo transceiver over Aeron IPC: every datagram goes to the echo and " +
                "back.\nPrints packets and process CPU time on SIGINT or SIGTERM.\n\nOptions:\n" +
                Config.describe(SETTINGS));
            return 0;
        }
        final RelayContext context = new RelayContext()
            .listen(RelayContext.parseListen(config.get(LISTEN)))
            .workers(config.get(RelaySettings.WORKERS))
            .transport(config.get(RelaySettings.TRANSPORT))
            .idleMode(config.get(RelaySettings.IDLE))
            .socketWaitNs(config.getOrNull(RelaySettings.SOCKET_WAIT) != null ?
                config.get(RelaySettings.SOCKET_WAIT) : -1)
            .maxParkNs(config.get(RelaySettings.MAX_PARK))
            .cpuList(config.get(RelaySettings.CPUS))
            .maxDatagramBytes(config.get(RelaySettings.MAX_DATAGRAM))
            .maxFlows(config.get(RelaySettings.MAX_FLOWS))
            .journalEnabled(config.get(JournalSettings.ENABLED))
            .directory(new Directory(Map.of(), null, "aeron:ipc"))
            .benchmarkDefaultRoute(true);
        final boolean compose = config.get(COMPOSE);
        final String dir = AeronSupport.uniqueDirectory("bench");
        // IPC only: the driver is off the data path, so it may sleep between its housekeeping duties.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            MediaDriver driver = AeronSupport.launchEmbeddedDriver(dir, ThreadingMode.SHARED, IdleMode.SLEEP,
                (ex) -> Log.error("bench", "driver", ex));
            Aeron aeron = AeronSupport.connect(dir, (ex) -> Log.error("bench", "client", ex), "relay-echo"))
        {
            Log.info("bench", "embedded media driver in " + driver.aeronDirectoryName());
            final int workers = context.workerCount();
            final List<EchoTransceiver> echoes = new ArrayList<>();
            for (int w = 0; w < workers; w++)
            {
                final EchoTransceiver echo = new EchoTransceiver(aeron, "aeron:ipc", w, "aeron:ipc");
                echo.addReturn(0, w);
                echoes.add(echo);
            }
            context.aeron(aeron);
            AgentRunner echoRunner = null;
            if (compose)
            {
                context.companion(echoes::get);
            }
            else
            {
                final Agent agent = echoes.size() == 1 ? echoes.get(0) : new CompositeAgent(echoes);
                echoRunner = new AgentRunner(config.get(RelaySettings.IDLE).newStrategy(config.get(
                    RelaySettings.MAX_PARK)), (ex) -> Log.error("bench", "echo", ex), null, agent);
                AgentRunner.startOnThread(echoRunner);
            }
            final double[] cpuAtStart = processCpuSeconds();
            try (Relay relay = Relay.launch(context))
            {
                // Collect start-up garbage now: with one CPU the JVM runs the serial collector, and its first young
                // collection (copying what start-up left alive) would otherwise stall the measured traffic ~80 ms.
                System.gc();
                Log.info("bench", "relay-echo ready on " + relay.localAddress(0) + ", transport " +
                    relay.transport().name().toLowerCase() + ", " + workers + " worker(s), echo " +
                    (compose ? "composed on the worker thread" : "on its own thread"));
                final long allocatedAtStart = allocatedBytes();
                barrier.await();
                final long allocated = allocatedBytes() - allocatedAtStart;
                final long c2b = relay.forwardedTotal();
                final long b2c = relay.sentTotal();
                final long drops = relay.dropsTotal();
                final long flows = relay.flowsActive();
                final double[] cpu = processCpuSeconds();
                final double total = cpu[0] + cpu[1];
                out.printf("relay-echo: c2b=%d b2c=%d drops=%d sessions=%d cpu_user_s=%.3f cpu_sys_s=%.3f " +
                    "pkts_per_cpu_s=%.0f startup_cpu_s=%.3f heap_bytes_per_pkt=%.1f%n", c2b, b2c, drops, flows, cpu[0],
                    cpu[1], total > 0 ? (c2b + b2c) / total : 0.0, cpuAtStart[0] + cpuAtStart[1],
                    c2b + b2c > 0 ? (double)allocated / (c2b + b2c) : 0.0);
                out.flush();
            }
            finally
            {
                CloseHelper.quietClose(echoRunner);
            }
        }
        return 0;
    }

    /**
     * @return heap bytes allocated so far by every live thread of this process.
     */
    static long allocatedBytes()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean)
        {
            final com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean)threads;
            long total = 0;
            for (final long bytes : sun.getThreadAllocatedBytes(sun.getAllThreadIds()))
            {
                total += Math.max(0, bytes);
            }
            return total;
        }
        return 0;
    }

    /**
     * @return user and system CPU seconds of this process so far (from /proc, else the JVM's total as user).
     */
    static double[] processCpuSeconds()
    {
        final long[] ns = ProcessCpu.userSystemNs(ProcessHandle.current().pid());
        if (ns != null)
        {
            return new double[]{ns[0] / 1e9, ns[1] / 1e9};
        }
        final long total = ProcessHandle.current().info().totalCpuDuration().map((d) -> d.toNanos()).orElse(0L);
        return new double[]{total / 1e9, 0};
    }
}
