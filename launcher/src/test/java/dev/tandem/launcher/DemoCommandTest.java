package dev.tandem.launcher;

import dev.tandem.config.Command;
import dev.tandem.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/tandem demo} without a browser: free ports with 0, a clear error naming the flag when a port is taken,
 * the page and the whole path's counters on one HTTP port, and nothing left behind on close.
 */
class DemoCommandTest
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DemoCommand.Demo demo;

    @BeforeAll
    static void start()
    {
        demo = DemoCommand.Demo.start(new String[]{ "--udp", "0", "--http", "0" });
    }

    @AfterAll
    static void stop()
    {
        if (demo != null)
        {
            demo.close();
        }
    }

    @Test
    void portZeroPicksFreePortsAndPrintsThemWithTheUrl()
    {
        assertNotEquals(0, demo.udpPort());
        assertNotEquals(0, demo.httpPort());
        assertEquals(demo.udpPort(), demo.relay().localAddress(0).getPort());
        final String banner = demo.banner();
        assertTrue(banner.contains("http://127.0.0.1:" + demo.httpPort() + "/"), banner);
        assertTrue(banner.contains("UDP port " + demo.udpPort()), banner);
        assertTrue(banner.contains("HTTP port " + demo.httpPort()), banner);
        for (final var candidate : demo.transceiver().candidates())
        {
            assertEquals(demo.udpPort(), candidate.getPort(), "candidates carry the relay's actual port");
        }
    }

    @Test
    void servesThePageAndItsFilesFromTheJar() throws Exception
    {
        final HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"/demo.js\"></script>"), page.body());
        final HttpResponse<String> script = get("/demo.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("window.tandemDemo"));
        assertEquals(200, get("/demo.css").statusCode());
        assertEquals(200, get("/favicon.svg").statusCode());
        assertFalse(page.body().contains("https://"), "the page loads nothing from the network");
    }

    @Test
    void metricsCarryTheRelayCountersBesideTheTransceivers() throws Exception
    {
        final String metrics = get("/metrics").body();
        assertTrue(metrics.contains("tandem_relay_packets_in_total{relay=\"0\",worker=\"0\"}"), metrics);
        assertTrue(metrics.contains("tandem_relay_drops_total{"), metrics);
        assertTrue(metrics.contains("tandem_relay_flows_active{"), metrics);
        assertTrue(metrics.contains("tandem_transceiver_sessions{"), metrics);
    }

    @Test
    void aSecondDemoOnTheSameUdpPortFailsNamingTheFlag()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () ->
            DemoCommand.Demo.start(new String[]{ "--udp", Integer.toString(demo.udpPort()), "--http", "0" }).close());
        assertTrue(ex.getMessage().startsWith("--udp: UDP port " + demo.udpPort() + " is in use"), ex.getMessage());
    }

    @Test
    void aSecondDemoOnTheSameHttpPortFailsNamingTheFlagAndStartsNothing()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () ->
            DemoCommand.Demo.start(new String[]{ "--udp", "0", "--http", Integer.toString(demo.httpPort()) }).close());
        assertTrue(ex.getMessage().startsWith("--http: TCP port " + demo.httpPort()), ex.getMessage());
        assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
    }

    @Test
    void commandExitsWithUsageAndAMessageWhenThePortIsTaken()
    {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            exit = Tandem.run(new String[]{ "demo", "--udp", Integer.toString(demo.udpPort()), "--http", "0" });
        }
        finally
        {
            System.setErr(err);
        }
        assertEquals(Command.EXIT_USAGE, exit);
        final String message = captured.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("tandem demo: --udp: UDP port " + demo.udpPort() + " is in use"), message);
    }

    @Test
    void closeStopsEverythingAndRemovesTheAeronDirectory() throws Exception
    {
        final DemoCommand.Demo other = DemoCommand.Demo.start(new String[]{ "--udp", "0", "--http", "0" });
        final Path dir = Path.of(other.aeronDirectory());
        final int httpPort = other.httpPort();
        assertTrue(Files.isDirectory(dir), dir.toString());
        other.close();
        assertFalse(Files.exists(dir), dir + " is left behind");
        assertThrows(java.io.IOException.class, () -> HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void helpListsTheDemoFlagsAndHidesWhatTheDemoSetsItself()
    {
        final PrintStream out = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(Command.EXIT_OK, Tandem.run(new String[]{ "demo", "--help" }));
        }
        finally
        {
            System.setOut(out);
        }
        final String help = captured.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--udp"), help);
        assertTrue(help.contains("--http"), help);
        assertTrue(help.contains("--delay") && help.contains("300ms"), help);
        assertFalse(help.contains("relay.listen"), help);
        assertFalse(help.contains("route.keys"), help);
        assertFalse(help.contains("signaling.listen"), help);
    }

    private static HttpResponse<String> get(final String path) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
