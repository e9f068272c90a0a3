package dev.tandem.route;

import dev.tandem.crypto.HmacSha1;

import java.nio.charset.StandardCharsets;

/**
 * TEMPORARY stand-in for the common engineer's token minter; replaced by main's at merge.
 */
public final class RouteTokenMinter
{
    static final int TOKEN_LENGTH = 47;
    static final int MAC_OFFSET = 31;
    private final RouteKeyRing ring;
    private final HmacSha1 mac = new HmacSha1();

    /**
     * @param ring keys.
     */
    public RouteTokenMinter(final RouteKeyRing ring)
    {
        this.ring = ring;
    }

    /**
     * @param cluster     cluster id.
     * @param transceiver transceiver id.
     * @param shard       shard id.
     * @param nonce       per-session nonce.
     * @return the ufrag.
     */
    public String mint(final int cluster, final int transceiver, final int shard, final long nonce)
    {
        final String body = "1" + String.format("%02x%04x%04x%04x%016x",
            ring.currentKeyId, cluster & 0xFFFF, transceiver & 0xFFFF, shard & 0xFFFF, nonce);
        final byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        final byte[] key = ring.keys[ring.currentKeyId];
        mac.init(key, 0, key.length);
        mac.update(bytes, 0, bytes.length);
        final byte[] out = new byte[HmacSha1.MAC_LENGTH];
        mac.doFinal(out, 0);
        final StringBuilder text = new StringBuilder(body);
        for (int i = 0; i < 8; i++)
        {
            text.append(String.format("%02x", out[i] & 0xFF));
        }
        return text.toString();
    }
}
