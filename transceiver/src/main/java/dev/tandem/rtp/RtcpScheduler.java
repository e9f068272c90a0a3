package dev.tandem.rtp;

import java.util.function.DoubleSupplier;

/**
 * When to send the next RTCP report of one session (RFC 3550 6.2, 6.3).
 *
 * <p>What we chose: a two-party session with one audio sender each way sends a few hundred bits per second of
 * RTCP, far below 5% of the session bandwidth, so the bandwidth-derived interval always falls to its minimum. We
 * use that minimum directly as a fixed nominal interval {@code Td} (1 s by default: the AVPF profile WebRTC uses,
 * RTP/SAVPF, drops RFC 3550's 5 s minimum, RFC 4585 3.4; 1 s keeps getStats' RTT fresh), randomised to
 * {@code Td * U[0.5, 1.5]} (RFC 3550 6.3.1) so reports of many sessions do not synchronise. The first report
 * comes after half of that (RFC 3550 6.2). There is no timer reconsideration (6.3.3) and so no {@code e - 3/2}
 * compensation: the group never grows beyond two.
 *
 * <p>Randomness is injected: {@code random} returns values in [0, 1).
 */
public final class RtcpScheduler
{
    private final long intervalNs;
    private final DoubleSupplier random;
    private long deadlineNs = Long.MAX_VALUE;
    private long reportsSent;

    /**
     * @param intervalNs nominal interval between reports.
     * @param random     uniform values in [0, 1), e.g. {@code new SplittableRandom(seed)::nextDouble}.
     */
    public RtcpScheduler(final long intervalNs, final DoubleSupplier random)
    {
        if (intervalNs <= 0)
        {
            throw new IllegalArgumentException("intervalNs must be positive: " + intervalNs);
        }
        this.intervalNs = intervalNs;
        this.random = random;
    }

    /**
     * Start reporting: the first report is due after half a randomised interval (RFC 3550 6.2).
     *
     * @param nowNs the session's start.
     */
    public void start(final long nowNs)
    {
        deadlineNs = nowNs + randomised() / 2;
    }

    /**
     * Stop reporting (the session ended or said BYE).
     */
    public void stop()
    {
        deadlineNs = Long.MAX_VALUE;
    }

    /**
     * @param nowNs now.
     * @return true when a report is due.
     */
    public boolean isDue(final long nowNs)
    {
        return nowNs >= deadlineNs;
    }

    /**
     * Schedule the next report after one just sent (RFC 3550 6.3.1).
     *
     * @param nowNs when the report was sent.
     */
    public void onReportSent(final long nowNs)
    {
        reportsSent++;
        deadlineNs = nowNs + randomised();
    }

    /**
     * @return when the next report is due, or {@link Long#MAX_VALUE} when stopped.
     */
    public long deadlineNs()
    {
        return deadlineNs;
    }

    /**
     * @return reports sent.
     */
    public long reportsSent()
    {
        return reportsSent;
    }

    private long randomised()
    {
        final double factor = 0.5 + Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return (long)(intervalNs * factor);
    }
}
