package dev.tandem.client;

import dev.tandem.backend.BackendCounters;
import dev.tandem.backend.TransceiverAdapter;
import dev.tandem.backend.TransceiverHandler;
import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.common.StreamIds;
import dev.tandem.config.Config;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.sbe.CloseReason;
import dev.tandem.sbe.Codec;
import dev.tandem.signaling.Json;
import dev.tandem.transceiver.Transceiver;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The realtime calls API's {@code session} part reaches the backend: a call posted as {@code multipart/form-data}
 * with a session configuration connects through a real relay and transceiver, and a backend on the shard's
 * to-backend stream gets SessionOpened and then the configuration as a {@code session.config} event. A session part
 * that is not a JSON object is refused with 400 before any session exists.
 */
class SessionConfigSystemTest
{
    private static final long TIMEOUT_S = 15;

    @Test
    void theSessionPartReachesTheBackendAfterSessionOpened() throws Exception
    {
        final ErrorHandler errors = (ex) -> Log.error("session-config-test", "agent error", ex);
        final String directory = AeronSupport.uniqueDirectory("session-config-test");
        MediaDriver driver = null;
        Aeron aeron = null;
        Relay relay = null;
        Transceiver transceiver = null;
        WebRtcClient client = null;
        BackendCounters backendCounters = null;
        try
        {
            driver = AeronSupport.launchEmbeddedDriver(directory, ThreadingMode.SHARED, IdleMode.BACKOFF, errors);
            aeron = AeronSupport.connect(directory, errors, "session-config-test");
            final RouteKeyRing keys = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);
            relay = Relay.launch(new RelayContext()
                .relayId(0)
                .workers(1)
                .listen(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
                .aeron(aeron)
                .keyRing(keys));
            transceiver = Transceiver.launch(Config.parse(Transceiver.settings(), new String[]{
                "--candidates", "127.0.0.1:" + relay.localAddress(0).getPort(),
                "--listen", "127.0.0.1:0",
                "--transceiver.relays", "0:1" }, Map.of()),
                new Transceiver.Hooks().aeron(aeron).keyRing(keys));
            backendCounters = BackendCounters.allocate(aeron, "side=\"test-backend\"");
            final Recorder recorder = new Recorder();
            final TransceiverAdapter backend = new TransceiverAdapter(
                aeron.addSubscription("aeron:ipc", StreamIds.toBackend(0)), recorder, 16, backendCounters);
            final String baseUri = "http://127.0.0.1:" + transceiver.httpAddress().getPort();

            // refused before any session exists: not JSON, and JSON that is not an object
            final int sessionsBefore = transceiver.sessions().activeSessions();
            assertEquals(400, postMultipart(baseUri, "{\"model\": ").statusCode());
            final HttpResponse<String> notObject = postMultipart(baseUri, "[1, 2]");
            assertEquals(400, notObject.statusCode());
            assertEquals("bad_session", Json.at(Json.parse(notObject.body()), "error.reason"));
            final HttpResponse<String> deep = postMultipart(baseUri, "{\"a\":" + "[".repeat(20_000));
            assertEquals(400, deep.statusCode(), "hostile nesting is refused, the server thread survives");
            assertEquals("bad_session", Json.at(Json.parse(deep.body()), "error.reason"));
            final HttpResponse<String> large = postMultipart(baseUri, "{\"a\":\"" + "x".repeat(40_000) + "\"}");
            assertEquals(413, large.statusCode());
            assertEquals("session_too_large", Json.at(Json.parse(large.body()), "error.reason"));
            assertEquals(sessionsBefore, transceiver.sessions().activeSessions());

            client = WebRtcClient.start(new WebRtcClient.Context().name("session-config-client"));
            final String session =
                "{\"type\":\"realtime\",\"model\":\"gpt-test\",\"instructions\":\"Be \\\"brief\\\".\"}";
            final ClientCall call = client.call(new CallOptions()
                .baseUri(baseUri)
                .session(session)
                .frames(5)
                .drainTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200))).get(TIMEOUT_S, TimeUnit.SECONDS);
            assertTrue(call.awaitConnected(Duration.ofSeconds(TIMEOUT_S)), call.toString());

            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (recorder.events.isEmpty() && System.nanoTime() < deadlineNs)
            {
                if (backend.poll() == 0)
                {
                    Thread.sleep(1);
                }
            }
            assertEquals(List.of("opened", "event"), recorder.order.subList(0, Math.min(2, recorder.order.size())),
                recorder.order::toString);
            assertEquals(1, recorder.events.size());
            final Object event = Json.parse(recorder.events.get(0));
            assertEquals("session.config", Json.at(event, "type"));
            assertEquals(call.stats().callId(), Json.at(event, "call_id"));
            assertEquals(Json.parse(session), Json.at(event, "session"), "the session part as the client sent it");
            assertEquals(recorder.openedSessionId, recorder.eventSessionId);

            call.hangup().get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        finally
        {
            CloseHelper.quietCloseAll(client, transceiver, relay, backendCounters, aeron, driver);
        }
    }

    private static HttpResponse<String> postMultipart(final String baseUri, final String session) throws Exception
    {
        final String boundary = "b0undary";
        final String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"sdp\"\r\n\r\n" +
            "v=0\r\n\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"session\"\r\n\r\n" + session +
            "\r\n--" + boundary + "--\r\n";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUri + "/v1/realtime/calls"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static final class Recorder implements TransceiverHandler
    {
        final List<String> order = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        long openedSessionId;
        long eventSessionId;

        @Override
        public void onSessionOpened(
            final long sessionId, final long timeNs, final Codec codec, final int payloadType, final int clockRate,
            final int channels, final int frameDurationUs, final DirectBuffer clientInfo, final int offset,
            final int length)
        {
            order.add("opened");
            openedSessionId = sessionId;
        }

        @Override
        public void onAudioFrame(
            final long sessionId, final long sequence, final long rtpTimestamp, final long timeNs,
            final int frameDurationUs, final DirectBuffer buffer, final int offset, final int length)
        {
        }

        @Override
        public void onSessionClosed(final long sessionId, final long timeNs, final CloseReason reason)
        {
            order.add("closed");
        }

        @Override
        public void onEvent(
            final long sessionId, final long timeNs, final DirectBuffer buffer, final int offset, final int length)
        {
            order.add("event");
            eventSessionId = sessionId;
            events.add(buffer.getStringWithoutLengthUtf8(offset, length));
        }
    }
}
