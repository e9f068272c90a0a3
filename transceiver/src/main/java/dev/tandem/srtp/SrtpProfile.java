package dev.tandem.srtp;

/**
 * The SRTP protection profiles Tandem speaks, with their DTLS-SRTP ids (RFC 5764 4.1.2, RFC 7714 14.2) and the
 * lengths of their master key and salt (what DTLS exports for each side).
 */
public enum SrtpProfile
{
    /** AES-128 counter mode with an 80-bit HMAC-SHA1 tag (RFC 3711 4.1.1, 4.2.1; RFC 5764 4.1.2). */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 14),
    /** AES-128 GCM with a 128-bit tag (RFC 7714; DTLS-SRTP id in RFC 7714 14.2). */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 20);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int rtpTrailerLength;
    private final int rtcpTrailerLength;

    SrtpProfile(
        final int id,
        final int keyLength,
        final int saltLength,
        final int rtpTrailerLength,
        final int rtcpTrailerLength)
    {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.rtpTrailerLength = rtpTrailerLength;
        this.rtcpTrailerLength = rtcpTrailerLength;
    }

    /**
     * @return the DTLS-SRTP protection profile id (the {@code use_srtp} extension's value).
     */
    public int id()
    {
        return id;
    }

    /**
     * @return master (and session) encryption key length in bytes.
     */
    public int keyLength()
    {
        return keyLength;
    }

    /**
     * @return master (and session) salt length in bytes.
     */
    public int saltLength()
    {
        return saltLength;
    }

    /**
     * @return bytes {@link SrtpContext#protectRtp} appends: the authentication tag.
     */
    public int rtpTrailerLength()
    {
        return rtpTrailerLength;
    }

    /**
     * @return bytes {@link SrtpContext#protectRtcp} appends: E flag with SRTCP index, and the tag.
     */
    public int rtcpTrailerLength()
    {
        return rtcpTrailerLength;
    }

    /**
     * @return how many bytes of keying material DTLS must export for this profile (RFC 5764 4.2): both sides'
     * master keys and salts.
     */
    public int keyingMaterialLength()
    {
        return 2 * (keyLength + saltLength);
    }

    /**
     * @param id a DTLS-SRTP protection profile id.
     * @return the profile, or null when Tandem does not implement it.
     */
    public static SrtpProfile fromId(final int id)
    {
        switch (id)
        {
            case 0x0001:
                return AES_CM_128_HMAC_SHA1_80;
            case 0x0007:
                return AEAD_AES_128_GCM;
            default:
                return null;
        }
    }
}
