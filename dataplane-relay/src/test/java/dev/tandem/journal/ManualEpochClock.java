package dev.tandem.journal;

import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock a test sets and advances (thread-safe: relays read it from several threads).
 */
public final class ManualEpochClock implements EpochNanoClock
{
    private final AtomicLong nowEpochNs;

    /**
     * @param startEpochNs the first time.
     */
    public ManualEpochClock(final long startEpochNs)
    {
        nowEpochNs = new AtomicLong(startEpochNs);
    }

    @Override
    public long nanoTime()
    {
        return nowEpochNs.get();
    }

    /**
     * @param amount how much.
     * @param unit   of what.
     * @return the new time.
     */
    public long advance(final long amount, final TimeUnit unit)
    {
        return nowEpochNs.addAndGet(unit.toNanos(amount));
    }

    /**
     * @param epochNs the new time.
     */
    public void set(final long epochNs)
    {
        nowEpochNs.set(epochNs);
    }
}
