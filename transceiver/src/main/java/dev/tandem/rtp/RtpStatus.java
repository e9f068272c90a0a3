package dev.tandem.rtp;

/**
 * Why {@link RtpHeaderFlyweight#wrap} accepted or rejected a packet. Rejections are counted by the caller, never
 * thrown.
 */
public enum RtpStatus
{
    /** A valid RTP packet. */
    OK,
    /** Shorter than the 12-byte fixed header, or the offset and length lie outside the array. */
    TOO_SHORT,
    /** The version field is not 2 (RFC 3550 5.1). */
    BAD_VERSION,
    /** The payload type is 64-95, which would collide with RTCP on a muxed port (RFC 5761 4). */
    RTCP_PAYLOAD_TYPE,
    /** The CSRC list runs past the end of the packet (RFC 3550 5.1). */
    CSRC_OVERRUN,
    /** The header extension (its 4-byte header or its declared length) runs past the end (RFC 3550 5.3.1). */
    EXTENSION_OVERRUN,
    /** An RFC 8285 extension element runs past the end of the extension block. */
    BAD_EXTENSION_ELEMENT,
    /** The padding count is zero or larger than what follows the header (RFC 3550 5.1). */
    BAD_PADDING
}
