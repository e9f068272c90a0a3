package dev.tandem.rtp;

/**
 * Layout constants of RTP and RTCP, and the RTP/RTCP demultiplexing rule for a port that carries both.
 *
 * <pre>
 * RTP fixed header (RFC 3550 5.1):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RTCP common header (RFC 3550 6.4.1):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  RC/FMT |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * On a muxed port (RFC 5761 4) the second byte tells the two apart: RTCP packet types 192-223 fall where an RTP
 * packet would carry the marker bit and payload type 64-95, which RTP must not use.
 */
public final class RtpDescriptor
{
    /** The only RTP/RTCP version (RFC 3550 5.1). */
    public static final int VERSION = 2;
    /** Length of the RTP fixed header. */
    public static final int RTP_HEADER_LENGTH = 12;
    /** Length of the RTCP common header. */
    public static final int RTCP_HEADER_LENGTH = 4;
    /** Length of one RTCP report block (RFC 3550 6.4.1). */
    public static final int REPORT_BLOCK_LENGTH = 24;
    /** Length of an SR up to its report blocks: header, SSRC and sender info. */
    public static final int SENDER_REPORT_LENGTH = 28;
    /** Length of an RR up to its report blocks: header and SSRC. */
    public static final int RECEIVER_REPORT_LENGTH = 8;
    /** Most report blocks or SDES chunks one packet can count (5-bit field). */
    public static final int MAX_COUNT = 31;

    /** Profile of the RFC 8285 one-byte header extension form. */
    public static final int EXTENSION_ONE_BYTE_PROFILE = 0xBEDE;
    /** Profile of the RFC 8285 two-byte form, masked with {@link #EXTENSION_TWO_BYTE_MASK}. */
    public static final int EXTENSION_TWO_BYTE_PROFILE = 0x1000;
    /** Mask leaving the fixed part of the two-byte profile (the low 4 bits are "appbits"). */
    public static final int EXTENSION_TWO_BYTE_MASK = 0xFFF0;

    /** Lowest RTCP packet type on a muxed port (RFC 5761 4). */
    public static final int RTCP_PT_MIN = 192;
    /** Highest RTCP packet type on a muxed port (RFC 5761 4). */
    public static final int RTCP_PT_MAX = 223;
    /** Sender report (RFC 3550 6.4.1). */
    public static final int RTCP_SR = 200;
    /** Receiver report (RFC 3550 6.4.2). */
    public static final int RTCP_RR = 201;
    /** Source description (RFC 3550 6.5). */
    public static final int RTCP_SDES = 202;
    /** Goodbye (RFC 3550 6.6). */
    public static final int RTCP_BYE = 203;
    /** Application-defined (RFC 3550 6.7). */
    public static final int RTCP_APP = 204;
    /** Transport-layer feedback (RFC 4585 6.2). */
    public static final int RTCP_RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 6.3). */
    public static final int RTCP_PSFB = 206;
    /** Extended reports (RFC 3611). */
    public static final int RTCP_XR = 207;

    /** RTPFB format: generic NACK (RFC 4585 6.2.1). */
    public static final int FMT_NACK = 1;
    /** RTPFB format: transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions). */
    public static final int FMT_TRANSPORT_CC = 15;
    /** PSFB format: picture loss indication (RFC 4585 6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB format: application layer feedback, which carries REMB (draft-alvestrand-rmcat-remb). */
    public static final int FMT_AFB = 15;

    /** SDES item type CNAME (RFC 3550 6.5.1). */
    public static final int SDES_CNAME = 1;

    private RtpDescriptor()
    {
    }

    /**
     * RFC 5761 4: on a port carrying RTP and RTCP, a packet whose second byte is 192-223 is RTCP.
     *
     * @param buffer holds the datagram.
     * @param offset where it starts.
     * @param length its length.
     * @return true when the datagram is RTCP, false when it is RTP (or too short to tell: RTP parsing rejects it).
     */
    public static boolean isRtcp(final byte[] buffer, final int offset, final int length)
    {
        if (length < 2 || !NetworkBytes.inBounds(buffer, offset, length))
        {
            return false;
        }
        final int second = buffer[offset + 1] & 0xFF;
        return second >= RTCP_PT_MIN && second <= RTCP_PT_MAX;
    }
}
