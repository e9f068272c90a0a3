package dev.tandem.launcher;

import dev.tandem.client.CallFailedException;
import dev.tandem.client.CallStats;
import dev.tandem.client.ClientCall;
import dev.tandem.client.WebRtcClient;
import dev.tandem.relay.RelayTestSupport;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's draining test with separate processes (driver, relay, transceiver with echo) and the Java WebRTC
 * client: a transceiver told to drain, by {@code POST /admin/drain} or by SIGTERM, keeps its calls, refuses a new
 * one with 503 and Retry-After, fails {@code /readyz}, and exits 0 when the last call ends.
 */
@Tag("slow")
class TransceiverDrainProcessTest
{
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long CALL_TIMEOUT_S = 30;
    private static final String TOKEN = "drain-test-token";

    @TempDir
    Path journalDir;

    @Test
    void drainByAdminRequestKeepsCallsRefusesNewOnesAndExitsWhenTheLastCallEnds() throws Exception
    {
        drain(false);
    }

    @Test
    void drainBySigtermKeepsCallsRefusesNewOnesAndExitsWhenTheLastCallEnds() throws Exception
    {
        drain(true);
    }

    private void drain(final boolean bySignal) throws Exception
    {
        try (ProcessHarness harness = new ProcessHarness("drain-" + (bySignal ? "sigterm" : "admin")))
        {
            WebRtcClient client = null;
            try
            {
                final RelayRestartCallTest.Deployment deployment =
                    new RelayRestartCallTest.Deployment(harness, journalDir);
                deployment.relay(1, false).awaitLine("running on", READY_TIMEOUT_MS);
                final ProcessHarness.Proc transceiver = harness.start("transceiver", "transceiver",
                    "--aeron-dir", deployment.aeronDir, "--echo", "true",
                    "--candidates", "127.0.0.1:" + deployment.udpPort,
                    "--listen", "127.0.0.1:" + deployment.httpPort,
                    "--route.keys", deployment.keys, "--transceiver.relays", "1:1",
                    "--signaling.admin.token", TOKEN, "--signaling.retry-after", "7s");
                transceiver.awaitLine("signaling on http://", READY_TIMEOUT_MS);

                final WebRtcClient started = WebRtcClient.start(new WebRtcClient.Context().name("drain-test"));
                client = started;
                final RelayRestartCallTest.Arrivals arrivals = new RelayRestartCallTest.Arrivals();
                final ClientCall first = connected(started, deployment, arrivals);
                final ClientCall second = connected(started, deployment, arrivals);
                RelayTestSupport.await(() -> arrivals.count(first) >= 25 && arrivals.count(second) >= 25,
                    "both calls echo");

                final String base = "http://127.0.0.1:" + deployment.httpPort;
                final HttpClient http = HttpClient.newHttpClient();
                if (bySignal)
                {
                    transceiver.terminate();
                    transceiver.awaitLine("SIGTERM: draining", READY_TIMEOUT_MS);
                }
                else
                {
                    final HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(
                        base + "/admin/drain")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                    assertEquals(401, refused.statusCode(), "the admin API wants the token");
                    final HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(
                        base + "/admin/drain")).header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(202, accepted.statusCode(), accepted.body());
                    assertEquals("{\"draining\":true,\"sessions\":2}", accepted.body());
                }

                final HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, ready.statusCode());
                final ExecutionException refusedCall = assertThrows(ExecutionException.class,
                    () -> started.call(deployment.options(arrivals)).get(CALL_TIMEOUT_S, TimeUnit.SECONDS));
                final CallFailedException failure = assertInstanceOf(CallFailedException.class, refusedCall.getCause());
                assertEquals(503, failure.stats().httpStatus(), failure.toString());
                assertEquals("draining", failure.stats().httpReason(), failure.toString());
                assertEquals(1, deployment.counter("tandem_transceiver_draining{transceiver=\"0\"}"));

                final int before = arrivals.count(first) + arrivals.count(second);
                RelayTestSupport.await(() -> arrivals.count(first) + arrivals.count(second) >= before + 50,
                    "the open calls carry on while draining");

                final CallStats firstStats = first.hangup().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
                assertEquals(200, firstStats.deleteStatus(), firstStats.toString());
                assertEquals(-1, transceiver.awaitExit(1_000), "one call is still open: the transceiver waits");
                assertTrue(transceiver.isAlive());

                second.hangup().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
                assertEquals(0, transceiver.awaitExit(15_000), "drained: exit 0 after the last call");
                assertTrue(transceiver.output().contains("drained"), transceiver.output());
            }
            catch (final AssertionError | Exception ex)
            {
                harness.printLogs(System.err);
                throw ex;
            }
            finally
            {
                CloseHelper.quietClose(client);
            }
        }
    }

    private static ClientCall connected(
        final WebRtcClient client,
        final RelayRestartCallTest.Deployment deployment,
        final RelayRestartCallTest.Arrivals arrivals) throws Exception
    {
        final ClientCall call = client.call(deployment.options(arrivals)).get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(call.awaitConnected(Duration.ofSeconds(CALL_TIMEOUT_S)), call.toString());
        return call;
    }
}
