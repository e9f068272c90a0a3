package dev.tandem.srtp;

/**
 * The SRTP key derivation function with key_derivation_rate 0 (RFC 3711 4.3.1, 4.3.3), as DTLS-SRTP uses it (RFC
 * 5764 4.2): each session key is the AES-CM keystream of the master key at
 * {@code IV = (master_salt XOR (label || 0^48)) * 2^16}. A 12-byte GCM master salt is taken as the leading bytes of
 * the 112-bit value, the rest zero (RFC 7714 11, as libsrtp does). Cold path: allocates.
 */
final class SrtpKdf
{
    /** RFC 3711 4.3.1 labels. */
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTHENTICATION = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTHENTICATION = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private static final int SALT_FIELD_LENGTH = 14;
    private static final int LABEL_POSITION = 7;

    private SrtpKdf()
    {
    }

    /**
     * @param masterKey  16-byte AES-128 master key.
     * @param masterSalt 14-byte (AES-CM) or 12-byte (GCM) master salt.
     * @param label      one of the {@code LABEL_*} values.
     * @param length     bytes of session key material to derive.
     * @return the derived bytes.
     */
    static byte[] derive(final byte[] masterKey, final byte[] masterSalt, final int label, final int length)
    {
        if (masterSalt.length > SALT_FIELD_LENGTH)
        {
            throw new IllegalArgumentException("master salt longer than 112 bits: " + masterSalt.length);
        }
        final byte[] iv = new byte[AesCtr.BLOCK_LENGTH];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[LABEL_POSITION] ^= (byte)label;
        final byte[] out = new byte[length];
        final AesCtr prf = AesCtr.create(masterKey, false);
        prf.start(iv);
        prf.apply(out, 0, length, out, 0);
        return out;
    }
}
