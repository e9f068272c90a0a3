package dev.tandem.rtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what an {@link RtcpParser} dispatches, as text lines, for assertions.
 */
final class RecordingRtcpHandler implements RtcpHandler
{
    final List<String> events = new ArrayList<>();

    @Override
    public void onSenderReport(
        final long ssrc,
        final long ntpTimestamp,
        final long rtpTimestamp,
        final long packetCount,
        final long octetCount)
    {
        events.add("SR ssrc=" + Long.toHexString(ssrc) + " ntp=" + Long.toHexString(ntpTimestamp) +
            " rtp=" + rtpTimestamp + " packets=" + packetCount + " octets=" + octetCount);
    }

    @Override
    public void onReceiverReport(final long ssrc)
    {
        events.add("RR ssrc=" + Long.toHexString(ssrc));
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
        events.add("block from=" + Long.toHexString(reporterSsrc) + " about=" + Long.toHexString(sourceSsrc) +
            " fraction=" + fractionLost + " lost=" + cumulativeLost + " highest=" + extendedHighestSequence +
            " jitter=" + jitter + " lsr=" + Long.toHexString(lastSenderReport) + " dlsr=" + delaySinceLastSenderReport);
    }

    @Override
    public void onSdesCname(final long ssrc, final byte[] buffer, final int offset, final int length)
    {
        events.add("CNAME ssrc=" + Long.toHexString(ssrc) + " " +
            new String(buffer, offset, length, StandardCharsets.US_ASCII));
    }

    @Override
    public void onBye(final long ssrc)
    {
        events.add("BYE ssrc=" + Long.toHexString(ssrc));
    }

    @Override
    public void onFeedback(final int packetType, final int format, final long senderSsrc, final long mediaSsrc)
    {
        events.add("FB pt=" + packetType + " fmt=" + format + " from=" + Long.toHexString(senderSsrc) +
            " about=" + Long.toHexString(mediaSsrc));
    }
}
