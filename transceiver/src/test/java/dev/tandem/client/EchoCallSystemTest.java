package dev.tandem.client;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.common.StreamIds;
import dev.tandem.common.TandemCounters;
import dev.tandem.config.Config;
import dev.tandem.dtls.DtlsCertificate;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.sbe.IngressEncoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import dev.tandem.srtp.SrtpProfile;
import dev.tandem.transceiver.Transceiver;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3's system test: the Java client calls through a real relay and a real transceiver, over a real (embedded)
 * media driver, with the echo backend: Opus-sized frames at 20 ms go out and come back decrypted, in order and
 * unchanged; a DELETE ends the call and frees the session. The negative cases break one step each and check that
 * the server counts it and that other calls carry on.
 */
class EchoCallSystemTest
{
    private static final long TIMEOUT_S = 15;
    private static final int FRAMES = 100;

    private static MediaDriver driver;
    private static Aeron aeron;
    private static Relay relay;
    private static Transceiver transceiver;
    private static WebRtcClient client;
    private static String baseUri;

    @BeforeAll
    static void start()
    {
        final ErrorHandler errors = (ex) -> Log.error("system-test", "agent error", ex);
        final String directory = AeronSupport.uniqueDirectory("client-system-test");
        driver = AeronSupport.launchEmbeddedDriver(directory, ThreadingMode.SHARED, IdleMode.BACKOFF, errors);
        aeron = AeronSupport.connect(directory, errors, "client-system-test");
        final RouteKeyRing keys = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);
        relay = Relay.launch(new RelayContext()
            .relayId(0)
            .workers(1)
            .listen(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
            .aeron(aeron)
            .keyRing(keys));
        final int relayPort = relay.localAddress(0).getPort();
        transceiver = Transceiver.launch(Config.parse(Transceiver.settings(), new String[]{
            "--echo", "true",
            "--candidates", "127.0.0.1:" + relayPort,
            "--listen", "127.0.0.1:0",
            "--signaling.request-timeout", TimeUnit.NANOSECONDS.toMillis(EchoPeer.JVM_HTTP_REQUEST_TIMEOUT_NS) + "ms",
            "--transceiver.relays", "0:1" }, Map.of()),
            new Transceiver.Hooks().aeron(aeron).keyRing(keys));
        baseUri = "http://127.0.0.1:" + transceiver.httpAddress().getPort();
        client = WebRtcClient.start(new WebRtcClient.Context().name("system-test-client"));
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.quietCloseAll(client, transceiver, relay, aeron, driver);
    }

    @Test
    void concurrentCallsGetEveryFrameBackDecryptedInOrderAndDeleteFreesTheSessions() throws Exception
    {
        final int calls = 3;
        final long notConnectedBefore = counter("tandem_transceiver_drops_total", "reason=\"not_connected\"");
        final Map<Long, List<byte[]>> received = new ConcurrentHashMap<>();
        final FrameListener keepPayloads = (call, counter, rttNs, valid, buffer, offset, length) ->
            received.computeIfAbsent(call.ssrc(), (ssrc) -> new ArrayList<>())
                .add(Arrays.copyOfRange(buffer, offset, offset + length));
        final List<CompletableFuture<ClientCall>> answered = new ArrayList<>();
        for (int i = 0; i < calls; i++)
        {
            answered.add(client.call(options().frames(FRAMES).frameListener(keepPayloads)
                .signaling(i == 2 ? CallOptions.Signaling.WHIP : CallOptions.Signaling.REALTIME)));
        }
        final Histogram setupUs = new Histogram(3);
        final Histogram rttUs = new Histogram(3);
        final List<ClientCall> connected = new ArrayList<>();
        for (final CompletableFuture<ClientCall> future : answered)
        {
            final ClientCall call = future.get(TIMEOUT_S, TimeUnit.SECONDS);
            assertTrue(call.awaitConnected(Duration.ofSeconds(TIMEOUT_S)), call.toString());
            connected.add(call);
        }
        assertEquals(calls, transceiver.sessions().activeSessions());
        for (final ClientCall call : connected)
        {
            final CallStats media = call.mediaDone().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertEquals(FRAMES, media.framesSent(), media.toString());
            assertEquals(FRAMES, media.framesReceived(), media.toString());
            assertEquals(FRAMES, media.framesUnique(), media.toString());
            assertTrue(media.inOrder(), media.toString());
            assertEquals(0, media.srtpRefused(), media.toString());
            assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80.name(), media.srtpProfile());
            final List<byte[]> payloads = received.get(call.ssrc());
            assertEquals(FRAMES, payloads.size());
            final byte[] expected = new byte[CallOptions.FRAME_BYTES_DEFAULT];
            for (int counter = 0; counter < FRAMES; counter++)
            {
                final byte[] payload = payloads.get(counter);
                assertEquals(counter, FramePayload.counter(payload, 0), "frames come back in order");
                FramePayload.write(expected, 0, expected.length, FramePayload.sendNs(payload, 0), counter,
                    call.ssrc());
                assertArrayEquals(expected, payload, "frame " + counter + " comes back as it was sent");
            }
            setupUs.recordValue(media.sinceOfferNs(CallStage.DTLS_CONNECTED) / 1000);
            System.out.printf("call %s: answer %.1f ms, ICE %.1f ms (%d checks), DTLS %.1f ms, first echo %.1f ms; " +
                "RTT min %d us p50 %d us max %d us%n", media.callId(),
                ms(media.sinceOfferNs(CallStage.ANSWER_RECEIVED)), ms(media.sinceOfferNs(CallStage.ICE_CONNECTED)),
                media.iceChecksSent(),
                ms(media.sinceOfferNs(CallStage.DTLS_CONNECTED)), ms(media.sinceOfferNs(CallStage.FIRST_ECHO)),
                media.rttUs().getMinValue(), media.rttUs().getValueAtPercentile(50), media.rttUs().getMaxValue());
            rttUs.add(media.rttUs());
        }
        // Nothing of ours reached a session that was not ready, not even the first frames, which go out as soon as
        // our handshake completes (the server's own completion event may come a little later).
        assertEquals(notConnectedBefore, counter("tandem_transceiver_drops_total", "reason=\"not_connected\""));
        for (final ClientCall call : connected)
        {
            final CallStats last = call.hangup().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertEquals(EndReason.HANGUP, last.endReason(), last.toString());
            assertEquals(200, last.deleteStatus(), last.toString());
            assertTrue(last.senderReportsReceived() >= 1, "the server reports on its stream: " + last);
        }
        awaitTrue(() -> transceiver.sessions().activeSessions() == 0);
        awaitTrue(() -> counter("tandem_transceiver_sessions{") == 0);
        assertTrue(counter("tandem_transceiver_sessions_ended_total", "reason=\"hangup\"") >= calls);

        System.out.printf("system test: %d calls, offer to DTLS connected p50 %.1f ms max %.1f ms; " +
            "echo RTT p50 %d us p99 %d us max %d us (%d frames)%n", calls, setupUs.getValueAtPercentile(50) / 1e3,
            setupUs.getMaxValue() / 1e3, rttUs.getValueAtPercentile(50), rttUs.getValueAtPercentile(99),
            rttUs.getMaxValue(), rttUs.getTotalCount());
    }

    @Test
    void offerWithAnotherFingerprintFailsDtlsIsCountedAndOtherCallsCarryOn() throws Exception
    {
        final long before = counter("tandem_transceiver_sessions_ended_total", "reason=\"fingerprint_mismatch\"");
        final ClientCall good = client.call(options()).get(TIMEOUT_S, TimeUnit.SECONDS);
        final String other = DtlsCertificate.generate(new SecureRandom()).sdpFingerprint();
        final ClientCall bad = client.call(options().offerFingerprint(other)).get(TIMEOUT_S, TimeUnit.SECONDS);
        final CallStats failed = bad.ended().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(EndReason.DTLS_FAILED, failed.endReason(), failed.toString());
        assertTrue(failed.reached(CallStage.ICE_CONNECTED));
        awaitTrue(() -> counter("tandem_transceiver_sessions_ended_total", "reason=\"fingerprint_mismatch\"") ==
            before + 1);
        assertTrue(counter("tandem_dtls_handshake_failures_total", "reason=\"fingerprint_mismatch\"") >= 1);
        assertCarriesOn(good);
    }

    @Test
    void malformedIngressMessagesAreCountedNotRead() throws Exception
    {
        final long before = counter("tandem_transceiver_drops_total", "reason=\"malformed_ingress\"");
        final ExpandableArrayBuffer message = new ExpandableArrayBuffer(256);
        final int whole = MessageHeaderEncoder.ENCODED_LENGTH + new IngressEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder())
            .addressHigh(0).addressLow(0x0000_FFFF_7F00_0001L).port(40_000).relayId(0).workerId(0)
            .putPayload(new byte[100], 0, 100)
            .encodedLength();
        try (Publication ingress = aeron.addPublication("aeron:ipc", StreamIds.transceiverIngress(0)))
        {
            awaitTrue(ingress::isConnected);
            // a payload length that runs past the end of the message, and a header without its block
            offer(ingress, message, whole - 40);
            offer(ingress, message, MessageHeaderEncoder.ENCODED_LENGTH + 4);
        }
        awaitTrue(() -> counter("tandem_transceiver_drops_total", "reason=\"malformed_ingress\"") == before + 2);
        final ClientCall good = client.call(options().frames(10)).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertCarriesOn(good);
    }

    private static void offer(final Publication publication, final ExpandableArrayBuffer buffer, final int length)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (publication.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadlineNs, "cannot publish");
            Thread.onSpinWait();
        }
    }

    @Test
    void checksWithAWrongPasswordAreRefusedWith401AndCounted() throws Exception
    {
        final long before = counter("tandem_transceiver_ice_refused_total", "reason=\"bad_integrity\"");
        final ClientCall bad = client.call(options().icePasswordOverride("wrongwrongwrongwrongwrong"))
            .get(TIMEOUT_S, TimeUnit.SECONDS);
        final CallStats failed = bad.ended().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(EndReason.ICE_FAILED, failed.endReason(), failed.toString());
        assertEquals(401, failed.iceErrorCode());
        assertTrue(counter("tandem_transceiver_ice_refused_total", "reason=\"bad_integrity\"") > before);
        awaitTrue(() -> transceiver.sessions().activeSessions() == 0);
    }

    @Test
    void garbageDtlsIsDroppedAndCountedWhileTheCallContinues() throws Exception
    {
        final long before = counter("tandem_dtls_inbound_drops_total", "reason=\"malformed\"");
        final ClientCall call = client.call(options()).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(call.awaitConnected(Duration.ofSeconds(TIMEOUT_S)));
        final byte[] garbage = new byte[64];
        new SecureRandom().nextBytes(garbage);
        garbage[0] = 22; // RFC 7983: a DTLS first byte, then noise
        call.sendRaw(garbage);
        awaitTrue(() -> counter("tandem_dtls_inbound_drops_total", "reason=\"malformed\"") == before + 1);
        assertCarriesOn(call);
    }

    @Test
    void replayedSrtpIsRefusedAndCountedWhileTheCallContinues() throws Exception
    {
        final long before = counter("tandem_transceiver_srtp_refused_total", "reason=\"replayed\"");
        final ClientCall call = client.call(options().frames(10)).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(10, call.mediaDone().get(TIMEOUT_S, TimeUnit.SECONDS).framesUnique());
        assertTrue(call.replayLastRtp().get(TIMEOUT_S, TimeUnit.SECONDS));
        awaitTrue(() -> counter("tandem_transceiver_srtp_refused_total", "reason=\"replayed\"") == before + 1);
        final CallStats after = call.stats();
        assertEquals(10, after.framesReceived(), "the replay is not echoed: " + after);
        call.hangup().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /**
     * A call that keeps sending gets its frames back; then it hangs up cleanly.
     */
    private static void assertCarriesOn(final ClientCall call) throws Exception
    {
        assertTrue(call.awaitConnected(Duration.ofSeconds(TIMEOUT_S)), call.toString());
        final long received = call.stats().framesUnique();
        awaitTrue(() -> call.stats().framesUnique() >= received + 10);
        final CallStats last = call.hangup().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(EndReason.HANGUP, last.endReason(), last.toString());
        assertTrue(last.inOrder(), last.toString());
        assertFalse(last.framesMissing() > 2, "at most the frames in flight at hangup are missing: " + last);
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }

    private static CallOptions options()
    {
        return new CallOptions().baseUri(baseUri).drainTimeoutNs(TimeUnit.SECONDS.toNanos(TIMEOUT_S));
    }

    /**
     * @return the sum of the Tandem counters whose series starts with the name and contains every label.
     */
    private static long counter(final String name, final String... labels)
    {
        long sum = 0;
        for (final Map.Entry<String, Long> entry : TandemCounters.snapshot(aeron.countersReader()).entrySet())
        {
            boolean matches = entry.getKey().startsWith(name);
            for (final String label : labels)
            {
                matches &= entry.getKey().contains(label);
            }
            if (matches)
            {
                sum += entry.getValue();
            }
        }
        return sum;
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        WebRtcClientTest.awaitTrue(condition);
    }
}
