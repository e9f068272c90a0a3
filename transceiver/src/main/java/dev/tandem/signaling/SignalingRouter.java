package dev.tandem.signaling;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tandem.common.Log;
import dev.tandem.sdp.SdpException;
import dev.tandem.sdp.SdpOffer;
import dev.tandem.sdp.SdpParser;
import dev.tandem.sdp.SdpRejectReason;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes every request of the signaling server, so that every answer, 404 and 405 included, has the same JSON
 * error shape, CORS headers and counting. Runs on the HTTP threads.
 */
final class SignalingRouter implements HttpHandler
{
    static final String REALTIME_CALLS = CallRequest.Route.REALTIME.path();
    static final String WHIP = CallRequest.Route.WHIP.path();
    static final String HEALTHZ = "/healthz";
    static final String READYZ = "/readyz";
    /** Largest {@code session} part of a realtime call (it travels to the backend in one message). */
    static final int MAX_SESSION_BYTES = 32 * 1024;
    static final String METRICS = "/metrics";
    static final String ADMIN_DRAIN = "/admin/drain";

    static final String APPLICATION_SDP = "application/sdp";
    static final String MULTIPART_FORM_DATA = "multipart/form-data";
    static final String APPLICATION_JSON = "application/json";
    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final String CREATE_ALLOW = "POST, OPTIONS";
    private static final String REALTIME_RESOURCE_ALLOW = "DELETE, OPTIONS";
    private static final String WHIP_RESOURCE_ALLOW = "DELETE, PATCH, OPTIONS";
    private static final String READ_ALLOW = "GET, HEAD, OPTIONS";
    private static final String CORS_ALLOW_HEADERS = "Content-Type, Authorization, If-Match";
    private static final String CORS_EXPOSE_HEADERS = "Location, ETag, Link, Retry-After, Accept-Post";
    private static final byte[] EMPTY = new byte[0];
    private static final String COMPONENT = "signaling";

    private final CallHandler handler;
    private final SignalingCounters counters;
    private final Map<String, StaticResource> statics;
    private final int maxRequestBytes;
    private final List<String> corsOrigins;
    private final int retryAfterSeconds;
    private final boolean renderCounters;
    private final byte[] adminAuthorization;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    SignalingRouter(
        final SignalingServer.Context context,
        final CallHandler handler,
        final SignalingCounters counters,
        final Map<String, StaticResource> statics)
    {
        this.handler = handler;
        this.counters = counters;
        this.statics = Map.copyOf(statics);
        this.maxRequestBytes = context.maxRequestBytes();
        this.corsOrigins = context.corsOrigins();
        this.retryAfterSeconds = context.retryAfterSeconds();
        this.renderCounters = context.renderCounters();
        this.adminAuthorization = context.adminToken().isEmpty() ? null : bytes("Bearer " + context.adminToken());
    }

    /**
     * From now on refuse new calls (503), while requests in progress and DELETEs still complete.
     */
    void beginStop()
    {
        stopping = true;
    }

    /**
     * @return requests being handled right now.
     */
    int inFlight()
    {
        return inFlight.get();
    }

    static boolean isApiPath(final String path)
    {
        return path.equals(REALTIME_CALLS) || path.startsWith(REALTIME_CALLS + "/") || path.equals(WHIP) ||
            path.startsWith(WHIP + "/") || path.equals(HEALTHZ) || path.equals(READYZ) || path.equals(METRICS) ||
            path.startsWith("/admin/");
    }

    @Override
    public void handle(final HttpExchange exchange)
    {
        final String rawPath = exchange.getRequestURI().getRawPath();
        final String path = rawPath == null ? "" : rawPath; // an opaque URI such as mailto:x has no path
        final String method = exchange.getRequestMethod();
        SignalingCounters.Route route = SignalingCounters.Route.UNKNOWN;
        inFlight.incrementAndGet();
        try
        {
            if (REALTIME_CALLS.equals(path))
            {
                route = SignalingCounters.Route.REALTIME_CREATE;
                if (!preflight(exchange, method, CREATE_ALLOW, null))
                {
                    requireMethod(method, "POST", CREATE_ALLOW);
                    createCall(exchange, CallRequest.Route.REALTIME);
                }
            }
            else if (WHIP.equals(path))
            {
                route = SignalingCounters.Route.WHIP_CREATE;
                if (!preflight(exchange, method, CREATE_ALLOW, APPLICATION_SDP))
                {
                    requireMethod(method, "POST", CREATE_ALLOW);
                    createCall(exchange, CallRequest.Route.WHIP);
                }
            }
            else if (path.startsWith(REALTIME_CALLS + "/"))
            {
                route = SignalingCounters.Route.REALTIME_DELETE;
                final String callId = callId(path, REALTIME_CALLS);
                if (!preflight(exchange, method, REALTIME_RESOURCE_ALLOW, null))
                {
                    requireMethod(method, "DELETE", REALTIME_RESOURCE_ALLOW);
                    endCall(exchange, route, callId);
                }
            }
            else if (path.startsWith(WHIP + "/"))
            {
                route = SignalingCounters.Route.WHIP_RESOURCE;
                final String callId = callId(path, WHIP);
                if (!preflight(exchange, method, WHIP_RESOURCE_ALLOW, null))
                {
                    if ("PATCH".equals(method))
                    {
                        // RFC 9725 4.3.1: a WHIP session that supports the PATCH method for no purpose (neither
                        // trickle ICE nor ICE restarts) answers 501. Ours is ICE-lite with every candidate in the
                        // answer, so there is nothing to trickle.
                        throw HttpProblem.of(501, "not_implemented",
                            "trickle ICE and ICE restarts are not supported: the answer carries every candidate");
                    }
                    requireMethod(method, "DELETE", WHIP_RESOURCE_ALLOW);
                    endCall(exchange, route, callId);
                }
            }
            else if (HEALTHZ.equals(path))
            {
                route = SignalingCounters.Route.HEALTHZ;
                if (!preflight(exchange, method, READ_ALLOW, null))
                {
                    requireRead(method);
                    send(exchange, route, 200, TEXT_PLAIN, bytes("ok\n"));
                }
            }
            else if (READYZ.equals(path))
            {
                route = SignalingCounters.Route.READYZ;
                if (!preflight(exchange, method, READ_ALLOW, null))
                {
                    requireRead(method);
                    if (handler.isReady())
                    {
                        send(exchange, route, 200, TEXT_PLAIN, bytes("ready\n"));
                    }
                    else
                    {
                        exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
                        send(exchange, route, 503, TEXT_PLAIN, bytes("draining\n"));
                    }
                }
            }
            else if (METRICS.equals(path))
            {
                route = SignalingCounters.Route.METRICS;
                if (!preflight(exchange, method, READ_ALLOW, null))
                {
                    requireRead(method);
                    final StringBuilder out = new StringBuilder(4096);
                    if (renderCounters)
                    {
                        counters.renderPrometheus(out);
                    }
                    handler.renderMetrics(out);
                    send(exchange, route, 200, PROMETHEUS_TEXT, bytes(out.toString()));
                }
            }
            else if (ADMIN_DRAIN.equals(path))
            {
                route = SignalingCounters.Route.ADMIN;
                if (!preflight(exchange, method, CREATE_ALLOW, null))
                {
                    requireMethod(method, "POST", CREATE_ALLOW);
                    requireAdmin(exchange);
                    final String result = handler.drain();
                    if (result == null)
                    {
                        throw HttpProblem.of(501, "not_implemented", "this server cannot drain");
                    }
                    send(exchange, route, 202, APPLICATION_JSON, bytes(result));
                }
            }
            else if (statics.containsKey(path))
            {
                route = SignalingCounters.Route.STATIC;
                if (!preflight(exchange, method, READ_ALLOW, null))
                {
                    requireRead(method);
                    final StaticResource resource = statics.get(path);
                    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
                    send(exchange, route, 200, resource.contentType, resource.body);
                }
            }
            else
            {
                throw HttpProblem.of(404, "not_found", "no such resource: " + excerpt(path));
            }
        }
        catch (final HttpProblem problem)
        {
            sendProblem(exchange, route, problem);
        }
        catch (final IOException ex)
        {
            // The client went away or timed out mid-request: nothing to answer.
            Log.debug(COMPONENT, method + " " + excerpt(path) + ": " + ex);
        }
        catch (final RuntimeException ex)
        {
            Log.error(COMPONENT, method + " " + excerpt(path) + " failed", ex);
            sendProblem(exchange, route, HttpProblem.of(500, "internal_error", "internal error"));
        }
        finally
        {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    private void createCall(final HttpExchange exchange, final CallRequest.Route callRoute)
        throws HttpProblem, IOException
    {
        final SignalingCounters.Route route = callRoute == CallRequest.Route.WHIP ?
            SignalingCounters.Route.WHIP_CREATE : SignalingCounters.Route.REALTIME_CREATE;
        try
        {
            if (stopping || !handler.isReady())
            {
                throw new HttpProblem(503, "draining", "this transceiver is " + (stopping ? "stopping" : "draining") +
                    "; try again elsewhere", retryAfterSeconds, null, true);
            }
            final Headers headers = exchange.getRequestHeaders();
            final String contentType = headers.getFirst("Content-Type");
            final String mediaType = MultipartFormData.mediaType(contentType);
            final boolean multipart = MULTIPART_FORM_DATA.equals(mediaType) && callRoute == CallRequest.Route.REALTIME;
            if (!APPLICATION_SDP.equals(mediaType) && !multipart)
            {
                // RFC 9725 4.2 (WHIP) and RFC 9110 15.5.16: 415 for a body we do not take.
                exchange.getResponseHeaders().set("Accept-Post", callRoute == CallRequest.Route.WHIP ?
                    APPLICATION_SDP : APPLICATION_SDP + ", " + MULTIPART_FORM_DATA);
                throw new HttpProblem(415, "unsupported_media_type", "expected Content-Type " +
                    (callRoute == CallRequest.Route.WHIP ? APPLICATION_SDP :
                    APPLICATION_SDP + " or " + MULTIPART_FORM_DATA) + ", got " +
                    (contentType == null ? "none" : "'" + excerpt(contentType) + "'"), 0, null, true);
            }
            String boundary = null;
            if (multipart)
            {
                boundary = MultipartFormData.parameter(contentType, "boundary");
                if (!MultipartFormData.isValidBoundary(boundary))
                {
                    throw new HttpProblem(400, "bad_multipart",
                        "multipart/form-data needs a boundary parameter of 1-70 characters", 0, null, true);
                }
            }

            final byte[] body = readBody(exchange);
            int sdpOffset = 0;
            int sdpLength = body.length;
            String sessionJson = null;
            if (multipart)
            {
                final List<MultipartFormData.Part> parts = MultipartFormData.parse(body, body.length, boundary);
                final MultipartFormData.Part sdp = MultipartFormData.find(parts, "sdp");
                if (sdp == null)
                {
                    throw HttpProblem.of(400, "bad_multipart", "multipart/form-data has no 'sdp' part");
                }
                sdpOffset = sdp.offset;
                sdpLength = sdp.length;
                final MultipartFormData.Part session = MultipartFormData.find(parts, "session");
                if (session != null)
                {
                    sessionJson = sessionConfiguration(body, session);
                }
            }

            final SdpOffer offer;
            try
            {
                offer = SdpParser.parseOffer(body, sdpOffset, sdpLength, maxRequestBytes);
            }
            catch (final SdpException ex)
            {
                final int status = ex.reason() == SdpRejectReason.TOO_LARGE ? 413 : 400;
                throw HttpProblem.of(status, ex.reason().code(), ex.getMessage());
            }

            final CallRequest request = new CallRequest(
                exchange.getRemoteAddress(), headers.getFirst("User-Agent"), sessionJson, callRoute);
            final CallAnswer answer;
            try
            {
                answer = handler.createCall(offer, request);
            }
            catch (final CallRejectedException ex)
            {
                throw new HttpProblem(
                    ex.status(), ex.reason(), ex.getMessage(), ex.retryAfterSeconds(), null, false);
            }
            if (answer == null)
            {
                throw new IllegalStateException("CallHandler.createCall returned null");
            }
            counters.callCreated();
            exchange.getResponseHeaders().set("Location", callRoute.resourcePath(answer.callId()));
            send(exchange, route, 201, APPLICATION_SDP, bytes(answer.sdp()));
        }
        catch (final HttpProblem problem)
        {
            counters.rejected(problem.reason);
            throw problem;
        }
    }

    private void endCall(final HttpExchange exchange, final SignalingCounters.Route route, final String callId)
        throws HttpProblem, IOException
    {
        if (callId == null || !handler.endCall(callId))
        {
            throw HttpProblem.of(404, "unknown_call", "no such call");
        }
        send(exchange, route, 200, null, EMPTY);
    }

    private byte[] readBody(final HttpExchange exchange) throws HttpProblem, IOException
    {
        final String contentLength = exchange.getRequestHeaders().getFirst("Content-Length");
        if (contentLength != null)
        {
            final long declared;
            try
            {
                declared = Long.parseLong(contentLength.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new HttpProblem(400, "bad_request", "bad Content-Length", 0, null, true);
            }
            if (declared > maxRequestBytes)
            {
                throw tooLarge(declared);
            }
        }
        // Chunked bodies have no declared length: read one byte past the limit to notice an oversize one.
        final InputStream in = exchange.getRequestBody();
        final byte[] body = in.readNBytes(maxRequestBytes + 1);
        if (body.length > maxRequestBytes)
        {
            throw tooLarge(-1);
        }
        return body;
    }

    private HttpProblem tooLarge(final long declared)
    {
        // Close the connection: the rest of the body is not read, so the connection cannot carry another request.
        return new HttpProblem(413, SdpRejectReason.TOO_LARGE.code(), "the request body is " +
            (declared >= 0 ? declared + " bytes" : "larger than the limit") + "; the limit is " + maxRequestBytes +
            " bytes", 0, null, true);
    }

    private boolean preflight(
        final HttpExchange exchange, final String method, final String allow, final String acceptPost)
        throws IOException
    {
        if (!"OPTIONS".equals(method))
        {
            return false;
        }
        final Headers response = exchange.getResponseHeaders();
        response.set("Allow", allow);
        if (acceptPost != null)
        {
            // RFC 9725 4.2 / W3C LDP: which bodies POST takes.
            response.set("Accept-Post", acceptPost);
        }
        final String origin = allowedOrigin(exchange);
        if (origin != null && exchange.getRequestHeaders().getFirst("Access-Control-Request-Method") != null)
        {
            // Fetch standard, CORS preflight: say which methods and headers the actual request may use.
            response.set("Access-Control-Allow-Methods", allow);
            response.set("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
            response.set("Access-Control-Max-Age", "600");
        }
        send(exchange, SignalingCounters.Route.OPTIONS, 204, null, EMPTY);
        return true;
    }

    private String allowedOrigin(final HttpExchange exchange)
    {
        if (corsOrigins.isEmpty())
        {
            return null;
        }
        final String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null)
        {
            return null;
        }
        if (corsOrigins.contains("*"))
        {
            return "*";
        }
        return corsOrigins.contains(origin) ? origin : null;
    }

    private void send(
        final HttpExchange exchange,
        final SignalingCounters.Route route,
        final int status,
        final String contentType,
        final byte[] body) throws IOException
    {
        final Headers response = exchange.getResponseHeaders();
        if (contentType != null)
        {
            response.set("Content-Type", contentType);
        }
        response.set("X-Content-Type-Options", "nosniff");
        if (!response.containsKey("Cache-Control"))
        {
            response.set("Cache-Control", "no-store");
        }
        final String origin = allowedOrigin(exchange);
        if (origin != null)
        {
            response.set("Access-Control-Allow-Origin", origin);
            response.set("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
            if (!"*".equals(origin))
            {
                response.add("Vary", "Origin");
            }
        }
        counters.request(route, status);
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        if (body.length == 0 || head || status == 204)
        {
            exchange.sendResponseHeaders(status, -1);
        }
        else
        {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    private void sendProblem(
        final HttpExchange exchange, final SignalingCounters.Route route, final HttpProblem problem)
    {
        try
        {
            final Headers response = exchange.getResponseHeaders();
            if (problem.allow != null)
            {
                response.set("Allow", problem.allow);
            }
            if (problem.retryAfterSeconds > 0)
            {
                response.set("Retry-After", Integer.toString(problem.retryAfterSeconds));
            }
            if (problem.closeConnection)
            {
                response.set("Connection", "close");
            }
            send(exchange, route, problem.status, APPLICATION_JSON,
                bytes(Json.error(problem.status, problem.reason, problem.getMessage())));
        }
        catch (final IOException | RuntimeException ex)
        {
            // Headers already sent, or the client is gone: nothing more to say.
            Log.debug(COMPONENT, "could not send " + problem.status + ": " + ex);
        }
    }

    private static void requireMethod(final String method, final String expected, final String allow)
        throws HttpProblem
    {
        if (!expected.equals(method))
        {
            throw methodNotAllowed(method, allow);
        }
    }

    private void requireAdmin(final HttpExchange exchange) throws HttpProblem
    {
        if (adminAuthorization == null)
        {
            throw HttpProblem.of(404, "not_found", "the admin API is off (set signaling.admin.token)");
        }
        final String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null || !java.security.MessageDigest.isEqual(bytes(given), adminAuthorization))
        {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tandem-admin\"");
            throw HttpProblem.of(401, "unauthorized", "admin requests need Authorization: Bearer <token>");
        }
    }

    private static void requireRead(final String method) throws HttpProblem
    {
        if (!"GET".equals(method) && !"HEAD".equals(method))
        {
            throw methodNotAllowed(method, READ_ALLOW);
        }
    }

    private static HttpProblem methodNotAllowed(final String method, final String allow)
    {
        // RFC 9110 15.5.6: a 405 carries Allow.
        return new HttpProblem(405, "method_not_allowed", excerpt(method) + " is not allowed here; allowed: " + allow,
            0, allow, false);
    }

    private static String callId(final String path, final String prefix)
    {
        final String callId = path.substring(prefix.length() + 1);
        return CallAnswer.isValidCallId(callId) ? callId : null;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String excerpt(final String text)
    {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /**
     * The {@code session} part of a realtime call: a JSON object the backend receives as it is.
     */
    private static String sessionConfiguration(final byte[] body, final MultipartFormData.Part session)
        throws HttpProblem
    {
        if (session.length > MAX_SESSION_BYTES)
        {
            throw HttpProblem.of(413, "session_too_large",
                "the 'session' part has " + session.length + " bytes; at most " + MAX_SESSION_BYTES + " are accepted");
        }
        final String json = new String(body, session.offset, session.length, StandardCharsets.UTF_8);
        final Object parsed;
        try
        {
            parsed = Json.parse(json);
        }
        catch (final IllegalArgumentException ex)
        {
            throw HttpProblem.of(400, "bad_session", "the 'session' part is not JSON: " + ex.getMessage());
        }
        if (!(parsed instanceof Map))
        {
            throw HttpProblem.of(400, "bad_session", "the 'session' part must be a JSON object");
        }
        return json.strip();
    }
}
