package dev.tandem.route;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * TEMPORARY stand-in for the common engineer's key ring; replaced by main's at merge.
 */
public final class RouteKeyRing
{
    final byte[][] keys = new byte[256][];
    final int currentKeyId;

    private RouteKeyRing(final int currentKeyId)
    {
        this.currentKeyId = currentKeyId;
    }

    /**
     * @param spec         {@code 1:BASE64,2:BASE64}.
     * @param currentKeyId the key id new tokens use.
     * @return the ring.
     */
    public static RouteKeyRing parse(final String spec, final int currentKeyId)
    {
        final RouteKeyRing ring = new RouteKeyRing(currentKeyId);
        for (final String part : spec.split(","))
        {
            final int colon = part.indexOf(':');
            ring.keys[Integer.parseInt(part.substring(0, colon).trim())] =
                Base64.getDecoder().decode(part.substring(colon + 1).trim());
        }
        if (ring.keys[currentKeyId] == null)
        {
            throw new IllegalArgumentException("no key " + currentKeyId);
        }
        return ring;
    }

    /**
     * @param keyId key id.
     * @return {@code keyId:BASE64} of a fresh random key.
     */
    public static String generateKeySpec(final int keyId)
    {
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return keyId + ":" + Base64.getEncoder().encodeToString(key);
    }
}
