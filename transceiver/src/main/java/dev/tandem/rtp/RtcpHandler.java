package dev.tandem.rtp;

/**
 * Receives the contents of a valid compound RTCP packet from {@link RtcpParser}, in packet order. Every method has
 * an empty default so a handler implements only what it uses. Values are unsigned where the wire field is.
 */
public interface RtcpHandler
{
    /**
     * A sender report's sender info (RFC 3550 6.4.1); its report blocks follow through {@link #onReportBlock}.
     *
     * @param ssrc         the sender.
     * @param ntpTimestamp 64-bit NTP timestamp, seconds in the high word.
     * @param rtpTimestamp RTP timestamp of the same instant.
     * @param packetCount  packets sent, mod 2^32.
     * @param octetCount   payload octets sent, mod 2^32.
     */
    default void onSenderReport(
        final long ssrc,
        final long ntpTimestamp,
        final long rtpTimestamp,
        final long packetCount,
        final long octetCount)
    {
    }

    /**
     * A receiver report's header (RFC 3550 6.4.2); its report blocks follow through {@link #onReportBlock}.
     *
     * @param ssrc the reporter.
     */
    default void onReceiverReport(final long ssrc)
    {
    }

    /**
     * One report block of an SR or RR (RFC 3550 6.4.1).
     *
     * @param reporterSsrc           who reports.
     * @param sourceSsrc             whom the block is about.
     * @param fractionLost           lost since the previous report, in 1/256 (0-255).
     * @param cumulativeLost         total lost, signed 24 bits.
     * @param extendedHighestSequence cycles and highest sequence number received.
     * @param jitter                 interarrival jitter in RTP timestamp units.
     * @param lastSenderReport       middle 32 bits of the NTP timestamp of the last SR received (LSR), or 0.
     * @param delaySinceLastSenderReport DLSR in 1/65536 seconds.
     */
    default void onReportBlock(
        final long reporterSsrc,
        final long sourceSsrc,
        final int fractionLost,
        final int cumulativeLost,
        final long extendedHighestSequence,
        final long jitter,
        final long lastSenderReport,
        final long delaySinceLastSenderReport)
    {
    }

    /**
     * An SDES CNAME item (RFC 3550 6.5.1), valid until the handler returns.
     *
     * @param ssrc   the source it names.
     * @param buffer holds the packet.
     * @param offset where the CNAME text starts.
     * @param length its length in bytes.
     */
    default void onSdesCname(final long ssrc, final byte[] buffer, final int offset, final int length)
    {
    }

    /**
     * A BYE for one SSRC (RFC 3550 6.6): called once per SSRC listed.
     *
     * @param ssrc the source leaving.
     */
    default void onBye(final long ssrc)
    {
    }

    /**
     * A transport-layer (RTPFB, 205) or payload-specific (PSFB, 206) feedback message (RFC 4585 6.1): NACK, PLI,
     * REMB, transport-cc and others are recognised and counted by the parser, not decoded further.
     *
     * @param packetType {@link RtpDescriptor#RTCP_RTPFB} or {@link RtpDescriptor#RTCP_PSFB}.
     * @param format     the FMT field.
     * @param senderSsrc SSRC of the packet sender.
     * @param mediaSsrc  SSRC of the media source it is about.
     */
    default void onFeedback(final int packetType, final int format, final long senderSsrc, final long mediaSsrc)
    {
    }
}
