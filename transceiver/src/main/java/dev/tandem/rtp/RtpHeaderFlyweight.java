package dev.tandem.rtp;

import static dev.tandem.rtp.NetworkBytes.u16;
import static dev.tandem.rtp.NetworkBytes.u32;
import static dev.tandem.rtp.NetworkBytes.u8;

/**
 * Reads and validates an RTP packet in place (RFC 3550 5.1) without copying or allocating. Wrap one datagram,
 * check the status, then read fields; the flyweight is reused for the next datagram.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |                             SSRC                              |
 * |                    CSRC list (CC x 32 bits)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |  length (32-bit words)        |  if X (RFC 3550 5.3.1)
 * |                  header extension data ...                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           payload ...                         |
 * |                               |  padding ... | padding count  |  if P
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 8285 one-byte elements (profile 0xBEDE):  | ID(4) | L(4) | L+1 data bytes |   ID 0 = padding byte, ID 15 = stop
 * RFC 8285 two-byte elements (profile 0x100X):  |  ID(8)  | length(8) | data ... |   ID 0 = padding byte
 * </pre>
 */
public final class RtpHeaderFlyweight
{
    private byte[] buffer;
    private int offset;
    private int length;
    private int extensionProfile;
    private int extensionOffset;
    private int extensionLength;
    private int payloadOffset;
    private int payloadLength;
    private int paddingLength;
    private int elementOffset;
    private int elementLength;

    /**
     * Wrap and validate an RTP packet. On anything but {@link RtpStatus#OK} the accessors are meaningless.
     *
     * @param buffer holds the packet (after SRTP unprotect).
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return {@link RtpStatus#OK} or why the packet is invalid.
     */
    public RtpStatus wrap(final byte[] buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        extensionProfile = -1;
        extensionOffset = 0;
        extensionLength = 0;
        payloadOffset = 0;
        payloadLength = 0;
        paddingLength = 0;

        if (length < RtpDescriptor.RTP_HEADER_LENGTH || !NetworkBytes.inBounds(buffer, offset, length))
        {
            return RtpStatus.TOO_SHORT;
        }
        final int first = u8(buffer, offset);
        if ((first >>> 6) != RtpDescriptor.VERSION) // RFC 3550 5.1
        {
            return RtpStatus.BAD_VERSION;
        }
        final int payloadType = buffer[offset + 1] & 0x7F;
        if (payloadType >= 64 && payloadType <= 95) // RFC 5761 4: these collide with RTCP 192-223
        {
            return RtpStatus.RTCP_PAYLOAD_TYPE;
        }

        final int end = offset + length;
        int position = offset + RtpDescriptor.RTP_HEADER_LENGTH + 4 * (first & 0x0F);
        if (position > end) // RFC 3550 5.1: CSRC list
        {
            return RtpStatus.CSRC_OVERRUN;
        }

        if ((first & 0x10) != 0) // RFC 3550 5.3.1: header extension
        {
            if (position + 4 > end)
            {
                return RtpStatus.EXTENSION_OVERRUN;
            }
            final int profile = u16(buffer, position);
            final int dataLength = 4 * u16(buffer, position + 2);
            final int dataOffset = position + 4;
            if (dataLength > end - dataOffset)
            {
                return RtpStatus.EXTENSION_OVERRUN;
            }
            if (!validElements(buffer, profile, dataOffset, dataOffset + dataLength))
            {
                return RtpStatus.BAD_EXTENSION_ELEMENT;
            }
            extensionProfile = profile;
            extensionOffset = dataOffset;
            extensionLength = dataLength;
            position = dataOffset + dataLength;
        }

        int padding = 0;
        if ((first & 0x20) != 0) // RFC 3550 5.1: the last octet counts the padding, itself included
        {
            padding = u8(buffer, end - 1);
            if (padding == 0 || padding > end - position)
            {
                return RtpStatus.BAD_PADDING;
            }
        }

        payloadOffset = position;
        paddingLength = padding;
        payloadLength = end - position - padding;
        return RtpStatus.OK;
    }

    /**
     * @return the array the packet lives in.
     */
    public byte[] buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the packet in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return length of the whole packet in bytes, padding included.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return the version field (2 for a valid packet).
     */
    public int version()
    {
        return u8(buffer, offset) >>> 6;
    }

    /**
     * @return true when the P bit is set.
     */
    public boolean hasPadding()
    {
        return (buffer[offset] & 0x20) != 0;
    }

    /**
     * @return true when the X bit is set.
     */
    public boolean hasExtension()
    {
        return (buffer[offset] & 0x10) != 0;
    }

    /**
     * @return number of CSRC identifiers (0-15).
     */
    public int csrcCount()
    {
        return buffer[offset] & 0x0F;
    }

    /**
     * @return the marker bit (for audio: first packet of a talkspurt, RFC 3551 4.1).
     */
    public boolean marker()
    {
        return (buffer[offset + 1] & 0x80) != 0;
    }

    /**
     * @return the payload type (0-127).
     */
    public int payloadType()
    {
        return buffer[offset + 1] & 0x7F;
    }

    /**
     * @return the 16-bit sequence number (0-65535).
     */
    public int sequenceNumber()
    {
        return u16(buffer, offset + 2);
    }

    /**
     * @return the 32-bit RTP timestamp as an unsigned value.
     */
    public long timestamp()
    {
        return u32(buffer, offset + 4);
    }

    /**
     * @return the SSRC as an unsigned value.
     */
    public long ssrc()
    {
        return u32(buffer, offset + 8);
    }

    /**
     * @param index 0 to {@link #csrcCount()} - 1.
     * @return that CSRC as an unsigned value.
     */
    public long csrc(final int index)
    {
        return u32(buffer, offset + RtpDescriptor.RTP_HEADER_LENGTH + 4 * index);
    }

    /**
     * @return the extension profile (0xBEDE, 0x100X, or another), or -1 when there is no extension.
     */
    public int extensionProfile()
    {
        return extensionProfile;
    }

    /**
     * @return offset in {@link #buffer()} of the extension data (after its 4-byte header).
     */
    public int extensionOffset()
    {
        return extensionOffset;
    }

    /**
     * @return length of the extension data in bytes (a multiple of 4), 0 without an extension.
     */
    public int extensionLength()
    {
        return extensionLength;
    }

    /**
     * @return length of everything before the payload: fixed header, CSRCs and extension.
     */
    public int headerLength()
    {
        return payloadOffset - offset;
    }

    /**
     * @return offset in {@link #buffer()} of the payload.
     */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /**
     * @return payload length in bytes, padding excluded.
     */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * @return padding length in bytes (count octet included), 0 without padding.
     */
    public int paddingLength()
    {
        return paddingLength;
    }

    /**
     * Look up an RFC 8285 header extension element by its negotiated id ({@code a=extmap}), e.g. the audio level of
     * RFC 6464. On success read it at {@link #elementOffset()} for {@link #elementLength()} bytes.
     *
     * @param id local identifier: 1-14 for the one-byte form, 1-255 for the two-byte form.
     * @return true when the packet carries that element.
     */
    public boolean findExtensionElement(final int id)
    {
        elementOffset = 0;
        elementLength = 0;
        if (id <= 0 || extensionProfile < 0)
        {
            return false;
        }
        final int end = extensionOffset + extensionLength;
        int position = extensionOffset;
        if (extensionProfile == RtpDescriptor.EXTENSION_ONE_BYTE_PROFILE)
        {
            while (position < end)
            {
                final int head = u8(buffer, position);
                final int elementId = head >>> 4;
                if (elementId == 0 && head == 0)
                {
                    position++;
                    continue;
                }
                if (elementId == 0 || elementId == 15)
                {
                    return false;
                }
                final int dataLength = (head & 0x0F) + 1;
                if (elementId == id)
                {
                    elementOffset = position + 1;
                    elementLength = dataLength;
                    return true;
                }
                position += 1 + dataLength;
            }
        }
        else if ((extensionProfile & RtpDescriptor.EXTENSION_TWO_BYTE_MASK) == RtpDescriptor.EXTENSION_TWO_BYTE_PROFILE)
        {
            while (position < end)
            {
                final int elementId = u8(buffer, position);
                if (elementId == 0)
                {
                    position++;
                    continue;
                }
                final int dataLength = u8(buffer, position + 1);
                if (elementId == id)
                {
                    elementOffset = position + 2;
                    elementLength = dataLength;
                    return true;
                }
                position += 2 + dataLength;
            }
        }
        return false;
    }

    /**
     * @return offset in {@link #buffer()} of the element found by {@link #findExtensionElement(int)}.
     */
    public int elementOffset()
    {
        return elementOffset;
    }

    /**
     * @return data length of the element found by {@link #findExtensionElement(int)}.
     */
    public int elementLength()
    {
        return elementLength;
    }

    /**
     * Walk the RFC 8285 elements once so lookups later need no bounds checks. Other profiles are opaque to us and
     * skipped whole. Every step advances at least one byte, so the walk is bounded by the extension length.
     */
    private static boolean validElements(final byte[] buffer, final int profile, final int start, final int end)
    {
        int position = start;
        if (profile == RtpDescriptor.EXTENSION_ONE_BYTE_PROFILE)
        {
            while (position < end)
            {
                final int head = u8(buffer, position);
                final int id = head >>> 4;
                if (head == 0) // RFC 8285 4.2: padding byte
                {
                    position++;
                    continue;
                }
                if (id == 15 || id == 0) // RFC 8285 4.2: stop processing; elements before it still count
                {
                    return true;
                }
                final int dataLength = (head & 0x0F) + 1;
                if (dataLength > end - position - 1)
                {
                    return false;
                }
                position += 1 + dataLength;
            }
        }
        else if ((profile & RtpDescriptor.EXTENSION_TWO_BYTE_MASK) == RtpDescriptor.EXTENSION_TWO_BYTE_PROFILE)
        {
            while (position < end)
            {
                if (buffer[position] == 0) // RFC 8285 4.3: padding byte
                {
                    position++;
                    continue;
                }
                if (end - position < 2)
                {
                    return false;
                }
                final int dataLength = u8(buffer, position + 1);
                if (dataLength > end - position - 2)
                {
                    return false;
                }
                position += 2 + dataLength;
            }
        }
        return true;
    }
}
