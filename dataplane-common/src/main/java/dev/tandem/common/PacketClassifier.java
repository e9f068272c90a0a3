package dev.tandem.common;

/**
 * Demultiplexes the datagrams that share one UDP 5-tuple in WebRTC by their first byte (RFC 7983 7, updating
 * RFC 5764 5.1.2), so the relay can tell a STUN check from DTLS or SRTP without parsing further.
 * <pre>
 *   first byte   class           kind
 *   +---------+------------------+--------+
 *   |   0..3  | STUN             | STUN   |
 *   |   4..15 | (unassigned)     | OTHER  |
 *   |  16..19 | ZRTP             | OTHER  |  not used by WebRTC
 *   |  20..63 | DTLS             | DTLS   |  content types 20..63
 *   |  64..79 | TURN channel     | OTHER  |  a TURN server's business, not ours
 *   |  80..127| (unassigned)     | OTHER  |
 *   | 128..191| RTP / RTCP       | RTP    |  version 2 in the top two bits; see isRtcp
 *   | 192..255| (unassigned)     | OTHER  |
 *   +---------+------------------+--------+
 * </pre>
 * The kinds {@link #STUN}, {@link #DTLS} and {@link #RTP} equal the values of the SBE {@code PacketKind} enum, so
 * the relay writes {@code classify} straight into its ingress header.
 */
public final class PacketClassifier
{
    /** Anything WebRTC does not multiplex here: dropped by the relay. */
    public static final int OTHER = 0;
    /** STUN (RFC 8489): ICE connectivity checks and consent. */
    public static final int STUN = 1;
    /** DTLS records (RFC 6347, RFC 9147). */
    public static final int DTLS = 2;
    /** RTP or RTCP (RFC 3550), SRTP or SRTCP once keyed. */
    public static final int RTP = 3;

    private static final byte[] KIND_BY_FIRST_BYTE = new byte[256];

    static
    {
        for (int b = 0; b < 256; b++)
        {
            final int kind;
            if (b <= 3)
            {
                kind = STUN; // RFC 7983 7: [0..3] -> STUN
            }
            else if (b >= 20 && b <= 63)
            {
                kind = DTLS; // RFC 7983 7: [20..63] -> DTLS
            }
            else if (b >= 128 && b <= 191)
            {
                kind = RTP; // RFC 7983 7: [128..191] -> RTP/RTCP
            }
            else
            {
                kind = OTHER; // ZRTP [16..19], TURN channels [64..79] and unassigned values
            }
            KIND_BY_FIRST_BYTE[b] = (byte)kind;
        }
    }

    private PacketClassifier()
    {
    }

    /**
     * Classify a datagram by its first byte.
     *
     * @param firstByte the first byte of the datagram; only its low 8 bits count, so a sign-extended
     *                  {@code buffer.getByte(offset)} may be passed as it is.
     * @return {@link #STUN}, {@link #DTLS}, {@link #RTP} or {@link #OTHER}.
     */
    public static int classify(final int firstByte)
    {
        return KIND_BY_FIRST_BYTE[firstByte & 0xFF];
    }

    /**
     * Tell RTCP from RTP once {@link #classify} said {@link #RTP} (RFC 5761 4). The second byte of an RTCP packet
     * is its packet type; the types in use are 192..223 (SR 200, RR 201, SDES 202, BYE 203, APP 204, RTPFB 205,
     * PSFB 206, XR 207, ...). The second byte of an RTP packet is the marker bit followed by the 7-bit payload
     * type, and RFC 5761 4 forbids the payload types 64..95 on a multiplexed session precisely so that
     * marker plus payload type never falls in 192..223. The test is therefore on the whole byte, unmasked:
     * {@code 192 <= (secondByte & 0xFF) <= 223}.
     *
     * @param secondByte the second byte of the packet; only its low 8 bits count.
     * @return true for RTCP (or SRTCP), false for RTP (or SRTP).
     */
    public static boolean isRtcp(final int secondByte)
    {
        final int b = secondByte & 0xFF;
        return b >= 192 && b <= 223; // RFC 5761 4
    }
}
