package dev.tandem.dtls;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtlsEndpointTest
{
    private static final long WAIT_MS = 10_000;
    private static DtlsCertificate serverCertificate;
    private static DtlsCertificate clientCertificate;
    private static DtlsCertificate strangerCertificate;

    private final List<DtlsHandshakeExecutor> executors = new ArrayList<>();

    @BeforeAll
    static void certificates()
    {
        final SecureRandom random = new SecureRandom();
        serverCertificate = DtlsCertificate.generate(random);
        clientCertificate = DtlsCertificate.generate(random);
        strangerCertificate = DtlsCertificate.generate(random);
    }

    @AfterEach
    void closeExecutors()
    {
        executors.forEach(DtlsHandshakeExecutor::close);
    }

    private DtlsHandshakeExecutor executor(final int threads)
    {
        final DtlsHandshakeExecutor executor = new DtlsHandshakeExecutor(threads, 64, "dtls-test");
        executors.add(executor);
        return executor;
    }

    private DtlsEndpointFactory.Context context(final DtlsCertificate certificate)
    {
        return new DtlsEndpointFactory.Context()
            .certificate(certificate)
            .executor(executor(2))
            .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .handshakeResendNs(TimeUnit.MILLISECONDS.toNanos(200));
    }

    private DtlsLink link(
        final DtlsEndpointFactory.Context serverContext, final DtlsEndpointFactory.Context clientContext)
    {
        final DtlsEndpointFactory serverFactory = new DtlsEndpointFactory(serverContext);
        final DtlsEndpointFactory clientFactory = new DtlsEndpointFactory(clientContext);
        return new DtlsLink(
            clientFactory.newClient(serverFactory.certificate().sdpFingerprint()),
            serverFactory.newServer(clientFactory.certificate().sdpFingerprint()));
    }

    private DtlsLink link()
    {
        return link(context(serverCertificate), context(clientCertificate));
    }

    @ParameterizedTest
    @ValueSource(ints = { DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80, DtlsSrtpProfile.AEAD_AES_128_GCM })
    void bothSidesExportIdenticalSrtpKeysForEachProfile(final int profile)
    {
        final DtlsLink link = link(context(serverCertificate), context(clientCertificate).srtpProfiles(profile));
        link.client.start();

        assertTrue(link.runUntil(link::bothConnected, WAIT_MS), "handshake completes");
        final DtlsHandshakeResult client = link.clientEvents.result;
        final DtlsHandshakeResult server = link.serverEvents.result;
        assertEquals(profile, client.srtpProfileId());
        assertEquals(profile, server.srtpProfileId());
        assertEquals(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, server.cipherSuite());
        assertEquals(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, client.cipherSuite());
        assertEquals(16, server.clientWriteKey().length);
        assertEquals(DtlsSrtpProfile.saltLengthBytes(profile), server.clientWriteSalt().length);
        assertArrayEquals(client.clientWriteKey(), server.clientWriteKey());
        assertArrayEquals(client.serverWriteKey(), server.serverWriteKey());
        assertArrayEquals(client.clientWriteSalt(), server.clientWriteSalt());
        assertArrayEquals(client.serverWriteSalt(), server.serverWriteSalt());
        assertFalse(Arrays.equals(server.clientWriteKey(), server.serverWriteKey()), "directions differ");
        assertArrayEquals(server.localWriteKey(), client.remoteWriteKey());
        assertArrayEquals(server.remoteWriteSalt(), client.localWriteSalt());
        assertEquals(clientCertificate.fingerprintSha256(), server.remoteFingerprint());
        assertEquals(serverCertificate.fingerprintSha256(), client.remoteFingerprint());
        assertTrue(server.handshakeNs() > 0);
        assertEquals(DtlsEndpoint.State.CONNECTED, link.server.state());
        assertEquals(DtlsEndpoint.State.CONNECTED, link.client.state());
        assertEquals(1, link.serverEvents.events);
        assertEquals(1, link.clientEvents.events);
    }

    @Test
    void serverPicksTheClientsPreferredSrtpProfile()
    {
        final DtlsLink gcmFirst = link(context(serverCertificate), context(clientCertificate)
            .srtpProfiles(DtlsSrtpProfile.AEAD_AES_128_GCM, DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80));
        gcmFirst.client.start();
        assertTrue(gcmFirst.runUntil(gcmFirst::bothConnected, WAIT_MS));
        assertEquals(DtlsSrtpProfile.AEAD_AES_128_GCM, gcmFirst.serverEvents.result.srtpProfileId());

        final DtlsLink cmFirst = link(context(serverCertificate)
            .srtpProfiles(DtlsSrtpProfile.AEAD_AES_128_GCM, DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80),
            context(clientCertificate));
        cmFirst.client.start();
        assertTrue(cmFirst.runUntil(cmFirst::bothConnected, WAIT_MS));
        assertEquals(DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80, cmFirst.serverEvents.result.srtpProfileId());
    }

    @Test
    void failsWithNoSrtpProfileWhenTheProfilesDoNotOverlap()
    {
        final DtlsEndpointFactory.Context serverContext =
            context(serverCertificate).srtpProfiles(DtlsSrtpProfile.AEAD_AES_128_GCM);
        final DtlsLink link = link(
            serverContext, context(clientCertificate).srtpProfiles(DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80));
        link.client.start();

        assertTrue(link.runUntil(link::bothFailed, WAIT_MS));
        assertEquals(DtlsFailure.NO_SRTP_PROFILE, link.serverEvents.failure);
        assertEquals(DtlsFailure.ALERT_RECEIVED, link.clientEvents.failure);
        assertEquals(DtlsEndpoint.State.FAILED, link.server.state());
    }

    @Test
    void serverFailsWithFingerprintMismatchWhenTheClientCertificateIsNotTheOffered()
    {
        final DtlsEndpointFactory serverFactory = new DtlsEndpointFactory(context(serverCertificate));
        final DtlsEndpointFactory clientFactory = new DtlsEndpointFactory(context(clientCertificate));
        final DtlsLink link = new DtlsLink(
            clientFactory.newClient(serverCertificate.sdpFingerprint()),
            serverFactory.newServer(strangerCertificate.sdpFingerprint()));
        link.client.start();

        assertTrue(link.runUntil(link::bothFailed, WAIT_MS));
        assertEquals(DtlsFailure.FINGERPRINT_MISMATCH, link.serverEvents.failure);
        assertNull(link.serverEvents.result);
        assertEquals(DtlsFailure.ALERT_RECEIVED, link.clientEvents.failure);
        assertTrue(link.clientEvents.detail.contains("bad_certificate"), link.clientEvents.detail);
        assertEquals(1, serverFactory.counters().failures(DtlsFailure.FINGERPRINT_MISMATCH));
        assertEquals(0, serverFactory.counters().handshakesCompleted());
    }

    @Test
    void clientFailsWithFingerprintMismatchWhenTheServerCertificateIsNotTheAnswered()
    {
        final DtlsEndpointFactory serverFactory = new DtlsEndpointFactory(context(serverCertificate));
        final DtlsEndpointFactory clientFactory = new DtlsEndpointFactory(context(clientCertificate));
        final DtlsLink link = new DtlsLink(
            clientFactory.newClient(strangerCertificate.sdpFingerprint()),
            serverFactory.newServer(clientCertificate.sdpFingerprint()));
        link.client.start();

        assertTrue(link.runUntil(link::bothFailed, WAIT_MS));
        assertEquals(DtlsFailure.FINGERPRINT_MISMATCH, link.clientEvents.failure);
        assertEquals(DtlsFailure.ALERT_RECEIVED, link.serverEvents.failure);
    }

    @Test
    void garbageBeforeTheClientHelloIsDroppedAndTheHandshakeCompletes()
    {
        final DtlsEndpointFactory serverFactory = new DtlsEndpointFactory(context(serverCertificate)
            .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(3)));
        final DtlsLink link = new DtlsLink(
            new DtlsEndpointFactory(context(clientCertificate)).newClient(serverCertificate.sdpFingerprint()),
            serverFactory.newServer(clientCertificate.sdpFingerprint()));
        final Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 40; i++)
        {
            final byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            garbage[0] = (byte)(20 + random.nextInt(44)); // RFC 7983: looks like DTLS
            if (i % 4 == 0 && garbage.length > 13)
            {
                // a plausible DTLS 1.2 record header around random content
                garbage[0] = 22;
                garbage[1] = (byte)0xFE;
                garbage[2] = (byte)0xFD;
                garbage[11] = (byte)((garbage.length - 13) >> 8);
                garbage[12] = (byte)(garbage.length - 13);
            }
            accepted += link.server.onDatagram(garbage, 0, garbage.length) ? 1 : 0;
            link.step();
        }
        assertEquals(0, accepted, "no garbage reaches Bouncy Castle before a ClientHello");
        assertEquals(40, serverFactory.counters().inboundMalformed());
        assertEquals(DtlsEndpoint.State.NEW, link.server.state(), "no handshake thread taken by garbage");
        link.client.start();

        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));
        assertArrayEquals(link.clientEvents.result.serverWriteKey(), link.serverEvents.result.serverWriteKey());
    }

    @Test
    void garbageDuringTheHandshakeLeavesItCompletingOrFailingCleanly()
    {
        final DtlsEndpointFactory.Context serverContext = context(serverCertificate)
            .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(2));
        final DtlsLink link = link(serverContext, context(clientCertificate));
        final Random random = new Random(11);
        link.clientToServer = (datagram, index) ->
        {
            for (int i = 0; i < 5; i++)
            {
                // well-formed epoch 0 and 1 records with random sequence numbers and content
                final byte[] garbage = new byte[13 + random.nextInt(200)];
                random.nextBytes(garbage);
                garbage[0] = (byte)(20 + random.nextInt(4));
                garbage[1] = (byte)0xFE;
                garbage[2] = (byte)0xFD;
                garbage[3] = 0;
                garbage[4] = (byte)random.nextInt(2);
                garbage[11] = (byte)((garbage.length - 13) >> 8);
                garbage[12] = (byte)(garbage.length - 13);
                link.server.onDatagram(garbage, 0, garbage.length);
            }
            return true;
        };
        link.client.start();

        assertTrue(link.runUntil(
            () -> link.bothConnected() || link.serverEvents.failure != null, WAIT_MS), "completes or fails");
        if (link.serverEvents.failure != null)
        {
            // Epoch 0 is unauthenticated: a forged record can spoil the handshake, never crash it.
            assertEquals(DtlsEndpoint.State.FAILED, link.server.state());
            assertTrue(link.serverEvents.failure == DtlsFailure.PROTOCOL_ERROR ||
                link.serverEvents.failure == DtlsFailure.TIMEOUT, link.serverEvents.failure + link.serverEvents.detail);
        }
        else
        {
            assertEquals(DtlsEndpoint.State.CONNECTED, link.server.state());
            assertArrayEquals(link.clientEvents.result.serverWriteKey(), link.serverEvents.result.serverWriteKey());
        }
        link.client.close();
    }

    @Test
    void garbageClientHelloFailsCleanlyWithProtocolError()
    {
        final DtlsLink link = link();
        final byte[] hello = new byte[13 + 12 + 80];
        new Random(3).nextBytes(hello);
        hello[0] = 22;
        hello[1] = (byte)0xFE;
        hello[2] = (byte)0xFF;
        java.util.Arrays.fill(hello, 3, 11, (byte)0); // epoch 0, sequence number 0
        hello[11] = 0;
        hello[12] = (byte)(12 + 80);
        hello[13] = 1; // client_hello, whole: length 80, message_seq 0, offset 0, fragment length 80
        final byte[] header = { 0, 0, 80, 0, 0, 0, 0, 0, 0, 0, 80 };
        System.arraycopy(header, 0, hello, 14, header.length);
        hello[25] = (byte)0xFE; // client_version DTLS 1.2, then random junk
        hello[26] = (byte)0xFD;

        assertTrue(link.server.onDatagram(hello, 0, hello.length));
        assertTrue(link.runUntil(() -> link.serverEvents.failure != null, WAIT_MS));
        assertEquals(DtlsFailure.PROTOCOL_ERROR, link.serverEvents.failure);
        assertEquals(DtlsEndpoint.State.FAILED, link.server.state());
    }

    @Test
    void garbageAfterTheHandshakeIsDiscardedAndTheConnectionStays()
    {
        final DtlsLink link = link();
        link.client.start();
        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));

        final Random random = new Random(7);
        for (int i = 0; i < 20; i++)
        {
            final byte[] garbage = new byte[13 + random.nextInt(200)];
            random.nextBytes(garbage);
            garbage[0] = (byte)(20 + i % 4); // ccs, alert, handshake, application data
            garbage[1] = (byte)0xFE;
            garbage[2] = (byte)0xFD;
            garbage[3] = 0;
            garbage[4] = (byte)(i % 2); // epoch 0 or 1: MAC failures are discarded (RFC 6347 4.1.2.7)
            garbage[5] = 0; // a plausible sequence number
            garbage[6] = 0;
            garbage[7] = 0;
            garbage[8] = 0;
            garbage[9] = 0;
            garbage[11] = (byte)((garbage.length - 13) >> 8);
            garbage[12] = (byte)(garbage.length - 13);
            assertTrue(link.server.onDatagram(garbage, 0, garbage.length));
        }
        link.runUntil(() -> false, 200);
        assertEquals(DtlsEndpoint.State.CONNECTED, link.server.state());
        assertEquals(1, link.serverEvents.events);

        link.client.close();
        assertTrue(link.runUntil(() -> link.serverEvents.closed == 1, WAIT_MS), "close_notify still understood");
    }

    @Test
    void serverTimesOutWhenTheClientGoesSilent()
    {
        final DtlsEndpointFactory.Context serverContext = context(serverCertificate)
            .handshakeTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300))
            .handshakeResendNs(TimeUnit.MILLISECONDS.toNanos(50));
        final DtlsLink link = link(serverContext, context(clientCertificate));
        link.clientToServer = (datagram, index) -> index == 0; // the ClientHello, then silence
        link.client.start();

        final long startNs = System.nanoTime();
        assertTrue(link.runUntil(() -> link.serverEvents.failure != null, WAIT_MS));
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertEquals(DtlsFailure.TIMEOUT, link.serverEvents.failure);
        assertTrue(elapsedMs >= 250 && elapsedMs < 5_000, "timed out after " + elapsedMs + " ms");
        assertTrue(link.serverSent.size() > 5, "the server retransmitted its flight: " + link.serverSent.size());
        link.client.close();
    }

    @Test
    void closeNotifyAfterTheHandshakeYieldsClosed()
    {
        final DtlsEndpointFactory serverFactory = new DtlsEndpointFactory(context(serverCertificate));
        final DtlsEndpointFactory clientFactory = new DtlsEndpointFactory(context(clientCertificate));
        final DtlsLink link = new DtlsLink(
            clientFactory.newClient(serverCertificate.sdpFingerprint()),
            serverFactory.newServer(clientCertificate.sdpFingerprint()));
        link.client.start();
        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));
        final int serverSentBefore = link.serverSent.size();

        link.client.close();
        assertTrue(link.runUntil(() -> link.serverEvents.closed == 1, WAIT_MS));
        assertEquals(DtlsEndpoint.State.CLOSED, link.server.state());
        assertEquals(DtlsEndpoint.State.CLOSED, link.client.state());
        assertEquals(1, serverFactory.counters().closed());
        assertTrue(link.runUntil(() -> link.serverSent.size() > serverSentBefore, WAIT_MS), "answers close_notify");
        assertEquals(0, link.clientEvents.closed, "no events after a local close");
        assertFalse(link.server.onDatagram(new byte[]{ 23, 1, 2 }, 0, 3), "a closed endpoint drops datagrams");
        assertEquals(1, serverFactory.counters().inboundClosed());
    }

    @Test
    void serverCloseSendsCloseNotifyToTheClient()
    {
        final DtlsLink link = link();
        link.client.start();
        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));

        link.server.close();
        assertTrue(link.runUntil(() -> link.clientEvents.closed == 1, WAIT_MS));
        assertEquals(0, link.serverEvents.closed);
    }

    @Test
    void fragmentedFlightsFromSmallMtusAreReassembled()
    {
        final DtlsLink link = link(context(serverCertificate).mtuBytes(150), context(clientCertificate).mtuBytes(100));
        link.client.start();

        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));
        final byte[] first = link.clientSent.get(0);
        assertTrue(first.length <= 100);
        assertEquals(1, first[13], "a client_hello fragment");
        final int messageLength = ((first[14] & 0xFF) << 16) | ((first[15] & 0xFF) << 8) | (first[16] & 0xFF);
        assertTrue(messageLength > 100 - 25, "the ClientHello did not fit: " + messageLength);
        for (final byte[] datagram : link.clientSent)
        {
            assertTrue(datagram.length <= 100);
        }
        for (final byte[] datagram : link.serverSent)
        {
            assertTrue(datagram.length <= 150, "the server's Certificate is fragmented too");
        }
        assertArrayEquals(link.clientEvents.result.clientWriteKey(), link.serverEvents.result.clientWriteKey());
    }

    @Test
    void clientHelloSplitByHandIntoTwoRecordsIsReassembled()
    {
        final DtlsLink link = link();
        link.clientToServer = (datagram, index) ->
        {
            if (index != 0)
            {
                return true;
            }
            // Like a browser's ML-KEM ClientHello: two handshake fragments, here in reverse order.
            final byte[][] parts = splitClientHello(datagram);
            link.server.onDatagram(parts[1], 0, parts[1].length);
            link.server.onDatagram(parts[0], 0, parts[0].length);
            return false;
        };
        link.client.start();

        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));
        assertArrayEquals(link.clientEvents.result.serverWriteSalt(), link.serverEvents.result.serverWriteSalt());
    }

    /**
     * Split one record holding a whole ClientHello into two records, each a fragment of it (RFC 6347 4.2.2).
     * <pre>
     *   record header (13): type(1) version(2) epoch(2) sequence_number(6) length(2)
     *   handshake header (12): msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3)
     * </pre>
     */
    static byte[][] splitClientHello(final byte[] datagram)
    {
        final int bodyLength = ((datagram[14] & 0xFF) << 16) | ((datagram[15] & 0xFF) << 8) | (datagram[16] & 0xFF);
        final int firstLength = bodyLength / 2;
        final int[][] fragments = { { 0, firstLength }, { firstLength, bodyLength - firstLength } };
        final byte[][] out = new byte[2][];
        for (int i = 0; i < 2; i++)
        {
            final int offset = fragments[i][0];
            final int length = fragments[i][1];
            final byte[] record = new byte[13 + 12 + length];
            System.arraycopy(datagram, 0, record, 0, 13 + 12);
            // a distinct record sequence number, far enough ahead not to collide with the client's next records
            record[10] = i == 0 ? datagram[10] : (byte)48;
            record[11] = (byte)((12 + length) >> 8);
            record[12] = (byte)(12 + length);
            record[13 + 6] = (byte)(offset >> 16);
            record[13 + 7] = (byte)(offset >> 8);
            record[13 + 8] = (byte)offset;
            record[13 + 9] = (byte)(length >> 16);
            record[13 + 10] = (byte)(length >> 8);
            record[13 + 11] = (byte)length;
            System.arraycopy(datagram, 13 + 12 + offset, record, 13 + 12, length);
            out[i] = record;
        }
        return out;
    }

    @Test
    void replayedClientFlightIsDiscardedByTheReplayWindow()
    {
        final DtlsLink link = link();
        link.client.start();
        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));
        final List<byte[]> clientFlight = new ArrayList<>(link.clientSent.subList(1, link.clientSent.size()));
        final int serverSentBefore = link.serverSent.size();

        for (final byte[] datagram : clientFlight)
        {
            assertTrue(link.server.onDatagram(datagram, 0, datagram.length));
        }
        link.runUntil(() -> false, 200);
        // RFC 6347 4.1.2.6: exact copies (same record sequence numbers) are duplicates, not a retransmission
        assertEquals(serverSentBefore, link.serverSent.size());
        assertEquals(DtlsEndpoint.State.CONNECTED, link.server.state());
        assertEquals(1, link.serverEvents.events);
    }

    @Test
    void lostServerFinishedIsRecoveredByRetransmission()
    {
        final DtlsLink link = link();
        final int[] dropped = { 0 };
        link.serverToClient = (datagram, index) ->
        {
            // drop the first copy of the server's change_cipher_spec and Finished
            if (dropped[0] < 2 && (datagram[0] == 20 || datagram[3] == 0 && datagram[4] == 1))
            {
                dropped[0]++;
                return false;
            }
            return true;
        };
        link.client.start();

        assertTrue(link.runUntil(() -> link.serverEvents.result != null, WAIT_MS));
        assertNull(link.clientEvents.result, "the client still waits for the server's Finished");
        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));
        assertEquals(2, dropped[0]);
        // RFC 6347 4.2.4: the connected server answered the client's retransmitted flight with its last flight again
        assertEquals(2, link.serverSent.stream().filter((datagram) -> datagram[0] == 20).count());
        assertEquals(1, link.serverEvents.events);
        assertArrayEquals(link.clientEvents.result.clientWriteKey(), link.serverEvents.result.clientWriteKey());
    }

    @Test
    void closeDuringTheHandshakeAbortsItWithoutEvents()
    {
        final DtlsLink link = link();
        link.serverToClient = (datagram, index) -> false; // the client never hears back
        link.client.start();
        assertTrue(link.runUntil(() -> link.server.state() == DtlsEndpoint.State.HANDSHAKING, WAIT_MS));

        link.server.close();
        link.client.close();
        link.runUntil(() -> false, 300);
        assertEquals(DtlsEndpoint.State.CLOSED, link.server.state());
        assertEquals(0, link.serverEvents.events);
        assertEquals(0, link.clientEvents.events);
    }

    @Test
    void rejectedHandshakeFailsWithRejected()
    {
        final DtlsHandshakeExecutor closed = executor(1);
        closed.close();
        final DtlsEndpointFactory factory = new DtlsEndpointFactory(
            new DtlsEndpointFactory.Context().certificate(clientCertificate).executor(closed));
        final DtlsEndpoint client = factory.newClient(serverCertificate.sdpFingerprint());
        final DtlsLink.Recorder recorder = new DtlsLink.Recorder();

        client.start();
        assertEquals(1, client.pollEvents(recorder, 10));
        assertEquals(DtlsFailure.REJECTED, recorder.failure);
        assertEquals(1, factory.counters().failures(DtlsFailure.REJECTED));
    }

    @Test
    void fullInboundQueueDropsAndCounts()
    {
        final DtlsEndpointFactory factory = new DtlsEndpointFactory(
            context(serverCertificate).inboundQueueCapacity(4));
        final DtlsEndpoint client = factory.newClient(clientCertificate.sdpFingerprint());
        final byte[] datagram = { 23, (byte)0xFE, (byte)0xFD, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0 };
        int accepted = 0;
        for (int i = 0; i < 10; i++)
        {
            accepted += client.onDatagram(datagram, 0, datagram.length) ? 1 : 0;
        }
        assertEquals(4, accepted);
        assertEquals(6, factory.counters().inboundQueueFull());
        assertFalse(client.onDatagram(new byte[2000], 0, 2000));
        assertEquals(1, factory.counters().inboundOversize());
        assertEquals(DtlsEndpoint.State.NEW, client.state());
    }

    @Test
    void twentyConcurrentHandshakesCompleteOnATwoThreadExecutor()
    {
        final DtlsEndpointFactory serverFactory = new DtlsEndpointFactory(context(serverCertificate)
            .executor(executor(2)).handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(30)));
        final DtlsEndpointFactory clientFactory = new DtlsEndpointFactory(context(clientCertificate)
            .executor(executor(20)).handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(30)));
        final List<DtlsLink> links = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            links.add(new DtlsLink(
                clientFactory.newClient(serverCertificate.sdpFingerprint()),
                serverFactory.newServer(clientCertificate.sdpFingerprint())));
        }
        links.forEach((link) -> link.client.start());

        final int connected = DtlsLink.connectAll(links, 60_000);
        assertEquals(20, connected);
        assertEquals(20, serverFactory.counters().handshakesCompleted());
        for (final DtlsLink link : links)
        {
            assertArrayEquals(link.clientEvents.result.clientWriteKey(), link.serverEvents.result.clientWriteKey());
            assertNull(link.serverEvents.failure);
        }
    }

    @ParameterizedTest
    @EnumSource(DtlsCryptoProvider.class)
    void eachCryptoProviderInteroperatesWithTheOther(final DtlsCryptoProvider provider)
    {
        final DtlsCryptoProvider other =
            provider == DtlsCryptoProvider.BC ? DtlsCryptoProvider.JCA : DtlsCryptoProvider.BC;
        final DtlsLink link = link(
            context(serverCertificate).cryptoProvider(provider), context(clientCertificate).cryptoProvider(other));
        link.client.start();

        assertTrue(link.runUntil(link::bothConnected, WAIT_MS));
        assertNotNull(link.serverEvents.result);
        assertArrayEquals(link.clientEvents.result.serverWriteKey(), link.serverEvents.result.serverWriteKey());
    }
}
