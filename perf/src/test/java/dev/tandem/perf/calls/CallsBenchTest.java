package dev.tandem.perf.calls;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.config.Config;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.transceiver.Transceiver;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench calls} against a real relay and transceiver with the echo backend (in this JVM, over an embedded
 * media driver), briefly and with a few calls: the report directory has every file, its percentiles parse, and its
 * counts agree with each other.
 */
@Tag("slow")
class CallsBenchTest
{
    private static final int CALLS = 3;
    private static final Pattern HGRM_TOTAL = Pattern.compile("#\\[Max *= *([0-9.]+), Total count *= *([0-9]+)\\]");

    private static MediaDriver driver;
    private static Aeron aeron;
    private static Relay relay;
    private static Transceiver transceiver;
    private static String url;

    @BeforeAll
    static void start()
    {
        final ErrorHandler errors = (ex) -> Log.error("bench-test", "agent error", ex);
        final String directory = AeronSupport.uniqueDirectory("calls-bench-test");
        driver = AeronSupport.launchEmbeddedDriver(directory, ThreadingMode.SHARED, IdleMode.BACKOFF, errors);
        aeron = AeronSupport.connect(directory, errors, "calls-bench-test");
        final RouteKeyRing keys = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);
        relay = Relay.launch(new RelayContext()
            .relayId(0)
            .workers(1)
            .listen(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
            .aeron(aeron)
            .keyRing(keys));
        transceiver = Transceiver.launch(Config.parse(Transceiver.settings(), new String[]{
            "--echo", "true",
            "--candidates", "127.0.0.1:" + relay.localAddress(0).getPort(),
            "--listen", "127.0.0.1:0",
            "--transceiver.relays", "0:1" }, Map.of()),
            new Transceiver.Hooks().aeron(aeron).keyRing(keys));
        url = "http://127.0.0.1:" + transceiver.httpAddress().getPort();
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.quietCloseAll(transceiver, relay, aeron, driver);
    }

    @Test
    void writesAReportWhosePercentilesParseAndWhoseCountsAgree(@TempDir final Path dir) throws Exception
    {
        final Path report = dir.resolve("report");
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8))
        {
            exit = CallsBench.run(new String[]{
                "--url", url, "--calls", Integer.toString(CALLS), "--rate", "20", "--warmup", "0s", "--duration", "3s",
                "--report", report.toString(), "--progress", "1s", "--idle", "1s",
                // relay and transceiver run in this JVM: measure it once, as the transceiver
                "--relay-pid", "none", "--transceiver-pid", Long.toString(ProcessHandle.current().pid()) }, out);
        }
        final String printed = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed);
        assertTrue(printed.startsWith("bench calls: calls=" + CALLS + " connected=" + CALLS + " failed=0"), printed);

        for (final String file : List.of("report.html", "summary.txt", "bench.hlog", "setup.svg", "rtt.svg",
            "setup-answer.hgrm", "setup-ice.hgrm", "setup-dtls.hgrm", "setup-first-echo.hgrm",
            "setup-dtls-from-schedule.hgrm", "rtt.hgrm", "jitter.hgrm"))
        {
            assertTrue(Files.size(report.resolve(file)) > 0, file);
        }
        final Map<String, String> summary = summary(report.resolve("summary.txt"));
        assertEquals(Integer.toString(CALLS), summary.get("calls.started"));
        assertEquals(Integer.toString(CALLS), summary.get("calls.connected"));
        assertEquals(Integer.toString(CALLS), summary.get("calls.measured"));
        assertEquals("0", summary.get("calls.failed"));
        for (final String stage : List.of("setup-answer", "setup-ice", "setup-dtls", "setup-first-echo"))
        {
            assertEquals(Integer.toString(CALLS), summary.get(stage + ".count"), stage);
        }
        assertTrue(number(summary, "setup-answer.p50_ms") <= number(summary, "setup-dtls.p50_ms"));
        assertTrue(number(summary, "setup-dtls.max_ms") <= number(summary, "setup-first-echo.max_ms"));

        // every frame came back once and in order; the RTT histogram has one value per echoed frame after warm-up
        final long sent = Long.parseLong(summary.get("frames.sent"));
        final long unique = Long.parseLong(summary.get("frames.unique"));
        final long rtts = Long.parseLong(summary.get("rtt.count"));
        assertTrue(sent >= CALLS * 100, "3 s of 20 ms frames per call: " + sent);
        assertEquals(sent, unique + Long.parseLong(summary.get("frames.missing")));
        assertTrue(Long.parseLong(summary.get("frames.missing")) <= CALLS, summary.toString());
        assertEquals(unique, rtts, "the warm-up is 0 s: every echoed frame is measured");
        assertEquals("0", summary.get("frames.corrupt"));
        assertEquals(Integer.toString(CALLS), summary.get("jitter.count"));

        // the .hgrm files parse, and agree with the summary
        final Matcher rtt = HGRM_TOTAL.matcher(Files.readString(report.resolve("rtt.hgrm")));
        assertTrue(rtt.find());
        assertEquals(rtts, Long.parseLong(rtt.group(2)));
        assertEquals(number(summary, "rtt.max_ms"), Double.parseDouble(rtt.group(1)), 0.01);
        final List<double[]> rows = hgrmRows(report.resolve("setup-dtls.hgrm"));
        assertFalse(rows.isEmpty());
        assertEquals(1.0, rows.get(rows.size() - 1)[1], 1e-9, "the distribution ends at the 100th percentile");
        assertEquals(CALLS, (long)rows.get(rows.size() - 1)[2]);

        // the interval log reads back; its RTT intervals hold every recorded RTT
        long logged = 0;
        final HistogramLogReader reader = new HistogramLogReader(report.resolve("bench.hlog").toFile());
        EncodableHistogram interval;
        while ((interval = reader.nextIntervalHistogram()) != null)
        {
            if (CallsResult.RTT.equals(interval.getTag()))
            {
                logged += ((org.HdrHistogram.Histogram)interval).getTotalCount();
            }
        }
        assertEquals(rtts, logged);

        // this JVM was measured as the transceiver: CPU, call-seconds, JVM counters
        assertTrue(number(summary, "call_seconds") > CALLS * 2.0, summary.get("call_seconds"));
        assertTrue(number(summary, "process.transceiver.cpu_s") > 0);
        assertTrue(summary.containsKey("process.transceiver.gc.collections"));
        assertTrue(summary.get("target.setup_p50").startsWith("met") ||
            summary.get("target.setup_p50").startsWith("MISSED"));

        final String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("setup-dtls") && html.contains("Targets"));
        assertFalse(html.contains("<script src") || html.contains("<link "), "self-contained");
    }

    private static Map<String, String> summary(final Path file) throws Exception
    {
        final Map<String, String> values = new HashMap<>();
        for (final String line : Files.readAllLines(file))
        {
            final int equals = line.indexOf('=');
            values.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return values;
    }

    private static double number(final Map<String, String> summary, final String key)
    {
        return Double.parseDouble(summary.get(key));
    }

    /**
     * @return the data rows of an .hgrm file: value, percentile (0..1), total count, 1/(1-percentile).
     *     <pre>
     *            Value     Percentile TotalCount 1/(1-Percentile)
     *            4.123 0.000000000000          1           1.00
     *           12.287 1.000000000000          3
     *     </pre>
     */
    private static List<double[]> hgrmRows(final Path file) throws Exception
    {
        final List<double[]> rows = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            final String[] fields = line.trim().split("\\s+");
            // the 100th percentile's row has no 1/(1-percentile) column
            if ((fields.length == 3 || fields.length == 4) && Character.isDigit(fields[0].charAt(0)))
            {
                rows.add(new double[]{ Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
                    Double.parseDouble(fields[2]), fields.length == 3 ? Double.POSITIVE_INFINITY :
                    Double.parseDouble(fields[3]) });
            }
        }
        return rows;
    }
}
