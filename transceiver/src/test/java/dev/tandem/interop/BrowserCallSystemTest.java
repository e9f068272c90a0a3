package dev.tandem.interop;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.common.TandemCounters;
import dev.tandem.config.Config;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.transceiver.Transceiver;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3's browser test: headless Chromium (Debian's package, a fake microphone) makes a call through a real
 * relay and a real transceiver with the echo backend. Its offer is POSTed to {@code /v1/realtime/calls}; the call
 * connects; audio flows both ways ({@code getStats} shows inbound RTP from the echo, and our RTCP gives it an RTT);
 * DELETE ends the call on the server.
 */
@Tag("interop")
class BrowserCallSystemTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private MediaDriver driver;
    private Aeron aeron;
    private Relay relay;
    private Transceiver transceiver;
    private Chromium chromium;

    @BeforeEach
    void start() throws Exception
    {
        final ErrorHandler errors = (ex) -> Log.error("browser-test", "agent error", ex);
        final String directory = AeronSupport.uniqueDirectory("browser-test");
        driver = AeronSupport.launchEmbeddedDriver(directory, ThreadingMode.SHARED, IdleMode.BACKOFF, errors);
        aeron = AeronSupport.connect(directory, errors, "browser-test");
        final RouteKeyRing keys = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);
        // Chromium may send its checks from the machine's other address even to a loopback candidate: listen on all.
        relay = Relay.launch(new RelayContext()
            .relayId(0)
            .workers(1)
            .listen(List.of(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)))
            .aeron(aeron)
            .keyRing(keys));
        transceiver = Transceiver.launch(Config.parse(Transceiver.settings(), new String[]{
            "--echo", "true",
            "--candidates", "auto",
            "--candidate-port", Integer.toString(relay.localAddress(0).getPort()),
            "--listen", "127.0.0.1:0",
            "--signaling.request-timeout", "2s",
            "--transceiver.relays", "0:1" }, Map.of()),
            new Transceiver.Hooks().aeron(aeron).keyRing(keys)
                .signaling((context) -> context.staticResource("/", "interop/hello.html", "text/html")));
        chromium = Chromium.launch();
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(chromium, transceiver, relay, aeron, driver);
    }

    @Test
    void chromiumCallsThroughTheRelayHearsTheEchoAndHangsUp()
    {
        final Chromium.Page page = chromium.open("http://127.0.0.1:" + transceiver.httpAddress().getPort() + "/");
        final Object location = page.evaluate(
            "(async () => {" +
            "  const stream = await navigator.mediaDevices.getUserMedia({audio: true});" +
            "  const pc = new RTCPeerConnection();" +
            "  window.pc = pc;" +
            "  stream.getTracks().forEach((t) => pc.addTrack(t, stream));" +
            "  await pc.setLocalDescription(await pc.createOffer());" +
            "  const response = await fetch('/v1/realtime/calls', {method: 'POST'," +
            "    headers: {'Content-Type': 'application/sdp'}, body: pc.localDescription.sdp});" +
            "  const body = await response.text();" +
            "  if (response.status !== 201) { throw new Error('HTTP ' + response.status + ' ' + body); }" +
            "  await pc.setRemoteDescription({type: 'answer', sdp: body});" +
            "  window.callUrl = response.headers.get('Location');" +
            "  return window.callUrl;" +
            "})()");
        assertTrue(location.toString().startsWith("/v1/realtime/calls/rtc_"), location.toString());
        assertEquals(1, transceiver.sessions().activeSessions());

        page.waitFor("pc.connectionState === 'connected'", TIMEOUT);
        final Object received = page.waitFor(atLeast(statsValue("inbound-rtp", "packetsReceived"), 100), TIMEOUT);
        assertEquals(Boolean.TRUE, received);
        final Object sent = page.evaluate(statsValue("outbound-rtp", "packetsSent"));
        assertTrue(number(sent) >= 100, "packets sent " + sent);
        // Our RTCP receiver reports answer the browser's sender reports: it can compute the round-trip time.
        page.waitFor(atLeast(statsValue("remote-inbound-rtp", "roundTripTime"), 0.000001), TIMEOUT);
        assertTrue(counter("tandem_transceiver_frames_to_backend_total") > 100);
        assertTrue(counter("tandem_transceiver_frames_from_backend_total") > 100);
        assertTrue(counter("tandem_relay_forwarded_total") > 100);

        final Object status = page.evaluate("fetch(window.callUrl, {method: 'DELETE'}).then((r) => r.status)");
        assertEquals(200.0, status);
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (transceiver.sessions().activeSessions() != 0 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertEquals(0, transceiver.sessions().activeSessions());
        assertEquals(1, counter("tandem_transceiver_sessions_ended_total{transceiver=\"0\",shard=\"0\"," +
            "reason=\"hangup\"}"));
        page.evaluate("window.pc.close()");
    }

    private static String statsValue(final String type, final String field)
    {
        return "(async () => { const stats = await window.pc.getStats(); let value = 0;" +
            " stats.forEach((r) => { if (r.type === '" + type + "' && r.kind === 'audio' && r." + field +
            " !== undefined) { value = r." + field + "; } }); return value; })()";
    }

    private static String atLeast(final String asyncValue, final double minimum)
    {
        return "(async () => (await " + asyncValue + ") >= " + minimum + ")()";
    }

    private static double number(final Object value)
    {
        return value instanceof Number ? ((Number)value).doubleValue() : 0;
    }

    private long counter(final String prefix)
    {
        long total = 0;
        for (final Map.Entry<String, Long> entry : TandemCounters.snapshot(aeron.countersReader()).entrySet())
        {
            if (entry.getKey().startsWith(prefix))
            {
                total += entry.getValue();
            }
        }
        return total;
    }
}
