package dev.tandem.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a journal for one thread (a Chronicle tailer): replay from a point in time, then follow the entries other
 * workers and relays append. Entries that are not well-formed FlowEvents are skipped and counted
 * ({@link JournalError#CORRUPT}); a Chronicle failure at a position is counted ({@link JournalError#READ}) and the
 * reader moves past it, to the next cycle if it fails again. Never throws on a bad journal. Allocation-free while
 * polling.
 */
public final class FlowJournalReader implements AutoCloseable
{
    /** Entries longer than this are not FlowEvents (a later schema may grow the block, not by this much). */
    static final int MAX_ENTRY_BYTES = 256;

    private static final int NONE = 0;
    private static final int ENTRY = 1;
    private static final int SKIPPED = 2;

    private final FlowJournal journal;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final JournalCounters counters;
    private final byte[] bytes = new byte[MAX_ENTRY_BYTES];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final FlowEventCodec codec = new FlowEventCodec();
    private final JournalEntry entry = new JournalEntry();
    private long corrupt;
    private long readErrors;
    private long lastFailedIndex = Long.MIN_VALUE;

    FlowJournalReader(final FlowJournal journal, final SingleChronicleQueue queue, final JournalCounters counters)
    {
        this.journal = journal;
        this.queue = queue;
        this.tailer = queue.createTailer();
        this.counters = counters;
    }

    /**
     * Read up to {@code limit} entries from the current position.
     *
     * @param handler gets each well-formed entry.
     * @param limit   most entries (corrupt ones included) to read.
     * @return entries read, corrupt ones included; 0 when at the head.
     */
    public int poll(final JournalHandler handler, final int limit)
    {
        int read = 0;
        while (read < limit)
        {
            final int status = next(true);
            if (status == NONE)
            {
                break;
            }
            read++;
            if (status == ENTRY)
            {
                handler.onEntry(entry);
            }
        }
        return read;
    }

    /**
     * Move to the first entry written at or after a time, by binary search over the entries of the first cycle
     * that ends after it (entries are close to time order: each writer's clock is the wall clock). Cold path.
     *
     * @param fromEpochNs wall-clock time.
     */
    public void seekToTime(final long fromEpochNs)
    {
        final RollCycle rollCycle = queue.rollCycle();
        final int startCycle = (int)Math.max(0, Math.floorDiv(
            fromEpochNs / 1_000_000 - queue.epoch(), (long)rollCycle.lengthInMillis()));
        final int cycle = journal.firstCycleAtOrAfter(startCycle);
        if (cycle < 0 || !tailer.moveToCycle(cycle))
        {
            toEnd();
            return;
        }
        long low = 0;
        long high = tailer.excerptsInCycle(cycle);
        while (low < high)
        {
            final long middle = (low + high) >>> 1;
            if (timeAt(rollCycle.toIndex(cycle, middle)) < fromEpochNs)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        // past the last entry of the cycle, the tailer continues with the next cycle
        tailer.moveToIndex(rollCycle.toIndex(cycle, low));
    }

    /**
     * When this reader has read everything it can in a cycle that is not the newest, what stops it is a damaged
     * entry, or one a writer left half-written and no writer will finish in that cycle: skip the rest of the
     * cycle (counted as {@link JournalError#READ}). A half-written entry in the newest cycle is Chronicle's to
     * recover (an appender takes it over after the lock timeout). Call after {@link #poll} returned 0, now and then
     * (lists the directory only when a newer cycle exists).
     *
     * @return true when it skipped.
     */
    public boolean skipDamagedCycle()
    {
        final int cycle = tailer.cycle();
        if (cycle >= queue.lastCycle())
        {
            return false; // in the newest cycle (the usual case): nothing to skip to, and nothing listed
        }
        final int next = journal.firstCycleAtOrAfter(cycle + 1);
        if (next <= cycle)
        {
            return false;
        }
        readErrors++;
        if (counters != null)
        {
            counters.error(JournalError.READ);
        }
        tailer.moveToCycle(next);
        return true;
    }

    private long timeAt(final long index)
    {
        if (!tailer.moveToIndex(index))
        {
            return Long.MAX_VALUE;
        }
        // a corrupt or unreadable entry counts as new: replay reads from there rather than miss live flows
        return next(false) == ENTRY ? entry.timeEpochNs : Long.MAX_VALUE;
    }

    /**
     * Move to the start of the journal (the oldest cycle kept).
     */
    public void toStart()
    {
        tailer.toStart();
    }

    /**
     * Move past the last entry: only entries appended from now on will be read.
     */
    public void toEnd()
    {
        tailer.toEnd();
    }

    /**
     * @param index a position from {@link #position()}, possibly of another reader.
     */
    public void moveTo(final long index)
    {
        if (index <= 0)
        {
            tailer.toStart();
        }
        else
        {
            // false when nothing is there yet: the tailer still waits there, and reads what is appended
            tailer.moveToIndex(index);
        }
    }

    /**
     * @return the index of the next entry this reader reads.
     */
    public long position()
    {
        return tailer.index();
    }

    /**
     * @return entries skipped as not well-formed.
     */
    public long corrupt()
    {
        return corrupt;
    }

    /**
     * @return Chronicle read failures skipped.
     */
    public long readErrors()
    {
        return readErrors;
    }

    private int next(final boolean count)
    {
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return NONE;
            }
            if (!context.isData())
            {
                return SKIPPED;
            }
            final Bytes<?> in = context.wire().bytes();
            final long length = in.readRemaining();
            entry.index = context.index();
            if (length > MAX_ENTRY_BYTES || length < 0)
            {
                return corrupted(count);
            }
            in.read(bytes, 0, (int)length);
            return codec.decode(buffer, 0, (int)length, entry) ? ENTRY : corrupted(count);
        }
        catch (final RuntimeException ex)
        {
            if (count)
            {
                readErrors++;
                if (counters != null)
                {
                    counters.error(JournalError.READ);
                }
            }
            skipAfterError();
            return SKIPPED;
        }
    }

    private int corrupted(final boolean count)
    {
        if (count)
        {
            corrupt++;
            if (counters != null)
            {
                counters.error(JournalError.CORRUPT);
            }
        }
        return SKIPPED;
    }

    private void skipAfterError()
    {
        try
        {
            final long index = tailer.index();
            if (index != lastFailedIndex)
            {
                lastFailedIndex = index;
                tailer.moveToIndex(index + 1);
                return;
            }
            final int cycle = tailer.cycle();
            final int nextCycle = journal.firstCycleAtOrAfter(cycle + 1);
            if (nextCycle > cycle)
            {
                tailer.moveToCycle(nextCycle);
            }
            else
            {
                tailer.toEnd();
            }
        }
        catch (final RuntimeException ex)
        {
            tailer.toEnd();
        }
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
