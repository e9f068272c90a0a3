package dev.tandem.relay;

import org.agrona.BitUtil;

/**
 * Limits how fast one source IP may create flows: a token bucket per address, kept as the generic cell rate
 * algorithm (one theoretical arrival time per source), in a bounded open-addressing table. Single writer;
 * allocation-free after construction.
 * <p>
 * A source may create {@code burst} flows at once and then {@code ratePerSecond} per second. An entry whose
 * bucket has refilled completely is the same as no entry, so it may be taken over by another source; when the
 * {@link #PROBE_LIMIT} slots a source may use all hold sources with partly empty buckets, the request is refused
 * (the table is bounded, and an attacker spraying addresses must not grow it or reset other sources' buckets).
 */
final class SourceRateLimiter
{
    /** Slots looked at for one source. */
    static final int PROBE_LIMIT = 8;

    private final long intervalNs;
    private final long toleranceNs;
    private final int mask;
    private final long[] keyHigh;
    private final long[] keyLow;
    private final long[] theoreticalArrivalNs;
    private final boolean[] used;

    /**
     * @param ratePerSecond new flows per second a source may sustain.
     * @param burst         new flows a source may create at once.
     * @param sources       slots in the table (rounded up to a power of two).
     */
    SourceRateLimiter(final int ratePerSecond, final int burst, final int sources)
    {
        if (ratePerSecond < 1 || burst < 1 || sources < PROBE_LIMIT)
        {
            throw new IllegalArgumentException("rate, burst and sources must be positive");
        }
        intervalNs = 1_000_000_000L / ratePerSecond;
        toleranceNs = (burst - 1) * intervalNs;
        final int slots = BitUtil.findNextPositivePowerOfTwo(sources);
        mask = slots - 1;
        keyHigh = new long[slots];
        keyLow = new long[slots];
        theoreticalArrivalNs = new long[slots];
        used = new boolean[slots];
    }

    /**
     * Take one token for a new flow from the source.
     *
     * @param high  source address, upper half.
     * @param low   source address, lower half.
     * @param nowNs now.
     * @return true when the source may create the flow.
     */
    boolean tryAcquire(final long high, final long low, final long nowNs)
    {
        final int home = FlowTable.hash(high, low, 0) & mask;
        int free = -1;
        for (int n = 0; n < PROBE_LIMIT; n++)
        {
            final int i = (home + n) & mask;
            if (used[i] && keyHigh[i] == high && keyLow[i] == low)
            {
                // GCRA: conforming when the theoretical arrival time is no further ahead than the tolerance.
                final long tat = Math.max(theoreticalArrivalNs[i], nowNs);
                if (tat - nowNs > toleranceNs)
                {
                    return false;
                }
                theoreticalArrivalNs[i] = tat + intervalNs;
                return true;
            }
            if (free < 0 && (!used[i] || theoreticalArrivalNs[i] - nowNs <= 0))
            {
                free = i;
            }
        }
        if (free < 0)
        {
            return false;
        }
        used[free] = true;
        keyHigh[free] = high;
        keyLow[free] = low;
        theoreticalArrivalNs[free] = nowNs + intervalNs;
        return true;
    }
}
