package dev.tandem.ice;

import dev.tandem.common.ClientAddress;
import dev.tandem.crypto.HmacSha1;
import dev.tandem.stun.StunMessageEncoder;
import dev.tandem.stun.StunMessageFlyweight;
import dev.tandem.stun.StunStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IceLiteAgentTest
{
    private static final String LOCAL_UFRAG = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/ab";
    private static final String LOCAL_PWD = "serverpasswordserverpass";
    private static final String REMOTE_UFRAG = "cl1e";
    private static final long CONSENT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long CLIENT_HIGH = 0;
    private static final long CLIENT_LOW = ClientAddress.ipv4Low(0x0A000001);
    private static final int CLIENT_PORT = 50000;

    private final IceLiteAgent agent = new IceLiteAgent();
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[512]);
    private final StunMessageFlyweight requestView = new StunMessageFlyweight();
    private final StunMessageFlyweight responseView = new StunMessageFlyweight();
    private final StunMessageEncoder encoder = new StunMessageEncoder();
    private final UnsafeBuffer transactionId = new UnsafeBuffer(new byte[12]);
    private long nowNs = TimeUnit.SECONDS.toNanos(1000);

    @BeforeEach
    void reset()
    {
        agent.reset(LOCAL_UFRAG, LOCAL_PWD, REMOTE_UFRAG, CONSENT_TIMEOUT_NS, nowNs);
    }

    @Test
    void answersAnAuthenticatedCheckWithTheMappedAddress()
    {
        final int length = check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, false, true, 1);
        final int responseLength = deliver(length, CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT);

        assertEquals(IceStatus.OK, agent.lastStatus());
        assertTrue((agent.lastEvents() & IceLiteAgent.EVENT_FIRST_CHECK) != 0);
        assertTrue((agent.lastEvents() & IceLiteAgent.EVENT_NEW_ADDRESS) != 0);
        responseView.wrap(response, 0, responseLength);
        assertEquals(StunStatus.OK, responseView.validate());
        assertEquals(StunMessageFlyweight.BINDING_SUCCESS_RESPONSE, responseView.messageType());
        assertEquals(StunStatus.OK, responseView.verifyFingerprint());
        final byte[] pwd = LOCAL_PWD.getBytes(StandardCharsets.US_ASCII);
        assertEquals(StunStatus.OK, responseView.verifyMessageIntegrity(new HmacSha1(), pwd, 0, pwd.length));
        assertEquals(CLIENT_LOW, responseView.xorMappedAddressLow());
        assertEquals(CLIENT_HIGH, responseView.xorMappedAddressHigh());
        assertEquals(CLIENT_PORT, responseView.xorMappedPort());
        for (int i = 0; i < 12; i++)
        {
            assertEquals(request.getByte(8 + i), response.getByte(8 + i), "transaction id byte " + i);
        }
        assertTrue(agent.isValidated(CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT));
        assertFalse(agent.isValidated(CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT + 1));
        assertFalse(agent.hasSelected(), "no USE-CANDIDATE yet");
        assertEquals(CLIENT_PORT, agent.selectedPort(), "the last validated address stands in until nomination");
    }

    @Test
    void refusesBadIntegrityWith401AndValidatesNothing()
    {
        final int length = check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, "not-the-password-at-all", true, true, 1);
        final int responseLength = deliver(length, CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT);

        assertEquals(IceStatus.BAD_INTEGRITY, agent.lastStatus());
        assertEquals(401, errorCodeOf(responseLength));
        assertFalse(responseView.hasMessageIntegrity(), "RFC 8489 9.1.3: no MESSAGE-INTEGRITY on a 401");
        assertFalse(agent.isValidated(CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT));
        assertFalse(agent.hadCheck());
    }

    @Test
    void refusesAWrongUsernameWith401()
    {
        final int length = check(LOCAL_UFRAG + ":other", LOCAL_PWD, true, true, 1);
        assertEquals(401, errorCodeOf(deliver(length, CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT)));
        assertEquals(IceStatus.BAD_USERNAME, agent.lastStatus());
    }

    @Test
    void dropsACheckWithABadFingerprintSilently()
    {
        final int length = check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, true, true, 1);
        request.putByte(length - 1, (byte)(request.getByte(length - 1) ^ 0x01));
        assertEquals(0, deliver(length, CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT));
        assertEquals(IceStatus.BAD_FINGERPRINT, agent.lastStatus());
        assertFalse(agent.hadCheck());
    }

    @Test
    void answersAControlledPeerWithRoleConflict()
    {
        final int length = check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, false, false, 1);
        final int responseLength = deliver(length, CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT);
        assertEquals(487, errorCodeOf(responseLength));
        assertEquals(IceStatus.ROLE_CONFLICT, agent.lastStatus());
        assertTrue(responseView.hasMessageIntegrity());
    }

    @Test
    void answersACheckWithoutCredentialsWith400()
    {
        encoder.wrap(request, 0).header(StunMessageFlyweight.BINDING_REQUEST, transactionId, 0).fingerprint();
        final int length = encoder.length();
        assertEquals(400, errorCodeOf(deliver(length, CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT)));
        assertEquals(IceStatus.MISSING_CREDENTIALS, agent.lastStatus());
    }

    @Test
    void ignoresIndications()
    {
        encoder.wrap(request, 0).header(StunMessageFlyweight.BINDING_INDICATION, transactionId, 0).fingerprint();
        assertEquals(0, deliver(encoder.length(), CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT));
        assertEquals(IceStatus.IGNORED, agent.lastStatus());
    }

    @Test
    void consentExpiresThirtySecondsAfterTheLastAuthenticatedCheckWithOrWithoutUseCandidate()
    {
        checkFrom(true, 1);
        nowNs += TimeUnit.SECONDS.toNanos(20);
        checkFrom(false, 2);
        assertEquals(nowNs + CONSENT_TIMEOUT_NS, agent.consentDeadlineNs());

        nowNs += CONSENT_TIMEOUT_NS - 1;
        assertFalse(agent.isConsentExpired(nowNs));
        final int bad = check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, "wrong-password-wrong-pwd", false, true, 3);
        deliver(bad, CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT);
        nowNs += 1;
        assertTrue(agent.isConsentExpired(nowNs), "an unauthenticated check is not consent");
    }

    @Test
    void sessionWithoutAnyCheckLosesConsentAfterTheTimeout()
    {
        assertFalse(agent.isConsentExpired(nowNs + CONSENT_TIMEOUT_NS - 1));
        assertTrue(agent.isConsentExpired(nowNs + CONSENT_TIMEOUT_NS));
    }

    @Test
    void followsTheLatestNomination()
    {
        final long otherLow = ClientAddress.ipv4Low(0xC0A80001);
        checkFrom(true, 1);
        assertTrue((agent.lastEvents() & IceLiteAgent.EVENT_NOMINATED) != 0);
        assertEquals(CLIENT_LOW, agent.selectedLow());

        nowNs += 1_000_000;
        deliver(check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, false, true, 2), 0, otherLow, 40000);
        assertEquals(CLIENT_LOW, agent.selectedLow(), "a check without USE-CANDIDATE does not move the selection");
        assertTrue(agent.isValidated(0, otherLow, 40000));

        nowNs += 1_000_000;
        deliver(check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, true, true, 3), 0, otherLow, 40000);
        assertTrue((agent.lastEvents() & IceLiteAgent.EVENT_NOMINATED) != 0);
        assertEquals(otherLow, agent.selectedLow());
        assertEquals(40000, agent.selectedPort());

        deliver(check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, true, true, 4), 0, otherLow, 40000);
        assertEquals(0, agent.lastEvents() & IceLiteAgent.EVENT_NOMINATED, "same pair again is not a switch");
    }

    @Test
    void remembersABoundedNumberOfAddressesAndNeverForgetsTheSelectedOne()
    {
        deliver(check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, true, true, 1), CLIENT_HIGH, CLIENT_LOW, 1);
        for (int i = 0; i < IceLiteAgent.MAX_ADDRESSES + 3; i++)
        {
            nowNs += 1_000_000;
            deliver(check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, false, true, 10 + i), CLIENT_HIGH, CLIENT_LOW,
                100 + i);
        }
        assertEquals(IceLiteAgent.MAX_ADDRESSES, agent.addressCount());
        assertTrue(agent.isValidated(CLIENT_HIGH, CLIENT_LOW, 1), "selected address kept");
        assertEquals(1, agent.selectedPort());
        assertFalse(agent.isValidated(CLIENT_HIGH, CLIENT_LOW, 100), "oldest other address forgotten");
        assertTrue(agent.isValidated(CLIENT_HIGH, CLIENT_LOW, 100 + IceLiteAgent.MAX_ADDRESSES + 2));
    }

    private void checkFrom(final boolean useCandidate, final int id)
    {
        deliver(check(LOCAL_UFRAG + ":" + REMOTE_UFRAG, LOCAL_PWD, useCandidate, true, id),
            CLIENT_HIGH, CLIENT_LOW, CLIENT_PORT);
    }

    private int check(
        final String username, final String password, final boolean useCandidate, final boolean controlling,
        final int id)
    {
        transactionId.putInt(0, id);
        transactionId.putLong(4, 0x1234_5678_9ABC_DEF0L + id);
        final byte[] user = username.getBytes(StandardCharsets.US_ASCII);
        final byte[] pwd = password.getBytes(StandardCharsets.US_ASCII);
        return encoder.bindingRequest(request, 0, transactionId, 0, new UnsafeBuffer(user), 0, user.length,
            0x6E7F1EFFL, controlling, 0xCAFEL, useCandidate, new HmacSha1().init(pwd, 0, pwd.length));
    }

    private int deliver(final int length, final long high, final long low, final int port)
    {
        requestView.wrap(request, 0, length);
        assertEquals(StunStatus.OK, requestView.validate());
        return agent.onStun(requestView, high, low, port, nowNs, response, 0);
    }

    private int errorCodeOf(final int responseLength)
    {
        responseView.wrap(response, 0, responseLength);
        assertEquals(StunStatus.OK, responseView.validate());
        assertEquals(StunMessageFlyweight.BINDING_ERROR_RESPONSE, responseView.messageType());
        assertEquals(StunStatus.OK, responseView.verifyFingerprint());
        return responseView.errorCode();
    }
}
