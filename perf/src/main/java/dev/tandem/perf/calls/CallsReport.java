package dev.tandem.perf.calls;

import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link CallsResult} into a report directory:
 * <ul>
 *   <li>{@code NAME.hgrm}: each histogram's percentile distribution in milliseconds (HdrHistogram's text format,
 *       which its plotter reads);</li>
 *   <li>{@code summary.txt}: every number as {@code key=value}, one per line, for scripts and tests;</li>
 *   <li>{@code setup.svg}, {@code rtt.svg}: percentile plots;</li>
 *   <li>{@code report.html}: one self-contained page with the tables, the plots inline and the targets.</li>
 * </ul>
 * The interval log ({@code bench.hlog}) is written during the run by {@link CallsBench}.
 */
final class CallsReport
{
    /** Percentiles listed in tables and in the summary. */
    static final double[] PERCENTILES = { 50, 90, 99, 99.9, 99.99 };
    /** Setup target, issue 6: p50 at most 10 ms from POST to DTLS done. */
    static final double SETUP_P50_TARGET_MS = 10;
    /** Setup target, issue 6: p99 at most 25 ms. */
    static final double SETUP_P99_TARGET_MS = 25;
    /** Capacity target: concurrent calls per relay core. */
    static final double RELAY_CALLS_PER_CORE = 2_500;
    /** Capacity target: concurrent calls per transceiver core. */
    static final double TRANSCEIVER_CALLS_PER_CORE = 8_000;
    /** Both in one process: one call costs a relay's and a transceiver's share. */
    static final double COMBINED_CALLS_PER_CORE = 1 / (1 / RELAY_CALLS_PER_CORE + 1 / TRANSCEIVER_CALLS_PER_CORE);

    private CallsReport()
    {
    }

    /**
     * @param result what was measured.
     * @param dir    the report directory (created).
     * @return the one-line summary.
     * @throws IOException when a file cannot be written.
     */
    static String write(final CallsResult result, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        for (final Map.Entry<String, Histogram> entry : result.histograms.entrySet())
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
            {
                out.println("# " + entry.getKey() + ": values in milliseconds");
                if (entry.getValue().getTotalCount() > 0)
                {
                    entry.getValue().outputPercentileDistribution(out, 1000.0);
                }
            }
            Files.write(dir.resolve(entry.getKey() + ".hgrm"), bytes.toByteArray());
            result.files.add(entry.getKey() + ".hgrm");
        }
        final Map<String, String> summary = summary(result);
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, String> entry : summary.entrySet())
        {
            text.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }
        Files.writeString(dir.resolve("summary.txt"), text, StandardCharsets.UTF_8);
        final String setupSvg = setupPlot(result);
        final String rttSvg = rttPlot(result);
        Files.writeString(dir.resolve("setup.svg"), setupSvg, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("rtt.svg"), rttSvg, StandardCharsets.UTF_8);
        result.files.add("summary.txt");
        result.files.add("setup.svg");
        result.files.add("rtt.svg");
        Files.writeString(dir.resolve("report.html"), html(result, summary, setupSvg, rttSvg), StandardCharsets.UTF_8);
        return oneLine(result);
    }

    static String setupPlot(final CallsResult result)
    {
        return PercentilePlot.svg("Call setup, from POST (" + result.histogram(CallsResult.SETUP_DTLS).getTotalCount() +
            " calls)", "ms", List.of(
            new PercentilePlot.Series("HTTP answer", result.histogram(CallsResult.SETUP_ANSWER), 1000),
            new PercentilePlot.Series("ICE success", result.histogram(CallsResult.SETUP_ICE), 1000),
            new PercentilePlot.Series("DTLS done", result.histogram(CallsResult.SETUP_DTLS), 1000),
            new PercentilePlot.Series("first echo", result.histogram(CallsResult.SETUP_FIRST_ECHO), 1000)));
    }

    static String rttPlot(final CallsResult result)
    {
        return PercentilePlot.svg("Media round trip through relay, transceiver and echo (" +
            result.histogram(CallsResult.RTT).getTotalCount() + " frames)", "ms", List.of(
            new PercentilePlot.Series("RTT", result.histogram(CallsResult.RTT), 1000)));
    }

    /**
     * @param result what was measured.
     * @return every figure by key, in a stable order.
     */
    static Map<String, String> summary(final CallsResult result)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        out.put("started_at", result.startedAt);
        out.put("warmup_s", fmt(result.warmupSeconds));
        out.put("measured_s", fmt(result.measuredSeconds));
        out.put("call_seconds", fmt(result.callSeconds));
        out.put("peak_connected", Long.toString(result.peakConnected));
        out.put("load_before", fmt(result.loadBefore));
        out.put("load_after", fmt(result.loadAfter));
        out.put("calls.started", Long.toString(result.callsStarted));
        out.put("calls.answered", Long.toString(result.callsAnswered));
        out.put("calls.connected", Long.toString(result.callsConnected));
        out.put("calls.measured", Long.toString(result.callsMeasured));
        out.put("calls.failed", Long.toString(result.callsFailed));
        for (final Map.Entry<String, Long> failure : result.failures.entrySet())
        {
            out.put("calls.failed." + failure.getKey(), Long.toString(failure.getValue()));
        }
        out.put("frames.sent", Long.toString(result.framesSent));
        out.put("frames.received", Long.toString(result.framesReceived));
        out.put("frames.unique", Long.toString(result.framesUnique));
        out.put("frames.missing", Long.toString(result.framesMissing));
        out.put("frames.out_of_order", Long.toString(result.framesOutOfOrder));
        out.put("frames.duplicate", Long.toString(result.framesDuplicate));
        out.put("frames.corrupt", Long.toString(result.framesCorrupt));
        out.put("srtp.refused", Long.toString(result.srtpRefused));
        out.put("loss_pct", String.format(Locale.ROOT, "%.4f", result.lossPercent()));
        for (final Map.Entry<String, Histogram> entry : result.histograms.entrySet())
        {
            final Histogram histogram = entry.getValue();
            final String key = entry.getKey();
            out.put(key + ".count", Long.toString(histogram.getTotalCount()));
            if (histogram.getTotalCount() == 0)
            {
                continue;
            }
            out.put(key + ".min_ms", ms(histogram.getMinValue()));
            out.put(key + ".mean_ms", fmt(histogram.getMean() / 1000.0));
            for (final double percentile : PERCENTILES)
            {
                out.put(key + ".p" + percentileName(percentile) + "_ms",
                    ms(histogram.getValueAtPercentile(percentile)));
            }
            out.put(key + ".max_ms", ms(histogram.getMaxValue()));
        }
        for (final CallsResult.ProcessResult process : result.processes)
        {
            final String key = "process." + process.role;
            out.put(key + ".pid", Long.toString(process.pid));
            out.put(key + ".cpu_s", fmt(process.cpuNs / 1e9));
            out.put(key + ".user_s", fmt(process.userNs / 1e9));
            out.put(key + ".sys_s", fmt(process.sysNs / 1e9));
            out.put(key + ".cpu_us_per_call_s", fmt(process.cpuUsPerCallSecond));
            out.put(key + ".backend_cpu_s", fmt(process.backendCpuNs / 1e9));
            out.put(key + ".idle_cores", fmt(process.idleCores));
            out.put(key + ".marginal_us_per_call_s", fmt(process.marginalUsPerCallSecond));
            out.put(key + ".calls_per_core", fmt(process.callsPerCore));
            if (process.targetCallsPerCore > 0)
            {
                out.put(key + ".target_calls_per_core", fmt(process.targetCallsPerCore));
            }
            if (process.gcKnown)
            {
                out.put(key + ".gc.collectors", String.join(" / ", process.collectors));
                out.put(key + ".gc.collections", Long.toString(process.gcCollections));
                out.put(key + ".gc.time_ms", fmt(process.gcTimeNs / 1e6));
                out.put(key + ".safepoints", Long.toString(process.safepoints));
                out.put(key + ".safepoint_time_ms", fmt(process.safepointTimeNs / 1e6));
                out.put(key + ".jit_time_ms", fmt(process.jitTimeNs / 1e6));
            }
            if (process.gcLogPauses >= 0)
            {
                out.put(key + ".gc_log.pauses", Long.toString(process.gcLogPauses));
                out.put(key + ".gc_log.max_pause_ms", fmt(process.gcLogMaxPauseMs));
                out.put(key + ".gc_log.total_pause_ms", fmt(process.gcLogTotalPauseMs));
                out.put(key + ".gc_log.file", process.gcLogFile);
            }
        }
        for (final Target target : targets(result))
        {
            out.put("target." + target.key, target.verdict());
        }
        return out;
    }

    /**
     * One of issue 6's targets against what this run measured.
     *
     * @param key      short name.
     * @param what     the target in words.
     * @param measured the measured figure in words.
     * @param ratio    measured over target, oriented so that at most 1.0 meets the target (NaN: not measured).
     * @param met      whether it is met.
     */
    record Target(String key, String what, String measured, double ratio, boolean met)
    {
        String verdict()
        {
            if (Double.isNaN(ratio))
            {
                return "not evaluated";
            }
            if (key.startsWith("no_gc_"))
            {
                return met ? "met (0 pauses)" : String.format(Locale.ROOT, "MISSED (%.0f pauses, target 0)", ratio);
            }
            return (met ? "met" : "MISSED") + String.format(Locale.ROOT, " (%.2fx of the limit", ratio) +
                (met ? ")" : String.format(Locale.ROOT, ", over by %.0f%%)", (ratio - 1) * 100));
        }
    }

    static List<Target> targets(final CallsResult result)
    {
        final List<Target> targets = new ArrayList<>();
        final Histogram setup = result.histogram(CallsResult.SETUP_DTLS);
        if (setup.getTotalCount() > 0)
        {
            final double p50 = setup.getValueAtPercentile(50) / 1000.0;
            final double p99 = setup.getValueAtPercentile(99) / 1000.0;
            targets.add(new Target("setup_p50", "setup p50 (POST to DTLS done) <= 10 ms",
                String.format(Locale.ROOT, "%.2f ms", p50), p50 / SETUP_P50_TARGET_MS, p50 <= SETUP_P50_TARGET_MS));
            targets.add(new Target("setup_p99", "setup p99 <= 25 ms",
                String.format(Locale.ROOT, "%.2f ms", p99), p99 / SETUP_P99_TARGET_MS, p99 <= SETUP_P99_TARGET_MS));
        }
        for (final CallsResult.ProcessResult process : result.processes)
        {
            if (process.targetCallsPerCore > 0 && process.callsPerCore > 0 && !result.steady)
            {
                targets.add(new Target("capacity_" + process.role, String.format(Locale.ROOT,
                    "%s: >= %.0f concurrent calls per core", process.role, process.targetCallsPerCore),
                    "not evaluated: calls come and go (--call-duration), so the CPU includes every call's setup " +
                    String.format(Locale.ROOT, "(%.0f calls per core with that churn)", process.callsPerCore),
                    Double.NaN, false));
            }
            else if (process.targetCallsPerCore > 0 && process.callsPerCore > 0)
            {
                final double ratio = process.targetCallsPerCore / process.callsPerCore;
                targets.add(new Target("capacity_" + process.role,
                    String.format(Locale.ROOT, "%s: >= %.0f concurrent calls per core", process.role,
                    process.targetCallsPerCore),
                    String.format(Locale.ROOT, "%.0f calls per core (%.1f us CPU per call-second in all; %.1f " +
                    "above an idle %.3f cores%s)", process.callsPerCore, process.cpuUsPerCallSecond,
                    process.marginalUsPerCallSecond, process.idleCores - process.backendIdleCores,
                    process.backendCpuNs > 0 ? ", without the echo backend's thread" : ""), ratio, ratio <= 1.0));
            }
            if (process.targetCallsPerCore > 0 && (process.gcKnown || process.gcLogPauses >= 0))
            {
                final long pauses = process.gcLogPauses >= 0 ? process.gcLogPauses : process.gcCollections;
                targets.add(new Target("no_gc_" + process.role, process.role + ": no GC pause during the run",
                    pauses + " pause(s)" + (process.gcLogMaxPauseMs >= 0 ?
                    String.format(Locale.ROOT, ", longest %.2f ms, %.2f ms in all", process.gcLogMaxPauseMs,
                    process.gcLogTotalPauseMs) : ""), pauses, pauses == 0));
            }
        }
        return targets;
    }

    /**
     * @param result what was measured.
     * @return the one-line summary printed at the end.
     */
    static String oneLine(final CallsResult result)
    {
        final StringBuilder line = new StringBuilder("bench calls:");
        line.append(" calls=").append(result.callsStarted).append(" connected=").append(result.callsConnected)
            .append(" failed=").append(result.callsFailed);
        final Histogram setup = result.histogram(CallsResult.SETUP_DTLS);
        if (setup.getTotalCount() > 0)
        {
            line.append(" setup_ms p50=").append(ms(setup.getValueAtPercentile(50))).append(" p99=")
                .append(ms(setup.getValueAtPercentile(99))).append(" max=").append(ms(setup.getMaxValue()));
        }
        final Histogram rtt = result.histogram(CallsResult.RTT);
        if (rtt.getTotalCount() > 0)
        {
            line.append(" rtt_ms p50=").append(ms(rtt.getValueAtPercentile(50))).append(" p99=")
                .append(ms(rtt.getValueAtPercentile(99))).append(" p99.99=").append(ms(rtt.getValueAtPercentile(99.99)))
                .append(" max=").append(ms(rtt.getMaxValue()));
        }
        line.append(String.format(Locale.ROOT, " loss=%.3f%%", result.lossPercent()));
        for (final CallsResult.ProcessResult process : result.processes)
        {
            if (process.cpuUsPerCallSecond >= 0)
            {
                line.append(' ').append(process.role).append(String.format(Locale.ROOT, "_us_per_call_s=%.1f",
                    process.cpuUsPerCallSecond));
            }
            if (process.targetCallsPerCore > 0 && (process.gcKnown || process.gcLogPauses >= 0))
            {
                line.append(' ').append(process.role).append("_gc=")
                    .append(process.gcLogPauses >= 0 ? process.gcLogPauses : process.gcCollections);
            }
        }
        return line.toString();
    }

    static String html(
        final CallsResult result, final Map<String, String> summary, final String setupSvg, final String rttSvg)
    {
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<title>Tandem bench calls</title>\n<style>")
            .append("body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}")
            .append("table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;")
            .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
            .append(".met{color:#16702e;font-weight:bold}.missed{color:#b00020;font-weight:bold}")
            .append("code,pre{background:#f6f6f6}pre{padding:8px;overflow-x:auto}</style></head><body>\n")
            .append("<h1>Tandem <code>bench calls</code></h1>\n");
        html.append("<p>").append(esc(result.startedAt)).append(": ")
            .append(result.callsStarted).append(" calls, ").append(fmt(result.warmupSeconds)).append(" s warm-up, ")
            .append(fmt(result.measuredSeconds)).append(" s measured, ").append(fmt(result.callSeconds))
            .append(" call-seconds measured, at most ").append(result.peakConnected)
            .append(" connected at once.</p>\n");
        html.append("<pre>").append(esc(result.command)).append("</pre>\n");

        html.append("<h2>Targets</h2>\n<table><tr><th class=\"l\">target</th><th class=\"l\">measured</th>")
            .append("<th>ratio to the limit</th><th class=\"l\">verdict</th></tr>\n");
        for (final Target target : targets(result))
        {
            html.append("<tr><td class=\"l\">").append(esc(target.what())).append("</td><td class=\"l\">")
                .append(esc(target.measured())).append("</td><td>")
                .append(target.key().startsWith("no_gc_") || Double.isNaN(target.ratio()) ? "-" :
                String.format(Locale.ROOT, "%.2fx", target.ratio()))
                .append("</td><td class=\"l ")
                .append(Double.isNaN(target.ratio()) ? "" : target.met() ? "met" : "missed").append("\">")
                .append(esc(target.verdict())).append("</td></tr>\n");
        }
        html.append("</table>\n");

        html.append("<h2>Calls and media</h2>\n<table>");
        row(html, "calls started / answered / connected", result.callsStarted + " / " + result.callsAnswered + " / " +
            result.callsConnected);
        row(html, "calls whose setup was measured (started after the warm-up)", Long.toString(result.callsMeasured));
        row(html, "calls failed", result.callsFailed + (result.failures.isEmpty() ? "" : " " + result.failures));
        row(html, "frames sent / echoed (unique) / missing", result.framesSent + " / " + result.framesUnique + " / " +
            result.framesMissing);
        row(html, "loss", String.format(Locale.ROOT, "%.4f%%", result.lossPercent()));
        row(html, "out of order / duplicate / corrupt / SRTP refused", result.framesOutOfOrder + " / " +
            result.framesDuplicate + " / " + result.framesCorrupt + " / " + result.srtpRefused);
        html.append("</table>\n");

        html.append("<h2>Setup time per stage (from the POST)</h2>\n");
        percentileTable(html, result, List.of(CallsResult.SETUP_ANSWER, CallsResult.SETUP_ICE, CallsResult.SETUP_DTLS,
            CallsResult.SETUP_FIRST_ECHO, CallsResult.SETUP_DTLS_SCHEDULED));
        html.append("<p>").append(CallsResult.SETUP_DTLS_SCHEDULED).append(" counts from the moment the call was due ")
            .append("to start, so time waiting for an offer slot in the client is included (no coordinated ")
            .append("omission).</p>\n").append(setupSvg);

        html.append("<h2>Media round trip, jitter</h2>\n");
        percentileTable(html, result, List.of(CallsResult.RTT, CallsResult.JITTER));
        html.append("<p>RTT: every echoed frame, from the send time in its payload to its return, through relay, ")
            .append("transceiver and echo backend. Jitter: each call's RFC 3550 interarrival jitter of the echoed ")
            .append("stream at its end, one value per call.</p>\n").append(rttSvg);

        html.append("<h2>Processes (over the measured window)</h2>\n<table><tr><th class=\"l\">role</th><th>pid</th>")
            .append("<th>CPU s (user / sys)</th><th>us CPU per call-second</th><th>idle (cores)</th>")
            .append("<th>us per call-second above idle</th><th>calls per core</th>")
            .append("<th>target</th><th>GC (count, time)</th><th>GC log pauses (max)</th><th>safepoints (time)</th>")
            .append("<th class=\"l\">busiest threads (CPU s)</th></tr>\n");
        for (final CallsResult.ProcessResult process : result.processes)
        {
            html.append("<tr><td class=\"l\">").append(esc(process.role)).append("</td><td>").append(process.pid)
                .append("</td><td>").append(fmt(process.cpuNs / 1e9)).append(" (").append(fmt(process.userNs / 1e9))
                .append(" / ").append(fmt(process.sysNs / 1e9)).append(")</td><td>")
                .append(fmt(process.cpuUsPerCallSecond)).append("</td><td>")
                .append(process.idleCores >= 0 ? String.format(Locale.ROOT, "%.3f", process.idleCores) : "-")
                .append("</td><td>").append(fmt(process.marginalUsPerCallSecond)).append("</td><td>")
                .append(process.callsPerCore > 0 ? String.format(Locale.ROOT, "%.0f", process.callsPerCore) : "-")
                .append("</td><td>").append(process.targetCallsPerCore > 0 ?
                String.format(Locale.ROOT, "%.0f", process.targetCallsPerCore) : "-").append("</td><td>")
                .append(process.gcKnown ? process.gcCollections + " (" + fmt(process.gcTimeNs / 1e6) + " ms)" : "-")
                .append("</td><td>").append(process.gcLogPauses >= 0 ? process.gcLogPauses + " (" +
                fmt(process.gcLogMaxPauseMs) + " ms)" : "-").append("</td><td>")
                .append(process.gcKnown ? process.safepoints + " (" + fmt(process.safepointTimeNs / 1e6) + " ms)" : "-")
                .append("</td><td class=\"l\">").append(esc(String.join(", ", process.topThreads)))
                .append("</td></tr>\n");
        }
        html.append("</table>\n<p>");
        for (final CallsResult.ProcessResult process : result.processes)
        {
            html.append("<b>").append(esc(process.role)).append("</b>: <code>").append(esc(process.commandLine))
                .append("</code>").append(process.note.isEmpty() ? "" : " (" + esc(process.note) + ")")
                .append("<br>\n");
        }
        html.append("</p>\n<p>CPU per call-second: the process's user plus system time over the measured window ")
            .append("divided by the call-seconds of connected calls in it. Idle: the process's CPU with no call, ")
            .append("measured after the run (idle strategies wake up whether calls exist or not). Calls per core = ")
            .append("(1 core - idle) / (CPU per call-second above idle). The echo backend's thread, which stands in ")
            .append("for an inference backend that a deployment runs elsewhere, is left out of idle, marginal and ")
            .append("calls per core (its CPU is in the total and in the busiest threads). Each call ")
            .append("sends a frame every frame interval and gets it back (50 packets per second each way at 20 ms), ")
            .append("plus ICE consent checks and RTCP.</p>\n");

        if (!result.notes.isEmpty())
        {
            html.append("<h2>Notes</h2>\n<ul>");
            for (final String note : result.notes)
            {
                html.append("<li>").append(esc(note)).append("</li>\n");
            }
            html.append("</ul>\n");
        }
        html.append("<h2>Run</h2>\n<table>");
        for (final Map.Entry<String, String> setting : result.settings.entrySet())
        {
            row(html, setting.getKey(), setting.getValue());
        }
        for (final String line : result.machine)
        {
            final int colon = line.indexOf(':');
            row(html, colon > 0 ? line.substring(0, colon) : "machine",
                colon > 0 ? line.substring(colon + 1).trim() : line);
        }
        row(html, "load average before / after", fmt(result.loadBefore) + " / " + fmt(result.loadAfter));
        html.append("</table>\n<h2>Files</h2>\n<ul>");
        for (final String file : result.files)
        {
            html.append("<li><a href=\"").append(esc(file)).append("\">").append(esc(file)).append("</a></li>\n");
        }
        html.append("</ul>\n<details><summary>summary.txt</summary><pre>");
        for (final Map.Entry<String, String> entry : summary.entrySet())
        {
            html.append(esc(entry.getKey())).append('=').append(esc(entry.getValue())).append('\n');
        }
        html.append("</pre></details>\n</body></html>\n");
        return html.toString();
    }

    private static void percentileTable(final StringBuilder html, final CallsResult result, final List<String> names)
    {
        html.append("<table><tr><th class=\"l\">ms</th><th>count</th><th>min</th><th>mean</th>");
        for (final double percentile : PERCENTILES)
        {
            html.append("<th>p").append(percentileName(percentile)).append("</th>");
        }
        html.append("<th>max</th></tr>\n");
        for (final String name : names)
        {
            final Histogram histogram = result.histogram(name);
            html.append("<tr><td class=\"l\">").append(esc(name)).append("</td><td>").append(histogram.getTotalCount())
                .append("</td>");
            if (histogram.getTotalCount() == 0)
            {
                html.append("<td colspan=\"").append(PERCENTILES.length + 3).append("\">-</td></tr>\n");
                continue;
            }
            html.append("<td>").append(ms(histogram.getMinValue())).append("</td><td>")
                .append(fmt(histogram.getMean() / 1000.0)).append("</td>");
            for (final double percentile : PERCENTILES)
            {
                html.append("<td>").append(ms(histogram.getValueAtPercentile(percentile))).append("</td>");
            }
            html.append("<td>").append(ms(histogram.getMaxValue())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void row(final StringBuilder html, final String name, final String value)
    {
        html.append("<tr><th class=\"l\">").append(esc(name)).append("</th><td class=\"l\">").append(esc(value))
            .append("</td></tr>\n");
    }

    static String percentileName(final double percentile)
    {
        return percentile == Math.rint(percentile) ? Long.toString((long)percentile) :
            String.format(Locale.ROOT, "%s", percentile).replaceAll("0+$", "");
    }

    private static String ms(final long us)
    {
        return String.format(Locale.ROOT, "%.3f", us / 1000.0);
    }

    static String fmt(final double value)
    {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String esc(final String text)
    {
        return PercentilePlot.escape(text == null ? "" : text);
    }
}
