package dev.tandem.rtp;

/**
 * Conversions between nanoseconds and RTP timestamp units, exact and without overflow for any duration a
 * {@code long} of nanoseconds holds.
 */
public final class RtpTime
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RtpTime()
    {
    }

    /**
     * @param durationNs a non-negative duration.
     * @param clockRate  RTP clock rate in Hz, e.g. 48000 for Opus.
     * @return the duration in RTP units, rounded down.
     */
    public static long toRtpUnits(final long durationNs, final int clockRate)
    {
        final long seconds = durationNs / NANOS_PER_SECOND;
        final long nanos = durationNs % NANOS_PER_SECOND;
        return seconds * clockRate + nanos * clockRate / NANOS_PER_SECOND;
    }

    /**
     * @param units     a non-negative duration in RTP units.
     * @param clockRate RTP clock rate in Hz.
     * @return the duration in nanoseconds, rounded down.
     */
    public static long toNanos(final long units, final int clockRate)
    {
        return (units / clockRate) * NANOS_PER_SECOND + (units % clockRate) * NANOS_PER_SECOND / clockRate;
    }

    /**
     * @param durationUs a frame duration in microseconds.
     * @param clockRate  RTP clock rate in Hz.
     * @return the timestamp advance of one frame (960 for 20 ms at 48 kHz).
     */
    public static long frameUnits(final long durationUs, final int clockRate)
    {
        return durationUs * clockRate / 1_000_000L;
    }
}
