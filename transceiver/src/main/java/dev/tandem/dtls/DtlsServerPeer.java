package dev.tandem.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * Bouncy Castle's server callbacks for one handshake: DTLS 1.2 only, ECDHE_ECDSA, extended master secret required,
 * a client certificate required and pinned to the SDP fingerprint, {@code use_srtp} chosen in the client's order.
 * Runs on the handshake thread.
 */
final class DtlsServerPeer extends DefaultTlsServer
{
    private final DtlsEndpoint endpoint;
    private final DtlsEndpointFactory factory;
    private int srtpProfileId = -1;
    private String remoteFingerprint;

    DtlsServerPeer(final TlsCrypto crypto, final DtlsEndpointFactory factory, final DtlsEndpoint endpoint)
    {
        super(crypto);
        this.factory = factory;
        this.endpoint = endpoint;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions()
    {
        // Browsers offer DTLS 1.3 and 1.2; Bouncy Castle speaks DTLS 1.2 only.
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites()
    {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsPeerSupport.CIPHER_SUITES);
    }

    @Override
    protected boolean preferLocalCipherSuites()
    {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis()
    {
        return factory.handshakeTimeoutMs();
    }

    @Override
    public int getHandshakeResendTimeMillis()
    {
        return factory.handshakeResendMs();
    }

    @Override
    public boolean requiresExtendedMasterSecret()
    {
        return true;
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's signature
    public void processClientExtensions(final Hashtable clientExtensions) throws IOException
    {
        // RFC 7627 5.2: without the extended master secret the SRTP keys are open to a triple-handshake attack
        if (!TlsExtensionsUtils.hasExtendedMasterSecretExtension(clientExtensions))
        {
            throw endpoint.handshakeFailure(
                DtlsFailure.EXTENDED_MASTER_SECRET_REQUIRED,
                AlertDescription.handshake_failure,
                "client did not offer extended_master_secret");
        }
        // RFC 5764 4.1.3: pick one profile from the client's list
        final UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null)
        {
            throw endpoint.handshakeFailure(
                DtlsFailure.NO_SRTP_PROFILE, AlertDescription.handshake_failure, "client offered no use_srtp");
        }
        srtpProfileId = DtlsPeerSupport.selectSrtpProfile(offered.getProtectionProfiles(), factory.srtpProfiles());
        if (srtpProfileId < 0)
        {
            throw endpoint.handshakeFailure(
                DtlsFailure.NO_SRTP_PROFILE, AlertDescription.handshake_failure, "no common SRTP profile");
        }
        super.processClientExtensions(clientExtensions);
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's signature
    public Hashtable getServerExtensions() throws IOException
    {
        final Hashtable serverExtensions = super.getServerExtensions();
        // RFC 5764 4.1.1: exactly one profile; no MKI
        TlsSRTPUtils.addUseSRTPExtension(
            serverExtensions, new UseSRTPData(new int[]{ srtpProfileId }, TlsUtils.EMPTY_BYTES));
        return serverExtensions;
    }

    @Override
    public CertificateRequest getCertificateRequest()
    {
        // RFC 8827 6.5: both sides present certificates. Browsers use ECDSA; RSA is accepted for other stacks.
        final short[] types = { ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign };
        return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(final Certificate clientCertificate) throws IOException
    {
        remoteFingerprint =
            DtlsPeerSupport.checkPeerCertificate(endpoint, clientCertificate, endpoint.remoteFingerprint());
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException
    {
        return DtlsPeerSupport.signer(
            context,
            getCrypto(),
            factory.certificate(),
            factory.tlsCertificate(),
            context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    @Override
    public void notifyHandshakeComplete() throws IOException
    {
        super.notifyHandshakeComplete();
        endpoint.onHandshakeResult(DtlsPeerSupport.export(
            context, DtlsRole.SERVER, srtpProfileId, remoteFingerprint, endpoint.elapsedNs()));
    }

    @Override
    public void notifyAlertReceived(final short alertLevel, final short alertDescription)
    {
        endpoint.onAlertReceived(alertLevel, alertDescription);
    }

    @Override
    public void notifyAlertRaised(
        final short alertLevel, final short alertDescription, final String message, final Throwable cause)
    {
        if (alertLevel == AlertLevel.fatal)
        {
            endpoint.onAlertRaised(alertDescription, message, cause);
        }
    }
}
