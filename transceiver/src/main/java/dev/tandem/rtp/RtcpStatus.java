package dev.tandem.rtp;

/**
 * Why {@link RtcpParser#parse} accepted or rejected a compound RTCP packet. An invalid compound is discarded
 * whole (RFC 3550 6.1, A.2), so the handler never sees part of one.
 */
public enum RtcpStatus
{
    /** Valid: every packet was walked. */
    OK,
    /** Shorter than a 4-byte RTCP header, or the offset and length lie outside the array. */
    TOO_SHORT,
    /** A packet's version field is not 2. */
    BAD_VERSION,
    /** A packet type outside 192-223, so the bytes are not RTCP (RFC 5761 4). */
    BAD_PACKET_TYPE,
    /** A packet's length field runs past the end of the datagram, or leaves a tail shorter than a header. */
    BAD_LENGTH,
    /** The first packet is neither SR nor RR, and reduced-size RTCP (RFC 5506) was not negotiated. */
    FIRST_NOT_REPORT,
    /** The padding bit is set on a packet other than the last one (RFC 3550 6.4.1, A.2). */
    PADDING_NOT_LAST,
    /** The padding count is zero or larger than the packet body. */
    BAD_PADDING,
    /** An SR or RR is shorter than its report count requires (RFC 3550 6.4). */
    BAD_REPORT,
    /** An SDES chunk or item runs past its packet, or a chunk is not terminated (RFC 3550 6.5). */
    BAD_SDES,
    /** A BYE's SSRC list or reason runs past its packet (RFC 3550 6.6). */
    BAD_BYE,
    /** An APP packet shorter than its fixed part (RFC 3550 6.7). */
    BAD_APP,
    /** An RTPFB or PSFB packet shorter than its two SSRCs (RFC 4585 6.1). */
    BAD_FEEDBACK
}
