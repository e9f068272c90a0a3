package dev.tandem.stun;

import dev.tandem.common.ClientAddress;
import dev.tandem.crypto.HmacSha1;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static dev.tandem.stun.StunFixtures.RFC5769_PASSWORD;
import static dev.tandem.stun.StunFixtures.RFC5769_PORT;
import static dev.tandem.stun.StunMessageFlyweightTest.ascii;
import static dev.tandem.stun.StunMessageFlyweightTest.username;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StunMessageEncoderTest
{
    private static final byte[] TRANSACTION_ID = StunFixtures.hex("b7e7a701bc34d686fa87dfae");

    private final StunMessageEncoder encoder = new StunMessageEncoder();
    private final StunMessageFlyweight flyweight = new StunMessageFlyweight();
    private final HmacSha1 mac = new HmacSha1().init(RFC5769_PASSWORD, 0, RFC5769_PASSWORD.length);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);

    @Test
    void reproducesTheRfc5769Ipv4ResponseByteForByte() throws Exception
    {
        assertArrayEquals(StunFixtures.ipv4Response(), rfc5769Response(InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void reproducesTheRfc5769Ipv6ResponseByteForByte() throws Exception
    {
        assertArrayEquals(StunFixtures.ipv6Response(),
            rfc5769Response(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677")));
    }

    @Test
    void roundTripsABindingSuccessResponseForIpv4AndIpv6() throws Exception
    {
        for (final String host : new String[]{ "10.1.2.3", "255.255.255.255", "::1", "fe80::1:2:3:4", "::" })
        {
            final InetAddress address = InetAddress.getByName(host);
            final int length = encoder.bindingSuccessResponse(out, 7, new UnsafeBuffer(TRANSACTION_ID), 0,
                ClientAddress.high(address), ClientAddress.low(address), 65535, mac);
            assertEquals(StunStatus.OK, flyweight.wrap(out, 7, length).validate(), host);
            assertEquals(StunMessageFlyweight.BINDING_SUCCESS_RESPONSE, flyweight.messageType());
            assertEquals(address.getAddress().length == 4 ? 1 : 2, flyweight.xorMappedAddressFamily());
            assertEquals(ClientAddress.high(address), flyweight.xorMappedAddressHigh(), host);
            assertEquals(ClientAddress.low(address), flyweight.xorMappedAddressLow(), host);
            assertEquals(65535, flyweight.xorMappedPort());
            assertEquals(0xb7e7a701, flyweight.transactionIdHigh());
            assertEquals(StunStatus.OK, flyweight.verifyMessageIntegrity(mac));
            assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
            assertTrue(length <= StunMessageEncoder.MAX_BINDING_RESPONSE_LENGTH);
        }
    }

    @Test
    void answersWithTheRequestsTransactionId()
    {
        final byte[] request = StunFixtures.request();
        flyweight.wrap(new UnsafeBuffer(request), 0, request.length).validate();
        final int length = encoder.bindingSuccessResponse(out, 0, flyweight.buffer(), flyweight.transactionIdOffset(),
            0, ClientAddress.ipv4Low(0x7f000001), 5000, mac);
        assertArrayEquals(Arrays.copyOfRange(request, 8, 20), Arrays.copyOfRange(out.byteArray(), 8, 20));
        assertEquals(StunStatus.OK, flyweight.wrap(out, 0, length).validate());
        assertEquals(5000, flyweight.xorMappedPort());
    }

    @Test
    void roundTripsBindingErrorResponses()
    {
        final int[] codes = { 400, 401, 420, 487, 500, 438 };
        for (final int code : codes)
        {
            final boolean authenticated = code == 487;
            final int length = encoder.bindingErrorResponse(out, 0, new UnsafeBuffer(TRANSACTION_ID), 0, code,
                authenticated ? mac : null);
            assertEquals(StunStatus.OK, flyweight.wrap(out, 0, length).validate(), "code " + code);
            assertEquals(StunMessageFlyweight.BINDING_ERROR_RESPONSE, flyweight.messageType());
            assertEquals(StunMessageFlyweight.CLASS_ERROR_RESPONSE, flyweight.messageClass());
            assertEquals(code, flyweight.errorCode());
            assertEquals(authenticated ? StunStatus.OK : StunStatus.NO_MESSAGE_INTEGRITY,
                flyweight.verifyMessageIntegrity(mac));
            assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
            assertTrue(length <= StunMessageEncoder.MAX_BINDING_RESPONSE_LENGTH);
        }
    }

    @Test
    void writesTheReasonPhraseOfAnErrorCode()
    {
        final int length = encoder.bindingErrorResponse(out, 0, new UnsafeBuffer(TRANSACTION_ID), 0, 487, null);
        flyweight.wrap(out, 0, length).validate();
        final int value = flyweight.findAttribute(StunMessageFlyweight.ERROR_CODE);
        assertEquals(4 + 13, flyweight.attributeLength(value));
        assertEquals("Role Conflict", out.getStringWithoutLengthAscii(value + 4, 13));
    }

    @Test
    void roundTripsABindingRequestWithEveryIceAttribute()
    {
        final byte[] user = ascii("serverUfragToken:clnt");
        for (final boolean controlling : new boolean[]{ true, false })
        {
            for (final boolean nominate : new boolean[]{ true, false })
            {
                final int length = encoder.bindingRequest(out, 3, new UnsafeBuffer(TRANSACTION_ID), 0,
                    new UnsafeBuffer(user), 0, user.length, 0xFFFF_FFFEL, controlling, -2L, nominate, mac);
                assertEquals(StunStatus.OK, flyweight.wrap(out, 3, length).validate());
                assertEquals(StunMessageFlyweight.BINDING_REQUEST, flyweight.messageType());
                assertEquals("serverUfragToken:clnt", username(flyweight));
                assertEquals(0xFFFF_FFFEL, flyweight.priority());
                assertEquals(controlling, flyweight.hasIceControlling());
                assertEquals(!controlling, flyweight.hasIceControlled());
                assertEquals(-2L, flyweight.tieBreaker());
                assertEquals(nominate, flyweight.useCandidate());
                assertEquals(StunStatus.OK, flyweight.verifyMessageIntegrity(mac));
                assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
            }
        }
    }

    @Test
    void padsWithZerosAndKeepsTheLengthFieldCurrent()
    {
        encoder.wrap(out, 0).header(StunMessageFlyweight.BINDING_INDICATION, new UnsafeBuffer(TRANSACTION_ID), 0);
        assertEquals(20, encoder.length());
        out.setMemory(20, 100, (byte)0x55);
        encoder.attribute(StunMessageFlyweight.SOFTWARE, new UnsafeBuffer(ascii("abcde")), 0, 5);
        assertEquals(32, encoder.length());
        assertEquals(12, out.getByte(3));
        assertEquals(0, out.getByte(29));
        assertEquals(0, out.getByte(30));
        assertEquals(0, out.getByte(31));
        encoder.unknownAttribute(0x7F01).fingerprint();
        assertEquals(StunStatus.OK, flyweight.wrap(out, 0, encoder.length()).validate());
        assertEquals(StunMessageFlyweight.CLASS_INDICATION, flyweight.messageClass());
        assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
        final int unknown = flyweight.findAttribute(StunMessageFlyweight.UNKNOWN_ATTRIBUTES);
        assertEquals(0x7F01, out.getShort(unknown, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void writesIntoDirectMemory()
    {
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
        final int length = encoder.bindingSuccessResponse(direct, 300, new UnsafeBuffer(TRANSACTION_ID), 0,
            0, ClientAddress.ipv4Low(0xC0000201), RFC5769_PORT, mac);
        assertEquals(StunStatus.OK, flyweight.wrap(direct, 300, length).validate());
        assertEquals(StunStatus.OK, flyweight.verifyMessageIntegrity(mac));
        assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
        final byte[] heapCopy = new byte[length];
        direct.getBytes(300, heapCopy);
        final int heapLength = encoder.bindingSuccessResponse(out, 0, new UnsafeBuffer(TRANSACTION_ID), 0,
            0, ClientAddress.ipv4Low(0xC0000201), RFC5769_PORT, mac);
        assertArrayEquals(Arrays.copyOf(out.byteArray(), heapLength), heapCopy);
    }

    /** RFC 5769 2.2/2.3 as composed here: SOFTWARE padded with a space, as the RFC's sample is. */
    private byte[] rfc5769Response(final InetAddress address)
    {
        final byte[] software = ascii("test vector");
        encoder.wrap(out, 0)
            .header(StunMessageFlyweight.BINDING_SUCCESS_RESPONSE, new UnsafeBuffer(TRANSACTION_ID), 0)
            .attribute(StunMessageFlyweight.SOFTWARE, new UnsafeBuffer(software), 0, software.length);
        out.putByte(20 + 4 + 11, (byte)' ');
        final int length = encoder
            .xorMappedAddress(ClientAddress.high(address), ClientAddress.low(address), RFC5769_PORT)
            .messageIntegrity(mac)
            .fingerprint()
            .length();
        return Arrays.copyOf(out.byteArray(), length);
    }
}
