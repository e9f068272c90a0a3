package dev.tandem.srtp;

import dev.tandem.crypto.HmacSha1;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711 4.1.1, 4.2.1, 3.4): AES-128 counter mode, HMAC-SHA1 truncated to 80 bits.
 * <pre>
 * SRTP:  | RTP header (+CSRCs, extension) | encrypted payload | tag (10) |
 *        |&lt;---------------- authenticated, with the ROC appended --&gt;|
 * SRTCP: | header + SSRC (8) | encrypted rest | E | SRTCP index (31) | tag (10) |
 *        |&lt;------------------- authenticated ---------------------&gt;|
 * </pre>
 */
final class AesCmTransform extends SrtpTransform
{
    static final int TAG_LENGTH = 10;
    static final int SALT_LENGTH = 14;
    static final int AUTH_KEY_LENGTH = 20;
    private static final int INDEX_LENGTH = 4;

    private final AesCtr rtpCipher;
    private final AesCtr rtcpCipher;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] counter = new byte[AesCtr.BLOCK_LENGTH];
    private final byte[] word = new byte[INDEX_LENGTH];
    private final byte[] mac = new byte[HmacSha1.MAC_LENGTH];

    AesCmTransform(
        final byte[] rtpKey,
        final byte[] rtpSalt,
        final byte[] rtpAuthKey,
        final byte[] rtcpKey,
        final byte[] rtcpSalt,
        final byte[] rtcpAuthKey,
        final boolean allowJdkInternals)
    {
        super(TAG_LENGTH, INDEX_LENGTH + TAG_LENGTH, INDEX_LENGTH + TAG_LENGTH);
        rtpCipher = AesCtr.create(rtpKey, allowJdkInternals);
        rtcpCipher = AesCtr.create(rtcpKey, allowJdkInternals);
        rtpMac = new HmacSha1(allowJdkInternals).init(rtpAuthKey, 0, rtpAuthKey.length);
        rtcpMac = new HmacSha1(allowJdkInternals).init(rtcpAuthKey, 0, rtcpAuthKey.length);
        this.rtpSalt = rtpSalt.clone();
        this.rtcpSalt = rtcpSalt.clone();
    }

    int protectRtp(
        final byte[] packet,
        final int offset,
        final int headerLength,
        final int length,
        final int ssrc,
        final long index)
    {
        final int payloadOffset = offset + headerLength;
        counterBlock(rtpSalt, ssrc, index);
        rtpCipher.start(counter);
        rtpCipher.apply(packet, payloadOffset, length - headerLength, packet, payloadOffset);

        authenticateRtp(packet, offset, length, index);
        rtpMac.doFinal(mac, 0);
        System.arraycopy(mac, 0, packet, offset + length, TAG_LENGTH);
        return length + TAG_LENGTH;
    }

    int unprotectRtp(
        final byte[] packet,
        final int offset,
        final int headerLength,
        final int length,
        final int ssrc,
        final long index)
    {
        final int authenticatedLength = length - TAG_LENGTH;
        authenticateRtp(packet, offset, authenticatedLength, index);
        if (!rtpMac.verify(packet, offset + authenticatedLength, TAG_LENGTH))
        {
            return SrtpStatus.AUTH_FAILED;
        }
        final int payloadOffset = offset + headerLength;
        counterBlock(rtpSalt, ssrc, index);
        rtpCipher.start(counter);
        rtpCipher.apply(packet, payloadOffset, authenticatedLength - headerLength, packet, payloadOffset);
        return authenticatedLength;
    }

    int protectRtcp(final byte[] packet, final int offset, final int length, final int ssrc, final int index)
    {
        // RFC 3711 3.4: encrypt after the first 8 bytes, then append E=1 with the index; the tag covers both.
        counterBlock(rtcpSalt, ssrc, index);
        rtcpCipher.start(counter);
        rtcpCipher.apply(packet, offset + 8, length - 8, packet, offset + 8);
        putInt(packet, offset + length, 0x80000000 | index);
        final int authenticatedLength = length + INDEX_LENGTH;
        rtcpMac.update(packet, offset, authenticatedLength);
        rtcpMac.doFinal(mac, 0);
        System.arraycopy(mac, 0, packet, offset + authenticatedLength, TAG_LENGTH);
        return authenticatedLength + TAG_LENGTH;
    }

    int unprotectRtcp(final byte[] packet, final int offset, final int length, final int ssrc, final int indexWord)
    {
        final int authenticatedLength = length - TAG_LENGTH;
        rtcpMac.update(packet, offset, authenticatedLength);
        if (!rtcpMac.verify(packet, offset + authenticatedLength, TAG_LENGTH))
        {
            return SrtpStatus.AUTH_FAILED;
        }
        final int rtcpLength = authenticatedLength - INDEX_LENGTH;
        if (indexWord < 0)
        {
            counterBlock(rtcpSalt, ssrc, indexWord & 0x7FFFFFFF);
            rtcpCipher.start(counter);
            rtcpCipher.apply(packet, offset + 8, rtcpLength - 8, packet, offset + 8);
        }
        return rtcpLength;
    }

    String implementation()
    {
        return "AES: " + rtpCipher.implementation() + "; HMAC-SHA1: " +
            (rtpMac.usesJdkInternals() ? "JDK SHA-1 compression" : "MessageDigest");
    }

    private void authenticateRtp(final byte[] packet, final int offset, final int length, final long index)
    {
        // RFC 3711 4.2: the tag covers the authenticated portion followed by the 32-bit ROC.
        putInt(word, 0, (int)(index >>> 16));
        rtpMac.update(packet, offset, length);
        rtpMac.update(word, 0, INDEX_LENGTH);
    }

    private void counterBlock(final byte[] salt, final int ssrc, final long index)
    {
        // RFC 3711 4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).
        final byte[] counter = this.counter;
        System.arraycopy(salt, 0, counter, 0, SALT_LENGTH);
        counter[14] = 0;
        counter[15] = 0;
        xorInt(counter, 4, ssrc);
        counter[8] ^= (byte)(index >>> 40);
        counter[9] ^= (byte)(index >>> 32);
        xorInt(counter, 10, (int)index);
    }
}
