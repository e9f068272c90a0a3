package dev.tandem.route;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA-256 (RFC 2104) of a token body, without allocation: two {@link MessageDigest}s (SHA extensions where
 * the CPU has them) over the pad blocks the {@link RouteKeyRing} precomputed per key. {@code javax.crypto.Mac}
 * allocates on every {@code doFinal}. Not thread-safe: one per minter or verifier.
 */
final class RouteMac
{
    static final int BLOCK_LENGTH = 64;
    static final int HASH_LENGTH = 32;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerHash = new byte[HASH_LENGTH];
    private final byte[] outerHash = new byte[HASH_LENGTH];

    RouteMac()
    {
        try
        {
            inner = MessageDigest.getInstance("SHA-256");
            outer = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required by every JDK", ex);
        }
    }

    /**
     * @param ring     holds the pads of the key.
     * @param keyId    a key id in the ring.
     * @param body     the bytes to authenticate.
     * @param offset   where they start.
     * @param length   how many.
     * @return the full 32-byte MAC, in an array this instance reuses on the next call.
     */
    byte[] compute(final RouteKeyRing ring, final int keyId, final byte[] body, final int offset, final int length)
    {
        try
        {
            inner.reset();
            inner.update(ring.innerPad(keyId), 0, BLOCK_LENGTH);
            inner.update(body, offset, length);
            inner.digest(innerHash, 0, HASH_LENGTH);
            outer.reset();
            outer.update(ring.outerPad(keyId), 0, BLOCK_LENGTH);
            outer.update(innerHash, 0, HASH_LENGTH);
            outer.digest(outerHash, 0, HASH_LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        return outerHash;
    }
}
