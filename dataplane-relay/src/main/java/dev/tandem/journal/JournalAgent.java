package dev.tandem.journal;

import dev.tandem.common.Log;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A relay's only user of Chronicle Queue while it runs, on its own thread so the workers never wait for the disk:
 * it appends what the workers put in their {@link JournalChannel}s (one appender), reads the journal for each worker
 * (one reader per worker, so a slow worker only delays itself) and puts the entries of the host's other workers and
 * relays into the worker's inbound ring, and does the chores: delete cycle files older than the retention (every
 * {@link #RETENTION_INTERVAL_NS}), measure each worker's lag behind the head, break the append lock of a process
 * that died holding it, and skip a damaged cycle a reader cannot get past (every {@link #CHORE_INTERVAL_NS}). Its
 * counters ({@code tandem_journal_cycles}, {@code tandem_journal_cycles_deleted_total}, and the replay's
 * {@code tandem_journal_replay_ms} and {@code tandem_journal_replay_entries}) are per relay.
 */
public final class JournalAgent implements Agent
{
    /** How often lags are measured, a dead writer's lock and damaged cycles looked for. */
    public static final long CHORE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** How often old cycles are looked for. */
    public static final long RETENTION_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    /** Most entries appended, and most read, per worker and duty cycle. */
    static final int ENTRIES_PER_CYCLE = 256;
    /** Room an inbound entry takes in a ring (record header plus the entry, aligned). */
    private static final int INBOUND_RECORD_BYTES =
        RecordDescriptor.HEADER_LENGTH + FlowEventCodec.ENTRY_LENGTH + RecordDescriptor.ALIGNMENT;

    private final FlowJournal journal;
    private final int relayId;
    private final long retentionNs;
    private final EpochNanoClock wallClock;
    private final NanoClock clock;
    private final JournalChannel[] channels;
    private final FlowJournalReader[] readers;
    private final String roleName;
    private final FlowEventCodec codec = new FlowEventCodec();
    private final MessageHandler appendHandler = this::onOutbound;
    private final JournalHandler forwardHandler = this::onEntry;
    /** Cycle files present. */
    public final AtomicCounter cycles;
    /** Cycle files deleted by this relay. */
    public final AtomicCounter cyclesDeleted;
    /** How long the start-up replay took. */
    public final AtomicCounter replayMs;
    /** Entries the start-up replay read. */
    public final AtomicCounter replayEntries;
    private FlowJournalWriter writer;
    private JournalChannel current;
    private long nextChoresNs;
    private long nextRetentionNs;

    /**
     * @param journal     the journal.
     * @param relayId     this relay (labels of the counters).
     * @param retentionNs cycles that ended longer ago than this are deleted.
     * @param wallClock   wall clock (cycles are wall-clock periods), for this agent's thread.
     * @param clock       monotonic clock for the intervals.
     * @param aeron       where the counters live.
     * @param channels    one per worker.
     */
    public JournalAgent(
        final FlowJournal journal,
        final int relayId,
        final long retentionNs,
        final EpochNanoClock wallClock,
        final NanoClock clock,
        final Aeron aeron,
        final List<JournalChannel> channels)
    {
        this.journal = journal;
        this.relayId = relayId;
        this.retentionNs = retentionNs;
        this.wallClock = wallClock;
        this.clock = clock;
        this.channels = channels.toArray(new JournalChannel[0]);
        this.readers = new FlowJournalReader[this.channels.length];
        this.roleName = "relay-" + relayId + "-journal";
        final String labels = "relay=\"" + relayId + "\"";
        cycles = JournalCounters.add(aeron, "tandem_journal_cycles", labels);
        cyclesDeleted = JournalCounters.add(aeron, "tandem_journal_cycles_deleted_total", labels);
        replayMs = JournalCounters.add(aeron, "tandem_journal_replay_ms", labels);
        replayEntries = JournalCounters.add(aeron, "tandem_journal_replay_entries", labels);
    }

    /**
     * On the agent's thread: Chronicle appenders and tailers belong to the thread that made them.
     */
    @Override
    public void onStart()
    {
        writer = journal.newWriter(relayId, 0, null);
        for (int i = 0; i < channels.length; i++)
        {
            readers[i] = journal.newReader(channels[i].counters());
            readers[i].moveTo(channels[i].startPosition());
        }
    }

    @Override
    public int doWork()
    {
        int work = 0;
        for (final JournalChannel channel : channels)
        {
            current = channel;
            work += channel.outbound().read(appendHandler, ENTRIES_PER_CYCLE);
        }
        for (int i = 0; i < channels.length; i++)
        {
            work += fill(channels[i], readers[i]);
        }
        final long nowNs = clock.nanoTime();
        if (nowNs - nextRetentionNs >= 0)
        {
            nextRetentionNs = nowNs + RETENTION_INTERVAL_NS;
            work += applyRetention();
        }
        if (nowNs - nextChoresNs >= 0)
        {
            nextChoresNs = nowNs + CHORE_INTERVAL_NS;
            work += chores();
        }
        return work;
    }

    private void onOutbound(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (writer.appendRaw(buffer, index, length))
        {
            current.counters().appended.incrementRelease();
        }
        else
        {
            current.counters().error(JournalError.APPEND);
        }
    }

    /**
     * Read this worker's next entries while its inbound ring has room for them.
     */
    private int fill(final JournalChannel channel, final FlowJournalReader reader)
    {
        final RingBuffer inbound = channel.inbound();
        current = channel;
        int read = 0;
        while (read < ENTRIES_PER_CYCLE && inbound.capacity() - inbound.size() >= INBOUND_RECORD_BYTES)
        {
            if (reader.poll(forwardHandler, 1) == 0)
            {
                channel.caughtUp();
                break;
            }
            read++;
        }
        return read;
    }

    private void onEntry(final JournalEntry entry)
    {
        if (entry.relayId == current.relayId() && entry.workerId == current.workerId())
        {
            return; // the worker's own entry: its table already says so
        }
        final RingBuffer inbound = current.inbound();
        final int index = inbound.tryClaim(1, FlowEventCodec.ENTRY_LENGTH);
        if (index > 0)
        {
            codec.encode(inbound.buffer(), index, entry.type, entry.timeEpochNs, entry.high, entry.low, entry.port,
                entry.route, entry.socketIndex, entry.relayId, entry.workerId);
            inbound.commit(index);
        }
    }

    private int chores()
    {
        measureLag();
        if (journal.isLocked() && journal.breakDeadLock())
        {
            Log.warn("journal", "broke the append lock of a dead relay process in " + journal.directory());
        }
        int skipped = 0;
        for (final FlowJournalReader reader : readers)
        {
            if (reader.skipDamagedCycle())
            {
                Log.warn("journal", "skipped the rest of a damaged journal cycle in " + journal.directory());
                skipped++;
            }
        }
        return 1 + skipped;
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

    private void measureLag()
    {
        for (int i = 0; i < channels.length; i++)
        {
            channels[i].counters().lag.setRelease(journal.entriesFrom(readers[i].position()));
        }
    }

    /**
     * @param index a channel's index.
     * @return its reader's position (on the agent's thread only).
     */
    long position(final int index)
    {
        return readers[index].position();
    }

    @Override
    public void onClose()
    {
        // what the workers handed over before they stopped still goes to the journal
        if (writer != null)
        {
            for (final JournalChannel channel : channels)
            {
                current = channel;
                int read;
                do
                {
                    read = channel.outbound().read(appendHandler, ENTRIES_PER_CYCLE);
                }
                while (read > 0);
            }
        }
        CloseHelper.closeAll(readers);
        CloseHelper.closeAll(writer, cycles, cyclesDeleted, replayMs, replayEntries);
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
