package dev.tandem.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's policy against clients Tandem's own client never imitates: a plain Bouncy Castle DTLS client, on its
 * own thread over blocking queues, that leaves out what WebRTC requires.
 */
class DtlsServerPolicyTest
{
    private final DtlsHandshakeExecutor executor = new DtlsHandshakeExecutor(2, 16, "dtls-policy");

    @AfterEach
    void close()
    {
        executor.close();
    }

    @Test
    void clientWithoutExtendedMasterSecretIsRefused() throws Exception
    {
        final Outcome outcome = run(false, true, 1);
        assertEquals(DtlsFailure.EXTENDED_MASTER_SECRET_REQUIRED, outcome.serverFailure);
        assertTrue(outcome.clientError instanceof TlsFatalAlertReceived, String.valueOf(outcome.clientError));
        assertEquals(AlertDescription.handshake_failure,
            ((TlsFatalAlertReceived)outcome.clientError).getAlertDescription());
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception
    {
        final Outcome outcome = run(true, false, 1);
        assertEquals(DtlsFailure.CERTIFICATE_REQUIRED, outcome.serverFailure);
        assertTrue(outcome.clientError instanceof TlsFatalAlertReceived, String.valueOf(outcome.clientError));
    }

    @Test
    void clientWithoutUseSrtpIsRefused() throws Exception
    {
        final Outcome outcome = run(true, true, 0);
        assertEquals(DtlsFailure.NO_SRTP_PROFILE, outcome.serverFailure);
    }

    @Test
    void conformingPlainClientCompletes() throws Exception
    {
        final Outcome outcome = run(true, true, 1);
        assertEquals(null, outcome.serverFailure, outcome.detail);
        assertEquals(null, outcome.clientError);
        assertEquals(DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80, outcome.serverResult.srtpProfileId());
    }

    private Outcome run(final boolean extendedMasterSecret, final boolean presentCertificate, final int srtpProfile)
        throws Exception
    {
        final SecureRandom random = new SecureRandom();
        final DtlsCertificate clientCertificate = DtlsCertificate.generate(random);
        final DtlsEndpointFactory factory = new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
            .certificate(DtlsCertificate.generate(random))
            .executor(executor)
            .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
        final DtlsEndpoint server = factory.newServer(clientCertificate.sdpFingerprint());
        final BlockingTransport transport = new BlockingTransport();
        final BcTlsCrypto crypto = new BcTlsCrypto(random);
        final DtlsEndpointFactory clientSide = new DtlsEndpointFactory(
            new DtlsEndpointFactory.Context().certificate(clientCertificate).executor(executor));
        final DefaultTlsClient client = new DefaultTlsClient(crypto)
        {
            @Override
            protected ProtocolVersion[] getSupportedVersions()
            {
                return ProtocolVersion.DTLSv12.only();
            }

            @Override
            protected int[] getSupportedCipherSuites()
            {
                return new int[]{ CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 };
            }

            @Override
            public boolean shouldUseExtendedMasterSecret()
            {
                return extendedMasterSecret;
            }

            @Override
            public int getHandshakeTimeoutMillis()
            {
                return 5_000;
            }

            @Override
            @SuppressWarnings({ "rawtypes", "unchecked" })
            public Hashtable getClientExtensions() throws IOException
            {
                final Hashtable extensions = super.getClientExtensions();
                if (srtpProfile != 0)
                {
                    TlsSRTPUtils.addUseSRTPExtension(
                        extensions, new UseSRTPData(new int[]{ srtpProfile }, TlsUtils.EMPTY_BYTES));
                }
                return extensions;
            }

            @Override
            public TlsAuthentication getAuthentication()
            {
                return new TlsAuthentication()
                {
                    @Override
                    public void notifyServerCertificate(final TlsServerCertificate serverCertificate)
                    {
                    }

                    @Override
                    public TlsCredentials getClientCredentials(final CertificateRequest request) throws IOException
                    {
                        return presentCertificate ? DtlsPeerSupport.signer(context, crypto, clientCertificate,
                            clientSide.tlsCertificate(), request.getSupportedSignatureAlgorithms()) : null;
                    }
                };
            }
        };

        final AtomicReference<Exception> clientError = new AtomicReference<>();
        final Thread clientThread = new Thread(() ->
        {
            try
            {
                new DTLSClientProtocol().connect(client, transport).close();
            }
            catch (final IOException ex)
            {
                clientError.set(ex);
            }
        }, "plain-bc-client");
        clientThread.start();

        final DtlsLink.Recorder events = new DtlsLink.Recorder();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((clientThread.isAlive() || events.events == 0) && System.nanoTime() < deadlineNs)
        {
            final byte[] fromClient = transport.toServer.poll(1, TimeUnit.MILLISECONDS);
            if (fromClient != null)
            {
                server.onDatagram(fromClient, 0, fromClient.length);
            }
            server.drainOutbound((data, offset, length) -> transport.toClient.add(data), 16);
            server.pollEvents(events, 4);
        }
        clientThread.join(1_000);
        final Outcome outcome = new Outcome();
        outcome.serverFailure = events.failure;
        outcome.detail = events.detail;
        outcome.serverResult = events.result;
        outcome.clientError = clientError.get();
        return outcome;
    }

    private static final class Outcome
    {
        DtlsFailure serverFailure;
        String detail;
        DtlsHandshakeResult serverResult;
        Exception clientError;
    }

    /**
     * A blocking datagram transport for the plain client thread.
     */
    private static final class BlockingTransport implements DatagramTransport
    {
        final LinkedBlockingQueue<byte[]> toServer = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<byte[]> toClient = new LinkedBlockingQueue<>();

        @Override
        public int getReceiveLimit()
        {
            return 1500;
        }

        @Override
        public int getSendLimit()
        {
            return 1200;
        }

        @Override
        public int receive(final byte[] buf, final int off, final int len, final int waitMillis) throws IOException
        {
            try
            {
                final byte[] datagram = toClient.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (datagram == null)
                {
                    return -1;
                }
                System.arraycopy(datagram, 0, buf, off, Math.min(len, datagram.length));
                return datagram.length;
            }
            catch (final InterruptedException ex)
            {
                throw new java.io.InterruptedIOException();
            }
        }

        @Override
        public void send(final byte[] buf, final int off, final int len)
        {
            toServer.add(java.util.Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void close()
        {
        }
    }
}
