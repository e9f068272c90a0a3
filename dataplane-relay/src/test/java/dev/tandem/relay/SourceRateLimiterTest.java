package dev.tandem.relay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceRateLimiterTest
{
    private static final long MS = 1_000_000L;

    @Test
    void allowsABurstThenTheSustainedRate()
    {
        final SourceRateLimiter limiter = new SourceRateLimiter(10, 5, 64);
        final long start = 1_000 * MS;
        for (int i = 0; i < 5; i++)
        {
            assertTrue(limiter.tryAcquire(0, 1, start), "burst " + i);
        }
        assertFalse(limiter.tryAcquire(0, 1, start));
        assertFalse(limiter.tryAcquire(0, 1, start + 50 * MS));
        assertTrue(limiter.tryAcquire(0, 1, start + 100 * MS));
        assertFalse(limiter.tryAcquire(0, 1, start + 150 * MS));
        assertTrue(limiter.tryAcquire(0, 1, start + 200 * MS));
    }

    @Test
    void sourcesHaveTheirOwnBuckets()
    {
        final SourceRateLimiter limiter = new SourceRateLimiter(1, 1, 64);
        assertTrue(limiter.tryAcquire(0, 1, 0));
        assertFalse(limiter.tryAcquire(0, 1, 0));
        assertTrue(limiter.tryAcquire(0, 2, 0));
        assertTrue(limiter.tryAcquire(7, 1, 0));
    }

    @Test
    void boundedTableRefusesNewSourcesWhileEveryBucketIsInUseAndReusesRefilledOnes()
    {
        final SourceRateLimiter limiter = new SourceRateLimiter(1, 2, SourceRateLimiter.PROBE_LIMIT);
        int accepted = 0;
        for (int source = 0; source < 1000; source++)
        {
            if (limiter.tryAcquire(0, source, 0))
            {
                accepted++;
            }
        }
        assertEquals(SourceRateLimiter.PROBE_LIMIT, accepted, "a table of 8 slots holds 8 sources");
        // after a full refill every slot is as good as empty
        assertTrue(limiter.tryAcquire(0, 5000, 2_000 * MS));
    }
}
