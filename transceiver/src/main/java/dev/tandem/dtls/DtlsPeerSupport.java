package dev.tandem.dtls;

import java.io.IOException;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * What the DTLS server and client share: cipher suites, signing credentials, the fingerprint check and the SRTP key
 * export.
 */
final class DtlsPeerSupport
{
    /**
     * ECDHE_ECDSA with AEAD only, AES-128-GCM first (RFC 8827 6.5 makes it mandatory to implement). ECDSA because the
     * certificate is ECDSA P-256: offering RSA suites would let Bouncy Castle pick one it has no key for.
     */
    static final int[] CIPHER_SUITES =
    {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    private DtlsPeerSupport()
    {
    }

    /**
     * @param context       the handshake's context.
     * @param crypto        the crypto the handshake runs on.
     * @param certificate   the local certificate.
     * @param tlsCertificate the same certificate as Bouncy Castle's crypto parsed it.
     * @param peerSigAlgs   the signature algorithms the peer accepts, or null when it sent none.
     * @return credentials that sign ServerKeyExchange or CertificateVerify with the local ECDSA key.
     */
    static TlsCredentialedSigner signer(
        final TlsContext context,
        final TlsCrypto crypto,
        final DtlsCertificate certificate,
        final Certificate tlsCertificate,
        final Vector<?> peerSigAlgs) throws IOException
    {
        // RFC 5246 7.4.1.4.1: the first ECDSA pair the peer lists, or SHA-1 when it sent no list
        final SignatureAndHashAlgorithm algorithm =
            TlsUtils.chooseSignatureAndHashAlgorithm(context, peerSigAlgs, SignatureAlgorithm.ecdsa);
        final TlsCryptoParameters parameters = new TlsCryptoParameters(context);
        if (crypto instanceof BcTlsCrypto)
        {
            return new BcDefaultTlsCredentialedSigner(
                parameters, (BcTlsCrypto)crypto, certificate.privateKeyParameter(), tlsCertificate, algorithm);
        }
        return new JcaDefaultTlsCredentialedSigner(
            parameters, (JcaTlsCrypto)crypto, certificate.privateKey(), tlsCertificate, algorithm);
    }

    /**
     * RFC 8827 6.5: the peer's end-entity certificate must match the fingerprint from its SDP.
     *
     * @return the SHA-256 fingerprint of the peer's certificate, for the result.
     * @throws TlsFatalAlert (recording the reason on the endpoint) when it is missing or does not match.
     */
    static String checkPeerCertificate(
        final DtlsEndpoint endpoint, final Certificate peerCertificate, final DtlsFingerprint expected)
        throws IOException
    {
        if (peerCertificate == null || peerCertificate.isEmpty())
        {
            throw endpoint.handshakeFailure(
                DtlsFailure.CERTIFICATE_REQUIRED, AlertDescription.handshake_failure, "peer sent no certificate");
        }
        final TlsCertificate endEntity = peerCertificate.getCertificateAt(0);
        final byte[] der = endEntity.getEncoded();
        if (!expected.matches(der))
        {
            throw endpoint.handshakeFailure(
                DtlsFailure.FINGERPRINT_MISMATCH,
                AlertDescription.bad_certificate,
                "certificate " + DtlsFingerprint.of(der) + " does not match " + expected);
        }
        return DtlsFingerprint.toHex(DtlsFingerprint.sha256(der));
    }

    /**
     * Export the SRTP keying material (RFC 5764 4.2). Must run inside {@code notifyHandshakeComplete()}: once the
     * handshake method returns Bouncy Castle has cleared the master secret.
     */
    static DtlsHandshakeResult export(
        final TlsContext context,
        final DtlsRole role,
        final int srtpProfileId,
        final String remoteFingerprint,
        final long handshakeNs)
    {
        final int lengthBytes =
            2 * (DtlsSrtpProfile.keyLengthBytes(srtpProfileId) + DtlsSrtpProfile.saltLengthBytes(srtpProfileId));
        final byte[] keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, lengthBytes);
        try
        {
            return new DtlsHandshakeResult(
                role,
                srtpProfileId,
                context.getSecurityParametersConnection().getCipherSuite(),
                keyingMaterial,
                remoteFingerprint,
                handshakeNs);
        }
        finally
        {
            java.util.Arrays.fill(keyingMaterial, (byte)0);
        }
    }

    /**
     * RFC 5764 4.1.3: the profile the server selects from the client's list, honouring the client's order (what
     * browsers expect: Chromium lists AES-CM first, Firefox AES-GCM).
     *
     * @return the first profile of the client's list that is also in ours, or -1.
     */
    static int selectSrtpProfile(final int[] clientProfiles, final int[] serverProfiles)
    {
        for (final int offered : clientProfiles)
        {
            for (final int supported : serverProfiles)
            {
                if (offered == supported)
                {
                    return offered;
                }
            }
        }
        return -1;
    }
}
