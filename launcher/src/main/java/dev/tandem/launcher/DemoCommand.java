package dev.tandem.launcher;

import dev.tandem.backend.EchoBackend;
import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.config.Command;
import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;
import dev.tandem.dtls.DtlsConfiguration;
import dev.tandem.journal.JournalSettings;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.relay.RelaySettings;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.rtp.RtpSettings;
import dev.tandem.signaling.SignalingServer;
import dev.tandem.signaling.SignalingSettings;
import dev.tandem.transceiver.Transceiver;
import dev.tandem.transceiver.TransceiverSettings;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/tandem demo}: the whole path in one process on laptop defaults, for a first call from a browser. One
 * embedded Aeron media driver (shared threading, backoff idling) in a temporary directory, a relay on UDP
 * {@code --udp} (0.0.0.0 and [::]), a transceiver with the echo backend, and the demo page on HTTP {@code --http}
 * served by the transceiver's signaling server, whose {@code /metrics} shows the relay's counters beside its own
 * (they share the driver's counters file).
 * <pre>
 *   browser ──HTTP POST offer──► :8080 signaling ─┐
 *   browser ──UDP──► :3478 relay ──Aeron IPC──► transceiver ──Aeron IPC──► echo (delay)
 *           ◄──UDP── :3478 relay ◄──Aeron IPC── transceiver ◄──Aeron IPC───────┘
 * </pre>
 * Both ports are checked before anything starts, so a port in use fails at once naming its flag. Ctrl-C stops
 * every part and the driver deletes its directory.
 */
final class DemoCommand implements Command
{
    private static final String COMPONENT = "demo";

    /** The relay's UDP port. */
    static final Setting<Integer> UDP = Settings.integer(
        "demo.udp", "udp", "3478", 0, 65535,
        "UDP port of the relay, the one port browsers send media to (0: any free port)");
    /** The page's HTTP port. */
    static final Setting<Integer> HTTP = Settings.integer(
        "demo.http", "http", "8080", 0, 65535,
        "HTTP port of the page, signaling and /metrics (0: any free port)");
    /** The address the page and signaling listen on. */
    static final Setting<String> HTTP_HOST = Settings.string(
        "demo.http-host", "http-host", "0.0.0.0",
        "address the HTTP server listens on (127.0.0.1 keeps the page to this machine)");
    /** How every thread of the demo waits. */
    static final Setting<IdleMode> IDLE = Settings.enumeration(
        "demo.idle", "idle", "backoff", IdleMode.class,
        "how the driver, relay and transceiver threads wait: backoff (laptops), busy-spin (tuned hosts), yield, " +
        "sleep (least CPU when idle, up to 1 ms more per hop); relay.idle and transceiver.idle " +
        "override it for one part");
    /** The echo delay, long enough to hear oneself. */
    static final Setting<Long> DELAY = EchoBackend.DELAY.withDefault("300ms");

    /** The relay id; the transceiver learns its return streams from it at start. */
    static final int RELAY_ID = 0;

    /** The settings a user may give: the demo's own, then the parts' settings that make sense on one laptop. */
    static final List<Setting<?>> SETTINGS = Settings.combine(
        List.of(UDP, HTTP, HTTP_HOST, IDLE, DELAY),
        List.of(RelaySettings.WORKERS, RelaySettings.TRANSPORT, RelaySettings.SOCKET_WAIT, RelaySettings.MAX_PARK,
            RelaySettings.CPUS, RelaySettings.MAX_DATAGRAM, RelaySettings.SOCKET_BUFFER, RelaySettings.MAX_FLOWS,
            RelaySettings.FLOW_IDLE_TIMEOUT, RelaySettings.NEW_FLOW_RATE, RelaySettings.NEW_FLOW_BURST,
            RelaySettings.NEW_FLOW_SOURCES, RelaySettings.IDLE.withoutFlag()),
        List.of(TransceiverSettings.SHARDS, TransceiverSettings.MAX_SESSIONS, TransceiverSettings.CANDIDATES,
            TransceiverSettings.CONSENT_TIMEOUT, TransceiverSettings.SETUP_TIMEOUT,
            TransceiverSettings.IDLE.withoutFlag()),
        without(SignalingSettings.ALL, SignalingSettings.LISTEN),
        DtlsConfiguration.settings(),
        RtpSettings.SETTINGS,
        without(EchoBackend.SETTINGS, EchoBackend.SHARDS, EchoBackend.CHANNEL));

    /**
     * Every setting the parts read: {@link #SETTINGS} first (their flags win), then those the demo sets itself from
     * its own (ports, channels, ids, keys), which a user cannot give.
     */
    static final List<Setting<?>> ALL_SETTINGS = Settings.combine(
        SETTINGS, Transceiver.settings(), RelaySettings.ALL);

    @Override
    public String name()
    {
        return "demo";
    }

    @Override
    public String summary()
    {
        return "run everything in one process and talk to an echo agent from a browser page";
    }

    @Override
    public int run(final String[] args)
    {
        final Config config = Config.parse(SETTINGS, args);
        if (config.helpRequested())
        {
            System.out.print("Usage: bin/tandem demo [OPTIONS]\n\n" + summary() + ".\n" +
                "An embedded Aeron media driver, a relay (UDP --udp), a transceiver with the echo backend and the\n" +
                "demo page (HTTP --http) in one process. Open the printed URL, press Start and speak.\n" +
                "Stops on Ctrl-C (SIGINT) or SIGTERM and deletes what it created.\n\nOptions:\n" +
                Config.describe(SETTINGS));
            return EXIT_OK;
        }
        // The barrier must be closed: its shutdown hook waits for close(), and System.exit would deadlock.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            Demo demo = Demo.start(args))
        {
            System.out.print(demo.banner());
            System.out.flush();
            barrier.await();
            Log.info(COMPONENT, "stopping: " + demo.transceiver().sessions().activeSessions() + " call(s) open");
        }
        return EXIT_OK;
    }

    private static List<Setting<?>> without(final List<Setting<?>> settings, final Setting<?>... excluded)
    {
        final List<Setting<?>> result = new ArrayList<>(settings);
        for (final Setting<?> setting : excluded)
        {
            result.removeIf((s) -> s.name().equals(setting.name()));
        }
        return result;
    }

    /**
     * A running demo: driver, Aeron client, relay and transceiver; close it to stop them all, in reverse order.
     */
    static final class Demo implements AutoCloseable
    {
        private final List<AutoCloseable> closeables = new ArrayList<>();
        private String aeronDirectory;
        private Relay relay;
        private Transceiver transceiver;
        private boolean ipv6;
        private int udpPort;
        private long echoDelayNs;

        private Demo()
        {
        }

        /**
         * Check both ports, then start every part.
         *
         * @param args the command-line arguments of {@code bin/tandem demo}.
         * @return the running demo.
         * @throws ConfigException naming {@code --udp} or {@code --http} when a port is in use, or a bad setting.
         */
        static Demo start(final String[] args)
        {
            final Config userConfig = Config.parse(SETTINGS, args);
            final int requestedUdp = userConfig.get(UDP);
            final int requestedHttp = userConfig.get(HTTP);
            final InetAddress httpHost = httpHost(userConfig.get(HTTP_HOST));

            // Fail before starting anything: a port in use is the commonest mistake (a demo already running).
            final Demo demo = new Demo();
            demo.ipv6 = probeUdp(requestedUdp, demo);
            probeHttp(httpHost, requestedHttp);

            boolean started = false;
            try
            {
                demo.launch(userConfig, args, httpHost, requestedHttp);
                started = true;
                return demo;
            }
            finally
            {
                if (!started)
                {
                    demo.close();
                }
            }
        }

        private void launch(
            final Config userConfig, final String[] args, final InetAddress httpHost, final int httpPort)
        {
            final ErrorHandler errorHandler = (ex) -> Log.error(COMPONENT, "error", ex);
            final IdleMode idle = userConfig.get(IDLE);
            aeronDirectory = AeronSupport.uniqueDirectory(COMPONENT);
            final MediaDriver driver = AeronSupport.launchEmbeddedDriver(
                aeronDirectory, ThreadingMode.SHARED, idle, errorHandler);
            closeables.add(0, driver);
            final Aeron aeron = AeronSupport.connect(aeronDirectory, errorHandler, "tandem-demo");
            closeables.add(0, aeron);

            // Route keys live only in this process: the relay verifies what the transceiver mints.
            final String keySpec = RouteKeyRing.generateKeySpec(1);
            final RouteKeyRing keyRing = RouteKeyRing.parse(keySpec, 1);

            final List<String> forced = new ArrayList<>(List.of(args));
            final String listen = "0.0.0.0:" + udpPort + (ipv6 ? ",[::]:" + udpPort : "");
            add(forced, RelaySettings.ID, Integer.toString(RELAY_ID));
            add(forced, RelaySettings.LISTEN, listen);
            // Publications to every transceiver shard from the start, so the first STUN check is not dropped while
            // one is added (destination_pending); the return streams likewise, through transceiver.relays below.
            add(forced, RelaySettings.DIRECTORY, "0.0=aeron:ipc");
            add(forced, RelaySettings.DIRECTORY_SHARDS, Integer.toString(userConfig.get(TransceiverSettings.SHARDS)));
            if (!userConfig.isExplicit(RelaySettings.IDLE))
            {
                add(forced, RelaySettings.IDLE, idle.name());
            }
            if (!userConfig.isExplicit(JournalSettings.ENABLED))
            {
                // The demo's relay and transceiver live and die in one process: a flow journal could never carry a
                // call across a restart here, and would leave a directory per UDP port under the temp directory.
                add(forced, JournalSettings.ENABLED, "false");
            }
            if (!userConfig.isExplicit(TransceiverSettings.IDLE))
            {
                add(forced, TransceiverSettings.IDLE, idle.name());
            }
            final Config relayConfig = Config.parse(ALL_SETTINGS, forced.toArray(new String[0]));
            try
            {
                relay = Relay.launch(RelayContext.from(relayConfig)
                    .aeron(aeron)
                    .keyRing(keyRing)
                    .metricsListen(null));
            }
            catch (final IllegalStateException ex)
            {
                // The sockets did not bind: another process took the port after the check, or the transport failed.
                throw new ConfigException("--udp: the relay did not start on UDP port " + udpPort + " (" +
                    ex.getMessage() + ")");
            }
            closeables.add(0, relay);
            udpPort = relay.localAddress(0).getPort();

            add(forced, SignalingSettings.LISTEN, hostPort(httpHost, httpPort));
            add(forced, TransceiverSettings.CANDIDATE_PORT, Integer.toString(udpPort));
            add(forced, TransceiverSettings.RELAYS, RELAY_ID + ":" + relay.workerCount());
            add(forced, TransceiverSettings.ECHO, "true");
            final Config transceiverConfig = Config.parse(ALL_SETTINGS, forced.toArray(new String[0]));
            echoDelayNs = transceiverConfig.get(DELAY);
            try
            {
                transceiver = Transceiver.launch(transceiverConfig, new Transceiver.Hooks()
                    .aeron(aeron)
                    .keyRing(keyRing)
                    .signaling(DemoCommand::servePage));
            }
            catch (final ConfigException ex)
            {
                if (ex.getMessage().startsWith(SignalingSettings.LISTEN.name()))
                {
                    throw new ConfigException("--http: " + ex.getMessage().substring(
                        SignalingSettings.LISTEN.name().length() + 2));
                }
                throw ex;
            }
            closeables.add(0, transceiver);
        }

        /**
         * @return what to print at start: the URL to open first, then where each part listens.
         */
        String banner()
        {
            final StringBuilder out = new StringBuilder()
                .append('\n')
                .append("Tandem demo is running. Open this page in a browser on this machine, press Start and speak:\n")
                .append('\n')
                .append("    ").append(url()).append('\n')
                .append('\n')
                .append("  page and signaling  HTTP port ").append(httpPort())
                .append(" (POST /v1/realtime/calls, GET /metrics)\n")
                .append("  relay               UDP port ").append(udpPort()).append(" on 0.0.0.0")
                .append(ipv6 ? " and [::]" : "").append(", ").append(relay.workerCount()).append(" worker(s)\n")
                .append("  candidates          ");
            final List<InetSocketAddress> candidates = transceiver.candidates();
            for (int i = 0; i < candidates.size(); i++)
            {
                out.append(i > 0 ? ", " : "").append(hostPort(candidates.get(i).getAddress(),
                    candidates.get(i).getPort()));
            }
            return out.append('\n')
                .append("  echo agent          sends your voice back after ")
                .append(TimeUnit.NANOSECONDS.toMillis(echoDelayNs)).append(" ms\n")
                .append("  Aeron directory     ").append(aeronDirectory).append(" (removed on exit)\n")
                .append('\n')
                .append("Press Ctrl-C to stop.\n")
                .toString();
        }

        /**
         * @return the page's URL on the loopback address: browsers give the microphone to http://127.0.0.1.
         */
        String url()
        {
            return "http://127.0.0.1:" + httpPort() + "/";
        }

        /**
         * @return the HTTP port in use (the kernel's choice when 0 was asked).
         */
        int httpPort()
        {
            return transceiver.httpAddress().getPort();
        }

        /**
         * @return the relay's UDP port in use.
         */
        int udpPort()
        {
            return udpPort;
        }

        /**
         * @return the Aeron directory of the embedded driver.
         */
        String aeronDirectory()
        {
            return aeronDirectory;
        }

        Relay relay()
        {
            return relay;
        }

        Transceiver transceiver()
        {
            return transceiver;
        }

        @Override
        public void close()
        {
            // Newest first: signaling and media, then the relay, the Aeron client, and the driver (deletes its dir).
            for (final AutoCloseable closeable : closeables)
            {
                CloseHelper.quietClose(closeable);
            }
            closeables.clear();
        }

        private static void add(final List<String> args, final Setting<?> setting, final String value)
        {
            args.add("--" + setting.name());
            args.add(value);
        }
    }

    private static void servePage(final SignalingServer.Context context)
    {
        final String base = "dev/tandem/demo/";
        context.staticResource("/", base + "index.html")
            .staticResource("/index.html", base + "index.html")
            .staticResource("/demo.js", base + "demo.js")
            .staticResource("/demo.css", base + "demo.css")
            .staticResource("/favicon.svg", base + "favicon.svg")
            .classLoader(DemoCommand.class.getClassLoader());
    }

    private static InetAddress httpHost(final String text)
    {
        try
        {
            return Settings.parseSocketAddress(
                (text.indexOf(':') >= 0 && !text.startsWith("[") ? "[" + text + "]" : text) + ":0").getAddress();
        }
        catch (final ConfigException ex)
        {
            throw new ConfigException(HTTP_HOST.name() + ": '" + text + "' is not an address");
        }
    }

    /**
     * Bind the UDP port without SO_REUSEPORT and let it go: the relay's SO_REUSEPORT sockets would otherwise share
     * a port with another relay (a demo already running) instead of failing. A dual-stack [::] socket covers IPv4
     * too; without IPv6, an IPv4 one.
     *
     * @return true when IPv6 is available, so the relay listens on [::] as well.
     */
    private static boolean probeUdp(final int port, final Demo demo)
    {
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET6))
        {
            channel.bind(new InetSocketAddress(InetAddress.getByName("::"), port));
            demo.udpPort = ((InetSocketAddress)channel.getLocalAddress()).getPort();
            return true;
        }
        catch (final UnsupportedOperationException | IOException ex)
        {
            if (isInUse(ex))
            {
                throw udpInUse(port);
            }
        }
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET))
        {
            channel.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            demo.udpPort = ((InetSocketAddress)channel.getLocalAddress()).getPort();
            return false;
        }
        catch (final IOException ex)
        {
            throw isInUse(ex) ? udpInUse(port) :
                new ConfigException("--udp: cannot bind UDP port " + port + " (" + ex.getMessage() + ")");
        }
    }

    private static void probeHttp(final InetAddress host, final int port)
    {
        if (port == 0)
        {
            return;
        }
        try (ServerSocketChannel channel = ServerSocketChannel.open())
        {
            channel.bind(new InetSocketAddress(host, port));
        }
        catch (final IOException ex)
        {
            throw new ConfigException("--http: TCP port " + port + " on " + host.getHostAddress() + " is " +
                (isInUse(ex) ? "in use (is a demo already running? stop it, or pick another port with " +
                "--http PORT, or --http 0 for any free port)" : "not available (" + ex.getMessage() + ")"));
        }
    }

    private static ConfigException udpInUse(final int port)
    {
        return new ConfigException("--udp: UDP port " + port + " is in use (is a demo or relay already running? " +
            "stop it, or pick another port with --udp PORT, or --udp 0 for any free port)");
    }

    private static boolean isInUse(final Exception ex)
    {
        return ex instanceof java.net.BindException ||
            (ex.getMessage() != null && ex.getMessage().contains("in use"));
    }

    private static String hostPort(final InetAddress address, final int port)
    {
        final String scoped = address.getHostAddress();
        final int scope = scoped.indexOf('%');
        final String host = scope < 0 ? scoped : scoped.substring(0, scope);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
