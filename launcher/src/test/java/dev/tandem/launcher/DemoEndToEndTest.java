package dev.tandem.launcher;

import dev.tandem.interop.Chromium;
import dev.tandem.signaling.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo as a person uses it: headless Chromium with a fake microphone opens the page, clicks Start, holds a call
 * with the echo agent through the relay and the transceiver, and clicks Stop. Everything is asserted from the page
 * (window.tandemDemo) and the demo's own /metrics. Takes the screenshot for the README: target/demo-call.png always,
 * and docs/demo-call.png too when run with -Dtandem.demo.screenshot=true.
 */
@Tag("interop")
class DemoEndToEndTest
{
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern SESSIONS = Pattern.compile("(?m)^tandem_transceiver_sessions\\{[^}]*} (\\d+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static DemoCommand.Demo demo;
    private static Chromium chromium;

    @BeforeAll
    static void start() throws Exception
    {
        // One session per shard: a second page is refused, which checks the page's "signaling refused" error.
        demo = DemoCommand.Demo.start(new String[]{ "--udp", "0", "--http", "0", "--max-sessions", "1" });
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop()
    {
        if (chromium != null)
        {
            chromium.close();
        }
        if (demo != null)
        {
            demo.close();
        }
    }

    @Test
    void callsTheEchoAgentFromThePageThenStopEndsTheCallOnTheServer() throws Exception
    {
        final Chromium.Page page = chromium.open(demo.url());
        assertEquals("idle", page.evaluate("tandemDemo.state"));
        page.evaluate("document.getElementById('start').click()");
        page.waitFor("['connected', 'failed'].includes(tandemDemo.state)", CALL_TIMEOUT);
        assertEquals("connected", page.evaluate("tandemDemo.state"),
            () -> "error: " + Json.write(page.evaluate("tandemDemo.error")) + "; console: " + chromium.console());

        // Every stage of the setup is measured, in the page.
        final Map<String, Object> stages = map(page.evaluate("tandemDemo.stages"));
        for (final String stage : new String[]{ "signalingMs", "iceMs", "dtlsMs", "audioMs", "totalMs" })
        {
            final Object value = stages.get(stage);
            assertTrue(value instanceof Double && (Double)value > 0, stage + " in " + stages);
        }
        final double sum = (Double)stages.get("signalingMs") + (Double)stages.get("iceMs") +
            (Double)stages.get("dtlsMs") + (Double)stages.get("audioMs");
        assertEquals((Double)stages.get("totalMs"), sum, 0.5, stages::toString);
        System.out.println("demo call stages (ms): " + Json.write(stages));

        // Audio arrives back, and it is not silence: the fake microphone's beeps come back from the echo agent.
        page.waitFor("tandemDemo.stats && tandemDemo.stats.packetsReceived > 100 && tandemDemo.history.some(" +
            "(s) => s.echoLevel != null && s.echoLevel > -50)", CALL_TIMEOUT);
        page.waitFor("tandemDemo.history.length >= 8", CALL_TIMEOUT);
        final Map<String, Object> stats = map(page.evaluate("tandemDemo.stats"));
        System.out.println("demo call stats: " + Json.write(stats));
        assertNotNull(stats.get("rttMs"), stats::toString);
        assertNotNull(stats.get("jitterMs"), stats::toString);
        assertTrue((Double)stats.get("packetsSent") > 100, stats::toString);
        assertEquals(1, sessions(), "one session on the server during the call");
        page.waitFor("tandemDemo.server && tandemDemo.server.sessions === 1 && tandemDemo.server.relayFlows >= 1 &&" +
            " tandemDemo.server.framesFromBackend > 0", CALL_TIMEOUT);

        screenshot(page);

        // A second page while the only place is taken: signaling refused, with the server's reason.
        final Chromium.Page second = chromium.open(demo.url());
        second.evaluate("document.getElementById('start').click()");
        second.waitFor("tandemDemo.state === 'failed'", CALL_TIMEOUT);
        final Map<String, Object> error = map(second.evaluate("tandemDemo.error"));
        assertEquals("signaling", error.get("stage"), error::toString);
        assertTrue(((String)error.get("title")).startsWith("Signaling refused: HTTP 503"), error::toString);
        assertTrue(((String)error.get("hint")).contains("try again"), error::toString);
        assertEquals(Boolean.FALSE, second.evaluate("document.getElementById('error').hidden"));

        page.evaluate("document.getElementById('stop').click()");
        page.waitFor("tandemDemo.state === 'stopped'", CALL_TIMEOUT);
        final Map<String, Object> summary = map(page.evaluate("tandemDemo.summary"));
        System.out.println("demo call summary: " + Json.write(summary));
        assertEquals(Boolean.TRUE, summary.get("serverEnded"), summary::toString);
        assertTrue((Double)summary.get("packetsReceived") > 100, summary::toString);
        assertEquals(Boolean.FALSE, page.evaluate("document.getElementById('summary-panel').hidden"));
        final long deadlineNs = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (sessions() != 0 && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(50);
        }
        assertEquals(0, sessions(), "no session on the server after Stop");
        page.waitFor("tandemDemo.server && tandemDemo.server.sessions === 0", CALL_TIMEOUT);
    }

    @Test
    void anInsecureOriginExplainsHowToReachTheMicrophone()
    {
        // Browsers give the microphone only to secure origins; http://<the machine's address> is not one.
        final String address = demo.transceiver().candidates().stream()
            .filter((a) -> a.getAddress() instanceof java.net.Inet4Address && !a.getAddress().isLoopbackAddress())
            .map((a) -> a.getAddress().getHostAddress())
            .findFirst()
            .orElse(null);
        if (address == null)
        {
            return; // only loopback here: every origin this test could open is secure
        }
        final Chromium.Page page = chromium.open("http://" + address + ":" + demo.httpPort() + "/");
        page.evaluate("document.getElementById('start').click()");
        page.waitFor("tandemDemo.state === 'failed'", CALL_TIMEOUT);
        final Map<String, Object> error = map(page.evaluate("tandemDemo.error"));
        assertEquals("microphone", error.get("stage"), error::toString);
        assertTrue(((String)error.get("hint")).contains("http://localhost:" + demo.httpPort() + "/"),
            error::toString);
    }

    @Test
    void aDeniedMicrophoneSaysHowToAllowIt() throws Exception
    {
        // Chromium's fake permission prompt, set to deny: getUserMedia rejects with NotAllowedError.
        try (Chromium denying = Chromium.launch("--use-fake-ui-for-media-stream=deny"))
        {
            final Chromium.Page page = denying.open(demo.url());
            page.evaluate("document.getElementById('start').click()");
            page.waitFor("tandemDemo.state === 'failed'", CALL_TIMEOUT);
            final Map<String, Object> error = map(page.evaluate("tandemDemo.error"));
            assertEquals("microphone", error.get("stage"), error::toString);
            assertEquals("Microphone permission denied", error.get("title"), error::toString);
            assertTrue(((String)error.get("message")).contains("NotAllowedError"), error::toString);
            assertTrue(((String)error.get("hint")).contains("Allow the microphone"), error::toString);
            assertEquals(Boolean.FALSE, page.evaluate("document.getElementById('start').disabled"),
                "Start can be pressed again");
        }
    }

    @Test
    void anUnreachableRelayFailsAtTheIceStageNamingTheCandidate()
    {
        // Candidates that no relay listens on: the browser's checks go unanswered, so ICE is the stage that fails.
        try (DemoCommand.Demo unreachable = DemoCommand.Demo.start(
            new String[]{ "--udp", "0", "--http", "0", "--candidates", "127.0.0.1:9" }))
        {
            final Chromium.Page page = chromium.open(unreachable.url() + "?ice-timeout-ms=1500");
            page.evaluate("document.getElementById('start').click()");
            page.waitFor("tandemDemo.state === 'failed'", CALL_TIMEOUT);
            final Map<String, Object> error = map(page.evaluate("tandemDemo.error"));
            assertEquals("ice", error.get("stage"), error::toString);
            assertTrue(((String)error.get("message")).contains("127.0.0.1:9"), error::toString);
            assertEquals("failed", page.evaluate("document.getElementById('stage-ice').textContent"));
            assertTrue((Double)page.evaluate("tandemDemo.stages.signalingMs") > 0);
            page.waitFor("tandemDemo.server && tandemDemo.server.sessions === 0", CALL_TIMEOUT);
        }
    }

    private static void screenshot(final Chromium.Page page) throws Exception
    {
        final Path target = Path.of(System.getProperty("tandem.root", "."), "launcher", "target", "demo-call.png");
        Files.createDirectories(target.getParent());
        page.screenshot(target, 1100, 760);
        assertTrue(Files.size(target) > 10_000, "screenshot " + target);
        if (Boolean.getBoolean("tandem.demo.screenshot"))
        {
            Files.copy(target, Path.of(System.getProperty("tandem.root"), "docs", "demo-call.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int sessions() throws Exception
    {
        final String metrics = HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.httpPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        final Matcher matcher = SESSIONS.matcher(metrics);
        int total = 0;
        boolean found = false;
        while (matcher.find())
        {
            total += Integer.parseInt(matcher.group(1));
            found = true;
        }
        assertTrue(found, metrics);
        return total;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Object value)
    {
        assertTrue(value instanceof Map, String.valueOf(value));
        return (Map<String, Object>)value;
    }
}
