package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

import static dev.tandem.rtp.ReceiveStatistics.BAD_SEQUENCE;
import static dev.tandem.rtp.ReceiveStatistics.PROBATION;
import static dev.tandem.rtp.ReceiveStatistics.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiveStatisticsTest
{
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS;
    private static final long SSRC = 0x11223344L;

    @Test
    void newSourceIsOnProbationUntilTwoPacketsInSequence()
    {
        final ReceiveStatistics stats = new ReceiveStatistics(48_000);
        assertFalse(stats.hasReport());
        assertEquals(PROBATION, stats.onPacket(SSRC, 10, 0, T0));
        assertFalse(stats.hasReport());
        assertEquals(PROBATION, stats.onPacket(SSRC, 20, 0, T0), "out of sequence restarts probation");
        assertEquals(VALID, stats.onPacket(SSRC, 21, 0, T0));
        assertTrue(stats.hasReport());
        assertEquals(21, stats.extendedHighestSequence());
        assertEquals(1, stats.expected());
        assertEquals(1, stats.received());
    }

    @Test
    void computesCumulativeAndIntervalLoss()
    {
        final ReceiveStatistics stats = new ReceiveStatistics(48_000);
        stats.onPacket(SSRC, 10, 0, T0);
        stats.onPacket(SSRC, 11, 0, T0); // valid from here: base 11
        for (final int seq : new int[]{ 12, 14, 15, 18 })
        {
            assertEquals(VALID, stats.onPacket(SSRC, seq, 0, T0));
        }
        // expected 18 - 11 + 1 = 8, received 5 (11, 12, 14, 15, 18): 3 lost
        assertEquals(8, stats.expected());
        assertEquals(5, stats.received());
        assertEquals(3, stats.cumulativeLost());
        assertEquals(96, stats.fractionLostSinceLastReport()); // (3 << 8) / 8
        assertEquals(0, stats.fractionLostSinceLastReport(), "nothing new since the last report");

        stats.onPacket(SSRC, 19, 0, T0);
        stats.onPacket(SSRC, 20, 0, T0);
        stats.onPacket(SSRC, 20, 0, T0); // duplicate: counted, so loss may go negative in an interval
        assertEquals(10, stats.expected());
        assertEquals(8, stats.received());
        assertEquals(2, stats.cumulativeLost());
        assertEquals(0, stats.fractionLostSinceLastReport(), "expected 2, received 3: no loss in the interval");

        stats.onPacket(SSRC, 24, 0, T0); // 21, 22, 23 lost of 4 expected
        assertEquals(192, stats.fractionLostSinceLastReport()); // (3 << 8) / 4
    }

    @Test
    void computesJitterAsRfc3550AppendixA8()
    {
        // 8 kHz clock, 20 ms frames (160 units); arrival offsets 0, 20, 50, 60, 80 ms
        final ReceiveStatistics stats = new ReceiveStatistics(8_000);
        stats.onPacket(SSRC, 10, 0, T0);            // probation: no jitter sample
        stats.onPacket(SSRC, 11, 160, T0 + 20 * MS); // valid: transit 160 - 160 = 0, the baseline
        assertEquals(0, stats.jitter());
        stats.onPacket(SSRC, 12, 320, T0 + 50 * MS); // transit 400 - 320 = 80, D = 80: J16 = 80
        assertEquals(5, stats.jitter());
        stats.onPacket(SSRC, 13, 480, T0 + 60 * MS); // transit 0, D = 80: J16 = 80 + 80 - 5 = 155
        assertEquals(9, stats.jitter());
        stats.onPacket(SSRC, 14, 640, T0 + 80 * MS); // transit 0, D = 0: J16 = 155 - 10 = 145
        assertEquals(9, stats.jitter());
    }

    @Test
    void jitterIgnoresTimestampWrap()
    {
        final ReceiveStatistics stats = new ReceiveStatistics(48_000);
        final long ts = 0xFFFF_FFFFL - 959;
        stats.onPacket(SSRC, 1, ts - 960, T0);
        stats.onPacket(SSRC, 2, ts, T0 + 20 * MS);
        stats.onPacket(SSRC, 3, (ts + 960) & 0xFFFF_FFFFL, T0 + 40 * MS);
        stats.onPacket(SSRC, 4, (ts + 1920) & 0xFFFF_FFFFL, T0 + 60 * MS);
        assertEquals(0, stats.jitter());
    }

    @Test
    void extendsSequenceAcrossWrap()
    {
        final ReceiveStatistics stats = new ReceiveStatistics(48_000);
        stats.onPacket(SSRC, 65533, 0, T0);
        stats.onPacket(SSRC, 65534, 0, T0);
        stats.onPacket(SSRC, 65535, 0, T0);
        assertEquals(VALID, stats.onPacket(SSRC, 1, 0, T0));
        assertEquals(65537, stats.extendedHighestSequence());
        assertEquals(VALID, stats.onPacket(SSRC, 0, 0, T0), "reordered across the wrap");
        assertEquals(65537, stats.extendedHighestSequence());
        assertEquals(65536, stats.extendSequence(0));
        assertEquals(65535, stats.extendSequence(65535));
        assertEquals(4, stats.expected());
        assertEquals(4, stats.received());
        assertEquals(0, stats.cumulativeLost());
    }

    @Test
    void believesLargeJumpOnlyWhenConfirmed()
    {
        final ReceiveStatistics stats = new ReceiveStatistics(48_000);
        stats.onPacket(SSRC, 100, 0, T0);
        stats.onPacket(SSRC, 101, 0, T0);
        assertEquals(BAD_SEQUENCE, stats.onPacket(SSRC, 9000, 0, T0));
        assertEquals(101, stats.extendedHighestSequence());
        assertEquals(VALID, stats.onPacket(SSRC, 102, 0, T0), "an in-sequence packet is fine meanwhile");
        assertEquals(BAD_SEQUENCE, stats.onPacket(SSRC, 9000, 0, T0));
        assertEquals(VALID, stats.onPacket(SSRC, 9001, 0, T0), "the jump is confirmed: statistics restart");
        assertEquals(9001, stats.extendedHighestSequence());
        assertEquals(1, stats.expected());
        assertEquals(1, stats.received());
        assertEquals(VALID, stats.onPacket(SSRC, 8950, 0, T0), "misordered within MAX_MISORDER");
    }

    @Test
    void newSsrcRestartsStatistics()
    {
        final ReceiveStatistics stats = new ReceiveStatistics(48_000);
        stats.onPacket(SSRC, 1, 0, T0);
        stats.onPacket(SSRC, 2, 0, T0);
        assertEquals(PROBATION, stats.onPacket(SSRC + 1, 500, 0, T0));
        assertEquals(SSRC + 1, stats.ssrc());
        assertFalse(stats.hasReport());
    }

    @Test
    void reportsLsrAndDlsrOfTheSourcesLastSenderReport()
    {
        final ReceiveStatistics stats = new ReceiveStatistics(48_000);
        stats.onPacket(SSRC, 1, 0, T0);
        stats.onPacket(SSRC, 2, 0, T0);
        assertEquals(0, stats.lastSenderReport());
        assertEquals(0, stats.delaySinceLastSenderReport(T0));

        stats.onSenderReport(SSRC, 0xEB1D6A37_80000000L, T0);
        assertEquals(0x6A378000L, stats.lastSenderReport());
        assertEquals(98_304, stats.delaySinceLastSenderReport(T0 + 1_500 * MS)); // 1.5 s x 65536

        stats.onSenderReport(SSRC + 9, 0x1L << 32, T0);
        assertEquals(0, stats.lastSenderReport(), "an SR from another source is not ours to report");
    }

    @Test
    void writesReportBlockFromState()
    {
        final ReceiveStatistics stats = new ReceiveStatistics(48_000);
        stats.onPacket(SSRC, 1, 0, T0);
        stats.onPacket(SSRC, 2, 0, T0);
        stats.onPacket(SSRC, 5, 0, T0);
        stats.onSenderReport(SSRC, 0xEB1D6A37_80000000L, T0);
        final byte[] buffer = new byte[8 + 24];
        final int length = RtcpWriter.writeReceiverReport(buffer, 0, 1, 1) +
            stats.writeReportBlock(buffer, 8, T0 + 250 * MS);
        final RecordingRtcpHandler handler = new RecordingRtcpHandler();
        assertEquals(RtcpStatus.OK, new RtcpParser(false).parse(buffer, 0, length, handler));
        // base 2, highest 5: expected 4, received 2, lost 2, fraction (2 << 8) / 4 = 128
        assertEquals("block from=1 about=11223344 fraction=128 lost=2 highest=5 jitter=0 lsr=6a378000 dlsr=16384",
            handler.events.get(1));
    }
}
