package dev.tandem.rtp;

/**
 * Big-endian (network order) reads and writes on a {@code byte[]}. Callers check bounds first.
 */
final class NetworkBytes
{
    private NetworkBytes()
    {
    }

    static int u8(final byte[] buffer, final int index)
    {
        return buffer[index] & 0xFF;
    }

    static int u16(final byte[] buffer, final int index)
    {
        return ((buffer[index] & 0xFF) << 8) | (buffer[index + 1] & 0xFF);
    }

    static int u24(final byte[] buffer, final int index)
    {
        return ((buffer[index] & 0xFF) << 16) | ((buffer[index + 1] & 0xFF) << 8) | (buffer[index + 2] & 0xFF);
    }

    static long u32(final byte[] buffer, final int index)
    {
        return ((long)(buffer[index] & 0xFF) << 24) |
            ((buffer[index + 1] & 0xFF) << 16) |
            ((buffer[index + 2] & 0xFF) << 8) |
            (buffer[index + 3] & 0xFF);
    }

    static void put16(final byte[] buffer, final int index, final int value)
    {
        buffer[index] = (byte)(value >>> 8);
        buffer[index + 1] = (byte)value;
    }

    static void put24(final byte[] buffer, final int index, final int value)
    {
        buffer[index] = (byte)(value >>> 16);
        buffer[index + 1] = (byte)(value >>> 8);
        buffer[index + 2] = (byte)value;
    }

    static void put32(final byte[] buffer, final int index, final long value)
    {
        buffer[index] = (byte)(value >>> 24);
        buffer[index + 1] = (byte)(value >>> 16);
        buffer[index + 2] = (byte)(value >>> 8);
        buffer[index + 3] = (byte)value;
    }

    static boolean inBounds(final byte[] buffer, final int offset, final int length)
    {
        return buffer != null && offset >= 0 && length >= 0 && offset <= buffer.length - length;
    }
}
