package dev.tandem.route;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static dev.tandem.route.RouteToken.BODY_LENGTH;
import static dev.tandem.route.RouteToken.DECODED_LENGTH;
import static dev.tandem.route.RouteToken.ENCODED_LENGTH;
import static dev.tandem.route.RouteToken.MAC_LENGTH;
import static dev.tandem.route.RouteToken.MAC_OFFSET;

/**
 * Mints route tokens with the ring's current key (see {@link RouteToken} for the layout). The transceiver mints
 * one per session at signaling time and uses it as its ICE ufrag.
 * <p>
 * {@link #mint(int, int, int, long)} is safe to call from any thread (it allocates, as signaling may);
 * {@link #mint(int, int, int, long, MutableDirectBuffer, int)} is allocation-free and confined to one thread.
 */
public final class RouteTokenMinter
{
    private final RouteKeyRing ring;
    private final RouteMac mac = new RouteMac();
    private final byte[] token = new byte[DECODED_LENGTH];

    /**
     * @param ring the keys; its current key signs.
     */
    public RouteTokenMinter(final RouteKeyRing ring)
    {
        this.ring = ring;
    }

    /**
     * Mint a token as a String (cold path; thread-safe).
     *
     * @param clusterId     0..65535.
     * @param transceiverId 0..65535.
     * @param shardId       0..65535.
     * @param nonce         the per-session nonce the transceiver finds its session by; unpredictable (random)
     *                      so that tokens do not reveal how many sessions exist.
     * @return the {@link RouteToken#ENCODED_LENGTH}-character ufrag.
     */
    public String mint(final int clusterId, final int transceiverId, final int shardId, final long nonce)
    {
        final byte[] text = new byte[ENCODED_LENGTH];
        write(new RouteMac(), new byte[DECODED_LENGTH], clusterId, transceiverId, shardId, nonce,
            new UnsafeBuffer(text), 0);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /**
     * Mint a token into a buffer without allocation (not thread-safe).
     *
     * @param clusterId     0..65535.
     * @param transceiverId 0..65535.
     * @param shardId       0..65535.
     * @param nonce         the per-session nonce.
     * @param buffer        destination for {@link RouteToken#ENCODED_LENGTH} ASCII characters.
     * @param offset        where to write them.
     * @return {@link RouteToken#ENCODED_LENGTH}.
     */
    public int mint(
        final int clusterId,
        final int transceiverId,
        final int shardId,
        final long nonce,
        final MutableDirectBuffer buffer,
        final int offset)
    {
        write(mac, token, clusterId, transceiverId, shardId, nonce, buffer, offset);
        return ENCODED_LENGTH;
    }

    private void write(
        final RouteMac mac,
        final byte[] token,
        final int clusterId,
        final int transceiverId,
        final int shardId,
        final long nonce,
        final MutableDirectBuffer buffer,
        final int offset)
    {
        checkRange("cluster id", clusterId, RouteToken.MAX_CLUSTER_ID);
        checkRange("transceiver id", transceiverId, RouteToken.MAX_TRANSCEIVER_ID);
        checkRange("shard id", shardId, RouteToken.MAX_SHARD_ID);
        final int keyId = ring.currentKeyId();
        token[RouteToken.VERSION_OFFSET] = (byte)RouteToken.VERSION;
        token[RouteToken.KEY_ID_OFFSET] = (byte)keyId;
        RouteToken.put16(token, RouteToken.CLUSTER_ID_OFFSET, clusterId);
        RouteToken.put16(token, RouteToken.TRANSCEIVER_ID_OFFSET, transceiverId);
        RouteToken.put16(token, RouteToken.SHARD_ID_OFFSET, shardId);
        RouteToken.put64(token, RouteToken.NONCE_OFFSET, nonce);
        final byte[] full = mac.compute(ring, keyId, token, 0, BODY_LENGTH);
        System.arraycopy(full, 0, token, MAC_OFFSET, MAC_LENGTH);
        RouteToken.encode(token, buffer, offset);
    }

    private static void checkRange(final String what, final int value, final int max)
    {
        if (value < 0 || value > max)
        {
            throw new IllegalArgumentException(what + " " + value + " is out of range 0.." + max);
        }
    }
}
