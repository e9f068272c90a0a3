package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtcpReporterTest
{
    private static final long MS = 1_000_000L;
    private static final long T0 = 10_000 * MS;
    private static final long OUR_SSRC = 0x0000AAAAL;
    private static final long PEER_SSRC = 0x0000BBBBL;
    private static final byte[] CNAME = "our-cname".getBytes(StandardCharsets.US_ASCII);
    /** 2026-01-01T00:00:00Z. */
    private static final long WALL_T0_NS = 1_767_225_600_000_000_000L;

    private long nowNs = T0;
    private final RtcpReporter reporter = new RtcpReporter(
        OUR_SSRC, CNAME, 48_000, () -> WALL_T0_NS + (nowNs - T0), new RtcpScheduler(1_000 * MS, () -> 0.5), true);
    private final byte[] buffer = new byte[RtcpReporter.maxReportLength(CNAME.length)];
    private final RecordingRtcpHandler handler = new RecordingRtcpHandler();
    private final RtcpParser parser = new RtcpParser(false);

    @Test
    void firstReportIsDueAfterHalfAnIntervalThenEveryInterval()
    {
        reporter.start(T0);
        assertEquals(T0 + 500 * MS, reporter.deadlineNs());
        assertEquals(0, reporter.poll(T0 + 499 * MS, buffer, 0, buffer.length));
        assertTrue(reporter.poll(T0 + 500 * MS, buffer, 0, buffer.length) > 0);
        assertEquals(T0 + 1_500 * MS, reporter.deadlineNs());
    }

    @Test
    void sendsReceiverReportWithSdesBeforeAnyMedia()
    {
        reporter.start(T0);
        final int length = reporter.poll(T0 + 500 * MS, buffer, 0, buffer.length);
        assertEquals(8 + RtcpWriter.sdesCnameLength(CNAME.length), length);
        assertEquals(RtcpStatus.OK, parser.parse(buffer, 0, length, handler));
        assertEquals(List.of("RR ssrc=aaaa", "CNAME ssrc=aaaa our-cname"), handler.events);
    }

    @Test
    void sendsSenderReportWithExtrapolatedRtpTimestampAndReportBlock()
    {
        reporter.start(T0);
        reporter.onRtpReceived(PEER_SSRC, 100, 5000, T0);
        reporter.onRtpReceived(PEER_SSRC, 101, 5960, T0 + 20 * MS);
        reporter.onRtpReceived(PEER_SSRC, 103, 7880, T0 + 60 * MS);
        for (int i = 0; i < 10; i++)
        {
            reporter.onRtpSent(1000 + 960L * i, 80, T0 + 20 * MS * i);
        }
        // last sent at T0 + 180 ms with timestamp 9640; the report at T0 + 500 ms is 320 ms (15360 units) later
        nowNs = T0 + 500 * MS;
        final int length = reporter.poll(nowNs, buffer, 0, buffer.length);
        assertEquals(RtcpStatus.OK, parser.parse(buffer, 0, length, handler));
        final long ntp = NtpTime.fromEpochNs(WALL_T0_NS + 500 * MS);
        assertEquals(List.of(
            "SR ssrc=aaaa ntp=" + Long.toHexString(ntp) + " rtp=25000 packets=10 octets=800",
            "block from=aaaa about=bbbb fraction=85 lost=1 highest=103 jitter=0 lsr=0 dlsr=0",
            "CNAME ssrc=aaaa our-cname"), handler.events);
    }

    @Test
    void reportsLsrAndDlsrOfThePeersSenderReport()
    {
        reporter.start(T0);
        reporter.onRtpReceived(PEER_SSRC, 1, 0, T0);
        reporter.onRtpReceived(PEER_SSRC, 2, 960, T0 + 20 * MS);
        final byte[] peerSr = new byte[28];
        RtcpWriter.writeSenderReport(peerSr, 0, PEER_SSRC, 0xEB1D6A37_12345678L, 960, 2, 160, 0);
        assertEquals(RtcpStatus.OK, reporter.onRtcp(peerSr, 0, peerSr.length, T0 + 100 * MS));

        final int length = reporter.poll(T0 + 500 * MS, buffer, 0, buffer.length);
        assertEquals(RtcpStatus.OK, parser.parse(buffer, 0, length, handler));
        // LSR: middle 32 bits 0x6A371234; DLSR: 400 ms x 65536 = 26214.4, rounded down
        assertEquals("block from=aaaa about=bbbb fraction=0 lost=0 highest=2 jitter=0 lsr=6a371234 dlsr=26214",
            handler.events.get(1));
    }

    @Test
    void computesRttFromThePeersReceiverReportOnTheMonotonicClock()
    {
        reporter.start(T0);
        reporter.onRtpSent(0, 80, T0);
        nowNs = T0 + 500 * MS;
        final int length = reporter.poll(nowNs, buffer, 0, buffer.length);
        assertTrue(length > 0);
        assertEquals(-1, reporter.rttNs());
        final long lsr = NtpTime.compact(NtpTime.fromEpochNs(WALL_T0_NS + 500 * MS));

        // the browser held our SR 250 ms (DLSR 16384) and its RR arrives 330 ms after we sent: RTT 80 ms
        final byte[] rr = peerReceiverReport(lsr, 16_384);
        nowNs = T0 + 830 * MS;
        assertEquals(RtcpStatus.OK, reporter.onRtcp(rr, 0, rr.length, nowNs));
        assertEquals(80 * MS, reporter.rttNs());
        assertEquals(1, reporter.rttSamples());
        assertTrue(reporter.hasRemoteReport());
        assertEquals(12, reporter.remoteFractionLost());
        assertEquals(3, reporter.remoteCumulativeLost());
        assertEquals(44, reporter.remoteJitter());
    }

    @Test
    void fallsBackToTheWallClockForAnLsrItNoLongerRemembers()
    {
        // LSR of an SR sent 1 s before "now" on the wall clock, DLSR 0.5 s: RTT 0.5 s
        nowNs = T0 + 5_000 * MS;
        final long lsr = NtpTime.compact(NtpTime.fromEpochNs(WALL_T0_NS + 4_000 * MS));
        final byte[] rr = peerReceiverReport(lsr, 32_768);
        assertEquals(RtcpStatus.OK, reporter.onRtcp(rr, 0, rr.length, nowNs));
        final long rtt = reporter.rttNs();
        assertTrue(Math.abs(rtt - 500 * MS) < 50_000, "rtt " + rtt); // compact NTP resolution is 15 us
    }

    @Test
    void ignoresReportsAboutOtherSourcesAndLsrZero()
    {
        final byte[] rr = new byte[32];
        RtcpWriter.writeReceiverReport(rr, 0, PEER_SSRC, 1);
        RtcpWriter.writeReportBlock(rr, 8, OUR_SSRC + 1, 1, 1, 1, 1, 0x1234, 1);
        assertEquals(RtcpStatus.OK, reporter.onRtcp(rr, 0, rr.length, T0));
        assertFalse(reporter.hasRemoteReport());

        RtcpWriter.writeReportBlock(rr, 8, OUR_SSRC, 1, 1, 1, 1, 0, 0);
        assertEquals(RtcpStatus.OK, reporter.onRtcp(rr, 0, rr.length, T0));
        assertTrue(reporter.hasRemoteReport());
        assertEquals(-1, reporter.rttNs(), "LSR 0: the peer has no SR of ours yet");
    }

    @Test
    void rejectsMalformedRtcpWithoutTouchingState()
    {
        final byte[] rr = peerReceiverReport(0x1234, 0);
        rr[3] = 9; // length beyond the datagram
        assertEquals(RtcpStatus.BAD_LENGTH, reporter.onRtcp(rr, 0, rr.length, T0));
        assertFalse(reporter.hasRemoteReport());
    }

    @Test
    void writesByeAfterReportAndStopsTheTimer()
    {
        reporter.start(T0);
        reporter.onRtpReceived(PEER_SSRC, 1, 0, T0);
        final byte[] peerBye = new byte[16];
        RtcpWriter.writeReceiverReport(peerBye, 0, PEER_SSRC, 0);
        RtcpWriter.writeBye(peerBye, 8, PEER_SSRC);
        assertEquals(RtcpStatus.OK, reporter.onRtcp(peerBye, 0, peerBye.length, T0));
        assertTrue(reporter.byeReceived());

        final int length = reporter.writeBye(T0 + 10 * MS, buffer, 0, buffer.length);
        assertEquals(RtcpStatus.OK, parser.parse(buffer, 0, length, handler));
        assertEquals(List.of("RR ssrc=aaaa", "CNAME ssrc=aaaa our-cname", "BYE ssrc=aaaa"), handler.events);
        assertEquals(Long.MAX_VALUE, reporter.deadlineNs());
    }

    @Test
    void countsReportsThatDoNotFit()
    {
        reporter.start(T0);
        assertEquals(0, reporter.poll(T0 + 500 * MS, buffer, 0, 10));
        assertEquals(1, reporter.reportsTooLarge());
    }

    private static byte[] peerReceiverReport(final long lsr, final long dlsr)
    {
        final byte[] rr = new byte[32];
        RtcpWriter.writeReceiverReport(rr, 0, PEER_SSRC, 1);
        RtcpWriter.writeReportBlock(rr, 8, OUR_SSRC, 12, 3, 0x10005, 44, lsr, dlsr);
        return rr;
    }
}
