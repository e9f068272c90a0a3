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

        // Audio accepted both ways; the rejected data channel m-line has no transceiver to report.
        assertEquals("result.ok.stable.0-sendrecv", result);
        assertEquals("call-1", handler.endCalls.get(0), "the page DELETEs the Location it was given");
        final CallRequest request = handler.lastRequest.get();
        assertEquals(CallRequest.Route.REALTIME, request.route());
        assertEquals("{\"type\":\"realtime\",\"model\":\"interop\"}", request.sessionJson());
        assertTrue(request.userAgent().contains("HeadlessChrome/"), request.userAgent());
        assertTrue(handler.calls.isEmpty());
    }

    @Test
    void chromiumAcceptsTheRecvonlyAnswerToItsWhipOfferWithVideoRejected(@TempDir final Path profile)
        throws Exception
    {
        final String result = runChromium("whip", profile);

        // Our recvonly makes the browser's audio sendonly; the rejected video m-line stops its transceiver, and a
        // stopped transceiver leaves getTransceivers() once negotiation completes (WebRTC 1.0, 4.4.1.6).
        assertEquals("result.ok.stable.0-sendonly", result);
        assertEquals("call-1", handler.endCalls.get(0));
        assertEquals(CallRequest.Route.WHIP, handler.lastRequest.get().route());
        assertTrue(handler.lastAnswer.get().contains("\r\nm=video 0 UDP/TLS/RTP/SAVPF "));
    }

    private String runChromium(final String kind, final Path profile) throws IOException, InterruptedException
    {
        assertTrue(Files.isExecutable(CHROMIUM), "interop tests need " + CHROMIUM + " (Debian package chromium)");
        final String url = "http://" + SignalingServer.format(server.address()) + "/interop.html?kind=" + kind;
        final Path log = profile.resolve("chromium.log");
        final Process process = new ProcessBuilder(List.of(
            CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--user-data-dir=" + profile.resolve("profile"), url))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        try
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadlineNs)
            {
                for (final String callId : handler.endCalls)
                {
                    if (callId.startsWith("result."))
                    {
                        return callId;
                    }
                }
                assertTrue(process.isAlive(), "chromium exited early: " + tail(log));
                Thread.sleep(50);
            }
            throw new AssertionError("no result from the page within 15 s; chromium said: " + tail(log));
        }
        finally
        {
            final List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
            for (final ProcessHandle child : children)
            {
                child.destroyForcibly();
            }
        }
    }

    private static String tail(final Path log) throws IOException
    {
        final String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }
}
