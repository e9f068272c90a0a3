package dev.tandem.journal;

import dev.tandem.common.TandemCounters;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One worker's journal counters ({@code bin/tandem stat}, Prometheus): {@link #replayed} and {@link #followed} are
 * written by the worker, {@link #appended}, {@link #lag} and most errors by the {@link JournalAgent}.
 */
public final class JournalCounters implements AutoCloseable
{
    /** Entries appended by this worker. */
    public final AtomicCounter appended;
    /** Flows restored into this worker's table at start. */
    public final AtomicCounter replayed;
    /** Entries of other workers and relays applied to this worker's table while running. */
    public final AtomicCounter followed;
    /** Entries between this worker's reader and the head of the journal. */
    public final AtomicCounter lag;
    private final AtomicCounter[] errors;

    /**
     * @param aeron    where the counters live.
     * @param relayId  label.
     * @param workerId label.
     */
    public JournalCounters(final Aeron aeron, final int relayId, final int workerId)
    {
        final String labels = "relay=\"" + relayId + "\",worker=\"" + workerId + "\"";
        appended = add(aeron, "tandem_journal_appended_total", labels);
        replayed = add(aeron, "tandem_journal_replayed_total", labels);
        followed = add(aeron, "tandem_journal_followed_total", labels);
        lag = add(aeron, "tandem_journal_lag", labels);
        final JournalError[] reasons = JournalError.values();
        errors = new AtomicCounter[reasons.length];
        for (int i = 0; i < reasons.length; i++)
        {
            errors[i] = add(aeron, "tandem_journal_errors_total", labels + ",reason=\"" + reasons[i].label + "\"");
        }
    }

    static AtomicCounter add(final Aeron aeron, final String name, final String labels)
    {
        return TandemCounters.add(aeron, TandemCounters.JOURNAL_TYPE_ID, name, labels);
    }

    /**
     * @param error what went wrong.
     */
    public void error(final JournalError error)
    {
        errors[error.ordinal()].incrementRelease();
    }

    /**
     * @param error a reason.
     * @return how often it happened.
     */
    public long errors(final JournalError error)
    {
        return errors[error.ordinal()].get();
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(appended, replayed, followed, lag);
        CloseHelper.closeAll(errors);
    }
}
