package dev.tandem.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMH result summary reads JMH's JSON (with its "NaN" strings) into markdown and tab-separated rows.
 */
class JmhSummaryTest
{
    private static final String JSON = "[\n" +
        "  {\"jmhVersion\" : \"1.37\", \"benchmark\" : \"dev.tandem.perf.jmh.SrtpRtpBenchmark.protect\",\n" +
        "   \"mode\" : \"thrpt\", \"params\" : {\"jdkInternals\" : \"true\", \"profile\" : \"AEAD_AES_128_GCM\"},\n" +
        "   \"primaryMetric\" : {\"score\" : 7520000.5, \"scoreError\" : 120000.0, \"scoreUnit\" : \"ops/s\",\n" +
        "     \"rawData\" : [[1.0, 2.0]]},\n" +
        "   \"secondaryMetrics\" : {\"gc.alloc.rate.norm\" : {\"score\" : 0.001, \"scoreError\" : \"NaN\"},\n" +
        "     \"gc.count\" : {\"score\" : 0.0}}},\n" +
        "  {\"benchmark\" : \"dev.tandem.perf.jmh.RtpParseBenchmark.parse\", \"mode\" : \"avgt\",\n" +
        "   \"primaryMetric\" : {\"score\" : 11.7, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"ns/op\"},\n" +
        "   \"secondaryMetrics\" : {}}\n" +
        "]\n";

    @Test
    void writesOneRowPerResultWithAllocationAndGcCount()
    {
        final String markdown = JmhSummary.markdown(JSON);
        assertTrue(markdown.contains("| `SrtpRtpBenchmark.protect` | jdkInternals=true, profile=AEAD_AES_128_GCM | " +
            "thrpt | 7,520,001 | 120,000 | ops/s | 1e-03 | 0 |"), markdown);
        assertTrue(markdown.contains("| `RtpParseBenchmark.parse` |  | avgt | 11.700 | NaN | ns/op | - | - |"),
            markdown);
    }

    @Test
    void writesTabSeparatedScores()
    {
        final String[] lines = JmhSummary.tsv(JSON).split("\n");
        assertEquals(2, lines.length);
        assertEquals("SrtpRtpBenchmark.protect\tjdkInternals=true,profile=AEAD_AES_128_GCM\t7520000.5\tops/s\t0.001",
            lines[0]);
        assertEquals("RtpParseBenchmark.parse\t-\t11.7\tns/op\t-", lines[1]);
    }
}
