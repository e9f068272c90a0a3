package dev.tandem.signaling;

import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The settings of the signaling server, for commands that run one ({@code bin/tandem transceiver}, {@code demo}).
 * Read them into a server with {@link SignalingServer.Context#fromConfig}.
 */
public final class SignalingSettings
{
    /** Where the HTTP server listens. */
    public static final Setting<InetSocketAddress> LISTEN = Settings.socketAddress(
        "signaling.listen", "listen", "0.0.0.0:8080", "HTTP address for signaling (port 0: any free port)");
    /** Largest request body. */
    public static final Setting<Long> MAX_REQUEST_BYTES = Settings.sizeBytes(
        "signaling.max-request-bytes", null, "64k", "largest request body (an SDP offer, or the multipart around it)");
    /** HTTP threads. */
    public static final Setting<Integer> THREADS = Settings.integer(
        "signaling.threads", null, "4", 1, 256, "HTTP threads (each request runs on one, off the media threads)");
    /** Requests waiting for a thread. */
    public static final Setting<Integer> QUEUE = Settings.integer(
        "signaling.queue", null, "64", 0, 100_000,
        "requests that may wait for an HTTP thread; beyond that connections are closed unanswered");
    /** Open connections. */
    public static final Setting<Integer> MAX_CONNECTIONS = Settings.integer(
        "signaling.max-connections", null, "1024", 1, 1_000_000, "most open HTTP connections (JVM-wide)");
    /** Time to receive a request and to send its response. */
    public static final Setting<Long> REQUEST_TIMEOUT = Settings.durationNs(
        "signaling.request-timeout", null, "10s",
        "time allowed to receive a request, and again to answer it; slower clients are cut off (JVM-wide, whole s)");
    /** Keep-alive idle time. */
    public static final Setting<Long> IDLE_TIMEOUT = Settings.durationNs(
        "signaling.idle-timeout", null, "30s", "how long an idle keep-alive connection stays open (JVM-wide)");
    /** CORS origins. */
    public static final Setting<String> CORS_ORIGIN = Settings.string(
        "signaling.cors.origin", null, "",
        "origins allowed to call the API from a browser page elsewhere: comma-separated, * for any, empty for none");
    /** Graceful stop time. */
    public static final Setting<Long> STOP_TIMEOUT = Settings.durationNs(
        "signaling.stop-timeout", null, "2s", "how long stopping waits for requests in progress");
    /** Retry-After while draining. */
    public static final Setting<Long> RETRY_AFTER = Settings.durationNs(
        "signaling.retry-after", null, "5s", "Retry-After of the 503 answered while draining");

    /** Bearer token of the admin API. */
    public static final Setting<String> ADMIN_TOKEN = Settings.secret(
        "signaling.admin.token", null, "",
        "bearer token for POST /admin/drain (Authorization: Bearer TOKEN); empty turns the admin API off");

    /** Every signaling setting, for a command's settings list and --help. */
    public static final List<Setting<?>> ALL = List.of(
        LISTEN, MAX_REQUEST_BYTES, THREADS, QUEUE, MAX_CONNECTIONS, REQUEST_TIMEOUT, IDLE_TIMEOUT, CORS_ORIGIN,
        STOP_TIMEOUT, RETRY_AFTER, ADMIN_TOKEN);

    private SignalingSettings()
    {
    }
}
