package dev.tandem.route;

import dev.tandem.crypto.HmacSha1;
import org.agrona.DirectBuffer;

/**
 * TEMPORARY stand-in for the common engineer's token verifier; replaced by main's at merge.
 */
public final class RouteTokenVerifier
{
    private final RouteKeyRing ring;
    private final HmacSha1[] macs = new HmacSha1[256];
    private final byte[] computed = new byte[HmacSha1.MAC_LENGTH];

    /**
     * @param ring keys.
     */
    public RouteTokenVerifier(final RouteKeyRing ring)
    {
        this.ring = ring;
        for (int i = 0; i < 256; i++)
        {
            if (ring.keys[i] != null)
            {
                macs[i] = new HmacSha1().init(ring.keys[i], 0, ring.keys[i].length);
            }
        }
    }

    /**
     * @param buffer holds the USERNAME value {@code <server ufrag>:<client ufrag>}.
     * @param offset where it starts.
     * @param length its length.
     * @return the route, or a negative {@link RouteStatus}.
     */
    public long verifyUsername(final DirectBuffer buffer, final int offset, final int length)
    {
        int ufragLength = 0;
        while (ufragLength < length && buffer.getByte(offset + ufragLength) != ':')
        {
            ufragLength++;
        }
        if (ufragLength != RouteTokenMinter.TOKEN_LENGTH || buffer.getByte(offset) != '1')
        {
            return RouteStatus.MALFORMED;
        }
        for (int i = 1; i < ufragLength; i++)
        {
            if (hex(buffer.getByte(offset + i)) < 0)
            {
                return RouteStatus.MALFORMED;
            }
        }
        final int keyId = (int)parseHex(buffer, offset + 1, 2);
        final HmacSha1 mac = macs[keyId];
        if (mac == null)
        {
            return RouteStatus.UNKNOWN_KEY;
        }
        mac.reset();
        mac.update(buffer, offset, RouteTokenMinter.MAC_OFFSET);
        mac.doFinal(computed, 0);
        for (int i = 0; i < 8; i++)
        {
            if ((computed[i] & 0xFF) != parseHex(buffer, offset + RouteTokenMinter.MAC_OFFSET + 2 * i, 2))
            {
                return RouteStatus.BAD_MAC;
            }
        }
        return RouteToken.route(
            (int)parseHex(buffer, offset + 3, 4), (int)parseHex(buffer, offset + 7, 4),
            (int)parseHex(buffer, offset + 11, 4));
    }

    private static long parseHex(final DirectBuffer buffer, final int offset, final int digits)
    {
        long value = 0;
        for (int i = 0; i < digits; i++)
        {
            value = (value << 4) | hex(buffer.getByte(offset + i));
        }
        return value;
    }

    private static int hex(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        return -1;
    }
}
