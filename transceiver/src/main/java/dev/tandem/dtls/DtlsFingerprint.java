package dev.tandem.dtls;

import dev.tandem.sdp.Fingerprint;

import java.security.MessageDigest;
import java.util.Locale;

/**
 * A certificate fingerprint as an SDP {@code a=fingerprint} attribute carries it (RFC 8122 5):
 * <pre>
 *   fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint
 *   hash-func             = "sha-256" / "sha-384" / "sha-512" / ...
 *   fingerprint           = 2UHEX *(":" 2UHEX)
 * </pre>
 * The peer's DTLS certificate must hash to it (RFC 8827 6.5). Browsers send {@code sha-256}; {@code sha-384} and
 * {@code sha-512} are accepted too. Hex digits are read in either case. Immutable.
 */
public final class DtlsFingerprint
{
    /** The SDP name of SHA-256. */
    public static final String SHA_256 = "sha-256";


    private final String hashFunction;
    private final String jcaAlgorithm;
    private final byte[] digest;

    private DtlsFingerprint(final String hashFunction, final String jcaAlgorithm, final byte[] digest)
    {
        this.hashFunction = hashFunction;
        this.jcaAlgorithm = jcaAlgorithm;
        this.digest = digest;
    }

    /**
     * Parse the value of an {@code a=fingerprint} attribute. A value without a hash function is read as SHA-256.
     *
     * @param value e.g. {@code sha-256 AB:CD:...} or {@code AB:CD:...}.
     * @return the fingerprint.
     * @throws IllegalArgumentException naming what is wrong: an unsupported hash function, bad hex, or a length that
     *     does not fit the hash function.
     */
    public static DtlsFingerprint parse(final String value)
    {
        final String trimmed = value.trim();
        final int space = trimmed.indexOf(' ');
        final String hashFunction = space < 0 ? SHA_256 : trimmed.substring(0, space).toLowerCase(Locale.ROOT);
        final String hex = space < 0 ? trimmed : trimmed.substring(space + 1).trim();
        final String jcaAlgorithm;
        final int lengthBytes;
        switch (hashFunction)
        {
            case SHA_256:
                jcaAlgorithm = "SHA-256";
                lengthBytes = 32;
                break;
            case "sha-384":
                jcaAlgorithm = "SHA-384";
                lengthBytes = 48;
                break;
            case "sha-512":
                jcaAlgorithm = "SHA-512";
                lengthBytes = 64;
                break;
            default:
                throw new IllegalArgumentException("unsupported fingerprint hash function '" + hashFunction + "'");
        }
        // RFC 8122 5: pairs of hex digits separated by colons
        if (hex.length() != lengthBytes * 3 - 1)
        {
            throw new IllegalArgumentException(
                hashFunction + " fingerprint must have " + lengthBytes + " colon-separated bytes: '" + hex + "'");
        }
        final byte[] digest = new byte[lengthBytes];
        for (int i = 0; i < lengthBytes; i++)
        {
            final int at = i * 3;
            final int high = Character.digit(hex.charAt(at), 16);
            final int low = Character.digit(hex.charAt(at + 1), 16);
            if (high < 0 || low < 0 || (i + 1 < lengthBytes && hex.charAt(at + 2) != ':'))
            {
                throw new IllegalArgumentException("bad fingerprint hex at byte " + i + ": '" + hex + "'");
            }
            digest[i] = (byte)((high << 4) | low);
        }
        return new DtlsFingerprint(hashFunction, jcaAlgorithm, digest);
    }

    /**
     * @param certificateDer a DER certificate.
     * @return the SHA-256 fingerprint of it.
     */
    public static DtlsFingerprint of(final byte[] certificateDer)
    {
        return new DtlsFingerprint(SHA_256, "SHA-256", sha256(certificateDer));
    }

    /**
     * @param certificateDer the DER encoding of the peer's certificate.
     * @return true when it hashes to this fingerprint (compared in constant time).
     */
    public boolean matches(final byte[] certificateDer)
    {
        return MessageDigest.isEqual(digest, DtlsCertificate.digest(jcaAlgorithm, certificateDer));
    }

    /**
     * @return the SDP hash function name, e.g. {@code sha-256}.
     */
    public String hashFunction()
    {
        return hashFunction;
    }

    /**
     * @return the SDP attribute value: {@code sha-256 AB:CD:...}.
     */
    @Override
    public String toString()
    {
        return hashFunction + " " + toHex(digest);
    }

    static byte[] sha256(final byte[] data)
    {
        return DtlsCertificate.digest("SHA-256", data);
    }

    static String toHex(final byte[] bytes)
    {
        return Fingerprint.format(bytes);
    }
}
