package dev.tandem.stun;

import dev.tandem.common.ClientAddress;
import dev.tandem.crypto.HmacSha1;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.tandem.stun.StunFixtures.RFC5769_PASSWORD;
import static dev.tandem.stun.StunFixtures.RFC5769_PORT;
import static dev.tandem.stun.StunFixtures.RFC5769_USERNAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StunMessageFlyweightTest
{
    private static final int XOR_MAPPED_ADDRESS = StunMessageFlyweight.XOR_MAPPED_ADDRESS;

    private final StunMessageFlyweight flyweight = new StunMessageFlyweight();
    private final HmacSha1 mac = new HmacSha1();

    @Test
    void readsAndVerifiesTheRfc5769Request()
    {
        final byte[] bytes = StunFixtures.request();
        assertEquals(StunStatus.OK, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());

        assertEquals(StunMessageFlyweight.BINDING_REQUEST, flyweight.messageType());
        assertEquals(StunMessageFlyweight.METHOD_BINDING, flyweight.method());
        assertEquals(StunMessageFlyweight.CLASS_REQUEST, flyweight.messageClass());
        assertEquals(RFC5769_USERNAME, username(flyweight));
        assertEquals(0x6e0001ffL, flyweight.priority());
        assertTrue(flyweight.hasIceControlled());
        assertFalse(flyweight.hasIceControlling());
        assertEquals(0x932ff9b151263b36L, flyweight.tieBreaker());
        assertFalse(flyweight.useCandidate());
        assertEquals(0xb7e7a701, flyweight.transactionIdHigh());
        assertEquals(0xbc34d686fa87dfaeL, flyweight.transactionIdLow());
        assertEquals(8, flyweight.transactionIdOffset());
        assertEquals(-1, flyweight.unknownComprehensionRequired());

        final int software = flyweight.findAttribute(StunMessageFlyweight.SOFTWARE);
        assertEquals(24, software);
        assertEquals(16, flyweight.attributeLength(software));
        assertEquals("STUN test client", new String(bytes, software, 16, StandardCharsets.US_ASCII));

        assertEquals(StunStatus.OK, verifyWithPassword());
        assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
    }

    @Test
    void rejectsTheRfc5769RequestUnderAnotherPassword()
    {
        final byte[] bytes = StunFixtures.request();
        flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate();
        final byte[] wrong = "VOkJxbRl1RmTxUk/WvJxBu".getBytes(StandardCharsets.US_ASCII);
        assertEquals(StunStatus.BAD_MESSAGE_INTEGRITY, flyweight.verifyMessageIntegrity(mac, wrong, 0, wrong.length));
    }

    @Test
    void readsTheRfc5769Ipv4ResponseAddress() throws Exception
    {
        final byte[] bytes = StunFixtures.ipv4Response();
        assertEquals(StunStatus.OK, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());
        assertEquals(StunMessageFlyweight.BINDING_SUCCESS_RESPONSE, flyweight.messageType());
        assertEquals(StunMessageFlyweight.CLASS_SUCCESS_RESPONSE, flyweight.messageClass());
        assertEquals(StunMessageFlyweight.FAMILY_IPV4, flyweight.xorMappedAddressFamily());
        assertEquals(RFC5769_PORT, flyweight.xorMappedPort());
        final InetAddress expected = InetAddress.getByName("192.0.2.1");
        assertEquals(ClientAddress.high(expected), flyweight.xorMappedAddressHigh());
        assertEquals(ClientAddress.low(expected), flyweight.xorMappedAddressLow());
        assertEquals(StunStatus.OK, verifyWithPassword());
        assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
        assertEquals(-1, flyweight.usernameOffset());
        assertEquals(-1, flyweight.priority());
    }

    @Test
    void readsTheRfc5769Ipv6ResponseAddress() throws Exception
    {
        final byte[] bytes = StunFixtures.ipv6Response();
        assertEquals(StunStatus.OK, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());
        assertEquals(StunMessageFlyweight.FAMILY_IPV6, flyweight.xorMappedAddressFamily());
        assertEquals(RFC5769_PORT, flyweight.xorMappedPort());
        final InetAddress expected = InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677");
        assertEquals(ClientAddress.high(expected), flyweight.xorMappedAddressHigh());
        assertEquals(ClientAddress.low(expected), flyweight.xorMappedAddressLow());
        assertEquals(StunStatus.OK, verifyWithPassword());
        assertEquals(StunStatus.OK, flyweight.verifyFingerprint());
    }

    @Test
    void verifiesAtAnOffsetInHeapAndDirectBuffers()
    {
        final byte[] message = StunFixtures.request();
        final byte[] heap = new byte[message.length + 37];
        System.arraycopy(message, 0, heap, 13, message.length);
        final ByteBuffer direct = ByteBuffer.allocateDirect(message.length + 600);
        direct.put(301, message);
        final DirectBuffer[] buffers = {
            new UnsafeBuffer(heap), new UnsafeBuffer(heap, 5, heap.length - 5), new UnsafeBuffer(direct) };
        final int[] offsets = { 13, 8, 301 };
        for (int i = 0; i < buffers.length; i++)
        {
            assertEquals(StunStatus.OK, flyweight.wrap(buffers[i], offsets[i], message.length).validate());
            assertEquals(RFC5769_USERNAME, username(flyweight));
            assertEquals(StunStatus.OK,
                verifyWithPassword(), "buffer " + i);
            assertEquals(StunStatus.OK, flyweight.verifyFingerprint(), "buffer " + i);
        }
    }

    @Test
    void detectsEveryFlippedBitOfTheRfc5769Request()
    {
        final byte[] original = StunFixtures.request();
        mac.init(RFC5769_PASSWORD, 0, RFC5769_PASSWORD.length);
        for (int i = 0; i < original.length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                final byte[] bytes = original.clone();
                bytes[i] ^= (byte)(1 << bit);
                final int status = flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate();
                final boolean accepted = status == StunStatus.OK &&
                    flyweight.verifyMessageIntegrity(mac) == StunStatus.OK &&
                    flyweight.verifyFingerprint() == StunStatus.OK;
                assertFalse(accepted, "byte " + i + " bit " + bit);
            }
        }
    }

    @Test
    void rejectsEveryTruncation()
    {
        final byte[] bytes = StunFixtures.request();
        for (int length = 0; length < bytes.length; length++)
        {
            final int status = flyweight.wrap(new UnsafeBuffer(bytes), 0, length).validate();
            final int expected = length < StunMessageFlyweight.HEADER_LENGTH ?
                StunStatus.TRUNCATED : StunStatus.LENGTH_MISMATCH;
            assertEquals(expected, status, "length " + length);
            assertFalse(flyweight.isValid());
            assertEquals(-1, flyweight.usernameOffset());
            assertEquals(-1, flyweight.messageType());
            assertEquals(StunStatus.NOT_VALIDATED, flyweight.verifyFingerprint());
            assertEquals(StunStatus.NOT_VALIDATED, flyweight.verifyMessageIntegrity(mac, RFC5769_PASSWORD, 0, 22));
        }
    }

    @Test
    void rejectsARangeOutsideTheBuffer()
    {
        final byte[] bytes = StunFixtures.request();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertEquals(StunStatus.TRUNCATED, flyweight.wrap(buffer, 4, bytes.length).validate());
        assertEquals(StunStatus.TRUNCATED, flyweight.wrap(buffer, -1, bytes.length).validate());
        assertEquals(StunStatus.TRUNCATED, flyweight.wrap(buffer, Integer.MAX_VALUE, 100).validate());
        assertEquals(StunStatus.TRUNCATED, flyweight.wrap(buffer, 0, -20).validate());
    }

    @Test
    void rejectsABadMagicCookie()
    {
        final byte[] bytes = StunFixtures.request();
        bytes[6] = 0x00;
        assertEquals(StunStatus.BAD_COOKIE, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());
    }

    @Test
    void rejectsNonZeroTopBits()
    {
        final byte[] bytes = StunFixtures.request();
        bytes[0] = (byte)0x40;
        assertEquals(StunStatus.NOT_STUN, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());
        bytes[0] = (byte)0x80;
        assertEquals(StunStatus.NOT_STUN, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());
    }

    @Test
    void rejectsALengthThatIsNotAMultipleOfFour()
    {
        final byte[] bytes = StunFixtures.request();
        bytes[3] = 0x57;
        assertEquals(StunStatus.BAD_LENGTH, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());
    }

    @Test
    void rejectsALengthThatDisagreesWithTheDatagram()
    {
        final byte[] bytes = StunFixtures.request();
        final byte[] longer = new byte[bytes.length + 4];
        System.arraycopy(bytes, 0, longer, 0, bytes.length);
        assertEquals(StunStatus.LENGTH_MISMATCH, validate(longer));
        bytes[3] = 0x54;
        assertEquals(StunStatus.LENGTH_MISMATCH, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate());
    }

    @Test
    void rejectsAnAttributeThatOverrunsTheMessage()
    {
        final byte[] bytes = message(attribute(StunMessageFlyweight.USERNAME, ascii("abcd:efgh")));
        bytes[20 + 3] = 13; // declares 13 bytes (16 padded) where 12 remain
        assertEquals(StunStatus.ATTRIBUTE_OVERRUN, validate(bytes));
        bytes[20 + 2] = (byte)0xFF; // declares 65293 bytes
        assertEquals(StunStatus.ATTRIBUTE_OVERRUN, validate(bytes));
    }

    @Test
    void acceptsAnEmptyMessage()
    {
        final byte[] bytes = message();
        assertEquals(StunStatus.OK, validate(bytes));
        assertEquals(-1, flyweight.usernameOffset());
        assertEquals(0, flyweight.usernameLength());
        assertFalse(flyweight.hasMessageIntegrity());
        assertEquals(StunStatus.NO_MESSAGE_INTEGRITY, flyweight.verifyMessageIntegrity(mac, RFC5769_PASSWORD, 0, 22));
        assertEquals(StunStatus.NO_FINGERPRINT, flyweight.verifyFingerprint());
    }

    @Test
    void keepsTheFirstOfDuplicateAttributes()
    {
        final byte[] bytes = message(
            attribute(StunMessageFlyweight.USERNAME, ascii("first:one")),
            attribute(StunMessageFlyweight.PRIORITY, new byte[]{ 0, 0, 0, 7 }),
            attribute(StunMessageFlyweight.USERNAME, ascii("second:two")),
            attribute(StunMessageFlyweight.PRIORITY, new byte[]{ 0, 0, 0, 9 }));
        assertEquals(StunStatus.OK, validate(bytes));
        assertEquals("first:one", username(flyweight));
        assertEquals(7, flyweight.priority());
        assertEquals(24, flyweight.findAttribute(StunMessageFlyweight.USERNAME));
    }

    @Test
    void ignoresAttributesAfterMessageIntegrity()
    {
        final byte[] bytes = message(
            attribute(StunMessageFlyweight.PRIORITY, new byte[]{ 0, 0, 0, 7 }),
            attribute(StunMessageFlyweight.MESSAGE_INTEGRITY, new byte[20]),
            attribute(StunMessageFlyweight.USERNAME, ascii("late:user")),
            attribute(StunMessageFlyweight.USE_CANDIDATE, new byte[0]),
            attribute(StunMessageFlyweight.ICE_CONTROLLING, new byte[8]),
            attribute(StunMessageFlyweight.PRIORITY, new byte[]{ 0, 0, 0, 9 }),
            attribute(0x0003, new byte[4]), // unknown comprehension-required, but ignored here
            attribute(StunMessageFlyweight.FINGERPRINT, new byte[4]));
        assertEquals(StunStatus.OK, validate(bytes));
        assertEquals(-1, flyweight.usernameOffset());
        assertFalse(flyweight.useCandidate());
        assertFalse(flyweight.hasIceControlling());
        assertEquals(7, flyweight.priority());
        assertEquals(-1, flyweight.unknownComprehensionRequired());
        assertEquals(-1, flyweight.findAttribute(StunMessageFlyweight.USERNAME));
        assertEquals(-1, flyweight.findAttribute(StunMessageFlyweight.USE_CANDIDATE));
        assertEquals(32, flyweight.findAttribute(StunMessageFlyweight.MESSAGE_INTEGRITY));
        assertEquals(bytes.length - 4, flyweight.findAttribute(StunMessageFlyweight.FINGERPRINT));
        assertTrue(flyweight.hasFingerprint());
    }

    @Test
    void ignoresAppendedAttributesWhenVerifyingIntegrity()
    {
        // An attacker who appends USE-CANDIDATE after MESSAGE-INTEGRITY and fixes up the length does not change
        // what was authenticated, and the flyweight does not see the nomination.
        final byte[] original = StunFixtures.request();
        final int fingerprintAt = original.length - 8;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(original, 0, fingerprintAt);
        out.write(attribute(StunMessageFlyweight.USE_CANDIDATE, new byte[0]), 0, 4);
        final byte[] bytes = out.toByteArray();
        bytes[3] = (byte)(bytes.length - 20);
        assertEquals(StunStatus.OK, validate(bytes));
        assertEquals(StunStatus.OK, verifyWithPassword());
        assertFalse(flyweight.useCandidate());
        assertEquals(StunStatus.NO_FINGERPRINT, flyweight.verifyFingerprint());
    }

    @Test
    void rejectsAnAttributeAfterFingerprint()
    {
        final byte[] bytes = message(
            attribute(StunMessageFlyweight.FINGERPRINT, new byte[4]),
            attribute(StunMessageFlyweight.SOFTWARE, ascii("x")));
        assertEquals(StunStatus.FINGERPRINT_NOT_LAST, validate(bytes));
        final byte[] twice = message(
            attribute(StunMessageFlyweight.FINGERPRINT, new byte[4]),
            attribute(StunMessageFlyweight.FINGERPRINT, new byte[4]));
        assertEquals(StunStatus.FINGERPRINT_NOT_LAST, validate(twice));
    }

    @Test
    void rejectsKnownAttributesWithForbiddenLengths()
    {
        final int[][] cases = {
            { StunMessageFlyweight.PRIORITY, 3 },
            { StunMessageFlyweight.PRIORITY, 8 },
            { StunMessageFlyweight.USE_CANDIDATE, 4 },
            { StunMessageFlyweight.ICE_CONTROLLING, 4 },
            { StunMessageFlyweight.ICE_CONTROLLED, 12 },
            { StunMessageFlyweight.MESSAGE_INTEGRITY, 16 },
            { StunMessageFlyweight.MESSAGE_INTEGRITY_SHA256, 12 },
            { StunMessageFlyweight.MESSAGE_INTEGRITY_SHA256, 36 },
            { StunMessageFlyweight.MESSAGE_INTEGRITY_SHA256, 18 },
            { StunMessageFlyweight.FINGERPRINT, 8 },
            { StunMessageFlyweight.ERROR_CODE, 3 },
            { StunMessageFlyweight.XOR_MAPPED_ADDRESS, 3 },
            { StunMessageFlyweight.USERNAME, StunMessageFlyweight.MAX_USERNAME_LENGTH + 1 },
        };
        for (final int[] c : cases)
        {
            assertEquals(StunStatus.BAD_ATTRIBUTE, validate(message(attribute(c[0], new byte[c[1]]))),
                "type 0x" + Integer.toHexString(c[0]) + " length " + c[1]);
        }
        assertEquals(StunStatus.OK, validate(message(
            attribute(StunMessageFlyweight.USERNAME, new byte[StunMessageFlyweight.MAX_USERNAME_LENGTH]))));
    }

    @Test
    void rejectsBadErrorCodeAndAddressContents()
    {
        assertEquals(StunStatus.BAD_ATTRIBUTE,
            validate(message(attribute(StunMessageFlyweight.ERROR_CODE, new byte[]{ 0, 0, 2, 0 }))));
        assertEquals(StunStatus.BAD_ATTRIBUTE,
            validate(message(attribute(StunMessageFlyweight.ERROR_CODE, new byte[]{ 0, 0, 4, 100 }))));
        assertEquals(StunStatus.OK,
            validate(message(attribute(StunMessageFlyweight.ERROR_CODE, new byte[]{ 0, 0, 4, 87, 'x' }))));
        assertEquals(487, flyweight.errorCode());
        assertEquals(StunStatus.BAD_ATTRIBUTE,
            validate(message(attribute(XOR_MAPPED_ADDRESS, new byte[]{ 0, 1, 0, 0, 1, 2, 3, 4,
                0, 0, 0, 0 }))));
        assertEquals(StunStatus.BAD_ATTRIBUTE,
            validate(message(attribute(XOR_MAPPED_ADDRESS, new byte[]{ 0, 3, 0, 0, 1, 2, 3, 4 }))));
        assertEquals(StunStatus.BAD_ATTRIBUTE,
            validate(message(attribute(XOR_MAPPED_ADDRESS, new byte[]{ 0, 2, 0, 0, 1, 2, 3, 4 }))));
    }

    @Test
    void rejectsARequestThatClaimsBothRoles()
    {
        final byte[] bytes = message(
            attribute(StunMessageFlyweight.ICE_CONTROLLING, new byte[8]),
            attribute(StunMessageFlyweight.ICE_CONTROLLED, new byte[8]));
        assertEquals(StunStatus.BOTH_ROLES, validate(bytes));
    }

    @Test
    void reportsTheFirstUnknownComprehensionRequiredAttribute()
    {
        final byte[] bytes = message(
            attribute(0xC057, new byte[4]), // GOOG-NETWORK-INFO: comprehension-optional, as Chromium sends it
            attribute(0x7F01, new byte[2]),
            attribute(0x7F02, new byte[2]));
        assertEquals(StunStatus.OK, validate(bytes));
        assertEquals(0x7F01, flyweight.unknownComprehensionRequired());
        assertEquals(32, flyweight.findAttribute(0x7F01));
        assertEquals(2, flyweight.attributeLength(32));
        assertEquals(-1, flyweight.findAttribute(StunMessageFlyweight.REALM));
    }

    @Test
    void acceptsAnAttributeWithNonZeroPadding()
    {
        final byte[] bytes = message(attribute(StunMessageFlyweight.USERNAME, ascii("abcde")),
            attribute(StunMessageFlyweight.USE_CANDIDATE, new byte[0]));
        bytes[29] = (byte)0xFF; // RFC 8489 14: padding may be any value
        bytes[30] = (byte)0x20;
        assertEquals(StunStatus.OK, validate(bytes));
        assertEquals("abcde", username(flyweight));
        assertTrue(flyweight.useCandidate());
    }

    @Test
    void readsMessageIntegritySha256AfterMessageIntegrity()
    {
        final byte[] bytes = message(
            attribute(StunMessageFlyweight.MESSAGE_INTEGRITY, new byte[20]),
            attribute(StunMessageFlyweight.MESSAGE_INTEGRITY_SHA256, new byte[32]),
            attribute(StunMessageFlyweight.FINGERPRINT, new byte[4]));
        assertEquals(StunStatus.OK, validate(bytes));
        assertTrue(flyweight.hasMessageIntegrity());
        assertTrue(flyweight.hasMessageIntegritySha256());
        assertEquals(48, flyweight.findAttribute(StunMessageFlyweight.MESSAGE_INTEGRITY_SHA256));
    }

    @Test
    void convertsBetweenMessageTypeMethodAndClass()
    {
        for (int method = 0; method < 0x1000; method++)
        {
            for (int messageClass = 0; messageClass < 4; messageClass++)
            {
                final int type = StunMessageFlyweight.messageType(method, messageClass);
                assertEquals(method, StunMessageFlyweight.method(type));
                assertEquals(messageClass, StunMessageFlyweight.messageClass(type));
            }
        }
        assertEquals(StunMessageFlyweight.BINDING_ERROR_RESPONSE, StunMessageFlyweight.messageType(1, 3));
        assertEquals(StunMessageFlyweight.BINDING_INDICATION, StunMessageFlyweight.messageType(1, 1));
    }

    @Test
    void namesEveryStatus()
    {
        for (int status = StunStatus.NOT_VALIDATED; status <= StunStatus.OK; status++)
        {
            assertNotEquals("unknown", StunStatus.reason(status), "status " + status);
        }
        assertEquals("unknown", StunStatus.reason(-1000));
    }

    private int verifyWithPassword()
    {
        return flyweight.verifyMessageIntegrity(mac, RFC5769_PASSWORD, 0, RFC5769_PASSWORD.length);
    }

    private int validate(final byte[] bytes)
    {
        return flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length).validate();
    }

    static String username(final StunMessageFlyweight flyweight)
    {
        final byte[] out = new byte[flyweight.usernameLength()];
        flyweight.buffer().getBytes(flyweight.usernameOffset(), out);
        return new String(out, StandardCharsets.UTF_8);
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** An attribute with its header, padded with zeros. */
    static byte[] attribute(final int type, final byte[] value)
    {
        final byte[] out = new byte[4 + ((value.length + 3) & ~3)];
        out[0] = (byte)(type >>> 8);
        out[1] = (byte)type;
        out[2] = (byte)(value.length >>> 8);
        out[3] = (byte)value.length;
        System.arraycopy(value, 0, out, 4, value.length);
        return out;
    }

    /** A Binding request with a fixed transaction id, the given attributes and a correct length field. */
    static byte[] message(final byte[]... attributes)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{ 0, 1, 0, 0, 0x21, 0x12, (byte)0xa4, 0x42 }, 0, 8);
        for (int i = 0; i < 12; i++)
        {
            out.write(i + 1);
        }
        for (final byte[] attribute : attributes)
        {
            out.write(attribute, 0, attribute.length);
        }
        final byte[] bytes = out.toByteArray();
        bytes[2] = (byte)((bytes.length - 20) >>> 8);
        bytes[3] = (byte)(bytes.length - 20);
        return bytes;
    }
}
