package dev.tandem.perf.jmh;

import dev.tandem.rtp.NtpTime;
import dev.tandem.rtp.RtcpHandler;
import dev.tandem.rtp.RtcpParser;
import dev.tandem.rtp.RtcpReporter;
import dev.tandem.rtp.RtcpScheduler;
import dev.tandem.rtp.RtcpStatus;
import dev.tandem.rtp.RtcpWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * RTCP: parsing Chromium's SR + SDES compound, the reporter reading an RR about our stream (with the RTT
 * computation), and the reporter writing our SR + SDES. Must be 0 B/op with {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtpRtcpBenchmark
{
    private static final long OUR_SSRC = 0x3039L;
    private static final long PEER_SSRC = 0x1A2B3C4DL;
    private static final long INTERVAL_NS = 1_000_000_000L;

    private final RtcpParser parser = new RtcpParser(true);
    private final byte[] compound = new byte[80];
    private final byte[] receiverReport = new byte[32];
    private final byte[] out = new byte[RtcpReporter.maxReportLength(16)];
    private final SummingHandler handler = new SummingHandler();
    private long nowNs = 1_000_000_000L;
    private final RtcpReporter reporter = new RtcpReporter(
        OUR_SSRC, "Hf3pQ9xZ1mK7bT2w".getBytes(StandardCharsets.US_ASCII), 48_000,
        () -> 1_767_225_600_000_000_000L + nowNs, new RtcpScheduler(INTERVAL_NS, () -> 0.5), true);

    /**
     * Build the packets once.
     */
    public RtpRtcpBenchmark()
    {
        final byte[] cname = "Hf3pQ9xZ1mK7bT2w".getBytes(StandardCharsets.US_ASCII);
        int position =
            RtcpWriter.writeSenderReport(compound, 0, PEER_SSRC, 0xEB1D6A3780000000L, 96_000, 100, 16_000, 1);
        position += RtcpWriter.writeReportBlock(compound, position, OUR_SSRC, 25, 5, 65_552, 42, 0x6A374000L, 32_768);
        RtcpWriter.writeSdesCname(compound, position, PEER_SSRC, cname, 0, cname.length);

        RtcpWriter.writeReceiverReport(receiverReport, 0, PEER_SSRC, 1);
        reporter.start(nowNs);
        reporter.onRtpSent(0, 80, nowNs);
        reporter.onRtpReceived(PEER_SSRC, 1, 0, nowNs);
        reporter.onRtpReceived(PEER_SSRC, 2, 960, nowNs);
    }

    /**
     * @return a sum of what the handler saw.
     */
    @Benchmark
    public long parseChromiumCompound()
    {
        if (parser.parse(compound, 0, compound.length, handler) != RtcpStatus.OK)
        {
            return -1;
        }
        return handler.sum;
    }

    /**
     * @return the RTT the reporter derived from an RR about one of its SRs.
     */
    @Benchmark
    public long reporterReadsReceiverReport()
    {
        nowNs += 1_000_000;
        final long lsr = NtpTime.compact(NtpTime.fromEpochNs(1_767_225_600_000_000_000L + nowNs - 50_000_000));
        RtcpWriter.writeReportBlock(receiverReport, 8, OUR_SSRC, 0, 0, 10, 3, lsr, 1_000);
        reporter.onRtcp(receiverReport, 0, receiverReport.length, nowNs);
        return reporter.rttNs();
    }

    /**
     * @return the length of our SR + report block + SDES.
     */
    @Benchmark
    public int reporterWritesSenderReport()
    {
        nowNs += INTERVAL_NS;
        reporter.onRtpSent(nowNs / 20_833, 80, nowNs);
        return reporter.poll(nowNs, out, 0, out.length);
    }

    static final class SummingHandler implements RtcpHandler
    {
        long sum;

        @Override
        public void onSenderReport(
            final long ssrc,
            final long ntpTimestamp,
            final long rtpTimestamp,
            final long packetCount,
            final long octetCount)
        {
            sum += ntpTimestamp + rtpTimestamp + packetCount;
        }

        @Override
        public void onReportBlock(
            final long reporterSsrc,
            final long sourceSsrc,
            final int fractionLost,
            final int cumulativeLost,
            final long extendedHighestSequence,
            final long jitter,
            final long lastSenderReport,
            final long delaySinceLastSenderReport)
        {
            sum += fractionLost + jitter + lastSenderReport;
        }

        @Override
        public void onSdesCname(final long ssrc, final byte[] buffer, final int offset, final int length)
        {
            sum += length;
        }
    }
}
