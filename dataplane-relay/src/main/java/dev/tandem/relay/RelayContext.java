package dev.tandem.relay;

import dev.tandem.common.IdleMode;
import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import dev.tandem.config.Settings;
import dev.tandem.journal.JournalRollCycle;
import dev.tandem.journal.JournalSettings;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteSettings;
import io.aeron.Aeron;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Everything a {@link Relay} needs, as Aeron's contexts do it: set the fields (or {@link #from(Config)}), then
 * {@link Relay#launch(RelayContext)} validates them once.
 */
public final class RelayContext
{
    /** The socket wait when a transceiver or echo is composed on the worker's thread: picked by measurement. */
    public static final long COMPOSED_SOCKET_WAIT_NS = 1_000_000L;

    int relayId;
    int workers = 1;
    List<InetSocketAddress> listen = List.of(Settings.parseSocketAddress("0.0.0.0:3478"));
    TransportKind transport = TransportKind.AUTO;
    IdleMode idleMode = IdleMode.BACKOFF;
    long socketWaitNs = -1;
    long maxParkNs = IdleMode.DEFAULT_MAX_PARK_NS;
    int[] cpus = new int[0];
    boolean autoAffinity;
    int maxDatagramBytes = 1500;
    int socketBufferBytes = 4 * 1024 * 1024;
    int maxFlows = 65536;
    long flowIdleTimeoutNs = 30_000_000_000L;
    int newFlowRatePerSecond = 20;
    int newFlowBurst = 40;
    int newFlowSources = 65536;
    Directory directory = new Directory(Map.of(), null, "aeron:ipc");
    int directoryShards = 1;
    String returnChannel = "aeron:ipc";
    InetSocketAddress metricsListen;
    String aeronDirectory;
    Aeron aeron;
    RouteKeyRing keyRing;
    boolean benchmarkEcho;
    IntFunction<Agent> companion;
    boolean journalEnabled = true;
    String journalDir = "";
    JournalRollCycle journalRollCycle = JournalRollCycle.FIVE_MINUTELY;
    long journalRetentionNs = TimeUnit.MINUTES.toNanos(10);
    long journalRefreshGapNs = -1;
    EpochNanoClock wallClock;

    /**
     * Build a context from parsed settings ({@link RelaySettings#ALL}); bad values fail naming the setting.
     *
     * @param config the configuration.
     * @return the context.
     */
    public static RelayContext from(final Config config)
    {
        final RelayContext context = new RelayContext();
        context.relayId = config.get(RelaySettings.ID);
        context.workers = config.get(RelaySettings.WORKERS);
        context.listen = parseListen(config.get(RelaySettings.LISTEN));
        context.transport = config.get(RelaySettings.TRANSPORT);
        context.idleMode = config.get(RelaySettings.IDLE);
        final Long socketWaitNs = config.getOrNull(RelaySettings.SOCKET_WAIT);
        context.socketWaitNs = socketWaitNs != null ? socketWaitNs : -1;
        context.maxParkNs = config.get(RelaySettings.MAX_PARK);
        context.cpuList(config.get(RelaySettings.CPUS));
        context.maxDatagramBytes = config.get(RelaySettings.MAX_DATAGRAM);
        context.socketBufferBytes = (int)Math.min(Integer.MAX_VALUE, config.get(RelaySettings.SOCKET_BUFFER));
        context.maxFlows = config.get(RelaySettings.MAX_FLOWS);
        context.flowIdleTimeoutNs = config.get(RelaySettings.FLOW_IDLE_TIMEOUT);
        context.newFlowRatePerSecond = config.get(RelaySettings.NEW_FLOW_RATE);
        context.newFlowBurst = config.get(RelaySettings.NEW_FLOW_BURST);
        context.newFlowSources = config.get(RelaySettings.NEW_FLOW_SOURCES);
        context.directory = Directory.parse(config.get(RelaySettings.DIRECTORY),
            config.get(RelaySettings.DIRECTORY_TEMPLATE), config.get(RelaySettings.DIRECTORY_DEFAULT));
        context.directoryShards = config.get(RelaySettings.DIRECTORY_SHARDS);
        context.returnChannel = config.get(RelaySettings.RETURN_CHANNEL);
        context.metricsListen = config.getOrNull(RelaySettings.METRICS_LISTEN);
        context.aeronDirectory = config.getOrNull(RelaySettings.AERON_DIR);
        context.journalEnabled = config.get(JournalSettings.ENABLED);
        context.journalDir = config.get(JournalSettings.DIR);
        context.journalRollCycle = config.get(JournalSettings.ROLL_CYCLE);
        context.journalRetentionNs = config.get(JournalSettings.RETENTION);
        final Long refreshGapNs = config.getOrNull(JournalSettings.REFRESH_GAP);
        context.journalRefreshGapNs = refreshGapNs != null ? refreshGapNs : -1;
        final String keys = config.getOrNull(RouteSettings.KEYS);
        if (keys != null && !keys.isBlank())
        {
            context.keyRing = RouteSettings.keyRing(config); // its ConfigException names the setting
        }
        return context;
    }

    /**
     * @param text {@code HOST:PORT} addresses separated by commas ({@code [IPV6]:PORT} for IPv6).
     * @return the addresses.
     * @throws ConfigException naming {@code relay.listen} when one is not valid.
     */
    public static List<InetSocketAddress> parseListen(final String text)
    {
        final List<InetSocketAddress> addresses = new ArrayList<>();
        for (final String part : text.split(","))
        {
            if (!part.isBlank())
            {
                addresses.add(parseAddress(part));
            }
        }
        if (addresses.isEmpty())
        {
            throw new ConfigException(RelaySettings.LISTEN.name() + ": no address");
        }
        return List.copyOf(addresses);
    }

    private static InetSocketAddress parseAddress(final String text)
    {
        try
        {
            return Settings.parseSocketAddress(text);
        }
        catch (final ConfigException ex)
        {
            throw new ConfigException(RelaySettings.LISTEN.name() + ": " + ex.getMessage());
        }
    }

    /**
     * @param text empty, {@code auto}, or a comma-separated list of CPU numbers.
     * @return this.
     */
    public RelayContext cpuList(final String text)
    {
        autoAffinity = "auto".equalsIgnoreCase(text.trim());
        if (autoAffinity || text.isBlank())
        {
            cpus = new int[0];
            return this;
        }
        final String[] parts = text.split(",");
        cpus = new int[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            try
            {
                cpus[i] = Integer.parseInt(parts[i].trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigException(RelaySettings.CPUS.name() + ": '" + text + "' is not auto or a CPU list");
            }
        }
        return this;
    }

    /**
     * @param relayId relay id (0-255).
     * @return this.
     */
    public RelayContext relayId(final int relayId)
    {
        this.relayId = relayId;
        return this;
    }

    /**
     * @param workers worker threads.
     * @return this.
     */
    public RelayContext workers(final int workers)
    {
        this.workers = workers;
        return this;
    }

    /**
     * @param listen public addresses, each bound by every worker with SO_REUSEPORT (port 0: the kernel picks one,
     *               and every worker and address then uses it).
     * @return this.
     */
    public RelayContext listen(final List<InetSocketAddress> listen)
    {
        this.listen = List.copyOf(listen);
        return this;
    }

    /**
     * @param transport socket I/O transport.
     * @return this.
     */
    public RelayContext transport(final TransportKind transport)
    {
        this.transport = transport;
        return this;
    }

    /**
     * @param idleMode how workers wait.
     * @return this.
     */
    public RelayContext idleMode(final IdleMode idleMode)
    {
        this.idleMode = idleMode;
        return this;
    }

    /**
     * @param socketWaitNs with backoff, wait in the socket up to this long instead of parking; 0 parks; -1 (the
     *                     default) picks {@link #COMPOSED_SOCKET_WAIT_NS} when a companion agent is composed on the
     *                     worker's thread, else 0.
     * @return this.
     */
    public RelayContext socketWaitNs(final long socketWaitNs)
    {
        this.socketWaitNs = socketWaitNs;
        return this;
    }

    /**
     * @param maxParkNs longest park of the backoff strategy.
     * @return this.
     */
    public RelayContext maxParkNs(final long maxParkNs)
    {
        this.maxParkNs = maxParkNs;
        return this;
    }

    /**
     * @param maxDatagramBytes bigger datagrams are dropped.
     * @return this.
     */
    public RelayContext maxDatagramBytes(final int maxDatagramBytes)
    {
        this.maxDatagramBytes = maxDatagramBytes;
        return this;
    }

    /**
     * @param maxFlows flows per worker.
     * @return this.
     */
    public RelayContext maxFlows(final int maxFlows)
    {
        this.maxFlows = maxFlows;
        return this;
    }

    /**
     * @param flowIdleTimeoutNs idle expiry.
     * @return this.
     */
    public RelayContext flowIdleTimeoutNs(final long flowIdleTimeoutNs)
    {
        this.flowIdleTimeoutNs = flowIdleTimeoutNs;
        return this;
    }

    /**
     * @param ratePerSecond new flows per second per source IP.
     * @param burst         new flows at once per source IP.
     * @return this.
     */
    public RelayContext newFlowLimit(final int ratePerSecond, final int burst)
    {
        this.newFlowRatePerSecond = ratePerSecond;
        this.newFlowBurst = burst;
        return this;
    }

    /**
     * @param directory where destinations live.
     * @return this.
     */
    public RelayContext directory(final Directory directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * @param returnChannel channel of the workers' return streams.
     * @return this.
     */
    public RelayContext returnChannel(final String returnChannel)
    {
        this.returnChannel = returnChannel;
        return this;
    }

    /**
     * @param aeron a connected client the relay uses (and does not close); null to connect or embed a driver.
     * @return this.
     */
    public RelayContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    /**
     * @param aeronDirectory directory of a running media driver, or null for an embedded one.
     * @return this.
     */
    public RelayContext aeronDirectory(final String aeronDirectory)
    {
        this.aeronDirectory = aeronDirectory;
        return this;
    }

    /**
     * @param keyRing route token keys.
     * @return this.
     */
    public RelayContext keyRing(final RouteKeyRing keyRing)
    {
        this.keyRing = keyRing;
        return this;
    }

    /**
     * @param metricsListen where to serve Prometheus text, or null.
     * @return this.
     */
    public RelayContext metricsListen(final InetSocketAddress metricsListen)
    {
        this.metricsListen = metricsListen;
        return this;
    }

    /**
     * Benchmark only ({@code bin/tandem bench relay-echo}): every datagram from an address without a flow opens one,
     * whatever its first byte and without a token, to the default route: cluster 0, transceiver 0, shard = the
     * worker's id, on the directory's channel, so an echo per worker can own a shard. Never a setting of the relay.
     *
     * @param benchmarkEcho true to route everything to the benchmark's echo.
     * @return this.
     */
    public RelayContext benchmarkDefaultRoute(final boolean benchmarkEcho)
    {
        this.benchmarkEcho = benchmarkEcho;
        return this;
    }

    /**
     * Compose another agent onto each worker's thread (after the worker in the duty cycle), e.g. an in-process
     * transceiver or echo on a small host, so one duty cycle carries a datagram all the way through.
     *
     * @param companion makes the agent for a worker id, or null.
     * @return this.
     */
    public RelayContext companion(final IntFunction<Agent> companion)
    {
        this.companion = companion;
        return this;
    }

    /**
     * @param enabled append flow events to the journal and replay it at start.
     * @return this.
     */
    public RelayContext journalEnabled(final boolean enabled)
    {
        this.journalEnabled = enabled;
        return this;
    }

    /**
     * @param dir the journal's directory; empty for the default ({@link JournalSettings#DIR}).
     * @return this.
     */
    public RelayContext journalDir(final String dir)
    {
        this.journalDir = dir;
        return this;
    }

    /**
     * @param rollCycle how often a new journal file starts.
     * @return this.
     */
    public RelayContext journalRollCycle(final JournalRollCycle rollCycle)
    {
        this.journalRollCycle = rollCycle;
        return this;
    }

    /**
     * @param retentionNs journal files whose cycle ended longer ago than this are deleted.
     * @return this.
     */
    public RelayContext journalRetentionNs(final long retentionNs)
    {
        this.journalRetentionNs = retentionNs;
        return this;
    }

    /**
     * @param refreshGapNs a flow with packets writes a REFRESHED entry when its last one is this old; -1 for half
     *                     the idle timeout.
     * @return this.
     */
    public RelayContext journalRefreshGapNs(final long refreshGapNs)
    {
        this.journalRefreshGapNs = refreshGapNs;
        return this;
    }

    /**
     * @param wallClock the wall clock of journal entries and files, shared by every worker (tests); null (the
     *                  default) gives each worker its own {@link dev.tandem.journal.SampledEpochClock}.
     * @return this.
     */
    public RelayContext wallClock(final EpochNanoClock wallClock)
    {
        this.wallClock = wallClock;
        return this;
    }

    /**
     * @return worker threads.
     */
    public int workerCount()
    {
        return workers;
    }

    long effectiveSocketWaitNs()
    {
        if (idleMode != IdleMode.BACKOFF)
        {
            return 0;
        }
        return socketWaitNs >= 0 ? socketWaitNs : companion != null ? COMPOSED_SOCKET_WAIT_NS : 0;
    }

    void conclude()
    {
        if (keyRing == null && !benchmarkEcho)
        {
            throw new ConfigException(RouteSettings.KEYS.name() + " is required: the keys that verify route tokens");
        }
        if (workers < 1 || workers > 255)
        {
            throw new ConfigException(RelaySettings.WORKERS.name() + ": " + workers + " is out of range (1..255)");
        }
        if (cpus.length > 0 && cpus.length < workers)
        {
            throw new ConfigException(RelaySettings.CPUS.name() + ": " + cpus.length + " CPUs for " + workers +
                " workers");
        }
        if (flowIdleTimeoutNs <= 0)
        {
            throw new ConfigException(RelaySettings.FLOW_IDLE_TIMEOUT.name() + " must be positive");
        }
        if (journalEnabled)
        {
            if (journalRetentionNs < flowIdleTimeoutNs)
            {
                throw new ConfigException(JournalSettings.RETENTION.name() + ": " + millis(journalRetentionNs) +
                    " is shorter than " + RelaySettings.FLOW_IDLE_TIMEOUT.name() + " (" + millis(flowIdleTimeoutNs) +
                    "): a restarted relay replays one idle timeout of the journal");
            }
            if (journalRefreshGapNs < 0)
            {
                journalRefreshGapNs = flowIdleTimeoutNs / 2;
            }
            else if (journalRefreshGapNs == 0 || journalRefreshGapNs >= flowIdleTimeoutNs)
            {
                throw new ConfigException(JournalSettings.REFRESH_GAP.name() + ": " + millis(journalRefreshGapNs) +
                    " must be above 0 and shorter than " + RelaySettings.FLOW_IDLE_TIMEOUT.name() + " (" +
                    millis(flowIdleTimeoutNs) + "), or copies of steady flows in other workers expire");
            }
            if (journalRollCycle == null)
            {
                throw new ConfigException(JournalSettings.ROLL_CYCLE.name() + " is required");
            }
        }
    }

    private static String millis(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMillis(ns) + "ms";
    }

    /**
     * @param port the relay's port (of its first listen address).
     * @return the journal directory: the configured one, else {@code $TMPDIR/tandem/relay-journal-PORT}, or null
     *     for port 0 (the relay makes a temporary one: nothing else can share an ephemeral port's journal).
     */
    Path journalDirectory(final int port)
    {
        if (journalDir != null && !journalDir.isBlank())
        {
            try
            {
                return Path.of(journalDir);
            }
            catch (final RuntimeException ex)
            {
                throw new ConfigException(JournalSettings.DIR.name() + ": " + ex.getMessage());
            }
        }
        return port == 0 ? null : JournalSettings.defaultDirectory(port);
    }
}
