package dev.tandem.journal;

import dev.tandem.common.Log;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.posix.PosixAPI;
import org.agrona.concurrent.EpochNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A flow journal: one Chronicle Queue in a directory, shared by every relay process of a host and port. Thread-safe
 * to open writers and readers from; each {@link FlowJournalWriter} and {@link FlowJournalReader} belongs to the
 * thread that created it. Close the writers and readers first, then this.
 */
public final class FlowJournal implements AutoCloseable
{
    /** Chronicle's file suffix for a cycle. */
    static final String CYCLE_SUFFIX = ".cq4";
    /**
     * A writer that dies holding Chronicle's append lock blocks other appenders until this timeout (then the lock
     * is broken if its process is dead); the journal agent also breaks a dead process's lock every second.
     */
    static final long LOCK_TIMEOUT_MS = 1_000;
    /** Chronicle grows a cycle file by this much at a time (files are sparse; the disk holds what is written). */
    static final long BLOCK_SIZE_BYTES = 16L * 1024 * 1024;

    static
    {
        if (!Boolean.getBoolean("tandem.journal.chronicle-posix"))
        {
            // Chronicle loads a native POSIX binding (JNR, generated at run time) when it starts: ~190 ms of a cold
            // relay's start, which is a restart's media gap. It serves msync and pretouching only, which the journal
            // does not use; -Dtandem.journal.chronicle-posix=true loads it anyway.
            PosixAPI.useNoOpPosixApi();
        }
    }

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final DateTimeFormatter cycleFormat;
    private final TableStoreWriteLock writeLock;

    private FlowJournal(final Path directory, final SingleChronicleQueue queue, final boolean readOnly)
    {
        this.directory = directory;
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.cycleFormat = DateTimeFormatter.ofPattern(rollCycle.format());
        // the lock Chronicle's appenders take (its default key in the queue's metadata), to break a dead holder's
        this.writeLock = readOnly ? null :
            new TableStoreWriteLock(queue.metaStore(), Pauser::balanced, LOCK_TIMEOUT_MS);
    }

    /**
     * Open (or create) the journal in a directory.
     *
     * @param directory where the queue lives; created if missing.
     * @param rollCycle how often a new file starts (an existing queue keeps its own).
     * @param wallClock wall clock for the file cycles, or null for the system's (tests pass a manual one).
     * @return the journal.
     * @throws UncheckedIOException when the directory cannot be created or written.
     */
    public static FlowJournal open(
        final Path directory, final JournalRollCycle rollCycle, final EpochNanoClock wallClock)
    {
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + directory + ": " + ex.getMessage(), ex);
        }
        if (!Files.isDirectory(directory) || !Files.isWritable(directory))
        {
            throw new UncheckedIOException(new IOException(directory + " is not a writable directory"));
        }
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(rollCycle.chronicle)
            .blockSize(BLOCK_SIZE_BYTES)
            .timeoutMS(LOCK_TIMEOUT_MS)
            .timeProvider(timeProvider(wallClock))
            .build();
        return new FlowJournal(directory, queue, false);
    }

    /**
     * Open an existing journal to read it only (the dump command): nothing is created or changed.
     *
     * @param directory where the queue lives.
     * @return the journal.
     * @throws UncheckedIOException when there is no journal there.
     */
    public static FlowJournal openReadOnly(final Path directory)
    {
        if (!Files.isDirectory(directory) || !Files.exists(directory.resolve("metadata.cq4t")))
        {
            throw new UncheckedIOException(new IOException("no journal in " + directory));
        }
        // the queue's own roll cycle wins; asking for the relays' default avoids Chronicle's warning that it does
        return new FlowJournal(directory, SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(JournalRollCycle.FIVE_MINUTELY.chronicle).readOnly(true).build(), true);
    }

    static TimeProvider timeProvider(final EpochNanoClock wallClock)
    {
        if (wallClock == null)
        {
            return SystemTimeProvider.INSTANCE;
        }
        return new TimeProvider()
        {
            public long currentTimeMillis()
            {
                return wallClock.nanoTime() / 1_000_000;
            }

            public long currentTimeMicros()
            {
                return wallClock.nanoTime() / 1_000;
            }

            public long currentTimeNanos()
            {
                return wallClock.nanoTime();
            }
        };
    }

    /**
     * An appender for the calling thread (one per worker).
     *
     * @param relayId  written in every entry.
     * @param workerId written in every entry.
     * @param counters where appends and errors are counted, or null.
     * @return the writer; use and close it on the calling thread only.
     */
    public FlowJournalWriter newWriter(final int relayId, final int workerId, final JournalCounters counters)
    {
        return new FlowJournalWriter(queue.createAppender(), relayId, workerId, counters);
    }

    /**
     * A reader for the calling thread, at the start of the journal.
     *
     * @param counters where errors are counted and the position published, or null.
     * @return the reader; use and close it on the calling thread only.
     */
    public FlowJournalReader newReader(final JournalCounters counters)
    {
        return new FlowJournalReader(this, queue, counters);
    }

    /**
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Count the entries from an index to the head (the lag of a reader there). Cold path: reads Chronicle's index.
     *
     * @param index a reader's position (the next index it will read), or -1 for none yet.
     * @return entries at or after it (0 for none yet).
     */
    public long entriesFrom(final long index)
    {
        final long last = queue.lastIndex();
        if (last < 0)
        {
            return 0;
        }
        if (index < 0 || index > last)
        {
            return 0;
        }
        return queue.countExcerpts(index, last) + 1;
    }

    /**
     * Delete the cycle files that ended before a time, never the newest one (cold path: the journal agent).
     *
     * @param cutoffEpochMs files whose whole cycle lies before this go.
     * @return files deleted.
     */
    public int deleteCyclesEndedBefore(final long cutoffEpochMs)
    {
        final List<Path> files = cycleFiles();
        int deleted = 0;
        long newestCycle = Long.MIN_VALUE;
        for (final Path file : files)
        {
            newestCycle = Math.max(newestCycle, cycleOf(file));
        }
        for (final Path file : files)
        {
            final long cycle = cycleOf(file);
            final long endMs = (cycle + 1) * rollCycle.lengthInMillis() + queue.epoch();
            if (cycle != Long.MIN_VALUE && cycle < newestCycle && endMs <= cutoffEpochMs)
            {
                try
                {
                    if (Files.deleteIfExists(file))
                    {
                        deleted++;
                    }
                }
                catch (final IOException ex)
                {
                    Log.warn("journal", "cannot delete " + file + ": " + ex);
                }
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    /**
     * @return the cycle files present, oldest first.
     */
    public List<Path> cycleFiles()
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + CYCLE_SUFFIX))
        {
            for (final Path file : stream)
            {
                files.add(file);
            }
        }
        catch (final IOException ex)
        {
            Log.warn("journal", "cannot list " + directory + ": " + ex);
        }
        files.sort(null);
        return files;
    }

    /**
     * @param cycle a cycle number.
     * @return the first cycle with a file at or after it, or -1 (cold path: lists the directory).
     */
    int firstCycleAtOrAfter(final int cycle)
    {
        long first = Long.MAX_VALUE;
        for (final Path file : cycleFiles())
        {
            final long fileCycle = cycleOf(file);
            if (fileCycle >= cycle && fileCycle < first)
            {
                first = fileCycle;
            }
        }
        return first == Long.MAX_VALUE ? -1 : (int)first;
    }

    long cycleOf(final Path file)
    {
        final String name = file.getFileName().toString();
        try
        {
            final String stamp = name.substring(0, name.length() - CYCLE_SUFFIX.length());
            final long epochMs = LocalDateTime.parse(stamp, cycleFormat).toInstant(ZoneOffset.UTC).toEpochMilli();
            return Math.floorDiv(epochMs - queue.epoch(), rollCycle.lengthInMillis());
        }
        catch (final DateTimeParseException | StringIndexOutOfBoundsException ex)
        {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Break Chronicle's append lock if the process holding it is dead (a relay killed mid-append), so live
     * writers do not wait for the lock timeout.
     *
     * @return true when a dead process's lock was broken.
     */
    public boolean breakDeadLock()
    {
        return writeLock != null && writeLock.forceUnlockIfProcessIsDead();
    }

    /**
     * @return true while some writer, of any process, holds Chronicle's append lock.
     */
    public boolean isLocked()
    {
        return writeLock != null && writeLock.locked();
    }

    SingleChronicleQueue queue()
    {
        return queue;
    }

    @Override
    public void close()
    {
        if (writeLock != null)
        {
            writeLock.close();
        }
        queue.close();
    }
}
