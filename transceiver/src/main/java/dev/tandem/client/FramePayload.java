package dev.tandem.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The payload of the client's test frames: an Opus-sized RTP payload that says when it was sent and which frame it
 * is, so an echoed copy gives a round-trip time and lets the receiver check order, loss and every byte.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 send time (System.nanoTime, 64 bits)          |
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 frame counter (64 bits, from 0)               |
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 SSRC of the sending client                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  filler: byte i = (counter * 31 + i) mod 256, to the end ...  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Big-endian. The filler depends on the counter and the position, so a frame that comes back with any byte changed,
 * or cut short, fails {@link #verify}. Allocation-free.
 */
final class FramePayload
{
    /** Shortest payload: the header fields. */
    static final int MIN_LENGTH = 20;
    static final int SEND_TIME_OFFSET = 0;
    static final int COUNTER_OFFSET = 8;
    static final int SSRC_OFFSET = 16;
    static final int FILLER_OFFSET = 20;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private FramePayload()
    {
    }

    /**
     * @param buffer  where to write.
     * @param offset  where the payload starts.
     * @param length  payload length, at least {@link #MIN_LENGTH}.
     * @param sendNs  the send time.
     * @param counter the frame counter.
     * @param ssrc    our SSRC.
     */
    static void write(
        final byte[] buffer, final int offset, final int length, final long sendNs, final long counter, final long ssrc)
    {
        putLong(buffer, offset + SEND_TIME_OFFSET, sendNs);
        putLong(buffer, offset + COUNTER_OFFSET, counter);
        putInt(buffer, offset + SSRC_OFFSET, (int)ssrc);
        final int seed = (int)(counter * 31);
        for (int i = FILLER_OFFSET; i < length; i++)
        {
            buffer[offset + i] = (byte)(seed + i);
        }
    }

    /**
     * @param buffer holds the payload.
     * @param offset where it starts.
     * @return the send time.
     */
    static long sendNs(final byte[] buffer, final int offset)
    {
        return getLong(buffer, offset + SEND_TIME_OFFSET);
    }

    /**
     * @param buffer holds the payload.
     * @param offset where it starts.
     * @return the frame counter.
     */
    static long counter(final byte[] buffer, final int offset)
    {
        return getLong(buffer, offset + COUNTER_OFFSET);
    }

    /**
     * @param buffer holds the payload.
     * @param offset where it starts.
     * @return the sender's SSRC, unsigned.
     */
    static long ssrc(final byte[] buffer, final int offset)
    {
        return getInt(buffer, offset + SSRC_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * Check a payload against what {@link #write} wrote for its counter (the send time is checked by the caller,
     * which remembers it).
     *
     * @param buffer         holds the payload.
     * @param offset         where it starts.
     * @param length         its length.
     * @param expectedLength the length we sent.
     * @param ssrc           our SSRC.
     * @return true when length, SSRC and filler are what we sent.
     */
    static boolean verify(
        final byte[] buffer, final int offset, final int length, final int expectedLength, final long ssrc)
    {
        if (length != expectedLength || length < MIN_LENGTH || ssrc(buffer, offset) != (ssrc & 0xFFFF_FFFFL))
        {
            return false;
        }
        final int seed = (int)(counter(buffer, offset) * 31);
        for (int i = FILLER_OFFSET; i < length; i++)
        {
            if (buffer[offset + i] != (byte)(seed + i))
            {
                return false;
            }
        }
        return true;
    }

    private static void putLong(final byte[] buffer, final int offset, final long value)
    {
        LONG.set(buffer, offset, value);
    }

    private static void putInt(final byte[] buffer, final int offset, final int value)
    {
        INT.set(buffer, offset, value);
    }

    private static long getLong(final byte[] buffer, final int offset)
    {
        return (long)LONG.get(buffer, offset);
    }

    private static int getInt(final byte[] buffer, final int offset)
    {
        return (int)INT.get(buffer, offset);
    }
}
