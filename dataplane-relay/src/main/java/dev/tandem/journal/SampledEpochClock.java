package dev.tandem.journal;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.util.concurrent.TimeUnit;

/**
 * Wall-clock nanoseconds from the monotonic clock plus an offset, sampled again every {@link #RESAMPLE_NS} so the
 * journal's times follow the wall clock's adjustments (NTP). Allocation-free; one per thread.
 */
public final class SampledEpochClock implements EpochNanoClock
{
    /** How often the offset to the wall clock is measured again. */
    public static final long RESAMPLE_NS = TimeUnit.SECONDS.toNanos(10);

    private final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
    private long nextSampleEpochNs;

    @Override
    public long nanoTime()
    {
        long nowEpochNs = clock.nanoTime();
        if (nowEpochNs - nextSampleEpochNs >= 0)
        {
            clock.sample();
            nowEpochNs = clock.nanoTime();
            nextSampleEpochNs = nowEpochNs + RESAMPLE_NS;
        }
        return nowEpochNs;
    }
}
