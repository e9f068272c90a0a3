package dev.tandem.signaling;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headless Chromium loads a page from the signaling server, POSTs its own offer (multipart like the OpenAI Realtime
 * browser client, or application/sdp like a WHIP client) and applies our answer with setRemoteDescription: the
 * browser accepting it is the check that the answer is one a real WebRTC stack takes.
 */
@Tag("interop")
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ChromiumSignalingInteropTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern RESULT = Pattern.compile("<pre id=\"result\">([^<]*)</pre>");

    private final TestCallHandler handler = new TestCallHandler();
    private SignalingServer server;

    @BeforeEach
    void start()
    {
        server = SignalingServer.start(
            SignalingServerTest.testContext().staticResource("/interop.html", "signaling-test/interop.html"), handler);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void chromiumAcceptsTheAnswerToItsMultipartOfferWithADataChannel(@TempDir final Path profile) throws Exception
    {
        final String result = runChromium("realtime", profile);

        // Audio accepted both ways; the data channel m-line rejected (it has no transceiver to report).
        assertEquals("OK stable 0:sendrecv /v1/realtime/calls/call-1", result);
        final CallRequest request = handler.lastRequest.get();
        assertEquals(CallRequest.Route.REALTIME, request.route());
        assertEquals("{\"type\":\"realtime\",\"model\":\"interop\"}", request.sessionJson());
        assertTrue(request.userAgent().contains("HeadlessChrome/"), request.userAgent());
        assertEquals(2, handler.calls.get("call-1").mediaSections().size());
    }

    @Test
    void chromiumAcceptsTheRecvonlyAnswerToItsWhipOfferWithVideoRejected(@TempDir final Path profile)
        throws Exception
    {
        final String result = runChromium("whip", profile);

        // Our recvonly makes the browser's audio sendonly; the rejected video m-line stops its transceiver, and a
        // stopped transceiver leaves getTransceivers() once negotiation completes (WebRTC 1.0, 4.4.1.6).
        assertEquals("OK stable 0:sendonly /whip/call-1", result);
        assertEquals(CallRequest.Route.WHIP, handler.lastRequest.get().route());
    }

    private String runChromium(final String kind, final Path profile) throws IOException, InterruptedException
    {
        assertTrue(Files.isExecutable(CHROMIUM), "interop tests need " + CHROMIUM + " (Debian package chromium)");
        final String url = "http://" + SignalingServer.format(server.address()) + "/interop.html?kind=" + kind;
        final Path stderr = profile.resolve("chromium.log");
        final Process process = new ProcessBuilder(List.of(
            CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--user-data-dir=" + profile.resolve("profile"), "--virtual-time-budget=10000", "--dump-dom", url))
            .redirectError(stderr.toFile())
            .start();
        try
        {
            final byte[] dom = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), "chromium did not exit");
            final Matcher matcher = RESULT.matcher(new String(dom, StandardCharsets.UTF_8));
            assertTrue(matcher.find(), "no result in the DOM; chromium said: " + tail(stderr));
            return matcher.group(1);
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String tail(final Path log) throws IOException
    {
        final String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }
}
