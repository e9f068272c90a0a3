package dev.tandem.srtp;

/**
 * AEAD_AES_128_GCM (RFC 7714): AES-128 GCM with a 16-byte tag; the RTP header (CSRCs and extension included) is
 * the AAD, the payload is encrypted.
 * <pre>
 * SRTP:  | RTP header (+CSRCs, extension): AAD | encrypted payload | tag (16) |
 *        IV = salt XOR (00 00 | SSRC | ROC | SEQ)                                       (RFC 7714 8.1)
 * SRTCP: | header + SSRC (8) | encrypted rest | tag (16) | E | SRTCP index (31) |
 *        AAD = header + SSRC || E and index; IV = salt XOR (00 00 | SSRC | 00 00 | index) (RFC 7714 9.1, 9.2)
 *        with E = 0 the whole RTCP packet and the E/index word are AAD, nothing is encrypted (RFC 7714 9.3)
 * </pre>
 */
final class GcmTransform extends SrtpTransform
{
    static final int TAG_LENGTH = 16;
    static final int SALT_LENGTH = 12;
    private static final int INDEX_LENGTH = 4;

    private final AesCtr rtpCipher;
    private final AesCtr rtcpCipher;
    private final Ghash rtpHash;
    private final Ghash rtcpHash;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] counter = new byte[AesCtr.BLOCK_LENGTH];
    private final byte[] zeros = new byte[AesCtr.BLOCK_LENGTH];
    private final byte[] mask = new byte[AesCtr.BLOCK_LENGTH];
    private final byte[] hash = new byte[AesCtr.BLOCK_LENGTH];
    private final byte[] word = new byte[INDEX_LENGTH];

    GcmTransform(
        final byte[] rtpKey,
        final byte[] rtpSalt,
        final byte[] rtcpKey,
        final byte[] rtcpSalt,
        final boolean allowJdkInternals)
    {
        super(TAG_LENGTH, TAG_LENGTH + INDEX_LENGTH, INDEX_LENGTH);
        rtpCipher = AesCtr.create(rtpKey, allowJdkInternals);
        rtcpCipher = AesCtr.create(rtcpKey, allowJdkInternals);
        rtpHash = Ghash.create(hashSubkey(rtpCipher), allowJdkInternals);
        rtcpHash = Ghash.create(hashSubkey(rtcpCipher), allowJdkInternals);
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
        final int payloadLength = length - headerLength;
        startRtp(ssrc, index);
        rtpCipher.apply(packet, payloadOffset, payloadLength, packet, payloadOffset);

        hashRtp(packet, offset, headerLength, payloadLength);
        writeTag(packet, offset + length);
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
        final int payloadOffset = offset + headerLength;
        final int rtpLength = length - TAG_LENGTH;
        final int payloadLength = rtpLength - headerLength;

        // RFC 7714 5.3: verify before releasing plaintext; the ciphertext is hashed as it is.
        hashRtp(packet, offset, headerLength, payloadLength);
        startRtp(ssrc, index);
        if (!tagMatches(packet, offset + rtpLength))
        {
            return SrtpStatus.AUTH_FAILED;
        }
        rtpCipher.apply(packet, payloadOffset, payloadLength, packet, payloadOffset);
        return rtpLength;
    }

    int protectRtcp(final byte[] packet, final int offset, final int length, final int ssrc, final int index)
    {
        final int indexWord = 0x80000000 | index;
        startRtcp(ssrc, index);
        rtcpCipher.apply(packet, offset + 8, length - 8, packet, offset + 8);

        hashEncryptedRtcp(packet, offset, length, indexWord);
        writeTag(packet, offset + length);
        putInt(packet, offset + length + TAG_LENGTH, indexWord);
        return length + TAG_LENGTH + INDEX_LENGTH;
    }

    int unprotectRtcp(final byte[] packet, final int offset, final int length, final int ssrc, final int indexWord)
    {
        final int rtcpLength = length - TAG_LENGTH - INDEX_LENGTH;
        final boolean encrypted = indexWord < 0;
        if (encrypted)
        {
            hashEncryptedRtcp(packet, offset, rtcpLength, indexWord);
        }
        else
        {
            // RFC 7714 9.3: unencrypted SRTCP authenticates the whole packet and the word as AAD.
            putInt(word, 0, indexWord);
            rtcpHash.update(packet, offset, rtcpLength);
            rtcpHash.update(word, 0, INDEX_LENGTH);
            rtcpHash.digest(rtcpLength + INDEX_LENGTH, 0, hash, 0);
        }
        startRtcp(ssrc, indexWord & 0x7FFFFFFF);
        if (!tagMatches(packet, offset + rtcpLength))
        {
            return SrtpStatus.AUTH_FAILED;
        }
        if (encrypted)
        {
            rtcpCipher.apply(packet, offset + 8, rtcpLength - 8, packet, offset + 8);
        }
        return rtcpLength;
    }

    String implementation()
    {
        return "AES: " + rtpCipher.implementation() + "; GHASH: " + rtpHash.implementation();
    }

    private void hashRtp(final byte[] packet, final int offset, final int headerLength, final int payloadLength)
    {
        // RFC 7714 8.2: the header (CSRCs and extension included) is the AAD, the payload the ciphertext.
        final Ghash ghash = rtpHash;
        ghash.update(packet, offset, headerLength);
        ghash.pad();
        ghash.update(packet, offset + headerLength, payloadLength);
        ghash.digest(headerLength, payloadLength, hash, 0);
    }

    private void hashEncryptedRtcp(final byte[] packet, final int offset, final int rtcpLength, final int indexWord)
    {
        // RFC 7714 9.2: AAD = first 8 bytes || E and index; the rest of the packet is the ciphertext.
        putInt(word, 0, indexWord);
        final Ghash ghash = rtcpHash;
        ghash.update(packet, offset, 8);
        ghash.update(word, 0, INDEX_LENGTH);
        ghash.pad();
        ghash.update(packet, offset + 8, rtcpLength - 8);
        ghash.digest(8 + INDEX_LENGTH, rtcpLength - 8, hash, 0);
    }

    private void startRtp(final int ssrc, final long index)
    {
        // RFC 7714 8.1: IV = salt XOR (00 00 || SSRC || ROC || SEQ); J0 = IV || 0^31 || 1.
        final byte[] counter = this.counter;
        System.arraycopy(rtpSalt, 0, counter, 0, SALT_LENGTH);
        counter[2] ^= (byte)(ssrc >>> 24);
        counter[3] ^= (byte)(ssrc >>> 16);
        counter[4] ^= (byte)(ssrc >>> 8);
        counter[5] ^= (byte)ssrc;
        xorInt(counter, 6, (int)(index >>> 16));
        counter[10] ^= (byte)(index >>> 8);
        counter[11] ^= (byte)index;
        startCounter(rtpCipher);
    }

    private void startRtcp(final int ssrc, final int index)
    {
        // RFC 7714 9.1: IV = salt XOR (00 00 || SSRC || 00 00 || 0 || SRTCP index).
        final byte[] counter = this.counter;
        System.arraycopy(rtcpSalt, 0, counter, 0, SALT_LENGTH);
        counter[2] ^= (byte)(ssrc >>> 24);
        counter[3] ^= (byte)(ssrc >>> 16);
        counter[4] ^= (byte)(ssrc >>> 8);
        counter[5] ^= (byte)ssrc;
        xorInt(counter, 8, index);
        startCounter(rtcpCipher);
    }

    private void startCounter(final AesCtr cipher)
    {
        // E(K, J0) masks the tag; the payload keystream continues from J0 + 1.
        counter[12] = 0;
        counter[13] = 0;
        counter[14] = 0;
        counter[15] = 1;
        cipher.start(counter);
        cipher.apply(zeros, 0, AesCtr.BLOCK_LENGTH, mask, 0);
    }

    private void writeTag(final byte[] packet, final int tagOffset)
    {
        for (int i = 0; i < TAG_LENGTH; i++)
        {
            packet[tagOffset + i] = (byte)(hash[i] ^ mask[i]);
        }
    }

    private boolean tagMatches(final byte[] packet, final int tagOffset)
    {
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++)
        {
            diff |= (hash[i] ^ mask[i]) ^ packet[tagOffset + i];
        }
        return diff == 0;
    }

    private static byte[] hashSubkey(final AesCtr cipher)
    {
        // H = E(K, 0^128): the first keystream block of a zero counter.
        final byte[] h = new byte[AesCtr.BLOCK_LENGTH];
        cipher.start(new byte[AesCtr.BLOCK_LENGTH]);
        cipher.apply(h, 0, AesCtr.BLOCK_LENGTH, h, 0);
        return h;
    }
}
