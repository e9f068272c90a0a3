package dev.tandem.transceiver;

import dev.tandem.backend.EchoBackend;
import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;
import dev.tandem.dtls.DtlsConfiguration;
import dev.tandem.dtls.DtlsCounters;
import dev.tandem.dtls.DtlsEndpointFactory;
import dev.tandem.dtls.DtlsHandshakeExecutor;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteSettings;
import dev.tandem.route.RouteTokenMinter;
import dev.tandem.rtp.RtpSettings;
import dev.tandem.session.MediaAgent;
import dev.tandem.session.SessionManager;
import dev.tandem.signaling.SignalingServer;
import dev.tandem.signaling.SignalingSettings;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A transceiver process: signaling over HTTP, media shards (one {@link MediaAgent} each) fed by relays over Aeron,
 * DTLS handshakes on their own threads, and optionally the echo backend in process.
 */
public final class Transceiver implements AutoCloseable
{
    private static final String COMPONENT = "transceiver";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final MediaAgent[] shards;
    private final SessionManager sessions;
    private final SignalingServer signaling;
    private final Aeron aeron;
    private final String aeronDirectory;
    private final List<InetSocketAddress> candidates;
    private final long drainDeadlineNs;
    private final java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);

    private Transceiver(final Config config, final Hooks hooks)
    {
        boolean started = false;
        try
        {
            final ErrorHandler errorHandler = (ex) -> Log.error(COMPONENT, "agent error", ex);
            final String externalDir = config.getOrNull(TransceiverSettings.AERON_DIR);
            if (hooks.aeron != null)
            {
                aeron = hooks.aeron;
                aeronDirectory = aeron.context().aeronDirectoryName();
            }
            else if (externalDir != null)
            {
                if (!AeronSupport.isDriverActive(externalDir))
                {
                    throw new ConfigException(TransceiverSettings.AERON_DIR.name() + ": no media driver running in " +
                        externalDir + " (start one with bin/tandem driver, or omit --aeron-dir for an embedded one)");
                }
                aeronDirectory = externalDir;
                aeron = AeronSupport.connect(externalDir, errorHandler, COMPONENT);
                closeables.add(aeron);
            }
            else
            {
                aeronDirectory = AeronSupport.uniqueDirectory(COMPONENT);
                final MediaDriver driver = AeronSupport.launchEmbeddedDriver(
                    aeronDirectory, ThreadingMode.SHARED, IdleMode.BACKOFF, errorHandler);
                closeables.add(driver);
                aeron = AeronSupport.connect(aeronDirectory, errorHandler, COMPONENT);
                closeables.add(0, aeron);
            }

            final RouteKeyRing keyRing = hooks.keyRing != null ? hooks.keyRing : RouteSettings.keyRing(config);
            final SecureRandom random = new SecureRandom();
            final DtlsHandshakeExecutor executor = DtlsConfiguration.executor(config);
            closeables.add(0, executor);
            final DtlsEndpointFactory dtlsFactory = new DtlsEndpointFactory(
                DtlsConfiguration.context(config, executor, random)
                    .counters(DtlsCounters.create(aeron, "transceiver=\"" +
                        config.get(TransceiverSettings.TRANSCEIVER_ID) + "\"")));
            candidates = candidates(config);

            final int shardCount = config.get(TransceiverSettings.SHARDS);
            shards = new MediaAgent[shardCount];
            final SessionManager[] manager = new SessionManager[1];
            final String relayChannel = config.get(TransceiverSettings.RELAY_CHANNEL);
            final int[][] knownRelays = parseRelays(config.get(TransceiverSettings.RELAYS));
            for (int shard = 0; shard < shardCount; shard++)
            {
                shards[shard] = new MediaAgent(new MediaAgent.Context()
                    .aeron(aeron)
                    .transceiverId(config.get(TransceiverSettings.TRANSCEIVER_ID))
                    .shardId(shard)
                    .ingressChannel(config.get(TransceiverSettings.INGRESS_CHANNEL))
                    .relayChannel((relayId) -> relayChannel.replace("{relay}", Integer.toString(relayId)))
                    .backendChannel(config.get(TransceiverSettings.BACKEND_CHANNEL))
                    .knownRelays(knownRelays)
                    .keyRing(keyRing)
                    .dtlsFactory(dtlsFactory)
                    .consentTimeoutNs(config.get(TransceiverSettings.CONSENT_TIMEOUT))
                    .setupTimeoutNs(config.get(TransceiverSettings.SETUP_TIMEOUT))
                    .jitter(config.get(RtpSettings.JITTER_FRAMES), config.get(RtpSettings.JITTER_MAX_WAIT),
                        config.get(RtpSettings.JITTER_MAX_WAIT_FRAMES))
                    .pacer(config.get(RtpSettings.PACER_FRAMES), (int)(long)config.get(RtpSettings.PACER_BYTES),
                        config.get(RtpSettings.PACER_DRAIN))
                    .maxPayloadBytes((int)(long)config.get(RtpSettings.MAX_PAYLOAD))
                    .rtcpIntervalNs(config.get(RtpSettings.RTCP_INTERVAL))
                    .onReleased((sessionId) -> manager[0].onReleased(sessionId)));
            }
            sessions = new SessionManager(
                shards,
                config.get(TransceiverSettings.MAX_SESSIONS),
                new RouteTokenMinter(keyRing),
                config.get(TransceiverSettings.CLUSTER_ID),
                config.get(TransceiverSettings.TRANSCEIVER_ID),
                dtlsFactory.certificate().fingerprintDigest(),
                candidates,
                aeron,
                SystemNanoClock.INSTANCE);
            manager[0] = sessions;
            drainDeadlineNs = config.get(TransceiverSettings.DRAIN_DEADLINE);
            sessions.onDrain(this::startDrainMonitor);

            final IdleMode idle = config.get(TransceiverSettings.IDLE);
            final List<Agent> agents = new ArrayList<>(List.of(shards));
            if (config.get(TransceiverSettings.ECHO))
            {
                final int[] echoShards = new int[shardCount];
                for (int i = 0; i < shardCount; i++)
                {
                    echoShards[i] = i;
                }
                agents.add(new EchoBackend(aeron, EchoBackend.Context.fromConfig(config)
                    .shards(echoShards)
                    .channel(config.get(TransceiverSettings.BACKEND_CHANNEL))));
            }
            for (final Agent agent : hooks.extraAgents)
            {
                agents.add(agent);
            }
            for (final Agent agent : agents)
            {
                final AgentRunner runner = new AgentRunner(idle.newStrategy(), errorHandler, null, agent);
                AgentRunner.startOnThread(runner);
                runners.add(runner);
            }

            final SignalingServer.Context signalingContext = SignalingServer.Context.fromConfig(config);
            hooks.signaling.accept(signalingContext);
            signaling = SignalingServer.start(signalingContext, sessions);
            Log.info(COMPONENT, "signaling on http://" + hostPort(signaling.address()) + ", " + shardCount +
                " shard(s), candidates " + candidates + ", Aeron " + aeronDirectory +
                (config.get(TransceiverSettings.ECHO) ? ", echo backend in process" : ""));
            started = true;
        }
        finally
        {
            if (!started)
            {
                closeRest();
            }
        }
    }

    /**
     * Every setting of a transceiver process.
     *
     * @return the settings, for {@code --help} and {@link Config#parse}.
     */
    public static List<Setting<?>> settings()
    {
        // echo.shards and echo.channel are overridden by the transceiver's shards and backend channel.
        return Settings.combine(TransceiverSettings.ALL, SignalingSettings.ALL, RouteSettings.ALL,
            DtlsConfiguration.settings(), RtpSettings.SETTINGS, EchoBackend.SETTINGS);
    }

    /**
     * Start a transceiver.
     *
     * @param config its configuration (with {@link #settings()} registered).
     * @return the running transceiver.
     */
    public static Transceiver launch(final Config config)
    {
        return new Transceiver(config, new Hooks());
    }

    /**
     * Start a transceiver that shares a process with other parts (the demo, tests).
     *
     * @param config its configuration.
     * @param hooks  what the process shares with it.
     * @return the running transceiver.
     */
    public static Transceiver launch(final Config config, final Hooks hooks)
    {
        return new Transceiver(config, hooks);
    }

    /**
     * @return the signaling server's address.
     */
    public InetSocketAddress httpAddress()
    {
        return signaling.address();
    }

    /**
     * @return the session manager (drain, counts).
     */
    public SessionManager sessions()
    {
        return sessions;
    }

    /**
     * @return the Aeron client.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * @return the media driver's directory.
     */
    public String aeronDirectory()
    {
        return aeronDirectory;
    }

    /**
     * @return the candidates put into answers.
     */
    public List<InetSocketAddress> candidates()
    {
        return candidates;
    }

    /**
     * Start draining: new calls get 503 and /readyz fails; open calls continue until they end or the drain deadline
     * passes, then {@link #awaitDrained} returns.
     */
    public void drain()
    {
        sessions.drain();
    }

    /**
     * @param timeoutNs how long to wait.
     * @return true when a drain finished (every session released) within the time.
     * @throws InterruptedException when interrupted.
     */
    public boolean awaitDrained(final long timeoutNs) throws InterruptedException
    {
        return drained.await(timeoutNs, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * @return true once a drain has finished.
     */
    public boolean isDrained()
    {
        return drained.getCount() == 0;
    }

    private void startDrainMonitor()
    {
        Log.info(COMPONENT, "draining: " + sessions.activeSessions() + " session(s) open, deadline " +
            java.time.Duration.ofNanos(drainDeadlineNs));
        final Thread monitor = new Thread(() ->
        {
            final long deadline = System.nanoTime() + drainDeadlineNs;
            boolean ended = false;
            long forcedAt = 0;
            try
            {
                while (sessions.activeSessions() > 0)
                {
                    final long now = System.nanoTime();
                    if (!ended && now - deadline >= 0)
                    {
                        Log.info(COMPONENT, "drain deadline passed: ending " + sessions.activeSessions() +
                            " session(s)");
                        sessions.endAll(dev.tandem.sbe.CloseReason.DRAIN_DEADLINE);
                        ended = true;
                        forcedAt = now;
                    }
                    if (ended && now - forcedAt > java.util.concurrent.TimeUnit.SECONDS.toNanos(5))
                    {
                        break;
                    }
                    Thread.sleep(20);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            Log.info(COMPONENT, "drained");
            drained.countDown();
        }, "tandem-drain");
        monitor.setDaemon(true);
        monitor.start();
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(signaling);
        closeRest();
    }

    private void closeRest()
    {
        for (final AgentRunner runner : runners)
        {
            CloseHelper.quietClose(runner);
        }
        runners.clear();
        for (final AutoCloseable closeable : closeables)
        {
            CloseHelper.quietClose(closeable);
        }
        closeables.clear();
    }

    static List<InetSocketAddress> candidates(final Config config)
    {
        final String text = config.get(TransceiverSettings.CANDIDATES).trim();
        final int port = config.get(TransceiverSettings.CANDIDATE_PORT);
        final List<InetSocketAddress> result = new ArrayList<>();
        if (!"auto".equals(text))
        {
            for (final String part : text.split(","))
            {
                try
                {
                    result.add(Settings.parseSocketAddress(part.trim()));
                }
                catch (final ConfigException ex)
                {
                    throw new ConfigException(TransceiverSettings.CANDIDATES.name() + ": " + ex.getMessage());
                }
            }
            return result;
        }
        try
        {
            for (final NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces()))
            {
                if (!nif.isUp() || nif.isLoopback())
                {
                    continue;
                }
                for (final InetAddress address : Collections.list(nif.getInetAddresses()))
                {
                    if (address instanceof Inet4Address ||
                        (address instanceof Inet6Address && !address.isLinkLocalAddress()))
                    {
                        result.add(new InetSocketAddress(address, port));
                    }
                }
            }
        }
        catch (final SocketException ex)
        {
            Log.warn(COMPONENT, "cannot list network interfaces (" + ex.getMessage() + "), using loopback");
        }
        if (result.isEmpty())
        {
            result.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        return result;
    }

    static int[][] parseRelays(final String text)
    {
        if (text.isBlank())
        {
            return new int[0][];
        }
        final String[] parts = text.split(",");
        final int[][] relays = new int[parts.length][];
        for (int i = 0; i < parts.length; i++)
        {
            final String[] pair = parts[i].trim().split(":");
            try
            {
                relays[i] = new int[]{ Integer.parseInt(pair[0]), pair.length > 1 ? Integer.parseInt(pair[1]) : 1 };
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigException(TransceiverSettings.RELAYS.name() + ": '" + parts[i] +
                    "' is not RELAY_ID:WORKERS");
            }
        }
        return relays;
    }

    private static String hostPort(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * What a process hosting a transceiver shares with it.
     */
    public static final class Hooks
    {
        Aeron aeron;
        RouteKeyRing keyRing;
        List<Agent> extraAgents = new ArrayList<>();
        java.util.function.Consumer<SignalingServer.Context> signaling = (context) ->
        {
        };

        /**
         * @param aeron a connected client to use instead of starting a driver.
         * @return this.
         */
        public Hooks aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /**
         * @param keyRing route keys to use instead of route.keys.
         * @return this.
         */
        public Hooks keyRing(final RouteKeyRing keyRing)
        {
            this.keyRing = keyRing;
            return this;
        }

        /**
         * @param agent another agent to run beside the media agents.
         * @return this.
         */
        public Hooks agent(final Agent agent)
        {
            this.extraAgents.add(agent);
            return this;
        }

        /**
         * @param customizer adjusts the signaling server before it starts (static pages, ...).
         * @return this.
         */
        public Hooks signaling(final java.util.function.Consumer<SignalingServer.Context> customizer)
        {
            this.signaling = customizer;
            return this;
        }
    }
}
