package dev.tandem.perf;

import dev.tandem.signaling.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result ({@code -rf json}) into a markdown table: one row per benchmark and parameter set with
 * its score and error, and the GC profiler's allocation per operation ({@code gc.alloc.rate.norm}) and collection
 * count, the two figures that prove a hot path allocation-free. Used by {@code perf/bin/jmh}.
 * <pre>
 *   java -cp ... dev.tandem.perf.JmhSummary RESULT.json OUT.md "HEADER TEXT"
 *   java -cp ... dev.tandem.perf.JmhSummary --tsv RESULT.json     (benchmark, parameters, score, unit, B/op)
 * </pre>
 */
public final class JmhSummary
{
    private JmhSummary()
    {
    }

    /**
     * @param args the JSON result, the markdown file to write, and text to put above the table.
     * @throws IOException when a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length < 2)
        {
            System.err.println("usage: JmhSummary RESULT.json OUT.md [HEADER] | JmhSummary --tsv RESULT.json");
            System.exit(2);
        }
        if ("--tsv".equals(args[0]))
        {
            System.out.print(tsv(Files.readString(Paths.get(args[1]), StandardCharsets.UTF_8)));
            return;
        }
        final String json = Files.readString(Paths.get(args[0]), StandardCharsets.UTF_8);
        final String header = args.length > 2 ? args[2] : "";
        final Path out = Paths.get(args[1]);
        Files.writeString(out, header + markdown(json), StandardCharsets.UTF_8);
        System.out.println("jmh: summary written to " + out);
    }

    /**
     * @param json a JMH JSON result.
     * @return the markdown table.
     */
    @SuppressWarnings("unchecked")
    static String markdown(final String json)
    {
        final List<Object> runs = (List<Object>)Json.parse(json);
        final StringBuilder md = new StringBuilder();
        md.append("| benchmark | parameters | mode | score | error (99.9%) | unit | B/op (gc.alloc.rate.norm) | ")
            .append("GC count |\n|---|---|---|---|---|---|---|---|\n");
        for (final Object item : runs)
        {
            final Map<String, Object> run = (Map<String, Object>)item;
            final String name = ((String)run.get("benchmark")).replace("dev.tandem.perf.jmh.", "");
            final StringBuilder params = new StringBuilder();
            final Object paramMap = run.get("params");
            if (paramMap instanceof Map)
            {
                for (final Map.Entry<String, Object> param : ((Map<String, Object>)paramMap).entrySet())
                {
                    params.append(params.length() == 0 ? "" : ", ").append(param.getKey()).append('=')
                        .append(param.getValue());
                }
            }
            final Map<String, Object> primary = (Map<String, Object>)run.get("primaryMetric");
            final Map<String, Object> secondary = run.get("secondaryMetrics") instanceof Map ?
                (Map<String, Object>)run.get("secondaryMetrics") : Map.of();
            md.append("| `").append(name).append("` | ").append(params).append(" | ").append(run.get("mode"))
                .append(" | ").append(number(primary.get("score"))).append(" | ")
                .append(number(primary.get("scoreError"))).append(" | ").append(primary.get("scoreUnit"))
                .append(" | ").append(metric(secondary, "gc.alloc.rate.norm")).append(" | ")
                .append(metric(secondary, "gc.count")).append(" |\n");
        }
        return md.toString();
    }

    /**
     * @param json a JMH JSON result.
     * @return one line per result: benchmark, parameters (k=v,...), score, unit, B/op; tab-separated.
     */
    @SuppressWarnings("unchecked")
    static String tsv(final String json)
    {
        final StringBuilder out = new StringBuilder();
        for (final Object item : (List<Object>)Json.parse(json))
        {
            final Map<String, Object> run = (Map<String, Object>)item;
            final StringBuilder params = new StringBuilder();
            if (run.get("params") instanceof Map)
            {
                for (final Map.Entry<String, Object> param : ((Map<String, Object>)run.get("params")).entrySet())
                {
                    params.append(params.length() == 0 ? "" : ",").append(param.getKey()).append('=')
                        .append(param.getValue());
                }
            }
            final Map<String, Object> primary = (Map<String, Object>)run.get("primaryMetric");
            final Map<String, Object> secondary = run.get("secondaryMetrics") instanceof Map ?
                (Map<String, Object>)run.get("secondaryMetrics") : Map.of();
            final Object norm = secondary.get("gc.alloc.rate.norm");
            out.append(((String)run.get("benchmark")).replace("dev.tandem.perf.jmh.", "")).append('\t')
                .append(params.length() == 0 ? "-" : params).append('\t').append(primary.get("score")).append('\t')
                .append(primary.get("scoreUnit")).append('\t')
                .append(norm instanceof Map ? ((Map<String, Object>)norm).get("score") : "-").append('\n');
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static String metric(final Map<String, Object> secondary, final String name)
    {
        final Object metric = secondary.get(name);
        return metric instanceof Map ? number(((Map<String, Object>)metric).get("score")) : "-";
    }

    private static String number(final Object value)
    {
        if (!(value instanceof Double))
        {
            return String.valueOf(value);
        }
        final double number = (Double)value;
        if (Double.isNaN(number))
        {
            return "NaN";
        }
        final double magnitude = Math.abs(number);
        if (magnitude == 0)
        {
            return "0";
        }
        if (magnitude < 0.01)
        {
            return String.format(Locale.ROOT, "%.0e", number);
        }
        return magnitude >= 1000 ? String.format(Locale.ROOT, "%,.0f", number) :
            String.format(Locale.ROOT, "%.3f", number);
    }
}
