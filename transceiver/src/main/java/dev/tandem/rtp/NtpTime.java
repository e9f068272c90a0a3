package dev.tandem.rtp;

/**
 * NTP timestamps as RTCP carries them (RFC 3550 4): 64 bits, seconds since 1900 in the high word and the
 * fraction of a second in the low word; the "compact" form is the middle 32 bits (LSR), and delays (DLSR) are in
 * 1/65536 seconds.
 */
public final class NtpTime
{
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
    public static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTime()
    {
    }

    /**
     * @param epochNs wall-clock time, nanoseconds since the Unix epoch.
     * @return the 64-bit NTP timestamp.
     */
    public static long fromEpochNs(final long epochNs)
    {
        final long seconds = Math.floorDiv(epochNs, NANOS_PER_SECOND);
        final long nanos = Math.floorMod(epochNs, NANOS_PER_SECOND);
        final long fraction = (nanos << 32) / NANOS_PER_SECOND;
        return ((seconds + EPOCH_OFFSET_SECONDS) << 32) | fraction;
    }

    /**
     * @param ntpTimestamp a 64-bit NTP timestamp.
     * @return its middle 32 bits, as LSR carries it (RFC 3550 6.4.1).
     */
    public static long compact(final long ntpTimestamp)
    {
        return (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
    }

    /**
     * @param durationNs a non-negative duration.
     * @return the duration in 1/65536 seconds (DLSR units), saturated at 2^32 - 1.
     */
    public static long toShortUnits(final long durationNs)
    {
        if (durationNs <= 0)
        {
            return 0;
        }
        final long wholeSeconds = durationNs / NANOS_PER_SECOND;
        final long nanos = durationNs % NANOS_PER_SECOND;
        final long units = (wholeSeconds << 16) + ((nanos << 16) / NANOS_PER_SECOND);
        return Math.min(units, 0xFFFF_FFFFL);
    }

    /**
     * @param units a duration in 1/65536 seconds.
     * @return the duration in nanoseconds.
     */
    public static long fromShortUnits(final long units)
    {
        return (units >>> 16) * NANOS_PER_SECOND + ((units & 0xFFFF) * NANOS_PER_SECOND >>> 16);
    }
}
