package dev.tandem.relay;

import dev.tandem.common.ClientAddress;
import dev.tandem.journal.FlowJournal;
import dev.tandem.journal.FlowJournalReader;
import dev.tandem.journal.JournalCounters;
import dev.tandem.journal.JournalEntry;
import dev.tandem.journal.JournalHandler;

import java.util.concurrent.TimeUnit;

/**
 * A relay's start-up replay: reads the journal's entries of the last flow idle timeout (plus a little for clock
 * differences between writers) into one table of the host's live flows, once for every worker to copy from. In the
 * snapshot, a flow's last-seen time is the wall-clock time of its newest entry; its route and socket are those of
 * the last entry in journal order; a CLOSED entry removes it. Flows whose newest entry is older than the idle
 * timeout expired while no relay saw them and are left out.
 */
final class JournalReplay implements JournalHandler
{
    /** Read this much before the idle timeout too: writers' wall clocks differ a little. */
    static final long CLOCK_SLACK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int ENTRIES_PER_POLL = 4096;

    private final FlowTable snapshot;
    private final long cutoffEpochNs;
    private long entries;
    private long tableFull;
    private long endPosition;
    private long corrupt;
    private long durationNs;

    private JournalReplay(final int capacity, final long cutoffEpochNs)
    {
        this.snapshot = new FlowTable(capacity);
        this.cutoffEpochNs = cutoffEpochNs;
    }

    /**
     * Replay the tail of a journal (cold path, before the workers start).
     *
     * @param journal       the journal.
     * @param nowEpochNs    wall-clock now.
     * @param idleTimeoutNs flows idle longer than this are not restored.
     * @param capacity      most flows.
     * @param counters      where read errors are counted, or null.
     * @return the replay's snapshot and position.
     */
    static JournalReplay run(
        final FlowJournal journal,
        final long nowEpochNs,
        final long idleTimeoutNs,
        final int capacity,
        final JournalCounters counters)
    {
        final long startNs = System.nanoTime();
        final JournalReplay replay = new JournalReplay(capacity, nowEpochNs - idleTimeoutNs);
        try (FlowJournalReader reader = journal.newReader(counters))
        {
            reader.seekToTime(nowEpochNs - idleTimeoutNs - CLOCK_SLACK_NS);
            int read;
            do
            {
                read = reader.poll(replay, ENTRIES_PER_POLL);
            }
            while (read > 0 || reader.skipDamagedCycle());
            replay.endPosition = reader.position();
            replay.corrupt = reader.corrupt();
        }
        replay.durationNs = System.nanoTime() - startNs;
        return replay;
    }

    @Override
    public void onEntry(final JournalEntry entry)
    {
        entries++;
        final int slot = snapshot.find(entry.high(), entry.low(), entry.port());
        if (entry.type() == JournalEntry.CLOSED)
        {
            if (slot >= 0)
            {
                snapshot.removeAt(slot);
            }
            return;
        }
        if (entry.timeEpochNs() < cutoffEpochNs && slot < 0)
        {
            return;
        }
        if (slot >= 0)
        {
            snapshot.update(slot, entry.route(), 0, entry.socketIndex());
            if (entry.timeEpochNs() > snapshot.lastSeenNs(slot))
            {
                snapshot.touch(slot, entry.timeEpochNs());
            }
        }
        else if (snapshot.size() < snapshot.capacity())
        {
            // one socket address object per flow, shared by every worker's table (it is immutable)
            snapshot.insert(entry.high(), entry.low(), entry.port(), entry.route(), 0, entry.socketIndex(),
                ClientAddress.toSocketAddress(entry.high(), entry.low(), entry.port()), entry.timeEpochNs());
        }
        else
        {
            tableFull++;
        }
    }

    /**
     * @return the host's live flows; last-seen times are wall-clock nanoseconds.
     */
    FlowTable snapshot()
    {
        return snapshot;
    }

    /**
     * @return the journal position after the last entry read: where the workers' readers continue.
     */
    long endPosition()
    {
        return endPosition;
    }

    /**
     * @return well-formed entries read.
     */
    long entries()
    {
        return entries;
    }

    /**
     * @return corrupt entries skipped.
     */
    long corrupt()
    {
        return corrupt;
    }

    /**
     * @return flows left out because the snapshot was full.
     */
    long tableFull()
    {
        return tableFull;
    }

    /**
     * @return how long the replay took.
     */
    long durationNs()
    {
        return durationNs;
    }
}
