package dev.tandem.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * Bouncy Castle's client callbacks for one handshake, as a browser behaves: DTLS 1.2, ECDHE_ECDSA, extended master
 * secret required, {@code use_srtp} with the configured profiles in order, its own certificate presented and the
 * server's pinned to the SDP fingerprint. Runs on the handshake thread.
 */
final class DtlsClientPeer extends DefaultTlsClient
{
    private final DtlsEndpoint endpoint;
    private final DtlsEndpointFactory factory;
    private int srtpProfileId = -1;
    private String remoteFingerprint;

    DtlsClientPeer(final TlsCrypto crypto, final DtlsEndpointFactory factory, final DtlsEndpoint endpoint)
    {
        super(crypto);
        this.factory = factory;
        this.endpoint = endpoint;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions()
    {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites()
    {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsPeerSupport.CIPHER_SUITES);
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
    public Hashtable getClientExtensions() throws IOException
    {
        final Hashtable clientExtensions = super.getClientExtensions();
        // RFC 5764 4.1.1: the profiles in preference order, no MKI
        TlsSRTPUtils.addUseSRTPExtension(
            clientExtensions, new UseSRTPData(factory.srtpProfiles(), TlsUtils.EMPTY_BYTES));
        return clientExtensions;
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's signature
    public void processServerExtensions(final Hashtable serverExtensions) throws IOException
    {
        super.processServerExtensions(serverExtensions);
        // RFC 7627 5.3
        if (!TlsExtensionsUtils.hasExtendedMasterSecretExtension(serverExtensions))
        {
            throw endpoint.handshakeFailure(
                DtlsFailure.EXTENDED_MASTER_SECRET_REQUIRED,
                AlertDescription.handshake_failure,
                "server did not negotiate extended_master_secret");
        }
        // RFC 5764 4.1.1: one profile, one the client offered
        final UseSRTPData selected = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (selected == null)
        {
            throw endpoint.handshakeFailure(
                DtlsFailure.NO_SRTP_PROFILE, AlertDescription.handshake_failure, "server selected no SRTP profile");
        }
        final int[] profiles = selected.getProtectionProfiles();
        if (profiles.length != 1 || DtlsPeerSupport.selectSrtpProfile(profiles, factory.srtpProfiles()) < 0)
        {
            throw endpoint.handshakeFailure(
                DtlsFailure.NO_SRTP_PROFILE,
                AlertDescription.illegal_parameter,
                "server selected an SRTP profile not offered");
        }
        srtpProfileId = profiles[0];
    }

    @Override
    public TlsAuthentication getAuthentication()
    {
        return new TlsAuthentication()
        {
            @Override
            public void notifyServerCertificate(final TlsServerCertificate serverCertificate) throws IOException
            {
                remoteFingerprint = DtlsPeerSupport.checkPeerCertificate(
                    endpoint, serverCertificate.getCertificate(), endpoint.remoteFingerprint());
            }

            @Override
            public TlsCredentials getClientCredentials(final CertificateRequest certificateRequest) throws IOException
            {
                return DtlsPeerSupport.signer(
                    context,
                    getCrypto(),
                    factory.certificate(),
                    factory.tlsCertificate(),
                    certificateRequest.getSupportedSignatureAlgorithms());
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException
    {
        super.notifyHandshakeComplete();
        endpoint.onHandshakeResult(DtlsPeerSupport.export(
            context, DtlsRole.CLIENT, srtpProfileId, remoteFingerprint, endpoint.elapsedNs()));
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
