package dev.tandem.dtls;

/**
 * The SRTP protection profiles that Tandem negotiates in the DTLS {@code use_srtp} extension (RFC 5764 4.1.2), with
 * the key and salt lengths that size the exported keying material (RFC 5764 4.2).
 * <pre>
 *   id      name                             master key   master salt
 *   0x0001  SRTP_AES128_CM_HMAC_SHA1_80      16 bytes     14 bytes    (RFC 5764 4.1.2)
 *   0x0007  SRTP_AEAD_AES_128_GCM            16 bytes     12 bytes    (RFC 7714 12)
 * </pre>
 * Chromium prefers 0x0001 and Firefox 0x0007; a server picks by the client's order.
 */
public final class DtlsSrtpProfile
{
    /** SRTP_AES128_CM_HMAC_SHA1_80. */
    public static final int AES128_CM_HMAC_SHA1_80 = 0x0001;
    /** SRTP_AEAD_AES_128_GCM. */
    public static final int AEAD_AES_128_GCM = 0x0007;

    private DtlsSrtpProfile()
    {
    }

    /**
     * @param profileId a protection profile id from the wire.
     * @return true when Tandem's SRTP can run the profile.
     */
    public static boolean isSupported(final int profileId)
    {
        return profileId == AES128_CM_HMAC_SHA1_80 || profileId == AEAD_AES_128_GCM;
    }

    /**
     * @param profileId a supported profile id.
     * @return the master key length in bytes.
     * @throws IllegalArgumentException for an unsupported profile.
     */
    public static int keyLengthBytes(final int profileId)
    {
        check(profileId);
        return 16;
    }

    /**
     * @param profileId a supported profile id.
     * @return the master salt length in bytes.
     * @throws IllegalArgumentException for an unsupported profile.
     */
    public static int saltLengthBytes(final int profileId)
    {
        check(profileId);
        return profileId == AEAD_AES_128_GCM ? 12 : 14;
    }

    /**
     * @param profileId a profile id.
     * @return its RFC name, or a hex form for an unknown id.
     */
    public static String name(final int profileId)
    {
        switch (profileId)
        {
            case AES128_CM_HMAC_SHA1_80:
                return "SRTP_AES128_CM_HMAC_SHA1_80";
            case AEAD_AES_128_GCM:
                return "SRTP_AEAD_AES_128_GCM";
            default:
                return String.format("0x%04x", profileId);
        }
    }

    /**
     * Parse a comma-separated list of profile names or ids (for configuration), in preference order.
     *
     * @param text e.g. {@code SRTP_AES128_CM_HMAC_SHA1_80,SRTP_AEAD_AES_128_GCM} or {@code 0x0001,0x0007}.
     * @return the profile ids.
     * @throws IllegalArgumentException for an unknown or unsupported profile, a duplicate, or an empty list.
     */
    public static int[] parseList(final String text)
    {
        final String[] parts = text.split(",");
        final int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            final String part = parts[i].trim();
            final int id;
            if (part.equalsIgnoreCase(name(AES128_CM_HMAC_SHA1_80)))
            {
                id = AES128_CM_HMAC_SHA1_80;
            }
            else if (part.equalsIgnoreCase(name(AEAD_AES_128_GCM)))
            {
                id = AEAD_AES_128_GCM;
            }
            else if (part.startsWith("0x") || part.startsWith("0X"))
            {
                id = Integer.parseInt(part.substring(2), 16);
            }
            else
            {
                throw new IllegalArgumentException("unknown SRTP profile '" + part + "'");
            }
            check(id);
            for (int j = 0; j < i; j++)
            {
                if (ids[j] == id)
                {
                    throw new IllegalArgumentException("SRTP profile listed twice: " + name(id));
                }
            }
            ids[i] = id;
        }
        return ids;
    }

    private static void check(final int profileId)
    {
        if (!isSupported(profileId))
        {
            throw new IllegalArgumentException("unsupported SRTP profile " + name(profileId));
        }
    }
}
