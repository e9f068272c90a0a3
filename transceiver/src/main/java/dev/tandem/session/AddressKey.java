package dev.tandem.session;

import dev.tandem.common.ClientAddress;

/**
 * A client address and port as one long, the key of a shard's address map. IPv4 keys are exact
 * ({@code 1 << 63 | ipv4 << 16 | port}); IPv6 keys are a keyed hash, so a lookup must confirm the address with the
 * session it finds ({@link dev.tandem.ice.IceLiteAgent#isValidated}).
 */
final class AddressKey
{
    private static final long IPV4_TAG = 1L << 63;

    private AddressKey()
    {
    }

    /**
     * @param high address, upper half.
     * @param low  address, lower half.
     * @param port port.
     * @param seed per-process random seed for IPv6 hashing.
     * @return the key.
     */
    static long of(final long high, final long low, final int port, final long seed)
    {
        if (ClientAddress.isIpv4(high, low))
        {
            return IPV4_TAG | ((low & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
        }
        long h = seed ^ high;
        h = mix(h) ^ low;
        h = mix(h) ^ port;
        return mix(h) & ~IPV4_TAG;
    }

    private static long mix(final long value)
    {
        long z = value * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
