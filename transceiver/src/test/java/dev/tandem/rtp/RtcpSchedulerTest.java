package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtcpSchedulerTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void randomisesBetweenHalfAndOneAndAHalfIntervals()
    {
        final double[] draws = { 0.0, 0.75, 0.25 };
        final int[] next = { 0 };
        final RtcpScheduler scheduler = new RtcpScheduler(SECOND, () -> draws[next[0]++]);
        scheduler.start(0);
        assertEquals(SECOND / 4, scheduler.deadlineNs(), "first report: half of 0.5 s");
        assertFalse(scheduler.isDue(SECOND / 4 - 1));
        assertTrue(scheduler.isDue(SECOND / 4));
        scheduler.onReportSent(SECOND);
        assertEquals(SECOND + 1_250_000_000L, scheduler.deadlineNs());
        scheduler.onReportSent(3 * SECOND);
        assertEquals(3 * SECOND + 750_000_000L, scheduler.deadlineNs());
        assertEquals(2, scheduler.reportsSent());
        scheduler.stop();
        assertEquals(Long.MAX_VALUE, scheduler.deadlineNs());
    }

    @Test
    void averagesTheNominalInterval()
    {
        final RtcpScheduler scheduler = new RtcpScheduler(SECOND, new SplittableRandom(1)::nextDouble);
        long now = 0;
        scheduler.start(now);
        for (int i = 0; i < 10_000; i++)
        {
            now = scheduler.deadlineNs();
            scheduler.onReportSent(now);
            final long gap = scheduler.deadlineNs() - now;
            assertTrue(gap >= SECOND / 2 && gap < 3 * SECOND / 2);
        }
        final double mean = (double)now / 10_000;
        assertTrue(Math.abs(mean - SECOND) < 0.02 * SECOND, "mean " + mean);
    }
}
