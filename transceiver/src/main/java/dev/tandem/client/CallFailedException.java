package dev.tandem.client;

/**
 * A call that failed before it was answered: the offer was refused or the request failed. Carries the call's
 * statistics (HTTP status, reason, stage times).
 */
public final class CallFailedException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient CallStats stats;

    CallFailedException(final CallStats stats)
    {
        super(stats.endReason() + ": " + stats.endDetail(), null, false, false);
        this.stats = stats;
    }

    /**
     * @return the failed call's statistics.
     */
    public CallStats stats()
    {
        return stats;
    }
}
