package dev.tandem.journal;

import dev.tandem.common.Log;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A relay's journal chores, off the workers' threads: delete cycle files older than the retention (every
 * {@link #RETENTION_INTERVAL_NS}), measure each worker's reader lag behind the head and break the append lock of a
 * relay process that died holding it (every {@link #LAG_INTERVAL_NS}). Its counters
 * ({@code tandem_journal_cycles}, {@code tandem_journal_cycles_deleted_total}, and the replay's
 * {@code tandem_journal_replay_ms} and {@code tandem_journal_replay_entries}) are per relay.
 */
public final class JournalHousekeeper implements Agent
{
    /** How often lags are measured and a dead writer's lock is looked for. */
    public static final long LAG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** How often old cycles are looked for. */
    public static final long RETENTION_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final FlowJournal journal;
    private final long retentionNs;
    private final EpochNanoClock wallClock;
    private final NanoClock clock;
    private final List<JournalCounters> workers;
    private final String roleName;
    /** Cycle files present. */
    public final AtomicCounter cycles;
    /** Cycle files deleted by this relay. */
    public final AtomicCounter cyclesDeleted;
    /** How long the start-up replay took. */
    public final AtomicCounter replayMs;
    /** Entries the start-up replay read. */
    public final AtomicCounter replayEntries;
    private long nextLagNs;
    private long nextRetentionNs;

    /**
     * @param journal     the journal.
     * @param relayId     label of the counters.
     * @param retentionNs cycles that ended longer ago than this are deleted.
     * @param wallClock   wall clock (cycles are wall-clock periods).
     * @param clock       monotonic clock for the intervals.
     * @param aeron       where the counters live.
     * @param workers     each worker's counters, whose lag this measures.
     */
    public JournalHousekeeper(
        final FlowJournal journal,
        final int relayId,
        final long retentionNs,
        final EpochNanoClock wallClock,
        final NanoClock clock,
        final Aeron aeron,
        final List<JournalCounters> workers)
    {
        this.journal = journal;
        this.retentionNs = retentionNs;
        this.wallClock = wallClock;
        this.clock = clock;
        this.workers = List.copyOf(workers);
        this.roleName = "relay-" + relayId + "-journal";
        final String labels = "relay=\"" + relayId + "\"";
        cycles = JournalCounters.add(aeron, "tandem_journal_cycles", labels);
        cyclesDeleted = JournalCounters.add(aeron, "tandem_journal_cycles_deleted_total", labels);
        replayMs = JournalCounters.add(aeron, "tandem_journal_replay_ms", labels);
        replayEntries = JournalCounters.add(aeron, "tandem_journal_replay_entries", labels);
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = 0;
        if (nowNs - nextRetentionNs >= 0)
        {
            nextRetentionNs = nowNs + RETENTION_INTERVAL_NS;
            work += applyRetention();
        }
        if (nowNs - nextLagNs >= 0)
        {
            nextLagNs = nowNs + LAG_INTERVAL_NS;
            measureLag();
            if (journal.isLocked() && journal.breakDeadLock())
            {
                Log.warn("journal", "broke the append lock of a dead relay process in " + journal.directory());
            }
            work++;
        }
        return work;
    }

    /**
     * Delete the cycles older than the retention now (also run once before a relay replays).
     *
     * @return files deleted.
     */
    public int applyRetention()
    {
        final int deleted = journal.deleteCyclesEndedBefore((wallClock.nanoTime() - retentionNs) / 1_000_000);
        cyclesDeleted.getAndAddRelease(deleted);
        cycles.setRelease(journal.cycleFiles().size());
        return deleted;
    }

    /**
     * Set every worker's lag counter from the position its reader published.
     */
    public void measureLag()
    {
        for (int i = 0; i < workers.size(); i++)
        {
            final JournalCounters counters = workers.get(i);
            counters.lag.setRelease(journal.entriesFrom(counters.position()));
        }
    }

    @Override
    public void onClose()
    {
        CloseHelper.closeAll(cycles, cyclesDeleted, replayMs, replayEntries);
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
