package dev.tandem.common;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * How an agent thread waits when it has no work. Busy-spin is for tuned hosts with a core per thread; on laptops,
 * CI and small hosts use backoff, which spins briefly, yields, then parks up to {@code maxParkNs}.
 */
public enum IdleMode
{
    /** Spin on the core: lowest latency, one full core per thread. */
    BUSY_SPIN,
    /** {@link Thread#yield()} between polls. */
    YIELD,
    /** Spin, then yield, then park with exponential backoff up to the max park time. */
    BACKOFF,
    /** Sleep one millisecond between empty polls: lowest CPU, highest latency. */
    SLEEP,
    /** Never wait: for agents composed under another that owns the waiting. */
    NOOP;

    /** Default longest park of {@link #BACKOFF}. */
    public static final long DEFAULT_MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    /**
     * @return a new idle strategy of this kind with the default max park time.
     */
    public IdleStrategy newStrategy()
    {
        return newStrategy(DEFAULT_MAX_PARK_NS);
    }

    /**
     * @param maxParkNs longest park for {@link #BACKOFF}.
     * @return a new idle strategy of this kind (each agent needs its own).
     */
    public IdleStrategy newStrategy(final long maxParkNs)
    {
        switch (this)
        {
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case YIELD:
                return new YieldingIdleStrategy();
            case BACKOFF:
                return new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), maxParkNs);
            case SLEEP:
                return new SleepingMillisIdleStrategy(1);
            case NOOP:
                return NoOpIdleStrategy.INSTANCE;
            default:
                throw new IllegalStateException(name());
        }
    }
}
