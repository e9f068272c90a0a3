package dev.tandem.signaling;

import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import dev.tandem.sdp.SdpFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalingServerTest
{
    private static final String CHROMIUM = "chromium-156-audio-datachannel.sdp";
    private static final String USER_AGENT = "tandem-test/1.0";

    private final TestCallHandler handler = new TestCallHandler();
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private SignalingServer server;

    /**
     * @return the settings every signaling test uses. The JDK server's time limits are JVM-wide and set by the first
     * server a JVM starts, so all tests agree on them: 2 s to receive a request.
     */
    static SignalingServer.Context testContext()
    {
        return new SignalingServer.Context()
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .threads(2)
            .queueCapacity(4)
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .idleTimeoutNs(TimeUnit.SECONDS.toNanos(30))
            .stopTimeoutNs(0)
            .retryAfterNs(TimeUnit.SECONDS.toNanos(5))
            .staticResource("/", "signaling-test/index.html");
    }

    @BeforeEach
    void start()
    {
        server = SignalingServer.start(testContext(), handler);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void createsCallFromSdpBodyWithLocationAndAnswer() throws Exception
    {
        final HttpResponse<String> response = postOffer("/v1/realtime/calls", SdpFixtures.text(CHROMIUM));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals("application/sdp", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("/v1/realtime/calls/call-1", response.headers().firstValue("Location").orElseThrow());
        assertEquals(handler.lastAnswer.get(), response.body());
        assertTrue(response.body().contains("\r\na=ice-lite\r\n"));
        assertTrue(handler.calls.containsKey("call-1"));

        final CallRequest request = handler.lastRequest.get();
        assertEquals(CallRequest.Route.REALTIME, request.route());
        assertEquals(USER_AGENT, request.userAgent());
        assertTrue(request.remoteAddress().getAddress().isLoopbackAddress());
        assertNull(request.sessionJson());
        assertEquals("SNJH", handler.calls.get("call-1").iceUfrag());
        assertEquals(1, server.counters().requests(SignalingCounters.Route.REALTIME_CREATE, 201));
        assertEquals(1, server.counters().callsCreated());
    }

    @Test
    void createsCallFromMultipartWithSdpAndSessionParts() throws Exception
    {
        final String session = "{\"type\":\"realtime\",\"model\":\"gpt-realtime\",\"audio\":{\"output\":{\"voice\":" +
            "\"marin\"}},\"note\":\"a \\\"quoted\\\" value\\r\\n--not-a-boundary\"}";
        final String boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        final byte[] body = multipart(boundary,
            "Content-Disposition: form-data; name=\"sdp\"\r\n", SdpFixtures.text(CHROMIUM),
            "Content-Disposition: form-data; name=\"session\"\r\n", session);

        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/v1/realtime/calls"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(201, response.statusCode(), response.body());
        assertEquals("application/sdp", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(handler.lastAnswer.get(), response.body());
        assertEquals(session, handler.lastRequest.get().sessionJson());
        assertEquals("SNJH", handler.calls.values().iterator().next().iceUfrag());
    }

    @Test
    void multipartPartOrderAndQuotedBoundaryAndPartContentTypeAreAccepted() throws Exception
    {
        // RFC 2046 5.1.1 allows ':', '=', '?' and inner spaces in a boundary; they need quotes in the header.
        final String boundary = "b:with=odd chars?";
        final byte[] body = multipart(boundary,
            "Content-Disposition: form-data; name=\"session\"\r\nContent-Type: application/json\r\n", "{}",
            "Content-Disposition: form-data; filename=\"offer;1.sdp\"; name=sdp\r\nContent-Type: application/sdp\r\n",
            SdpFixtures.text("firefox-153-audio-datachannel.sdp"));
        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/v1/realtime/calls"))
            .header("Content-Type", "Multipart/Form-Data; charset=utf-8; boundary=\"" + boundary + "\"")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("{}", handler.lastRequest.get().sessionJson());
        assertEquals("6a2d527b", handler.calls.values().iterator().next().iceUfrag());
    }

    @Test
    void badMultipartIsRejectedWithItsReason() throws Exception
    {
        final String boundary = "xyz";
        final byte[] noSdp = multipart(boundary, "Content-Disposition: form-data; name=\"session\"\r\n", "{}");
        assertError(post("/v1/realtime/calls", "multipart/form-data; boundary=xyz", noSdp), 400, "bad_multipart");

        final byte[] unterminated = ("--xyz\r\nContent-Disposition: form-data; name=\"sdp\"\r\n\r\n" +
            SdpFixtures.text(CHROMIUM)).getBytes(StandardCharsets.UTF_8);
        assertError(post("/v1/realtime/calls", "multipart/form-data; boundary=xyz", unterminated), 400,
            "bad_multipart");

        assertError(post("/v1/realtime/calls", "multipart/form-data", noSdp), 400, "bad_multipart");
        assertEquals(3, server.counters().offersRejected("bad_multipart"));
        assertTrue(handler.calls.isEmpty());
    }

    @Test
    void deleteEndsTheCallAndThenAnswers404() throws Exception
    {
        final String location = postOffer("/v1/realtime/calls", SdpFixtures.text(CHROMIUM))
            .headers().firstValue("Location").orElseThrow();

        final HttpResponse<String> deleted = delete(location);
        assertEquals(200, deleted.statusCode());
        assertTrue(handler.calls.isEmpty());

        assertError(delete(location), 404, "unknown_call");
        assertError(delete("/v1/realtime/calls/never-created"), 404, "unknown_call");
        assertError(delete("/v1/realtime/calls/bad%20id"), 404, "unknown_call");
        assertEquals(1, server.counters().requests(SignalingCounters.Route.REALTIME_DELETE, 200));
        assertEquals(3, server.counters().requests(SignalingCounters.Route.REALTIME_DELETE, 404));
    }

    @Test
    void whipCreatesDeletesAndRefusesTrickle() throws Exception
    {
        final HttpResponse<String> created = postOffer("/whip",
            SdpFixtures.text("chromium-156-whip-sendonly-audio-video.sdp"));
        assertEquals(201, created.statusCode(), created.body());
        final String location = created.headers().firstValue("Location").orElseThrow();
        assertEquals("/whip/call-1", location);
        assertEquals(CallRequest.Route.WHIP, handler.lastRequest.get().route());
        assertTrue(created.body().contains("\r\na=recvonly\r\n"), "a sendonly WHIP offer is answered recvonly");

        // RFC 9725 4.3.1: no trickle ICE and no ICE restart -> 501 for PATCH.
        final HttpResponse<String> patch = client.send(HttpRequest.newBuilder(uri(location))
            .header("Content-Type", "application/trickle-ice-sdpfrag").header("If-Match", "*")
            .method("PATCH", HttpRequest.BodyPublishers.ofString("a=ice-ufrag:abcd\r\n")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertError(patch, 501, "not_implemented");

        final HttpResponse<String> options = client.send(HttpRequest.newBuilder(uri("/whip"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, options.statusCode());
        assertEquals("POST, OPTIONS", options.headers().firstValue("Allow").orElseThrow());
        assertEquals("application/sdp", options.headers().firstValue("Accept-Post").orElseThrow());

        assertEquals(200, delete(location).statusCode());
        assertError(delete(location), 404, "unknown_call");

        final HttpResponse<String> multipart = post("/whip", "multipart/form-data; boundary=x", new byte[10]);
        assertError(multipart, 415, "unsupported_media_type");
        assertEquals("application/sdp", multipart.headers().firstValue("Accept-Post").orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
        "reject-no-audio.sdp,              no_audio",
        "reject-no-supported-codec.sdp,    no_supported_codec",
        "reject-no-ice-credentials.sdp,    no_ice_credentials",
        "reject-no-sha256-fingerprint.sdp, no_sha256_fingerprint",
        "reject-no-rtcp-mux.sdp,           no_rtcp_mux",
        "reject-malformed-line-10.sdp,     malformed",
        "reject-setup-passive.sdp,         unsupported_setup" })
    void unanswerableOffersGet400WithTheReason(final String fixture, final String reason) throws Exception
    {
        final HttpResponse<String> response = postOffer("/v1/realtime/calls", SdpFixtures.text(fixture));
        assertError(response, 400, reason);
        assertEquals(1, server.counters().offersRejected(reason));
        assertTrue(handler.calls.isEmpty());
    }

    @Test
    void errorBodyIsTheDocumentedJson() throws Exception
    {
        final HttpResponse<String> response = postOffer("/v1/realtime/calls", SdpFixtures.text("reject-no-audio.sdp"));
        assertEquals(400, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"error\":{\"status\":400,\"reason\":\"no_audio\"," +
            "\"message\":\"the offer has no audio m-line\"}}", response.body());
    }

    @Test
    void oversizeChunkedBodyGets413() throws Exception
    {
        // Chunked, no declared length: the server stops reading one byte past the limit. (A declared oversize
        // length is answered from the headers alone: SignalingSlowClientTest.)
        final byte[] big = new byte[200 * 1024];
        final HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(uri("/v1/realtime/calls"))
            .header("Content-Type", "application/sdp")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, "too_large");
        assertEquals(1, server.counters().requests(SignalingCounters.Route.REALTIME_CREATE, 413));
        assertEquals(1, server.counters().offersRejected("too_large"));
        assertTrue(handler.calls.isEmpty());
    }

    @Test
    void wrongContentTypeGets415() throws Exception
    {
        final HttpResponse<String> json = post("/v1/realtime/calls", "application/json", "{}".getBytes());
        assertError(json, 415, "unsupported_media_type");
        assertEquals("application/sdp, multipart/form-data",
            json.headers().firstValue("Accept-Post").orElseThrow());
        final HttpResponse<String> none = client.send(HttpRequest.newBuilder(uri("/v1/realtime/calls"))
            .POST(HttpRequest.BodyPublishers.ofString(SdpFixtures.text(CHROMIUM))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertError(none, 415, "unsupported_media_type");
        assertEquals(201, post("/v1/realtime/calls", "Application/SDP; charset=utf-8",
            SdpFixtures.bytes(CHROMIUM)).statusCode());
    }

    @Test
    void unknownPathsGet404AndWrongMethods405WithAllow() throws Exception
    {
        assertError(get("/nope"), 404, "not_found");
        assertError(get("/v1/realtime"), 404, "not_found");

        final HttpResponse<String> getCalls = get("/v1/realtime/calls");
        assertError(getCalls, 405, "method_not_allowed");
        assertEquals("POST, OPTIONS", getCalls.headers().firstValue("Allow").orElseThrow());

        final HttpResponse<String> postHealth = post("/healthz", "text/plain", new byte[0]);
        assertError(postHealth, 405, "method_not_allowed");
        assertEquals("GET, HEAD, OPTIONS", postHealth.headers().firstValue("Allow").orElseThrow());

        final HttpResponse<String> putWhip = client.send(HttpRequest.newBuilder(uri("/whip/call-9"))
            .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertError(putWhip, 405, "method_not_allowed");
        assertEquals("DELETE, PATCH, OPTIONS", putWhip.headers().firstValue("Allow").orElseThrow());
        assertEquals(2, server.counters().requests(SignalingCounters.Route.UNKNOWN, 404));
    }

    @Test
    void fullHandlerGets503WithRetryAfter() throws Exception
    {
        handler.capacity.set(1);
        assertEquals(201, postOffer("/v1/realtime/calls", SdpFixtures.text(CHROMIUM)).statusCode());

        final HttpResponse<String> full = postOffer("/v1/realtime/calls", SdpFixtures.text(CHROMIUM));
        assertError(full, 503, "full");
        assertEquals("7", full.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(1, server.counters().offersRejected("full"));
    }

    @Test
    void readyzFlipsWhileDrainingAndNewCallsGet503() throws Exception
    {
        assertEquals(200, get("/healthz").statusCode());
        assertEquals("ok\n", get("/healthz").body());
        assertEquals(200, get("/readyz").statusCode());

        handler.ready.set(false);
        final HttpResponse<String> draining = get("/readyz");
        assertEquals(503, draining.statusCode());
        assertEquals("5", draining.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, get("/healthz").statusCode(), "the process still runs");

        final HttpResponse<String> post = postOffer("/v1/realtime/calls", SdpFixtures.text(CHROMIUM));
        assertError(post, 503, "draining");
        assertEquals("5", post.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(handler.calls.isEmpty());

        handler.ready.set(true);
        assertEquals(200, get("/readyz").statusCode());
        assertEquals(1, server.counters().requests(SignalingCounters.Route.READYZ, 503));
        assertEquals(2, server.counters().requests(SignalingCounters.Route.READYZ, 200));
    }

    @Test
    void metricsRenderCountersAndTheHandlersLines() throws Exception
    {
        postOffer("/v1/realtime/calls", SdpFixtures.text(CHROMIUM));
        postOffer("/v1/realtime/calls", SdpFixtures.text("reject-no-audio.sdp"));

        final HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
            metrics.headers().firstValue("Content-Type").orElseThrow());
        final List<String> lines = metrics.body().lines().toList();
        assertTrue(lines.contains("tandem_signaling_requests_total{route=\"realtime_create\",status=\"201\"} 1"),
            metrics.body());
        assertTrue(lines.contains("tandem_signaling_requests_total{route=\"realtime_create\",status=\"400\"} 1"));
        assertTrue(lines.contains("tandem_signaling_offers_rejected_total{reason=\"no_audio\"} 1"));
        assertTrue(lines.contains("tandem_signaling_offers_rejected_total{reason=\"no_rtcp_mux\"} 0"));
        assertTrue(lines.contains("tandem_signaling_calls_created_total 1"));
        assertTrue(lines.contains("# TYPE tandem_signaling_requests_total counter"));
        assertTrue(lines.contains("tandem_sessions_active 1"));
        // Every sample line is "name{labels} value" or "name value".
        for (final String line : lines)
        {
            assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[^}]*\\})? [0-9]+"), line);
        }
    }

    @Test
    void keepAliveCarriesSeveralRequestsOnOneConnection() throws Exception
    {
        final byte[] offer = SdpFixtures.bytes(CHROMIUM);
        try (RawHttp raw = new RawHttp(server.address(), 5000))
        {
            raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, raw.read().status);

            raw.send(("POST /v1/realtime/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/sdp\r\n" +
                "Content-Length: " + offer.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.send(offer);
            final RawHttp.Response created = raw.read();
            assertEquals(201, created.status);
            final String location = created.header("Location");

            raw.send("DELETE " + location + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, raw.read().status);

            // A 400 with the body read keeps the connection too.
            final byte[] bad = SdpFixtures.bytes("reject-no-rtcp-mux.sdp");
            raw.send(("POST /whip HTTP/1.1\r\nHost: x\r\nContent-Type: application/sdp\r\n" +
                "Content-Length: " + bad.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.send(bad);
            assertEquals(400, raw.read().status);

            raw.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
            final RawHttp.Response last = raw.read();
            assertEquals(200, last.status);
            assertEquals("ready\n", last.bodyText());
            assertFalse(raw.socket.isClosed());
        }
        assertEquals(1, server.counters().callsCreated());
    }

    @Test
    void headAnswersWithoutBody() throws Exception
    {
        try (RawHttp raw = new RawHttp(server.address(), 5000))
        {
            raw.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
            final RawHttp.Response head = raw.read();
            assertEquals(200, head.status);
            assertEquals("text/html; charset=utf-8", head.header("Content-Type"));
            raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok\n", raw.read().bodyText(), "no stray body bytes after the HEAD");
        }
    }

    @Test
    void servesRegisteredStaticResources() throws Exception
    {
        final HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(index.body().contains("static resource served from the classpath"));
        assertError(get("/index.html"), 404, "not_found");

        assertEquals("text/javascript; charset=utf-8", StaticResource.contentTypeOf("app.js"));
        assertEquals("text/css; charset=utf-8", StaticResource.contentTypeOf("a.CSS"));
        assertEquals("application/octet-stream", StaticResource.contentTypeOf("README"));

        final ConfigException missing = assertThrows(ConfigException.class, () -> SignalingServer.start(
            testContext().staticResource("/app.js", "signaling-test/missing.js"), handler));
        assertTrue(missing.getMessage().contains("signaling-test/missing.js"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> testContext().staticResource("/whip", "x.html"));
    }

    @Test
    void handlerFailureGets500AndServerKeepsServing() throws Exception
    {
        handler.failure.set(new IllegalStateException("boom"));
        assertError(postOffer("/v1/realtime/calls", SdpFixtures.text(CHROMIUM)), 500, "internal_error");
        handler.failure.set(null);
        assertEquals(201, postOffer("/v1/realtime/calls", SdpFixtures.text(CHROMIUM)).statusCode());
    }

    @Test
    void corsIsOffByDefault() throws Exception
    {
        final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/v1/realtime/calls"))
            .header("Origin", "https://app.example").header("Content-Type", "application/sdp")
            .POST(HttpRequest.BodyPublishers.ofString(SdpFixtures.text(CHROMIUM))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode());
        assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void corsAllowsConfiguredOriginsOnly() throws Exception
    {
        try (SignalingServer cors = SignalingServer.start(
            testContext().corsOrigins(List.of("https://app.example")), handler))
        {
            final URI calls = URI.create("http://" + SignalingServer.format(cors.address()) + "/v1/realtime/calls");
            final HttpResponse<String> preflight = client.send(HttpRequest.newBuilder(calls)
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            final Map<String, List<String>> headers = preflight.headers().map();
            assertEquals(List.of("https://app.example"), headers.get("access-control-allow-origin"));
            assertEquals(List.of("POST, OPTIONS"), headers.get("access-control-allow-methods"));
            assertEquals(List.of("Content-Type, Authorization, If-Match"), headers.get("access-control-allow-headers"));
            assertEquals(List.of("Origin"), headers.get("vary"));

            final HttpResponse<String> post = client.send(HttpRequest.newBuilder(calls)
                .header("Origin", "https://app.example").header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(SdpFixtures.text(CHROMIUM))).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(201, post.statusCode());
            assertEquals("https://app.example", post.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
            assertTrue(post.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("Location"));

            final HttpResponse<String> other = client.send(HttpRequest.newBuilder(calls)
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
            assertTrue(other.headers().firstValue("Access-Control-Allow-Methods").isEmpty());
        }
    }

    @Test
    void portZeroReportsTheBoundPortAndAPortInUseNamesTheSetting()
    {
        assertTrue(server.port() > 0);
        final ConfigException inUse = assertThrows(ConfigException.class, () -> SignalingServer.start(
            testContext().listen(server.address()), handler));
        assertTrue(inUse.getMessage().startsWith("signaling.listen: cannot listen on 127.0.0.1:" + server.port()),
            inUse.getMessage());
    }

    @Test
    void contextComesFromConfigurationAndBadValuesNameTheSetting()
    {
        final Config config = Config.parse(SignalingSettings.ALL, new String[]{
            "--listen", "127.0.0.1:0", "--signaling.threads", "3", "--signaling.max-request-bytes", "32k",
            "--signaling.cors.origin", "https://a.example, https://b.example/", "--signaling.retry-after", "9s" },
            Map.of());
        final SignalingServer.Context context = SignalingServer.Context.fromConfig(config);
        assertEquals(0, context.listen().getPort());
        assertEquals(3, context.threads());
        assertEquals(32 * 1024, context.maxRequestBytes());
        assertEquals(List.of("https://a.example", "https://b.example"), context.corsOrigins());
        assertEquals(9, context.retryAfterSeconds());

        final Config defaults = Config.parse(SignalingSettings.ALL, new String[0], Map.of());
        assertEquals(8080, SignalingServer.Context.fromConfig(defaults).listen().getPort());
        assertTrue(SignalingServer.Context.fromConfig(defaults).corsOrigins().isEmpty());

        final ConfigException badOrigin = assertThrows(ConfigException.class, () -> SignalingServer.start(
            testContext().corsOrigins(List.of("app.example")), handler));
        assertTrue(badOrigin.getMessage().startsWith("signaling.cors.origin: "), badOrigin.getMessage());
        final ConfigException tiny = assertThrows(ConfigException.class, () -> SignalingServer.Context.fromConfig(
            Config.parse(SignalingSettings.ALL, new String[]{ "--signaling.max-request-bytes", "10" }, Map.of())));
        assertTrue(tiny.getMessage().startsWith("signaling.max-request-bytes: "), tiny.getMessage());
    }

    @Test
    void closeReturnsAtOnceWhenIdle()
    {
        final SignalingServer idle = SignalingServer.start(
            testContext().stopTimeoutNs(TimeUnit.SECONDS.toNanos(2)), handler);
        final long startNs = System.nanoTime();
        idle.close();
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertTrue(tookMs < 1_000, "close() of an idle server took " + tookMs + " ms");
    }

    @Test
    void closeLetsTheRequestInProgressFinishAndRefusesNewCalls() throws Exception
    {
        final SignalingServer stopping = SignalingServer.start(
            testContext().stopTimeoutNs(TimeUnit.SECONDS.toNanos(5)), handler);
        final URI calls = URI.create("http://" + SignalingServer.format(stopping.address()) + "/v1/realtime/calls");
        final HttpRequest offer = HttpRequest.newBuilder(calls).header("Content-Type", "application/sdp")
            .POST(HttpRequest.BodyPublishers.ofString(SdpFixtures.text(CHROMIUM))).build();
        handler.gate = new CountDownLatch(1);
        final CompletableFuture<HttpResponse<String>> inProgress =
            client.sendAsync(offer, HttpResponse.BodyHandlers.ofString());
        assertTrue(handler.entered.await(5, TimeUnit.SECONDS));

        final Thread closer = new Thread(stopping::close, "closer");
        closer.start();
        Thread.sleep(200);
        assertTrue(closer.isAlive(), "close() waits for the request in progress");
        final HttpResponse<String> refused = client.send(offer, HttpResponse.BodyHandlers.ofString());
        assertError(refused, 503, "draining");
        assertEquals("5", refused.headers().firstValue("Retry-After").orElseThrow());

        handler.gate.countDown();
        assertEquals(201, inProgress.get(5, TimeUnit.SECONDS).statusCode());
        closer.join(5_000);
        assertFalse(closer.isAlive());
        assertEquals(1, handler.calls.size());
    }

    @Test
    void closeStopsListeningAndIsIdempotent() throws Exception
    {
        final SignalingServer other = SignalingServer.start(testContext(), handler);
        final InetSocketAddress address = other.address();
        other.close();
        other.close();
        assertThrows(java.io.IOException.class, () ->
        {
            try (RawHttp raw = new RawHttp(address, 1000))
            {
                raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                raw.read();
            }
        });
        assertNotNull(server.address());
    }

    private HttpResponse<String> postOffer(final String path, final String sdp) throws Exception
    {
        return post(path, "application/sdp", sdp.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(final String path, final String contentType, final byte[] body)
        throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("User-Agent", USER_AGENT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null)
        {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(uri(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path)
    {
        return URI.create("http://" + SignalingServer.format(server.address()) + path);
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String reason)
    {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().startsWith("{\"error\":{\"status\":" + status + ",\"reason\":\"" + reason + "\","),
            response.body());
    }

    static byte[] multipart(final String boundary, final String... headersAndBodies)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("preamble to ignore\r\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headersAndBodies.length; i += 2)
        {
            out.writeBytes(("--" + boundary + "\r\n" + headersAndBodies[i] + "\r\n" + headersAndBodies[i + 1] + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
