package dev.tandem.stun;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * TEMPORARY stand-in for the common engineer's STUN flyweight; replaced by main's at merge.
 */
public final class StunMessageFlyweight
{
    private static final int HEADER_LENGTH = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int USERNAME = 0x0006;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int usernameOffset = -1;
    private int usernameLength;

    /**
     * @param buffer the datagram.
     * @param offset where it starts.
     * @param length its length.
     * @return this.
     */
    public StunMessageFlyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.usernameOffset = -1;
        this.usernameLength = 0;
        return this;
    }

    /**
     * @return {@link StunStatus#OK} or a negative reason.
     */
    public int validate()
    {
        usernameOffset = -1;
        usernameLength = 0;
        if (length < HEADER_LENGTH)
        {
            return StunStatus.TRUNCATED;
        }
        final int type = buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int bodyLength = buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if ((type & 0xC000) != 0 || (bodyLength & 3) != 0 ||
            buffer.getInt(offset + 4, ByteOrder.BIG_ENDIAN) != MAGIC_COOKIE)
        {
            return StunStatus.BAD_HEADER;
        }
        if (HEADER_LENGTH + bodyLength != length)
        {
            return StunStatus.TRUNCATED;
        }
        int position = offset + HEADER_LENGTH;
        final int end = offset + length;
        while (position < end)
        {
            if (end - position < 4)
            {
                return StunStatus.BAD_ATTRIBUTE;
            }
            final int attributeType = buffer.getShort(position, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int attributeLength = buffer.getShort(position + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (position + 4 + attributeLength > end)
            {
                return StunStatus.BAD_ATTRIBUTE;
            }
            if (attributeType == USERNAME && usernameOffset < 0)
            {
                usernameOffset = position + 4;
                usernameLength = attributeLength;
            }
            position += 4 + ((attributeLength + 3) & ~3);
        }
        return StunStatus.OK;
    }

    /**
     * @return absolute offset of the USERNAME value, or -1.
     */
    public int usernameOffset()
    {
        return usernameOffset;
    }

    /**
     * @return length of the USERNAME value.
     */
    public int usernameLength()
    {
        return usernameLength;
    }
}
