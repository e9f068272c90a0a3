package dev.tandem.common;

/**
 * TEMPORARY stand-in for the common engineer's RFC 7983 classifier; replaced by main's at merge.
 */
public final class PacketClassifier
{
    /** Not STUN, DTLS or RTP. */
    public static final int OTHER = 0;
    /** STUN: first byte 0-3. */
    public static final int STUN = 1;
    /** DTLS: first byte 20-63. */
    public static final int DTLS = 2;
    /** RTP/RTCP: first byte 128-191. */
    public static final int RTP = 3;

    private PacketClassifier()
    {
    }

    /**
     * @param firstByte first byte of a datagram, 0-255.
     * @return its class.
     */
    public static int classify(final int firstByte)
    {
        if (firstByte <= 3)
        {
            return STUN;
        }
        if (firstByte >= 20 && firstByte <= 63)
        {
            return DTLS;
        }
        if (firstByte >= 128 && firstByte <= 191)
        {
            return RTP;
        }
        return OTHER;
    }
}
