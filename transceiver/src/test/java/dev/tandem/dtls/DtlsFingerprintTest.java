package dev.tandem.dtls;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtlsFingerprintTest
{
    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate(new SecureRandom());

    @Test
    void parsesTheSdpFormInEitherCaseAndWithoutAHashName()
    {
        final String hex = CERTIFICATE.fingerprintSha256();
        assertTrue(DtlsFingerprint.parse("sha-256 " + hex).matches(CERTIFICATE.certificateDer()));
        assertTrue(DtlsFingerprint.parse("SHA-256 " + hex.toLowerCase()).matches(CERTIFICATE.certificateDer()));
        assertTrue(DtlsFingerprint.parse("  " + hex + " ").matches(CERTIFICATE.certificateDer()));
        assertEquals("sha-256 " + hex, DtlsFingerprint.parse(hex.toLowerCase()).toString());
    }

    @Test
    void doesNotMatchAnotherCertificate()
    {
        final DtlsFingerprint fingerprint = DtlsFingerprint.parse(CERTIFICATE.sdpFingerprint());
        assertFalse(fingerprint.matches(DtlsCertificate.generate(new SecureRandom()).certificateDer()));
        final byte[] altered = CERTIFICATE.certificateDer();
        altered[altered.length - 1] ^= 1;
        assertFalse(fingerprint.matches(altered));
    }

    @Test
    void acceptsSha384AndSha512() throws Exception
    {
        final byte[] der = CERTIFICATE.certificateDer();
        final byte[] sha384 = java.security.MessageDigest.getInstance("SHA-384").digest(der);
        final DtlsFingerprint fingerprint = DtlsFingerprint.parse("sha-384 " + DtlsFingerprint.toHex(sha384));
        assertEquals("sha-384", fingerprint.hashFunction());
        assertTrue(fingerprint.matches(der));
        final byte[] sha512 = java.security.MessageDigest.getInstance("SHA-512").digest(der);
        assertTrue(DtlsFingerprint.parse("sha-512 " + DtlsFingerprint.toHex(sha512)).matches(der));
    }

    @Test
    void rejectsBadValuesNamingTheProblem()
    {
        final String hex = CERTIFICATE.fingerprintSha256();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-1 " + hex))
            .getMessage().contains("unsupported"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse(hex.substring(3)))
            .getMessage().contains("32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("G" + hex.substring(1)))
            .getMessage().contains("byte 0"));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse(hex.replace(':', '-')));
    }

    @Test
    void hexIsUpperCaseColonSeparated()
    {
        assertEquals("00:0A:FF", DtlsFingerprint.toHex(new byte[]{ 0, 10, (byte)255 }));
        assertEquals(CERTIFICATE.sdpFingerprint(), DtlsFingerprint.of(CERTIFICATE.certificateDer()).toString());
        final byte[] emptyDigest = DtlsFingerprint.sha256(new byte[0]);
        assertArrayEquals(new byte[]{ (byte)0xE3, (byte)0xB0 }, java.util.Arrays.copyOf(emptyDigest, 2));
    }
}
