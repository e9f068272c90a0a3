package dev.tandem.stun;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.util.zip.CRC32;

/**
 * The FINGERPRINT value (RFC 8489 14.7): CRC-32 of the message up to the attribute, XOR 0x5354554e. Uses the JDK's
 * intrinsified {@link CRC32}; direct memory goes through a small scratch array, so nothing is allocated.
 * Not thread-safe.
 */
final class StunFingerprint
{
    private static final long ARRAY_BASE_OFFSET = BufferUtil.ARRAY_BASE_OFFSET;

    private final CRC32 crc = new CRC32();
    private final byte[] copyBuffer = new byte[256];

    /**
     * @param buffer holding the message.
     * @param offset where the message starts.
     * @param length bytes before the FINGERPRINT attribute.
     * @return the value FINGERPRINT must carry.
     */
    int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        crc.reset();
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            crc.update(array, (int)(buffer.addressOffset() - ARRAY_BASE_OFFSET) + offset, length);
        }
        else
        {
            int done = 0;
            while (done < length)
            {
                final int chunk = Math.min(copyBuffer.length, length - done);
                buffer.getBytes(offset + done, copyBuffer, 0, chunk);
                crc.update(copyBuffer, 0, chunk);
                done += chunk;
            }
        }
        return (int)crc.getValue() ^ StunMessageFlyweight.FINGERPRINT_XOR; // RFC 8489 14.7
    }
}
