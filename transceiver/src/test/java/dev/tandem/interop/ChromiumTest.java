package dev.tandem.interop;

import dev.tandem.sdp.SdpOffer;
import dev.tandem.signaling.CallAnswer;
import dev.tandem.signaling.CallHandler;
import dev.tandem.signaling.CallRejectedException;
import dev.tandem.signaling.CallRequest;
import dev.tandem.signaling.SignalingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("interop")
class ChromiumTest
{
    @Test
    void drivesHeadlessChromiumWithAFakeMicrophone() throws Exception
    {
        // Served by the signaling server rather than a bare JDK HttpServer: the JDK reads its HTTP limits once per
        // JVM when its first server starts, and the signaling tests in this JVM need the 2 s request timeout.
        final SignalingServer server = SignalingServer.start(new SignalingServer.Context()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .staticResource("/", "interop/hello.html"), new RefusingHandler());
        try (Chromium chromium = Chromium.launch())
        {
            final Chromium.Page page = chromium.open("http://127.0.0.1:" + server.port() + "/");
            assertEquals("hello", page.evaluate("document.getElementById('x').textContent"));
            final Object tracks = page.evaluate(
                "navigator.mediaDevices.getUserMedia({audio:true}).then(s => s.getAudioTracks().length)");
            assertEquals(1.0, tracks);
            final Object sdp = page.evaluate(
                "(async () => { const pc = new RTCPeerConnection(); pc.addTransceiver('audio');" +
                " const o = await pc.createOffer(); pc.close(); return o.sdp; })()");
            assertTrue(sdp.toString().contains("m=audio"), sdp.toString());
            assertTrue(sdp.toString().contains("opus/48000/2"), sdp.toString());
            page.evaluate("console.log('from the page', 42)");
            page.waitFor("true", java.time.Duration.ofSeconds(1));
            final List<String> console = chromium.console();
            assertTrue(console.stream().anyMatch((l) -> l.contains("from the page")), console.toString());
        }
        finally
        {
            server.close();
        }
    }

    /**
     * This test places no call.
     */
    private static final class RefusingHandler implements CallHandler
    {
        @Override
        public CallAnswer createCall(final SdpOffer offer, final CallRequest request) throws CallRejectedException
        {
            throw CallRejectedException.full(1);
        }

        @Override
        public boolean endCall(final String callId)
        {
            return false;
        }

        @Override
        public boolean isReady()
        {
            return true;
        }

        @Override
        public void renderMetrics(final StringBuilder out)
        {
        }
    }
}
