package dev.tandem.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local DTLS identity: an ECDSA P-256 key pair and a self-signed X.509 certificate for it. WebRTC trusts no CA;
 * each side pins the other's certificate by the SHA-256 fingerprint carried in SDP (RFC 8122 5, RFC 8827 6.5), so the
 * subject and validity only need to parse. Immutable and thread-safe; one certificate serves every session.
 * <p>
 * Saved as one PEM file holding the certificate and the PKCS#8 private key, written readable by the owner only.
 */
public final class DtlsCertificate
{
    /** Validity of a generated certificate; browsers do not check it for WebRTC, other stacks might. */
    public static final Duration VALIDITY = Duration.ofDays(365);

    private static final String CERTIFICATE_PEM = "CERTIFICATE";
    private static final String PRIVATE_KEY_PEM = "PRIVATE KEY";

    private final byte[] certificateDer;
    private final PrivateKey privateKey;
    private final AsymmetricKeyParameter privateKeyParameter;
    private final byte[] fingerprint;
    private final String fingerprintSha256;

    private DtlsCertificate(final byte[] certificateDer, final PrivateKey privateKey)
    {
        this.certificateDer = certificateDer;
        this.privateKey = privateKey;
        try
        {
            this.privateKeyParameter = PrivateKeyFactory.createKey(privateKey.getEncoded());
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("private key cannot be read by Bouncy Castle", ex);
        }
        this.fingerprint = DtlsFingerprint.sha256(certificateDer);
        this.fingerprintSha256 = DtlsFingerprint.toHex(fingerprint);
    }

    /**
     * Generate a new key pair and a self-signed certificate, valid from a day ago for {@link #VALIDITY}.
     *
     * @param random the randomness for the key, the serial number and the signature.
     * @return the new certificate.
     */
    public static DtlsCertificate generate(final SecureRandom random)
    {
        Objects.requireNonNull(random, "random");
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            final KeyPair keyPair = generator.generateKeyPair();

            final Instant now = Instant.now();
            final byte[] serial = new byte[8];
            random.nextBytes(serial);
            final X500Name subject = new X500Name("CN=tandem");
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                new BigInteger(1, serial),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(VALIDITY)),
                subject,
                keyPair.getPublic());
            final ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA")
                .setSecureRandom(random)
                .build(keyPair.getPrivate());
            return new DtlsCertificate(builder.build(signer).getEncoded(), keyPair.getPrivate());
        }
        catch (final GeneralSecurityException | OperatorCreationException | IOException ex)
        {
            throw new IllegalStateException("cannot generate an ECDSA P-256 certificate", ex);
        }
    }

    /**
     * Load a certificate and its private key saved by {@link #save(Path)}.
     *
     * @param path the PEM file.
     * @return the certificate.
     * @throws IOException when the file is unreadable, lacks a part, or its key does not match its certificate.
     */
    public static DtlsCertificate load(final Path path) throws IOException
    {
        final String pem = Files.readString(path, StandardCharsets.US_ASCII);
        final byte[] certificateDer = pemBlock(pem, CERTIFICATE_PEM, path);
        final byte[] keyDer = pemBlock(pem, PRIVATE_KEY_PEM, path);
        try
        {
            final X509Certificate certificate = (X509Certificate)CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(certificateDer));
            final PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(keyDer));
            if (!(privateKey instanceof ECPrivateKey) ||
                ((ECPrivateKey)privateKey).getParams().getCurve().getField().getFieldSize() != 256)
            {
                throw new IOException(path + ": the key is not an ECDSA P-256 key");
            }
            checkKeyPair(certificate.getPublicKey(), privateKey, path);
            return new DtlsCertificate(certificateDer, privateKey);
        }
        catch (final GeneralSecurityException | IllegalArgumentException ex)
        {
            throw new IOException(path + ": not a valid certificate and EC private key", ex);
        }
    }

    /**
     * Load the certificate at a path when the file exists, else generate one and save it there, so a restarted
     * transceiver keeps its fingerprint.
     *
     * @param path   the PEM file.
     * @param random randomness for a new certificate.
     * @return the loaded or new certificate.
     * @throws IOException when the file exists but is invalid, or cannot be written.
     */
    public static DtlsCertificate loadOrGenerate(final Path path, final SecureRandom random) throws IOException
    {
        if (Files.exists(path))
        {
            return load(path);
        }
        final DtlsCertificate certificate = generate(random);
        certificate.save(path);
        return certificate;
    }

    /**
     * Write the certificate and the private key as PEM, readable by the owner only (where the file system has POSIX
     * permissions). The file is written beside the target and moved in place.
     *
     * @param path the PEM file to create or replace.
     * @throws IOException when it cannot be written.
     */
    public void save(final Path path) throws IOException
    {
        final Path absolute = path.toAbsolutePath();
        final Path directory = absolute.getParent();
        if (directory != null)
        {
            Files.createDirectories(directory);
        }
        final String pem = pem(CERTIFICATE_PEM, certificateDer) + pem(PRIVATE_KEY_PEM, privateKey.getEncoded());
        final Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try
        {
            Files.createFile(
                temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.createFile(temporary);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IOException("cannot create " + temporary, ex);
        }
        Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * @return the SHA-256 digest of the DER certificate (a copy).
     */
    public byte[] fingerprintDigest()
    {
        return fingerprint.clone();
    }

    /**
     * @return the SHA-256 fingerprint of the DER certificate as upper-case hex pairs joined by colons,
     *     {@code AB:CD:...} (RFC 8122 5).
     */
    public String fingerprintSha256()
    {
        return fingerprintSha256;
    }

    /**
     * @return the value of an SDP {@code a=fingerprint} attribute: {@code sha-256 AB:CD:...}.
     */
    public String sdpFingerprint()
    {
        return DtlsFingerprint.SHA_256 + " " + fingerprintSha256;
    }

    /**
     * @return a copy of the DER encoding of the certificate.
     */
    public byte[] certificateDer()
    {
        return certificateDer.clone();
    }

    byte[] certificateDerShared()
    {
        return certificateDer;
    }

    PrivateKey privateKey()
    {
        return privateKey;
    }

    AsymmetricKeyParameter privateKeyParameter()
    {
        return privateKeyParameter;
    }

    /**
     * @param other a fingerprint parsed from SDP.
     * @return true when it names this certificate.
     */
    public boolean matches(final DtlsFingerprint other)
    {
        return other.matches(certificateDer);
    }

    /**
     * @return the SDP form of the fingerprint.
     */
    @Override
    public String toString()
    {
        return sdpFingerprint();
    }

    private static void checkKeyPair(final PublicKey publicKey, final PrivateKey privateKey, final Path path)
        throws GeneralSecurityException, IOException
    {
        final byte[] probe = "tandem key check".getBytes(StandardCharsets.US_ASCII);
        final Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(probe);
        final byte[] signature = signer.sign();
        final Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(signature))
        {
            throw new IOException(path + ": the private key does not belong to the certificate");
        }
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" +
            Base64.getMimeEncoder(64, new byte[]{ '\n' }).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBlock(final String pem, final String type, final Path path) throws IOException
    {
        final String begin = "-----BEGIN " + type + "-----";
        final String end = "-----END " + type + "-----";
        final int start = pem.indexOf(begin);
        final int stop = start < 0 ? -1 : pem.indexOf(end, start);
        if (start < 0 || stop < 0)
        {
            throw new IOException(path + ": no " + type + " block");
        }
        try
        {
            return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), stop));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(path + ": bad base64 in the " + type + " block", ex);
        }
    }

    static byte[] digest(final String algorithm, final byte[] data)
    {
        try
        {
            return MessageDigest.getInstance(algorithm).digest(data);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(algorithm + " is missing from this JDK", ex);
        }
    }
}
