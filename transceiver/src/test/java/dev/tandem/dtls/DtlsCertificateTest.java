package dev.tandem.dtls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtlsCertificateTest
{
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void generatesAnEcdsaP256SelfSignedCertificateWithAnSdpFingerprint() throws Exception
    {
        final DtlsCertificate certificate = DtlsCertificate.generate(RANDOM);
        final X509Certificate x509 = (X509Certificate)CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(certificate.certificateDer()));

        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(256, ((ECPublicKey)x509.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        x509.verify(x509.getPublicKey());
        x509.checkValidity();
        assertTrue(certificate.fingerprintSha256().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"),
            certificate.fingerprintSha256());
        assertEquals("sha-256 " + certificate.fingerprintSha256(), certificate.sdpFingerprint());
        final byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(certificate.certificateDer());
        assertEquals(String.format("%02X", digest[0] & 0xFF), certificate.fingerprintSha256().substring(0, 2));
        assertTrue(certificate.matches(DtlsFingerprint.parse(certificate.sdpFingerprint())));
        assertNotEquals(certificate.fingerprintSha256(), DtlsCertificate.generate(RANDOM).fingerprintSha256());
    }

    @Test
    void savesAndLoadsTheSameIdentityReadableByTheOwnerOnly(@TempDir final Path directory) throws IOException
    {
        final DtlsCertificate certificate = DtlsCertificate.generate(RANDOM);
        final Path file = directory.resolve("dtls.pem");
        certificate.save(file);

        final DtlsCertificate loaded = DtlsCertificate.load(file);
        assertEquals(certificate.fingerprintSha256(), loaded.fingerprintSha256());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
            Files.getPosixFilePermissions(file));
        assertEquals(certificate.fingerprintSha256(), DtlsCertificate.loadOrGenerate(file, RANDOM).fingerprintSha256());
        final Path fresh = directory.resolve("sub/new.pem");
        final DtlsCertificate created = DtlsCertificate.loadOrGenerate(fresh, RANDOM);
        assertEquals(created.fingerprintSha256(), DtlsCertificate.load(fresh).fingerprintSha256());
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate(@TempDir final Path directory) throws IOException
    {
        final Path first = directory.resolve("first.pem");
        final Path second = directory.resolve("second.pem");
        DtlsCertificate.generate(RANDOM).save(first);
        DtlsCertificate.generate(RANDOM).save(second);
        final String firstPem = Files.readString(first);
        final String secondPem = Files.readString(second);
        final String mixed = firstPem.substring(0, firstPem.indexOf("-----BEGIN PRIVATE KEY")) +
            secondPem.substring(secondPem.indexOf("-----BEGIN PRIVATE KEY"));
        final Path mixedFile = directory.resolve("mixed.pem");
        Files.writeString(mixedFile, mixed, StandardCharsets.US_ASCII);

        final IOException error = assertThrows(IOException.class, () -> DtlsCertificate.load(mixedFile));
        assertTrue(error.getMessage().contains("does not belong"), error.getMessage());
        final Path noKey = directory.resolve("nokey.pem");
        Files.writeString(noKey, firstPem.substring(0, firstPem.indexOf("-----BEGIN PRIVATE KEY")));
        assertFalse(assertThrows(IOException.class, () -> DtlsCertificate.load(noKey)).getMessage().isEmpty());
    }
}
