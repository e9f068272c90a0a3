package dev.tandem.stun;

import dev.tandem.common.PacketClassifier;
import dev.tandem.crypto.HmacSha1;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteToken;
import dev.tandem.route.RouteTokenVerifier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Base64;

import static dev.tandem.stun.StunFixtures.CHROMIUM_CLIENT_UFRAG;
import static dev.tandem.stun.StunFixtures.CHROMIUM_PASSWORD;
import static dev.tandem.stun.StunFixtures.CHROMIUM_SERVER_UFRAG;
import static dev.tandem.stun.StunMessageFlyweightTest.username;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real connectivity checks from Chromium, taken the way the relay and the transceiver take them.
 */
class ChromiumCheckTest
{
    private static final String KEY_1;

    static
    {
        final byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++)
        {
            key[i] = (byte)(31 + i * 7 + 1);
        }
        KEY_1 = "1:" + Base64.getEncoder().encodeToString(key);
    }

    private final StunMessageFlyweight flyweight = new StunMessageFlyweight();
    private final RouteTokenVerifier verifier = new RouteTokenVerifier(RouteKeyRing.parse(KEY_1, 1));
    private final HmacSha1 mac = new HmacSha1();

    @Test
    void relayRoutesTheFirstCheckByItsToken()
    {
        final byte[] bytes = StunFixtures.hex(StunFixtures.CHROMIUM_CHECK_HEX);
        final UnsafeBuffer packet = direct(bytes);
        final int length = bytes.length;
        assertEquals(PacketClassifier.STUN, PacketClassifier.classify(packet.getByte(0)));
        assertEquals(StunStatus.OK, flyweight.wrap(packet, 0, length).validate());
        assertEquals(CHROMIUM_SERVER_UFRAG + ":" + CHROMIUM_CLIENT_UFRAG, username(flyweight));

        final long route = verifier.verifyUsername(packet, flyweight.usernameOffset(), flyweight.usernameLength());
        assertEquals(RouteToken.route(1, 7, 42, 3), route);
        assertEquals(0x0123_4567_89AB_CDEFL, verifier.lastNonce());
    }

    @Test
    void transceiverAuthenticatesTheFirstCheck()
    {
        final byte[] bytes = StunFixtures.hex(StunFixtures.CHROMIUM_CHECK_HEX);
        assertEquals(StunStatus.OK, flyweight.wrap(direct(bytes), 0, bytes.length).validate());
        assertEquals(StunMessageFlyweight.BINDING_REQUEST, flyweight.messageType());
        assertEquals(StunStatus.OK, verifyWithPassword());
        assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
        assertTrue(flyweight.hasIceControlling());
        assertEquals(0xe7c94b5a638fa521L, flyweight.tieBreaker());
        assertFalse(flyweight.useCandidate());
        assertEquals(0x6e7e1effL, flyweight.priority());
        assertEquals(-1, flyweight.unknownComprehensionRequired()); // GOOG-NETWORK-INFO is comprehension-optional
        assertEquals(StunStatus.BAD_MESSAGE_INTEGRITY,
            flyweight.verifyMessageIntegrity(mac, StunFixtures.RFC5769_PASSWORD, 0, 22));
    }

    @Test
    void transceiverSeesTheNomination()
    {
        final byte[] bytes = StunFixtures.hex(StunFixtures.CHROMIUM_NOMINATION_HEX);
        assertEquals(StunStatus.OK, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());
        assertTrue(flyweight.useCandidate());
        assertEquals(StunStatus.OK, verifyWithPassword());
        assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
        assertEquals(RouteToken.route(1, 7, 42, 3),
            verifier.verifyUsername(flyweight.buffer(), flyweight.usernameOffset(), flyweight.usernameLength()));
    }

    @Test
    void answersTheCheckSoTheBrowserCanVerifyIt()
    {
        final byte[] bytes = StunFixtures.hex(StunFixtures.CHROMIUM_CHECK_HEX);
        flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate();
        mac.init(CHROMIUM_PASSWORD, 0, CHROMIUM_PASSWORD.length);
        final UnsafeBuffer response = new UnsafeBuffer(new byte[StunMessageEncoder.MAX_BINDING_RESPONSE_LENGTH]);
        final int length = new StunMessageEncoder().bindingSuccessResponse(response, 0, flyweight.buffer(),
            flyweight.transactionIdOffset(), 0, 0x0000_ffff_c000_0202L, 58532, mac);
        final long requestTransaction = flyweight.transactionIdLow();

        assertEquals(StunStatus.OK, flyweight.wrap(response, 0, length).validate());
        assertEquals(requestTransaction, flyweight.transactionIdLow());
        assertEquals(58532, flyweight.xorMappedPort());
        assertEquals(StunStatus.OK, flyweight.verifyMessageIntegrity(mac));
        assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
    }

    @Test
    void classifiesChromiumsDtlsClientHelloAsDtls()
    {
        final byte[] hello = StunFixtures.hex(StunFixtures.CHROMIUM_CLIENT_HELLO_PREFIX_HEX);
        assertEquals(PacketClassifier.DTLS, PacketClassifier.classify(hello[0]));
        assertEquals(StunStatus.BAD_COOKIE, flyweight.wrap(new UnsafeBuffer(hello), 0, hello.length).validate());
    }

    private int verifyWithPassword()
    {
        return flyweight.verifyMessageIntegrity(mac, CHROMIUM_PASSWORD, 0, CHROMIUM_PASSWORD.length);
    }

    private static UnsafeBuffer direct(final byte[] bytes)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return new UnsafeBuffer(buffer);
    }
}
