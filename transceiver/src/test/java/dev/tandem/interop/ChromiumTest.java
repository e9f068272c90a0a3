package dev.tandem.interop;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("interop")
class ChromiumTest
{
    @Test
    void drivesHeadlessChromiumWithAFakeMicrophone() throws Exception
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", (exchange) ->
        {
            final byte[] body = "<html><body><p id=x>hello</p></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (Chromium chromium = Chromium.launch())
        {
            final Chromium.Page page = chromium.open("http://127.0.0.1:" + server.getAddress().getPort() + "/");
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
            server.stop(0);
        }
    }
}
