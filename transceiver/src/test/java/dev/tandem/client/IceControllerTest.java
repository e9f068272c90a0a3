package dev.tandem.client;

import dev.tandem.common.ClientAddress;
import dev.tandem.ice.IceLiteAgent;
import dev.tandem.ice.IceStatus;
import dev.tandem.stun.StunMessageFlyweight;
import dev.tandem.stun.StunStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's controlling ICE agent against the transceiver's real ICE-lite agent, on a hand-advanced clock.
 */
class IceControllerTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String SERVER_UFRAG = "routeToken+1";
    private static final String SERVER_PWD = "serverpasswordserverpass";
    private static final String CLIENT_UFRAG = "abcdefgh";

    private final UnsafeBuffer request = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[512]);
    private final StunMessageFlyweight message = new StunMessageFlyweight();
    private final IceLiteAgent server = new IceLiteAgent();
    private final long high;
    private final long low;

    IceControllerTest() throws Exception
    {
        final InetAddress address = InetAddress.getByName("127.0.0.1");
        high = ClientAddress.high(address);
        low = ClientAddress.low(address);
    }

    @Test
    void nominatingCheckIsAcceptedAndItsResponseConnects()
    {
        server.reset(SERVER_UFRAG, SERVER_PWD, CLIENT_UFRAG, 30_000 * MS, 0);
        final IceController ice = controller(SERVER_PWD);
        ice.start(0);
        final int length = ice.poll(0, request, 0);
        assertTrue(length > 0);

        assertEquals(StunStatus.OK, message.wrap(request, 0, length).validate());
        assertEquals(StunMessageFlyweight.BINDING_REQUEST, message.messageType());
        assertTrue(message.useCandidate(), "aggressive nomination");
        assertTrue(message.hasIceControlling());
        assertEquals((110L << 24) + (65535L << 8) + 255, message.priority());
        assertEquals(StunStatus.OK, message.verifyFingerprint());
        assertEquals(SERVER_UFRAG + ":" + CLIENT_UFRAG,
            request.getStringWithoutLengthAscii(message.usernameOffset(), message.usernameLength()));

        final int responseLength = server.onStun(message, high, low, 50000, 1 * MS, response, 0);
        assertEquals(IceStatus.OK, server.lastStatus());
        assertTrue(server.hasSelected());
        assertEquals(IceController.CONNECTED_NOW, ice.onMessage(wrap(response, responseLength), 2 * MS));
        assertEquals(IceController.CONNECTED, ice.state());
        assertEquals(2 * MS, ice.connectedNs());
        assertEquals(50000, ice.mappedPort());
        assertEquals(low, ice.mappedLow());
        // The same response again is a late duplicate: it refreshes consent, it does not reconnect.
        assertEquals(IceController.CONSENT, ice.onMessage(wrap(response, responseLength), 3 * MS));
    }

    @Test
    void retransmitsWithBackoffUntilTheTimeout()
    {
        final IceController ice = controller(SERVER_PWD);
        ice.start(0);
        final long[] expectedSendMs = { 0, 50, 150, 350, 750, 1250, 1750 };
        final long[] transactionIds = new long[expectedSendMs.length];
        int sent = 0;
        for (long nowMs = 0; nowMs < 2_000; nowMs++)
        {
            final int length = ice.poll(nowMs * MS, request, 0);
            if (length > 0)
            {
                assertEquals(expectedSendMs[sent], nowMs, "check " + sent);
                message.wrap(request, 0, length).validate();
                transactionIds[sent++] = message.transactionIdLow();
            }
        }
        assertEquals(expectedSendMs.length, sent);
        for (final long id : transactionIds)
        {
            assertEquals(transactionIds[0], id, "RFC 8489 6.2.1: retransmissions keep the transaction id");
        }
        assertEquals(7, ice.checksSent());
        assertEquals(6, ice.retransmits());
        assertEquals(0, ice.poll(2_000 * MS, request, 0));
        assertEquals(IceController.FAILED, ice.state());
        assertEquals(IceController.FAILURE_TIMEOUT, ice.failure());
        assertEquals(Long.MAX_VALUE, ice.deadlineNs());
    }

    @Test
    void wrongPasswordGets401AndFails()
    {
        server.reset(SERVER_UFRAG, SERVER_PWD, CLIENT_UFRAG, 30_000 * MS, 0);
        final IceController ice = controller("notthepasswordnotthepass");
        ice.start(0);
        final int length = ice.poll(0, request, 0);
        message.wrap(request, 0, length).validate();
        final int responseLength = server.onStun(message, high, low, 50000, MS, response, 0);
        assertEquals(IceStatus.BAD_INTEGRITY, server.lastStatus());
        assertEquals(IceController.ERROR, ice.onMessage(wrap(response, responseLength), 2 * MS));
        assertEquals(401, ice.errorCode());
        assertEquals(IceController.FAILURE_ERROR_RESPONSE, ice.failure());
        assertEquals(0, ice.poll(100 * MS, request, 0));
    }

    @Test
    void responsesNotOursOrNotAuthenticAreIgnored()
    {
        server.reset(SERVER_UFRAG, SERVER_PWD, CLIENT_UFRAG, 30_000 * MS, 0);
        final IceController ice = controller(SERVER_PWD);
        ice.start(0);
        final int length = ice.poll(0, request, 0);
        final UnsafeBuffer ourCheck = copy(request, length);
        message.wrap(request, 0, length).validate();
        final int responseLength = server.onStun(message, high, low, 50000, MS, response, 0);

        final UnsafeBuffer forged = copy(response, responseLength);
        forged.putByte(StunMessageFlyweight.TRANSACTION_ID_OFFSET, (byte)~forged.getByte(8));
        assertEquals(IceController.IGNORED, ice.onMessage(wrap(forged, responseLength), 2 * MS), "other tx id");

        final IceLiteAgent otherServer = new IceLiteAgent().reset(SERVER_UFRAG, "anotherpasswordanotherpa",
            CLIENT_UFRAG, 30_000 * MS, 0);
        final IceController sameCredentials = controller("anotherpasswordanotherpa");
        sameCredentials.start(0);
        final int otherLength = sameCredentials.poll(0, request, 0);
        message.wrap(request, 0, otherLength).validate();
        final int otherResponseLength = otherServer.onStun(message, high, low, 50000, MS, response, 0);
        final UnsafeBuffer wrongKey = copy(response, otherResponseLength);
        // Same transaction id as our check, but integrity keyed with another password.
        final int txOffset = StunMessageFlyweight.TRANSACTION_ID_OFFSET;
        wrongKey.putBytes(txOffset, ourCheck, txOffset, StunMessageFlyweight.TRANSACTION_ID_LENGTH);
        fixFingerprint(wrongKey, otherResponseLength);
        assertEquals(IceController.IGNORED, ice.onMessage(wrap(wrongKey, otherResponseLength), 2 * MS));
        assertEquals(1, ice.unauthenticated(), "dropped for its integrity");
        assertEquals(IceController.CHECKING, ice.state());
    }

    @Test
    void consentChecksKeepTheServerAliveAndLossOfConsentFails()
    {
        server.reset(SERVER_UFRAG, SERVER_PWD, CLIENT_UFRAG, 30_000 * MS, 0);
        final IceController ice = controller(SERVER_PWD);
        ice.start(0);
        connect(ice, 0);
        long previousMs = 0;
        int consentChecks = 0;
        for (long nowMs = 1; nowMs <= 20_000; nowMs++)
        {
            final int length = ice.poll(nowMs * MS, request, 0);
            if (length > 0)
            {
                consentChecks++;
                final long gapMs = nowMs - previousMs;
                assertTrue(gapMs >= 1_600 && gapMs <= 2_400, "RFC 7675 5.1: 0.8-1.2 x 2 s, was " + gapMs);
                previousMs = nowMs;
                message.wrap(request, 0, length).validate();
                assertFalse(message.useCandidate(), "consent checks do not nominate again");
                final int responseLength = server.onStun(message, high, low, 50000, nowMs * MS, response, 0);
                assertEquals(IceStatus.OK, server.lastStatus());
                assertEquals(IceController.CONSENT, ice.onMessage(wrap(response, responseLength), nowMs * MS));
            }
        }
        assertTrue(consentChecks >= 8 && consentChecks <= 12, "checks " + consentChecks);
        assertEquals(consentChecks, ice.consentChecksSent());
        assertEquals(consentChecks, ice.consentResponses());
        assertFalse(server.isConsentExpired(20_000 * MS));

        // Now the server stops answering: 30 s after the last response, consent is lost.
        final long lastResponseMs = previousMs;
        for (long nowMs = 20_001; nowMs < lastResponseMs + 30_000; nowMs += 10)
        {
            ice.poll(nowMs * MS, request, 0);
            assertEquals(IceController.CONNECTED, ice.state(), "at " + nowMs);
        }
        ice.poll((lastResponseMs + 30_000) * MS, request, 0);
        assertEquals(IceController.FAILED, ice.state());
        assertEquals(IceController.FAILURE_CONSENT, ice.failure());
    }

    private void connect(final IceController ice, final long nowMs)
    {
        final int length = ice.poll(nowMs * MS, request, 0);
        message.wrap(request, 0, length).validate();
        final int responseLength = server.onStun(message, high, low, 50000, nowMs * MS, response, 0);
        assertEquals(IceController.CONNECTED_NOW, ice.onMessage(wrap(response, responseLength), nowMs * MS));
    }

    private IceController controller(final String password)
    {
        final SplittableRandom random = new SplittableRandom(42);
        return new IceController(SERVER_UFRAG, CLIENT_UFRAG, password, 0x1234_5678_9ABC_DEF0L, random::nextLong,
            50 * MS, 500 * MS, 2_000 * MS, 2_000 * MS, 30_000 * MS);
    }

    private StunMessageFlyweight wrap(final UnsafeBuffer buffer, final int length)
    {
        final StunMessageFlyweight flyweight = new StunMessageFlyweight();
        assertEquals(StunStatus.OK, flyweight.wrap(buffer, 0, length).validate());
        return flyweight;
    }

    private static void fixFingerprint(final UnsafeBuffer buffer, final int length)
    {
        final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        final byte[] bytes = new byte[length - 8];
        buffer.getBytes(0, bytes);
        crc.update(bytes);
        buffer.putInt(length - 4, (int)crc.getValue() ^ 0x5354554e, java.nio.ByteOrder.BIG_ENDIAN);
    }

    private static UnsafeBuffer copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }
}
