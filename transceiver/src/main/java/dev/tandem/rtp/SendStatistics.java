package dev.tandem.rtp;

/**
 * What we sent on one outbound stream, for the sender info of our SR (RFC 3550 6.4.1): packet and payload octet
 * counts, and the last RTP timestamp with its send time so the SR's RTP timestamp can be extrapolated to the SR's
 * NTP instant.
 */
public final class SendStatistics
{
    private final int clockRate;
    private long packetCount;
    private long octetCount;
    private long lastRtpTimestamp;
    private long lastSentNs;
    private long packetCountAtLastReport;
    private long packetCountAtPreviousReport;

    /**
     * @param clockRate RTP clock rate in Hz.
     */
    public SendStatistics(final int clockRate)
    {
        if (clockRate <= 0)
        {
            throw new IllegalArgumentException("clockRate must be positive: " + clockRate);
        }
        this.clockRate = clockRate;
    }

    /**
     * Record one RTP packet sent.
     *
     * @param rtpTimestamp  its RTP timestamp.
     * @param payloadLength its payload octets (header and padding excluded, RFC 3550 6.4.1).
     * @param nowNs         when it was sent.
     */
    public void onPacketSent(final long rtpTimestamp, final int payloadLength, final long nowNs)
    {
        packetCount++;
        octetCount += payloadLength;
        lastRtpTimestamp = rtpTimestamp & 0xFFFF_FFFFL;
        lastSentNs = nowNs;
    }

    /**
     * RFC 3550 6.4: a participant sends an SR when it sent data since the report before last, else an RR.
     *
     * @return true when the next report should be an SR.
     */
    public boolean isSender()
    {
        return packetCount > packetCountAtPreviousReport;
    }

    /**
     * Note that a report was sent, for {@link #isSender()}.
     */
    public void onReportSent()
    {
        packetCountAtPreviousReport = packetCountAtLastReport;
        packetCountAtLastReport = packetCount;
    }

    /**
     * @param nowNs the SR's instant.
     * @return the RTP timestamp of that instant: the last one sent advanced by the time since at the clock rate.
     */
    public long rtpTimestampAt(final long nowNs)
    {
        final long sinceNs = Math.max(0, nowNs - lastSentNs);
        return (lastRtpTimestamp + RtpTime.toRtpUnits(sinceNs, clockRate)) & 0xFFFF_FFFFL;
    }

    /**
     * @return packets sent.
     */
    public long packetCount()
    {
        return packetCount;
    }

    /**
     * @return payload octets sent.
     */
    public long octetCount()
    {
        return octetCount;
    }

    /**
     * @return RTP timestamp of the last packet sent.
     */
    public long lastRtpTimestamp()
    {
        return lastRtpTimestamp;
    }

    /**
     * @return when the last packet was sent.
     */
    public long lastSentNs()
    {
        return lastSentNs;
    }
}
