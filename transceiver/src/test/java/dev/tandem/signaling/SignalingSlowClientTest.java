package dev.tandem.signaling;

import dev.tandem.sdp.SdpFixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and oversize clients against a server with 2 threads and a queue of 2: they can hold a thread no longer than
 * the request timeout (2 s in tests), connections beyond threads plus queue are dropped at once, and the server
 * answers normally as soon as the slow ones are cut off.
 */
@Tag("slow")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SignalingSlowClientTest
{
    private static final int THREADS = 2;
    private static final int QUEUE = 2;
    private static final int SLOW_CLIENTS = 8;

    @Test
    void slowClientsAreCutOffAndCannotExhaustTheServer() throws Exception
    {
        final TestCallHandler handler = new TestCallHandler();
        try (SignalingServer server = SignalingServer.start(
            SignalingServerTest.testContext().threads(THREADS).queueCapacity(QUEUE), handler))
        {
            final long startNs = System.nanoTime();
            final List<RawHttp> slow = new ArrayList<>();
            try
            {
                for (int i = 0; i < SLOW_CLIENTS; i++)
                {
                    final RawHttp raw = new RawHttp(server.address(), 8000);
                    slow.add(raw);
                    if (i % 2 == 0)
                    {
                        // Slowloris: headers never finish.
                        raw.send("POST /v1/realtime/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/sdp\r\n");
                    }
                    else
                    {
                        // Slow body: 10 of the 2000 bytes promised.
                        raw.send("POST /whip HTTP/1.1\r\nHost: x\r\nContent-Type: application/sdp\r\n" +
                            "Content-Length: 2000\r\n\r\nv=0\r\no=- 1");
                    }
                }
                Thread.sleep(300);
                assertTrue(httpThreads() <= THREADS, "threads: " + httpThreads());
                // Threads and queue are full: the rest were closed unanswered at once.
                assertEquals(SLOW_CLIENTS - THREADS - QUEUE, server.counters().overloadDrops());

                for (final RawHttp raw : slow)
                {
                    assertTrue(raw.closedByServer(), "a slow client must be cut off");
                }
                final long cutOffMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                // 2 s request timeout, checked every second by the JDK's timer, plus scheduling slack.
                assertTrue(cutOffMs < 5_000, "slow clients cut off after " + cutOffMs + " ms");
            }
            finally
            {
                for (final RawHttp raw : slow)
                {
                    raw.close();
                }
            }

            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final HttpResponse<String> created = client.send(HttpRequest.newBuilder(
                URI.create("http://" + SignalingServer.format(server.address()) + "/v1/realtime/calls"))
                .header("Content-Type", "application/sdp").timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(SdpFixtures.text("chromium-156-audio-datachannel.sdp")))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            assertEquals(1, handler.calls.size());
            assertTrue(httpThreads() <= THREADS);
        }
    }

    @Test
    void declaredOversizeBodyIsAnswered413AtOnceAndTheConnectionClosed() throws Exception
    {
        final TestCallHandler handler = new TestCallHandler();
        try (SignalingServer server = SignalingServer.start(SignalingServerTest.testContext(), handler);
            RawHttp raw = new RawHttp(server.address(), 5000))
        {
            final long startNs = System.nanoTime();
            raw.send("POST /v1/realtime/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/sdp\r\n" +
                "Content-Length: 10000000\r\n\r\n");
            final RawHttp.Response response = raw.read();
            assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(1), "answered from the headers");
            assertEquals(413, response.status);
            assertEquals("close", response.header("Connection"));
            assertTrue(response.bodyText().contains("\"reason\":\"too_large\""), response.bodyText());
            // The JDK then tries to drain the unread body, so a client that never sends it holds the thread until
            // the request timeout cuts it off, like any other slow client.
            assertTrue(raw.closedByServer());
            assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(4));
            assertEquals(1, server.counters().offersRejected("too_large"));
        }
    }

    @Test
    void fastOversizeUploadIsAnswered413AndCutShort() throws Exception
    {
        final TestCallHandler handler = new TestCallHandler();
        try (SignalingServer server = SignalingServer.start(SignalingServerTest.testContext(), handler);
            RawHttp raw = new RawHttp(server.address(), 5000))
        {
            final long declared = 1L << 30;
            raw.send("POST /v1/realtime/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/sdp\r\n" +
                "Content-Length: " + declared + "\r\n\r\n");
            final Thread pump = new Thread(() ->
            {
                final byte[] chunk = new byte[64 * 1024];
                try
                {
                    for (int i = 0; i < 16_384; i++)
                    {
                        raw.send(chunk);
                    }
                }
                catch (final IOException expected)
                {
                    // the server closed the connection: what this test wants
                }
            }, "oversize-pump");
            pump.setDaemon(true);
            pump.start();
            final RawHttp.Response response = raw.read();
            assertEquals(413, response.status);
            pump.join(5_000);
            assertTrue(!pump.isAlive(), "the server must close the connection instead of swallowing 1 GiB");
            assertTrue(handler.calls.isEmpty());
        }
    }

    private static int httpThreads()
    {
        int count = 0;
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("signaling-http-") && thread.isAlive())
            {
                count++;
            }
        }
        return count;
    }
}
