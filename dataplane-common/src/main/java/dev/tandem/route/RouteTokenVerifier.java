package dev.tandem.route;

import org.agrona.DirectBuffer;

import static dev.tandem.route.RouteToken.BODY_LENGTH;
import static dev.tandem.route.RouteToken.DECODED_LENGTH;
import static dev.tandem.route.RouteToken.ENCODED_LENGTH;
import static dev.tandem.route.RouteToken.MAC_LENGTH;
import static dev.tandem.route.RouteToken.MAC_OFFSET;

/**
 * Verifies route tokens without allocation: the relay on a flow's first STUN check, the transceiver to find the
 * session a check belongs to (by {@link #lastNonce()}). Checks run cheapest first and the MAC last: bounds,
 * length, alphabet, version, key id, then HMAC-SHA-256 compared in constant time. A token altered in any bit
 * fails the MAC. Not thread-safe: one verifier per thread (the ring may be shared).
 */
public final class RouteTokenVerifier
{
    private static final int SEPARATOR = ':';

    private final RouteKeyRing ring;
    private final RouteMac mac = new RouteMac();
    private final byte[] token = new byte[DECODED_LENGTH];
    private long lastNonce;

    /**
     * @param ring the keys that verify.
     */
    public RouteTokenVerifier(final RouteKeyRing ring)
    {
        this.ring = ring;
    }

    /**
     * Verify a bare token (an ICE ufrag).
     *
     * @param buffer holding the token's ASCII characters.
     * @param offset where they start.
     * @param length how many.
     * @return the route ({@code > 0}, see {@link RouteToken}) or a negative {@link RouteStatus}.
     */
    public long verify(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            return RouteStatus.OUT_OF_BOUNDS;
        }
        if (length != ENCODED_LENGTH)
        {
            return RouteStatus.BAD_LENGTH;
        }
        if (!RouteToken.decode(buffer, offset, token))
        {
            return RouteStatus.BAD_CHARACTER;
        }
        if (token[RouteToken.VERSION_OFFSET] != RouteToken.VERSION)
        {
            return RouteStatus.UNKNOWN_VERSION;
        }
        final int keyId = token[RouteToken.KEY_ID_OFFSET] & 0xFF;
        if (keyId < RouteToken.MIN_KEY_ID || !ring.contains(keyId))
        {
            return RouteStatus.UNKNOWN_KEY;
        }
        final byte[] expected = mac.compute(ring, keyId, token, 0, BODY_LENGTH);
        int diff = 0;
        for (int i = 0; i < MAC_LENGTH; i++)
        {
            diff |= expected[i] ^ token[MAC_OFFSET + i]; // constant time: no early exit on the first mismatch
        }
        if (diff != 0)
        {
            return RouteStatus.BAD_MAC;
        }
        lastNonce = RouteToken.u64(token, RouteToken.NONCE_OFFSET);
        return RouteToken.route(
            keyId,
            RouteToken.u16(token, RouteToken.CLUSTER_ID_OFFSET),
            RouteToken.u16(token, RouteToken.TRANSCEIVER_ID_OFFSET),
            RouteToken.u16(token, RouteToken.SHARD_ID_OFFSET));
    }

    /**
     * Verify the server part of a STUN USERNAME {@code serverUfrag:clientUfrag} (RFC 8445 7.2.2: the receiver's
     * ufrag comes first, so a check sent to us starts with our token).
     *
     * @param buffer holding the USERNAME value.
     * @param offset where it starts ({@code StunMessageFlyweight.usernameOffset()}).
     * @param length its length in bytes.
     * @return the route ({@code > 0}) or a negative {@link RouteStatus}: {@link RouteStatus#MALFORMED} when there
     * is no ':' in the first {@link RouteToken#ENCODED_LENGTH} + 1 bytes.
     */
    public long verifyUsername(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            return RouteStatus.OUT_OF_BOUNDS;
        }
        final int searchLength = Math.min(length, ENCODED_LENGTH + 1);
        for (int i = 0; i < searchLength; i++)
        {
            if (buffer.getByte(offset + i) == SEPARATOR)
            {
                return verify(buffer, offset, i);
            }
        }
        return RouteStatus.MALFORMED;
    }

    /**
     * @return the per-session nonce of the token that last verified; unchanged by a rejected token.
     */
    public long lastNonce()
    {
        return lastNonce;
    }
}
