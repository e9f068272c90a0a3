package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtpHeaderFlyweightTest
{
    private final RtpHeaderFlyweight header = new RtpHeaderFlyweight();

    private static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }

    private static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] out = new byte[length];
        int position = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, out, position, part.length);
            position += part.length;
        }
        return out;
    }

    private static byte[] fixedHeader(final int first, final int second)
    {
        return bytes(first, second, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0xCA, 0xFE, 0xBA, 0xBE);
    }

    @Test
    void parsesFixedHeaderAndPayload()
    {
        final byte[] packet = concat(bytes(0xFF, 0xFF), fixedHeader(0x80, 111), bytes(1, 2, 3), bytes(0xFF));
        assertEquals(RtpStatus.OK, header.wrap(packet, 2, 15));
        assertEquals(2, header.version());
        assertFalse(header.hasPadding());
        assertFalse(header.hasExtension());
        assertFalse(header.marker());
        assertEquals(0, header.csrcCount());
        assertEquals(111, header.payloadType());
        assertEquals(0x1234, header.sequenceNumber());
        assertEquals(0xDEADBEEFL, header.timestamp());
        assertEquals(0xCAFEBABEL, header.ssrc());
        assertEquals(12, header.headerLength());
        assertEquals(14, header.payloadOffset());
        assertEquals(3, header.payloadLength());
        assertEquals(0, header.paddingLength());
        assertEquals(-1, header.extensionProfile());
        assertFalse(header.findExtensionElement(1));
    }

    @Test
    void parsesMarkerAndCsrcs()
    {
        final byte[] packet = concat(fixedHeader(0x82, 0x80 | 0), bytes(0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE), bytes(9));
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, packet.length));
        assertTrue(header.marker());
        assertEquals(0, header.payloadType());
        assertEquals(2, header.csrcCount());
        assertEquals(1L, header.csrc(0));
        assertEquals(0xFFFFFFFEL, header.csrc(1));
        assertEquals(20, header.payloadOffset());
        assertEquals(1, header.payloadLength());
    }

    @Test
    void walksOneByteExtensionElementsAsChromiumSendsThem()
    {
        // 0xBEDE, 2 words: audio level (id 1, 1 byte), abs-send-time (id 3, 3 bytes), 2 padding bytes
        final byte[] extension = bytes(0xBE, 0xDE, 0x00, 0x02, 0x10, 0x85, 0x32, 0x0A, 0x0B, 0x0C, 0x00, 0x00);
        final byte[] packet = concat(fixedHeader(0x90, 111), extension, bytes(7, 7, 7, 7));
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, packet.length));
        assertTrue(header.hasExtension());
        assertEquals(0xBEDE, header.extensionProfile());
        assertEquals(16, header.extensionOffset());
        assertEquals(8, header.extensionLength());
        assertEquals(24, header.headerLength());
        assertEquals(4, header.payloadLength());

        assertTrue(header.findExtensionElement(1));
        assertEquals(1, header.elementLength());
        assertEquals(0x85, packet[header.elementOffset()] & 0xFF);
        assertTrue(header.findExtensionElement(3));
        assertEquals(3, header.elementLength());
        assertArrayEquals(bytes(0x0A, 0x0B, 0x0C),
            Arrays.copyOfRange(packet, header.elementOffset(), header.elementOffset() + 3));
        assertFalse(header.findExtensionElement(2));
        assertFalse(header.findExtensionElement(0));
    }

    @Test
    void stopsOneByteWalkAtReservedIdFifteen()
    {
        // id 1 (1 byte), then id 15 whose length must be ignored, then bytes that would otherwise overrun
        final byte[] extension = bytes(0xBE, 0xDE, 0x00, 0x01, 0x10, 0x44, 0xFF, 0x2F);
        final byte[] packet = concat(fixedHeader(0x90, 111), extension);
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, packet.length));
        assertTrue(header.findExtensionElement(1));
        assertFalse(header.findExtensionElement(2));
        assertEquals(0, header.payloadLength());
    }

    @Test
    void walksTwoByteExtensionElements()
    {
        // 0x1001 (appbits 1), 3 words: padding byte, id 5 length 3, id 200 length 0, id 7 length 2
        final byte[] extension = bytes(
            0x10, 0x01, 0x00, 0x03, 0x00, 0x05, 0x03, 0xA1, 0xA2, 0xA3, 0xC8, 0x00, 0x07, 0x02, 1, 2);
        final byte[] packet = concat(fixedHeader(0x90, 111), extension, bytes(0x55));
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, packet.length));
        assertEquals(0x1001, header.extensionProfile());
        assertTrue(header.findExtensionElement(5));
        assertEquals(3, header.elementLength());
        assertEquals(0xA1, packet[header.elementOffset()] & 0xFF);
        assertTrue(header.findExtensionElement(200));
        assertEquals(0, header.elementLength());
        assertTrue(header.findExtensionElement(7));
        assertEquals(2, header.elementLength());
        assertEquals(1, packet[header.elementOffset()]);
        assertFalse(header.findExtensionElement(8));
        assertEquals(1, header.payloadLength());
        assertEquals(0x55, packet[header.payloadOffset()]);

        // the same elements, but id 7 claims 4 bytes where the 12 declared bytes leave 2
        final byte[] overrun = packet.clone();
        overrun[16 + 9] = 0x04;
        assertEquals(RtpStatus.BAD_EXTENSION_ELEMENT, header.wrap(overrun, 0, overrun.length));
    }

    @Test
    void skipsExtensionOfOtherProfilesWhole()
    {
        final byte[] extension = bytes(0x12, 0x34, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF);
        final byte[] packet = concat(fixedHeader(0x90, 111), extension, bytes(1, 2));
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, packet.length));
        assertEquals(0x1234, header.extensionProfile());
        assertFalse(header.findExtensionElement(15));
        assertEquals(2, header.payloadLength());
    }

    @Test
    void stripsPadding()
    {
        final byte[] packet = concat(fixedHeader(0xA0, 111), bytes(1, 2, 3, 4, 5), bytes(0, 0, 3));
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, packet.length));
        assertTrue(header.hasPadding());
        assertEquals(3, header.paddingLength());
        assertEquals(5, header.payloadLength());

        final byte[] allPadding = concat(fixedHeader(0xA0, 111), bytes(0, 0, 0, 4));
        assertEquals(RtpStatus.OK, header.wrap(allPadding, 0, allPadding.length));
        assertEquals(0, header.payloadLength());
    }

    @Test
    void rejectsEachInvalidCaseWithItsReason()
    {
        assertEquals(RtpStatus.TOO_SHORT, header.wrap(new byte[11], 0, 11));
        assertEquals(RtpStatus.TOO_SHORT, header.wrap(new byte[20], 10, 12));
        assertEquals(RtpStatus.TOO_SHORT, header.wrap(new byte[20], -1, 12));
        assertEquals(RtpStatus.TOO_SHORT, header.wrap(null, 0, 12));

        assertEquals(RtpStatus.BAD_VERSION, header.wrap(fixedHeader(0x40, 111), 0, 12));
        assertEquals(RtpStatus.BAD_VERSION, header.wrap(fixedHeader(0x00, 111), 0, 12));

        assertEquals(RtpStatus.RTCP_PAYLOAD_TYPE, header.wrap(fixedHeader(0x80, 0xC8), 0, 12));
        assertEquals(RtpStatus.RTCP_PAYLOAD_TYPE, header.wrap(fixedHeader(0x80, 64), 0, 12));
        assertEquals(RtpStatus.OK, header.wrap(fixedHeader(0x80, 96), 0, 12));

        final byte[] csrcOverrun = concat(fixedHeader(0x83, 111), bytes(0, 0, 0, 1, 0, 0, 0, 2));
        assertEquals(RtpStatus.CSRC_OVERRUN, header.wrap(csrcOverrun, 0, csrcOverrun.length));

        final byte[] noExtensionHeader = concat(fixedHeader(0x90, 111), bytes(0xBE, 0xDE));
        assertEquals(RtpStatus.EXTENSION_OVERRUN, header.wrap(noExtensionHeader, 0, noExtensionHeader.length));
        final byte[] extensionTooLong = concat(fixedHeader(0x90, 111), bytes(0xBE, 0xDE, 0x00, 0x02, 0x10, 1, 0, 0));
        assertEquals(RtpStatus.EXTENSION_OVERRUN, header.wrap(extensionTooLong, 0, extensionTooLong.length));

        final byte[] elementOverrun = concat(fixedHeader(0x90, 111), bytes(0xBE, 0xDE, 0x00, 0x01, 0x13, 1, 2, 3));
        assertEquals(RtpStatus.BAD_EXTENSION_ELEMENT, header.wrap(elementOverrun, 0, elementOverrun.length));
        final byte[] twoByteOverrun = concat(fixedHeader(0x90, 111), bytes(0x10, 0x00, 0x00, 0x01, 0x05, 0x03, 1, 2));
        assertEquals(RtpStatus.BAD_EXTENSION_ELEMENT, header.wrap(twoByteOverrun, 0, twoByteOverrun.length));
        final byte[] twoByteNoLength = concat(fixedHeader(0x90, 111), bytes(0x10, 0x00, 0x00, 0x01, 0, 0, 0, 0x05));
        assertEquals(RtpStatus.BAD_EXTENSION_ELEMENT, header.wrap(twoByteNoLength, 0, twoByteNoLength.length));

        final byte[] zeroPadding = concat(fixedHeader(0xA0, 111), bytes(1, 0));
        assertEquals(RtpStatus.BAD_PADDING, header.wrap(zeroPadding, 0, zeroPadding.length));
        final byte[] paddingTooLarge = concat(fixedHeader(0xA0, 111), bytes(1, 3));
        assertEquals(RtpStatus.BAD_PADDING, header.wrap(paddingTooLarge, 0, paddingTooLarge.length));
        final byte[] paddingIntoExtension = concat(fixedHeader(0xB0, 111), bytes(0xBE, 0xDE, 0x00, 0x01, 0, 0, 0, 5));
        assertEquals(RtpStatus.BAD_PADDING, header.wrap(paddingIntoExtension, 0, paddingIntoExtension.length));
    }

    @Test
    void writerOutputParsesBack()
    {
        final byte[] packet = new byte[32];
        assertEquals(12, RtpWriter.writeHeader(packet, 4, true, 111, 65535, 0xFFFFFFFFL, 0x89ABCDEFL));
        assertEquals(RtpStatus.OK, header.wrap(packet, 4, 12 + 10));
        assertTrue(header.marker());
        assertEquals(111, header.payloadType());
        assertEquals(65535, header.sequenceNumber());
        assertEquals(0xFFFFFFFFL, header.timestamp());
        assertEquals(0x89ABCDEFL, header.ssrc());
        assertEquals(10, header.payloadLength());
        assertEquals(0x80, packet[4] & 0xFF);
    }

    @Test
    void demultiplexesRtcpFromRtpBySecondByte()
    {
        assertTrue(RtpDescriptor.isRtcp(bytes(0x80, 200, 0, 1), 0, 4));
        assertTrue(RtpDescriptor.isRtcp(bytes(0x81, 192), 0, 2));
        assertTrue(RtpDescriptor.isRtcp(bytes(0x81, 223), 0, 2));
        assertFalse(RtpDescriptor.isRtcp(bytes(0x80, 191), 0, 2));
        assertFalse(RtpDescriptor.isRtcp(bytes(0x80, 224), 0, 2));
        assertFalse(RtpDescriptor.isRtcp(bytes(0x80, 111), 0, 2));
        assertFalse(RtpDescriptor.isRtcp(bytes(0x80), 0, 1));
        assertFalse(RtpDescriptor.isRtcp(bytes(0x80, 200), 1, 2));
    }

    @Test
    void neverThrowsOnRandomBytesAndAccountsForEveryByte()
    {
        final Random random = new Random(42);
        final byte[] packet = new byte[64];
        int valid = 0;
        for (int i = 0; i < 20_000; i++)
        {
            random.nextBytes(packet);
            packet[0] = (byte)((packet[0] & 0x3F) | 0x80); // mostly version 2 so the deeper checks run
            final int length = random.nextInt(packet.length + 1);
            if (header.wrap(packet, 0, length) == RtpStatus.OK)
            {
                valid++;
                assertEquals(length, header.headerLength() + header.payloadLength() + header.paddingLength());
                for (int id = 1; id < 16; id++)
                {
                    if (header.findExtensionElement(id))
                    {
                        assertTrue(header.elementOffset() + header.elementLength() <= length);
                    }
                }
            }
        }
        assertTrue(valid > 1000, "valid " + valid);
    }
}
