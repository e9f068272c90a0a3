package dev.tandem.session;

import dev.tandem.config.Config;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.transceiver.Transceiver;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many offers in a row through a real transceiver's signaling: every one is answered, since whatever is random in
 * an answer (ICE password, CNAME, SSRC) is drawn from characters its SDP line allows.
 */
class SessionManagerAnswerTest
{
    private static final int CALLS = 100;
    private static final Pattern CNAME = Pattern.compile("(?m)^a=ssrc:\\d+ cname:(\\S+)$");

    @Test
    void answersEveryOfferWithATokenCname() throws Exception
    {
        // The JDK HTTP server's limits are JVM-wide and fixed by the first server: use the signaling tests' values
        // (2 s request timeout), or SignalingSlowClientTest in the same JVM would run with ours.
        final Config config = Config.parse(Transceiver.settings(), new String[]{
            "--signaling.listen", "127.0.0.1:0", "--signaling.request-timeout", "2s",
            "--transceiver.candidates", "127.0.0.1:3478" });
        final byte[] offer;
        try (InputStream in = getClass().getResourceAsStream("/sdp/chromium-156-audio-datachannel.sdp"))
        {
            assertNotNull(in);
            offer = in.readAllBytes();
        }
        final HttpClient http = HttpClient.newHttpClient();
        try (Transceiver transceiver = Transceiver.launch(config,
            new Transceiver.Hooks().keyRing(RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1))))
        {
            final String base = "http://127.0.0.1:" + transceiver.httpAddress().getPort();
            for (int i = 0; i < CALLS; i++)
            {
                final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base +
                    "/v1/realtime/calls")).header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(offer)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, answer.statusCode(), answer.body());
                final Matcher cname = CNAME.matcher(answer.body());
                assertTrue(cname.find(), answer.body());
                assertTrue(cname.group(1).matches("[A-Za-z0-9]{16}"), cname.group(1));
                final String location = answer.headers().firstValue("Location").orElseThrow();
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + location)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            }
        }
    }
}
