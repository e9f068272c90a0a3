package dev.tandem.srtp;

/**
 * The cryptographic transform of one profile, for RTP and RTCP with their own session keys: encryption,
 * authentication and the trailer layout. {@link SrtpContext} does the parsing, indices and replay state and calls
 * these with a header length and index it has already checked; nothing here allocates.
 */
abstract class SrtpTransform
{
    /** Bytes appended to an SRTP packet. */
    final int rtpTrailerLength;
    /** Bytes appended to an SRTCP packet. */
    final int rtcpTrailerLength;
    /** Distance from the end of an SRTCP packet to the start of its E flag and index word. */
    final int rtcpIndexFromEnd;

    SrtpTransform(final int rtpTrailerLength, final int rtcpTrailerLength, final int rtcpIndexFromEnd)
    {
        this.rtpTrailerLength = rtpTrailerLength;
        this.rtcpTrailerLength = rtcpTrailerLength;
        this.rtcpIndexFromEnd = rtcpIndexFromEnd;
    }

    /**
     * Encrypt the payload in place and append the tag.
     *
     * @param packet       the array.
     * @param offset       where the RTP packet starts.
     * @param headerLength fixed header, CSRCs and extension.
     * @param length       RTP packet length.
     * @param ssrc         the packet's SSRC.
     * @param index        the 48-bit packet index (ROC and sequence number).
     * @return the SRTP length.
     */
    abstract int protectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index);

    /**
     * Verify the tag and, only when it matches, decrypt the payload in place.
     *
     * @param packet       the array.
     * @param offset       where the SRTP packet starts.
     * @param headerLength fixed header, CSRCs and extension.
     * @param length       SRTP packet length, trailer included.
     * @param ssrc         the packet's SSRC.
     * @param index        the estimated 48-bit packet index.
     * @return the RTP length, or {@link SrtpStatus#AUTH_FAILED} with the packet untouched.
     */
    abstract int unprotectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index);

    /**
     * Encrypt everything after the first 8 bytes, append the E flag with the index, and the tag.
     *
     * @param packet the array.
     * @param offset where the (compound) RTCP packet starts.
     * @param length RTCP length.
     * @param ssrc   the sender SSRC of the first packet.
     * @param index  the 31-bit SRTCP index.
     * @return the SRTCP length.
     */
    abstract int protectRtcp(byte[] packet, int offset, int length, int ssrc, int index);

    /**
     * Verify the tag and, only when it matches and the E flag is set, decrypt in place.
     *
     * @param packet    the array.
     * @param offset    where the SRTCP packet starts.
     * @param length    SRTCP length, trailer included.
     * @param ssrc      the sender SSRC of the first packet.
     * @param indexWord the E flag and 31-bit index as read from the packet.
     * @return the RTCP length, or {@link SrtpStatus#AUTH_FAILED} with the packet untouched.
     */
    abstract int unprotectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord);

    /**
     * @return which implementations run, for reports.
     */
    abstract String implementation();

    static void putInt(final byte[] bytes, final int offset, final int value)
    {
        bytes[offset] = (byte)(value >>> 24);
        bytes[offset + 1] = (byte)(value >>> 16);
        bytes[offset + 2] = (byte)(value >>> 8);
        bytes[offset + 3] = (byte)value;
    }

    static void xorInt(final byte[] bytes, final int offset, final int value)
    {
        bytes[offset] ^= (byte)(value >>> 24);
        bytes[offset + 1] ^= (byte)(value >>> 16);
        bytes[offset + 2] ^= (byte)(value >>> 8);
        bytes[offset + 3] ^= (byte)value;
    }
}
