package dev.tandem.route;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The route token: the server's ICE ufrag, minted by the transceiver that owns a session and verified by the relay
 * on the session's first STUN check, so the relay can route without a lookup service (DESIGN.md "Route token").
 * <p>
 * Wire form: 30 bytes, base64 (RFC 4648 4, standard alphabet, no padding since 30 is a multiple of 3) to exactly
 * {@link #ENCODED_LENGTH} = 40 characters, all in ICE's ufrag alphabet {@code ALPHA / DIGIT / "+" / "/"}
 * (RFC 8839 5.4, 4..256 characters). Every character carries 6 bits of the 30 bytes, so no two spellings decode
 * to the same token.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------+---------------+-------------------------------+
 *   |  version (1)  |    key id     |      cluster id (16 bits)     |  bytes 0-3
 *   +---------------+---------------+-------------------------------+
 *   |   transceiver id (16 bits)    |       shard id (16 bits)      |  bytes 4-7
 *   +-------------------------------+-------------------------------+
 *   |                                                               |  bytes 8-15
 *   +             per-session nonce (64 bits, big-endian)           +
 *   |                                                               |
 *   +---------------------------------------------------------------+
 *   |                                                               |  bytes 16-29
 *   +      MAC: HMAC-SHA-256(key[key id], bytes 0-15), first        +
 *   |      14 bytes (112 bits) kept                                 |
 *   +                               +-------------------------------+
 *   |                               |
 *   +-------------------------------+
 * </pre>
 * All multi-byte fields are big-endian. The MAC covers version and key id too, so neither can be changed without
 * the key. A verified token is handed around as a <b>route</b>: a non-negative {@code long} packing what the relay
 * needs to forward (the nonce stays with the verifier, see {@link RouteTokenVerifier#lastNonce()}):
 * <pre>
 *    63      56 55     48 47            32 31            16 15             0
 *   +----------+---------+----------------+----------------+----------------+
 *   |    0     | key id  |   cluster id   | transceiver id |    shard id    |
 *   +----------+---------+----------------+----------------+----------------+
 * </pre>
 * Key ids start at 1, so a route is always {@code > 0} and every negative value is a {@link RouteStatus}.
 */
public final class RouteToken
{
    /** The only token version this build mints and accepts. */
    public static final int VERSION = 1;
    /** Length of the token in characters (the ufrag length). */
    public static final int ENCODED_LENGTH = 40;
    /** Length of the decoded token in bytes. */
    public static final int DECODED_LENGTH = 30;
    /** Bytes of HMAC-SHA-256 kept (112 bits). */
    public static final int MAC_LENGTH = 14;
    /** Largest cluster id (16 bits). */
    public static final int MAX_CLUSTER_ID = 0xFFFF;
    /** Largest transceiver id (16 bits). */
    public static final int MAX_TRANSCEIVER_ID = 0xFFFF;
    /** Largest shard id (16 bits). */
    public static final int MAX_SHARD_ID = 0xFFFF;
    /** Smallest key id. */
    public static final int MIN_KEY_ID = 1;
    /** Largest key id. */
    public static final int MAX_KEY_ID = 255;

    static final int VERSION_OFFSET = 0;
    static final int KEY_ID_OFFSET = 1;
    static final int CLUSTER_ID_OFFSET = 2;
    static final int TRANSCEIVER_ID_OFFSET = 4;
    static final int SHARD_ID_OFFSET = 6;
    static final int NONCE_OFFSET = 8;
    static final int MAC_OFFSET = 16;
    /** The bytes the MAC covers. */
    static final int BODY_LENGTH = MAC_OFFSET;

    private static final byte[] ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(
            StandardCharsets.US_ASCII);
    private static final byte[] SEXTET_BY_CHARACTER = new byte[256];

    static
    {
        Arrays.fill(SEXTET_BY_CHARACTER, (byte)-1);
        for (int i = 0; i < ALPHABET.length; i++)
        {
            SEXTET_BY_CHARACTER[ALPHABET[i]] = (byte)i;
        }
    }

    private RouteToken()
    {
    }

    /**
     * @param keyId         1..255.
     * @param clusterId     0..65535.
     * @param transceiverId 0..65535.
     * @param shardId       0..65535.
     * @return the route packing them.
     */
    public static long route(final int keyId, final int clusterId, final int transceiverId, final int shardId)
    {
        return ((long)(keyId & 0xFF) << 48) | ((long)(clusterId & 0xFFFF) << 32) |
            ((long)(transceiverId & 0xFFFF) << 16) | (shardId & 0xFFFF);
    }

    /**
     * @param route a verified route.
     * @return the key id that signed its token.
     */
    public static int keyId(final long route)
    {
        return (int)(route >>> 48) & 0xFF;
    }

    /**
     * @param route a verified route.
     * @return the cluster id.
     */
    public static int clusterId(final long route)
    {
        return (int)(route >>> 32) & 0xFFFF;
    }

    /**
     * @param route a verified route.
     * @return the transceiver id within the cluster.
     */
    public static int transceiverId(final long route)
    {
        return (int)(route >>> 16) & 0xFFFF;
    }

    /**
     * @param route a verified route.
     * @return the shard id within the transceiver.
     */
    public static int shardId(final long route)
    {
        return (int)route & 0xFFFF;
    }

    /**
     * @param route a verified route.
     * @return e.g. {@code cluster=1 transceiver=2 shard=0 key=1}, for logs (allocates).
     */
    public static String toString(final long route)
    {
        if (route < 0)
        {
            return RouteStatus.reason(route);
        }
        return "cluster=" + clusterId(route) + " transceiver=" + transceiverId(route) + " shard=" + shardId(route) +
            " key=" + keyId(route);
    }

    /**
     * Decode {@link #ENCODED_LENGTH} base64 characters into {@link #DECODED_LENGTH} bytes; the caller has checked
     * the length and bounds.
     *
     * @return false when a character is outside the alphabet (the output is then garbage).
     */
    static boolean decode(final DirectBuffer buffer, final int offset, final byte[] out)
    {
        int bad = 0;
        int in = offset;
        for (int o = 0; o < DECODED_LENGTH; o += 3)
        {
            final int a = SEXTET_BY_CHARACTER[buffer.getByte(in) & 0xFF];
            final int b = SEXTET_BY_CHARACTER[buffer.getByte(in + 1) & 0xFF];
            final int c = SEXTET_BY_CHARACTER[buffer.getByte(in + 2) & 0xFF];
            final int d = SEXTET_BY_CHARACTER[buffer.getByte(in + 3) & 0xFF];
            bad |= a | b | c | d; // -1 marks a character outside the alphabet
            final int bits = (a << 18) | (b << 12) | (c << 6) | d;
            out[o] = (byte)(bits >>> 16);
            out[o + 1] = (byte)(bits >>> 8);
            out[o + 2] = (byte)bits;
            in += 4;
        }
        return bad >= 0;
    }

    /**
     * Encode {@link #DECODED_LENGTH} bytes into {@link #ENCODED_LENGTH} base64 characters.
     */
    static void encode(final byte[] in, final MutableDirectBuffer buffer, final int offset)
    {
        int out = offset;
        for (int i = 0; i < DECODED_LENGTH; i += 3)
        {
            final int bits = ((in[i] & 0xFF) << 16) | ((in[i + 1] & 0xFF) << 8) | (in[i + 2] & 0xFF);
            buffer.putByte(out, ALPHABET[(bits >>> 18) & 0x3F]);
            buffer.putByte(out + 1, ALPHABET[(bits >>> 12) & 0x3F]);
            buffer.putByte(out + 2, ALPHABET[(bits >>> 6) & 0x3F]);
            buffer.putByte(out + 3, ALPHABET[bits & 0x3F]);
            out += 4;
        }
    }

    static int u16(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    static long u64(final byte[] bytes, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    static void put16(final byte[] bytes, final int offset, final int value)
    {
        bytes[offset] = (byte)(value >>> 8);
        bytes[offset + 1] = (byte)value;
    }

    static void put64(final byte[] bytes, final int offset, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[offset + i] = (byte)(value >>> (56 - 8 * i));
        }
    }
}
