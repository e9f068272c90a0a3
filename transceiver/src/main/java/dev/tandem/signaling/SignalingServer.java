package dev.tandem.signaling;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.common.Log;
import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/1.1 signaling server (the JDK's {@code com.sun.net.httpserver}, keep-alive, bounded requests):
 * <pre>
 * POST    /v1/realtime/calls        application/sdp, or multipart/form-data with sdp (and session) parts
 *                                   -&gt; 201, application/sdp answer, Location: /v1/realtime/calls/{id}
 * DELETE  /v1/realtime/calls/{id}   -&gt; 200, or 404
 * POST    /whip                     application/sdp (RFC 9725) -&gt; 201, Location: /whip/{id}
 * DELETE  /whip/{id}                -&gt; 200, or 404
 * PATCH   /whip/{id}                -&gt; 501: ICE-lite with every candidate in the answer, no trickle or restart
 * OPTIONS any of the above          -&gt; 204 with Allow (and CORS preflight headers when enabled)
 * GET     /healthz                  -&gt; 200 while the process runs
 * GET     /readyz                   -&gt; 200 when ready, 503 while draining
 * GET     /metrics                  -&gt; Prometheus text
 * GET     registered static paths   -&gt; classpath resources (the demo page)
 * </pre>
 * Requests run on a small bounded pool of HTTP threads, never on media threads; errors are JSON
 * {@code {"error":{"status":400,"reason":"no_audio","message":"..."}}}.
 */
public final class SignalingServer implements AutoCloseable
{
    private static final String COMPONENT = "signaling";
    private static final int ACCEPT_BACKLOG = 128;

    private final Context context;
    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final SignalingRouter router;
    private final SignalingCounters counters;
    private final InetSocketAddress address;
    private boolean closed;

    private SignalingServer(final Context context, final CallHandler handler) throws IOException
    {
        this.context = context;
        this.counters = new SignalingCounters();
        final Map<String, StaticResource> statics = new LinkedHashMap<>();
        for (final Map.Entry<String, String[]> entry : context.staticResources.entrySet())
        {
            statics.put(entry.getKey(), StaticResource.load(
                entry.getKey(), entry.getValue()[0], entry.getValue()[1], context.classLoader));
        }

        JdkHttpServerLimits.apply(
            context.requestTimeoutSeconds(), context.idleTimeoutSeconds(), context.maxConnections);
        try
        {
            server = HttpServer.create(context.listen, ACCEPT_BACKLOG);
        }
        catch (final BindException ex)
        {
            throw new ConfigException(SignalingSettings.LISTEN.name() + ": cannot listen on " +
                format(context.listen) + " (" + ex.getMessage() + ")");
        }
        final BlockingQueue<Runnable> queue = context.queueCapacity == 0 ?
            new SynchronousQueue<>() : new ArrayBlockingQueue<>(context.queueCapacity);
        executor = new ThreadPoolExecutor(
            context.threads, context.threads, 30, TimeUnit.SECONDS, queue, new HttpThreadFactory(),
            new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(new OverloadCountingExecutor(executor, counters));
        router = new SignalingRouter(context, handler, counters, statics);
        server.createContext("/", router);
        server.start();
        address = server.getAddress();
        Log.info(COMPONENT, "listening on " + format(address) + " (" + context.threads + " threads, bodies up to " +
            context.maxRequestBytes + " bytes" + (context.corsOrigins.isEmpty() ? "" : ", CORS " +
            String.join(",", context.corsOrigins)) + ")");
    }

    /**
     * Bind and start a server.
     *
     * @param context its settings; concluded here.
     * @param handler the session layer.
     * @return the running server.
     * @throws ConfigException naming {@code signaling.listen} when the address is in use or cannot be bound, or
     *                         naming a bad setting or missing static resource.
     */
    public static SignalingServer start(final Context context, final CallHandler handler)
    {
        Objects.requireNonNull(handler, "handler");
        context.conclude();
        try
        {
            return new SignalingServer(context, handler);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(SignalingSettings.LISTEN.name() + ": cannot listen on " +
                format(context.listen) + " (" + ex + ")");
        }
    }

    /**
     * @return the bound address; with port 0 in {@code signaling.listen}, the port the kernel chose.
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * @return the bound port.
     */
    public int port()
    {
        return address.getPort();
    }

    /**
     * @return the request and rejection counters, for the session layer to publish.
     */
    public SignalingCounters counters()
    {
        return counters;
    }

    /**
     * @return the settings in use.
     */
    public Context context()
    {
        return context;
    }

    /**
     * Stop gracefully: refuse new calls (503), let requests in progress finish for up to
     * {@code signaling.stop-timeout}, then close the listener, every connection and the threads. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        // We wait for requests ourselves rather than with HttpServer.stop(delay): JDK 17 sleeps the whole delay even
        // when idle (seen while writing this: 17.0.15 took 2 s for stop(2) on an idle server; 25 returned at once).
        router.beginStop();
        final long deadlineNs = System.nanoTime() + context.stopTimeoutNs;
        boolean interrupted = false;
        while (router.inFlight() > 0 && System.nanoTime() - deadlineNs < 0 && !interrupted)
        {
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        server.stop(0);
        executor.shutdown();
        try
        {
            if (interrupted || !executor.awaitTermination(1, TimeUnit.SECONDS))
            {
                executor.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            interrupted = true;
            executor.shutdownNow();
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        Log.info(COMPONENT, "stopped listening on " + format(address));
    }

    static String format(final InetSocketAddress address)
    {
        final String host = address.getAddress() != null ?
            address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * The server's settings, Aeron style: set what differs from the defaults, then {@link SignalingServer#start}
     * concludes (validates) it once.
     */
    public static final class Context
    {
        private InetSocketAddress listen = new InetSocketAddress(8080);
        private int maxRequestBytes = 64 * 1024;
        private int threads = 4;
        private int queueCapacity = 64;
        private int maxConnections = 1024;
        private long requestTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private long idleTimeoutNs = TimeUnit.SECONDS.toNanos(30);
        private List<String> corsOrigins = Collections.emptyList();
        private long stopTimeoutNs = TimeUnit.SECONDS.toNanos(2);
        private long retryAfterNs = TimeUnit.SECONDS.toNanos(5);
        private boolean renderCounters = true;
        private String adminToken = "";
        private final Map<String, String[]> staticResources = new LinkedHashMap<>();
        private ClassLoader classLoader = SignalingServer.class.getClassLoader();
        private boolean concluded;

        /**
         * @param config a parsed configuration that includes {@link SignalingSettings#ALL}.
         * @return a context with every signaling setting from it.
         */
        public static Context fromConfig(final Config config)
        {
            final long maxRequestBytes = config.get(SignalingSettings.MAX_REQUEST_BYTES);
            if (maxRequestBytes < 1024 || maxRequestBytes > 16 * 1024 * 1024)
            {
                throw new ConfigException(SignalingSettings.MAX_REQUEST_BYTES.name() + ": " + maxRequestBytes +
                    " is out of range (expected 1k..16m)");
            }
            return new Context()
                .listen(config.get(SignalingSettings.LISTEN))
                .maxRequestBytes((int)maxRequestBytes)
                .threads(config.get(SignalingSettings.THREADS))
                .queueCapacity(config.get(SignalingSettings.QUEUE))
                .maxConnections(config.get(SignalingSettings.MAX_CONNECTIONS))
                .requestTimeoutNs(config.get(SignalingSettings.REQUEST_TIMEOUT))
                .idleTimeoutNs(config.get(SignalingSettings.IDLE_TIMEOUT))
                .corsOrigins(parseOrigins(config.get(SignalingSettings.CORS_ORIGIN)))
                .stopTimeoutNs(config.get(SignalingSettings.STOP_TIMEOUT))
                .retryAfterNs(config.get(SignalingSettings.RETRY_AFTER))
                .adminToken(config.get(SignalingSettings.ADMIN_TOKEN));
        }

        /**
         * @param token bearer token of the admin API ({@code POST /admin/drain}); empty turns it off.
         * @return this.
         */
        public Context adminToken(final String token)
        {
            this.adminToken = Objects.requireNonNull(token, "token");
            return this;
        }

        String adminToken()
        {
            return adminToken;
        }

        /**
         * @param address where to listen; port 0 for any free port.
         * @return this.
         */
        public Context listen(final InetSocketAddress address)
        {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * @param bytes largest request body, 1 KiB to 16 MiB.
         * @return this.
         */
        public Context maxRequestBytes(final int bytes)
        {
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * @param threads HTTP threads.
         * @return this.
         */
        public Context threads(final int threads)
        {
            this.threads = threads;
            return this;
        }

        /**
         * @param capacity requests that may wait for a thread (0: none wait).
         * @return this.
         */
        public Context queueCapacity(final int capacity)
        {
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * @param connections most open connections (JVM-wide, see {@link SignalingSettings#MAX_CONNECTIONS}).
         * @return this.
         */
        public Context maxConnections(final int connections)
        {
            this.maxConnections = connections;
            return this;
        }

        /**
         * @param timeoutNs time to receive a request and again to answer it, rounded up to whole seconds.
         * @return this.
         */
        public Context requestTimeoutNs(final long timeoutNs)
        {
            this.requestTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param timeoutNs keep-alive idle time, rounded up to whole seconds.
         * @return this.
         */
        public Context idleTimeoutNs(final long timeoutNs)
        {
            this.idleTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param origins origins allowed by CORS, {@code *} for any; empty turns CORS off.
         * @return this.
         */
        public Context corsOrigins(final List<String> origins)
        {
            this.corsOrigins = List.copyOf(origins);
            return this;
        }

        /**
         * @param timeoutNs how long close() waits for requests in progress.
         * @return this.
         */
        public Context stopTimeoutNs(final long timeoutNs)
        {
            this.stopTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param retryAfterNs Retry-After of the 503 answered while the handler is not ready.
         * @return this.
         */
        public Context retryAfterNs(final long retryAfterNs)
        {
            this.retryAfterNs = retryAfterNs;
            return this;
        }

        /**
         * @param render false when the session layer publishes {@link SignalingCounters} itself and renders them in
         *               {@link CallHandler#renderMetrics}, so /metrics does not show them twice.
         * @return this.
         */
        public Context renderCounters(final boolean render)
        {
            this.renderCounters = render;
            return this;
        }

        /**
         * Serve a classpath resource at a path, with a Content-Type from its extension.
         *
         * @param path     the URL path, e.g. {@code /} or {@code /app.js}.
         * @param resource the classpath resource, e.g. {@code web/index.html}.
         * @return this.
         */
        public Context staticResource(final String path, final String resource)
        {
            return staticResource(path, resource, null);
        }

        /**
         * Serve a classpath resource at a path.
         *
         * @param path        the URL path; must start with '/' and not be an API path.
         * @param resource    the classpath resource.
         * @param contentType the Content-Type, or null to derive it from the extension.
         * @return this.
         */
        public Context staticResource(final String path, final String resource, final String contentType)
        {
            if (path == null || !path.startsWith("/") || SignalingRouter.isApiPath(path))
            {
                throw new IllegalArgumentException("static path must start with / and not be an API path: " + path);
            }
            staticResources.put(path, new String[]{ Objects.requireNonNull(resource, "resource"), contentType });
            return this;
        }

        /**
         * @param loader where static resources are looked up (default: this class's loader).
         * @return this.
         */
        public Context classLoader(final ClassLoader loader)
        {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * @return where the server listens (before start, as configured).
         */
        public InetSocketAddress listen()
        {
            return listen;
        }

        /**
         * @return largest request body.
         */
        public int maxRequestBytes()
        {
            return maxRequestBytes;
        }

        /**
         * @return HTTP threads.
         */
        public int threads()
        {
            return threads;
        }

        /**
         * @return origins allowed by CORS; empty when off.
         */
        public List<String> corsOrigins()
        {
            return corsOrigins;
        }

        /**
         * @return Retry-After seconds while draining, at least 1.
         */
        public int retryAfterSeconds()
        {
            return (int)Math.max(1, ceilSeconds(retryAfterNs));
        }

        boolean renderCounters()
        {
            return renderCounters;
        }

        long requestTimeoutSeconds()
        {
            return Math.max(1, ceilSeconds(requestTimeoutNs));
        }

        long idleTimeoutSeconds()
        {
            return Math.max(1, ceilSeconds(idleTimeoutNs));
        }

        void conclude()
        {
            if (concluded)
            {
                throw new IllegalStateException("a Context starts one server");
            }
            check(maxRequestBytes >= 1024 && maxRequestBytes <= 16 * 1024 * 1024,
                SignalingSettings.MAX_REQUEST_BYTES.name(), maxRequestBytes + " is out of range (expected 1k..16m)");
            check(threads >= 1 && threads <= 256, SignalingSettings.THREADS.name(), threads + " is out of range");
            check(queueCapacity >= 0, SignalingSettings.QUEUE.name(), queueCapacity + " is negative");
            check(maxConnections >= 1, SignalingSettings.MAX_CONNECTIONS.name(), maxConnections + " is below 1");
            check(requestTimeoutNs > 0, SignalingSettings.REQUEST_TIMEOUT.name(), "must be positive");
            check(idleTimeoutNs > 0, SignalingSettings.IDLE_TIMEOUT.name(), "must be positive");
            check(stopTimeoutNs >= 0, SignalingSettings.STOP_TIMEOUT.name(), "must not be negative");
            check(retryAfterNs >= 0, SignalingSettings.RETRY_AFTER.name(), "must not be negative");
            for (final String origin : corsOrigins)
            {
                check("*".equals(origin) || isOrigin(origin), SignalingSettings.CORS_ORIGIN.name(),
                    "'" + origin + "' is not * or an origin such as https://app.example.com");
            }
            concluded = true;
        }

        static List<String> parseOrigins(final String text)
        {
            final List<String> origins = new ArrayList<>();
            for (final String origin : text.split(","))
            {
                final String trimmed = origin.trim();
                if (!trimmed.isEmpty())
                {
                    origins.add(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
                }
            }
            return origins;
        }

        private static boolean isOrigin(final String origin)
        {
            // RFC 6454 7: scheme "://" host [ ":" port ], no path.
            final int scheme = origin.indexOf("://");
            return scheme > 0 && origin.indexOf('/', scheme + 3) < 0 && origin.length() > scheme + 3 &&
                Arrays.asList("http", "https").contains(origin.substring(0, scheme));
        }

        private static void check(final boolean condition, final String setting, final String message)
        {
            if (!condition)
            {
                throw new ConfigException(setting + ": " + message);
            }
        }

        private static long ceilSeconds(final long ns)
        {
            return (ns + 999_999_999L) / 1_000_000_000L;
        }
    }

    /**
     * Counts the requests the JDK server could not queue; it then closes their connection unanswered.
     */
    private static final class OverloadCountingExecutor implements Executor
    {
        private final ThreadPoolExecutor delegate;
        private final SignalingCounters counters;

        OverloadCountingExecutor(final ThreadPoolExecutor delegate, final SignalingCounters counters)
        {
            this.delegate = delegate;
            this.counters = counters;
        }

        @Override
        public void execute(final Runnable task)
        {
            try
            {
                delegate.execute(task);
            }
            catch (final RejectedExecutionException ex)
            {
                counters.overloadDrop();
                throw ex;
            }
        }
    }

    /**
     * Daemon threads named signaling-http-N, so a forgotten server never keeps the JVM alive.
     */
    private static final class HttpThreadFactory implements ThreadFactory
    {
        private static final AtomicInteger SERVERS = new AtomicInteger();
        private final int server = SERVERS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(final Runnable runnable)
        {
            final Thread thread = new Thread(runnable, "signaling-http-" + server + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
