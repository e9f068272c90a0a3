package dev.tandem.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A client's IP address as two longs, the form it takes in flow keys and SBE messages.
 * <pre>
 *   16 bytes of the IPv6 address, network order; IPv4 is mapped as ::ffff:a.b.c.d
 *   +-------------------------------+-------------------------------+
 *   |   high: bytes 0-7 big-endian  |   low: bytes 8-15 big-endian  |
 *   +-------------------------------+-------------------------------+
 *   10.0.0.1 -> high = 0, low = 0x0000_ffff_0a00_0001
 * </pre>
 * The conversions to and from {@link InetAddress} allocate and belong on cold paths; the hot path works on the
 * longs.
 */
public final class ClientAddress
{
    /** The upper half of {@code low} for an IPv4-mapped address. */
    public static final long IPV4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    private ClientAddress()
    {
    }

    /**
     * @param ipv4 the IPv4 address as a big-endian int (a.b.c.d is {@code a << 24 | b << 16 | c << 8 | d}).
     * @return the {@code low} half of its IPv4-mapped form; {@code high} is 0.
     */
    public static long ipv4Low(final int ipv4)
    {
        return IPV4_MAPPED_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    /**
     * @param high upper 8 bytes.
     * @param low  lower 8 bytes.
     * @return true when the address is an IPv4-mapped IPv6 address.
     */
    public static boolean isIpv4(final long high, final long low)
    {
        return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED_PREFIX;
    }

    /**
     * @param low the lower half of an IPv4-mapped address.
     * @return the IPv4 address as a big-endian int.
     */
    public static int ipv4(final long low)
    {
        return (int)low;
    }

    /**
     * @param address any IP address.
     * @return the upper 8 bytes of its 16-byte form.
     */
    public static long high(final InetAddress address)
    {
        if (address instanceof Inet4Address)
        {
            return 0;
        }
        return readLong(address.getAddress(), 0);
    }

    /**
     * @param address any IP address.
     * @return the lower 8 bytes of its 16-byte form (IPv4-mapped for IPv4).
     */
    public static long low(final InetAddress address)
    {
        final byte[] bytes = address.getAddress();
        if (bytes.length == 4)
        {
            return ipv4Low(((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) |
                (bytes[3] & 0xFF));
        }
        return readLong(bytes, 8);
    }

    /**
     * @param high upper 8 bytes.
     * @param low  lower 8 bytes.
     * @return an {@link Inet4Address} for IPv4-mapped addresses, otherwise an {@link Inet6Address}.
     */
    public static InetAddress toInetAddress(final long high, final long low)
    {
        try
        {
            if (isIpv4(high, low))
            {
                final int v4 = ipv4(low);
                return InetAddress.getByAddress(new byte[]{
                    (byte)(v4 >>> 24), (byte)(v4 >>> 16), (byte)(v4 >>> 8), (byte)v4 });
            }
            final byte[] bytes = new byte[16];
            writeLong(bytes, 0, high);
            writeLong(bytes, 8, low);
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param high upper 8 bytes.
     * @param low  lower 8 bytes.
     * @param port UDP port.
     * @return a socket address.
     */
    public static InetSocketAddress toSocketAddress(final long high, final long low, final int port)
    {
        return new InetSocketAddress(toInetAddress(high, low), port);
    }

    /**
     * @param high upper 8 bytes.
     * @param low  lower 8 bytes.
     * @param port UDP port.
     * @return {@code 10.0.0.1:5000} or {@code [2001:db8::1]:5000}, for logs.
     */
    public static String toString(final long high, final long low, final int port)
    {
        final InetAddress address = toInetAddress(high, low);
        return address instanceof Inet6Address ?
            "[" + address.getHostAddress() + "]:" + port : address.getHostAddress() + ":" + port;
    }

    /**
     * @param bytes  an address's bytes, e.g. the 16 of an IPv6 address.
     * @param offset where the 8 bytes start: 0 for {@code high}, 8 for {@code low}.
     * @return those 8 bytes as a big-endian long.
     */
    public static long readLong(final byte[] bytes, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private static void writeLong(final byte[] bytes, final int offset, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[offset + i] = (byte)(value >>> (56 - 8 * i));
        }
    }
}
