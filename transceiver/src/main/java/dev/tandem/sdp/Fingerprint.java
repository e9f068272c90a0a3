package dev.tandem.sdp;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;

/**
 * A certificate fingerprint from {@code a=fingerprint:<hash-function> <hex:hex:...>} (RFC 8122 5, RFC 8842 5). The
 * DTLS layer compares the peer's certificate against the sha-256 one; the others are kept only to say what was
 * offered.
 */
public final class Fingerprint
{
    /** The only hash function we accept, as written in SDP. */
    public static final String SHA_256 = "sha-256";
    /** Length of a SHA-256 digest. */
    public static final int SHA_256_LENGTH_BYTES = 32;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String algorithm;
    private final String value;
    private final byte[] digest;

    private Fingerprint(final String algorithm, final String value, final byte[] digest)
    {
        this.algorithm = algorithm;
        this.value = value;
        this.digest = digest;
    }

    /**
     * @param digest a SHA-256 digest of a DER certificate.
     * @return the fingerprint as it appears in SDP.
     * @throws IllegalArgumentException when the digest is not 32 bytes.
     */
    public static Fingerprint sha256(final byte[] digest)
    {
        if (digest == null || digest.length != SHA_256_LENGTH_BYTES)
        {
            throw new IllegalArgumentException("a sha-256 fingerprint is " + SHA_256_LENGTH_BYTES + " bytes");
        }
        return new Fingerprint(SHA_256, format(digest), digest.clone());
    }

    /**
     * Parse the value of an a=fingerprint attribute without throwing.
     *
     * @param attributeValue e.g. {@code sha-256 0B:21:...}.
     * @return the fingerprint, or null when the text is not {@code <token> SP <hex pairs separated by colons>}.
     */
    static Fingerprint parse(final String attributeValue)
    {
        final int space = attributeValue.indexOf(' ');
        if (space <= 0)
        {
            return null;
        }
        final String algorithm = attributeValue.substring(0, space).toLowerCase(Locale.ROOT);
        final String value = attributeValue.substring(space + 1).trim();
        if (!SdpChars.isToken(algorithm) || value.length() < 2 || (value.length() + 1) % 3 != 0)
        {
            return null;
        }
        final byte[] digest = new byte[(value.length() + 1) / 3];
        for (int i = 0, b = 0; i < value.length(); i += 3, b++)
        {
            final int high = hexValue(value.charAt(i));
            final int low = hexValue(value.charAt(i + 1));
            if (high < 0 || low < 0 || (i + 2 < value.length() && value.charAt(i + 2) != ':'))
            {
                return null;
            }
            digest[b] = (byte)((high << 4) | low);
        }
        return new Fingerprint(algorithm, value.toUpperCase(Locale.ROOT), digest);
    }

    private static int hexValue(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        return -1;
    }

    /**
     * @param digest bytes of a digest.
     * @return upper-case hex pairs separated by colons, e.g. {@code 0B:21:01}.
     */
    public static String format(final byte[] digest)
    {
        final StringBuilder out = new StringBuilder(digest.length * 3);
        for (int i = 0; i < digest.length; i++)
        {
            if (i > 0)
            {
                out.append(':');
            }
            out.append(HEX[(digest[i] >> 4) & 0xF]).append(HEX[digest[i] & 0xF]);
        }
        return out.toString();
    }

    /**
     * @return the hash function in lower case, e.g. {@code sha-256}.
     */
    public String algorithm()
    {
        return algorithm;
    }

    /**
     * @return the digest as upper-case hex pairs separated by colons.
     */
    public String value()
    {
        return value;
    }

    /**
     * @return a copy of the digest bytes.
     */
    public byte[] digest()
    {
        return digest.clone();
    }

    /**
     * @return true for a sha-256 fingerprint of the right length.
     */
    public boolean isSha256()
    {
        return SHA_256.equals(algorithm) && digest.length == SHA_256_LENGTH_BYTES;
    }

    /**
     * @param candidate a digest to compare, e.g. of the certificate the peer presented.
     * @return true when it equals this fingerprint's digest (constant time in the digest length).
     */
    public boolean matches(final byte[] candidate)
    {
        return candidate != null && MessageDigest.isEqual(digest, candidate);
    }

    /**
     * @return the attribute value, e.g. {@code sha-256 0B:21:...}.
     */
    public String attributeValue()
    {
        return algorithm + ' ' + value;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Fingerprint &&
            algorithm.equals(((Fingerprint)other).algorithm) && Arrays.equals(digest, ((Fingerprint)other).digest);
    }

    @Override
    public int hashCode()
    {
        return algorithm.hashCode() * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString()
    {
        return attributeValue();
    }
}
