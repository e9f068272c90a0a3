package dev.tandem.journal;

import dev.tandem.route.RouteToken;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Appends flow events for one worker thread: an SBE {@code FlowEvent} encoded into a reused buffer, then copied
 * into a Chronicle excerpt (layout in the package documentation). Allocation-free in steady state; called on
 * flow events only, never per packet. A failed append is counted ({@link JournalError#APPEND}) and lost: the
 * packet path does not wait for the disk.
 */
public final class FlowJournalWriter implements AutoCloseable
{
    /** Bytes of one entry: the SBE header and the FlowEvent block. */
    public static final int ENTRY_LENGTH = FlowEventCodec.ENTRY_LENGTH;

    private final ExcerptAppender appender;
    private final int relayId;
    private final int workerId;
    private final JournalCounters counters;
    private final byte[] bytes = new byte[FlowJournalReader.MAX_ENTRY_BYTES];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final FlowEventCodec codec = new FlowEventCodec();
    private long appended;
    private long failed;

    FlowJournalWriter(
        final ExcerptAppender appender, final int relayId, final int workerId, final JournalCounters counters)
    {
        this.appender = appender;
        this.relayId = relayId;
        this.workerId = workerId;
        this.counters = counters;
    }

    /**
     * Append one entry.
     *
     * @param type        {@link JournalEntry#OPENED}, {@link JournalEntry#REFRESHED} or {@link JournalEntry#CLOSED}.
     * @param timeEpochNs wall-clock time of the event.
     * @param high        client address, upper half.
     * @param low         client address, lower half.
     * @param port        client port.
     * @param route       the flow's route (see {@link RouteToken}).
     * @param socketIndex which listen address the client talks to.
     * @return true when appended; false when Chronicle failed (counted).
     */
    public boolean append(
        final int type,
        final long timeEpochNs,
        final long high,
        final long low,
        final int port,
        final long route,
        final int socketIndex)
    {
        final int length = codec.encode(
            buffer, 0, type, timeEpochNs, high, low, port, route, socketIndex, relayId, workerId);
        return appendEncoded(bytes, 0, length);
    }

    /**
     * Append raw bytes as one entry: for tests and tools that need entries the relay would never write.
     *
     * @param source bytes.
     * @param offset where they start.
     * @param length how many.
     * @return true when appended.
     */
    public boolean appendRaw(final byte[] source, final int offset, final int length)
    {
        return appendEncoded(source, offset, length);
    }

    /**
     * Append an encoded entry from a buffer as it is (the journal agent, for a worker's entry).
     *
     * @param source the entry.
     * @param offset where it starts.
     * @param length its length, at most {@link FlowJournalReader#MAX_ENTRY_BYTES}.
     * @return true when appended.
     */
    public boolean appendRaw(final DirectBuffer source, final int offset, final int length)
    {
        if (length > bytes.length)
        {
            return false;
        }
        source.getBytes(offset, bytes, 0, length);
        return appendEncoded(bytes, 0, length);
    }

    private boolean appendEncoded(final byte[] source, final int offset, final int length)
    {
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(source, offset, length);
        }
        catch (final RuntimeException ex)
        {
            failed++;
            if (counters != null)
            {
                counters.error(JournalError.APPEND);
            }
            return false;
        }
        appended++;
        if (counters != null)
        {
            counters.appended.incrementRelease();
        }
        return true;
    }

    /**
     * @return entries appended by this writer.
     */
    public long appended()
    {
        return appended;
    }

    /**
     * @return appends that failed.
     */
    public long failed()
    {
        return failed;
    }

    /**
     * @return the index of the last entry this writer appended.
     */
    public long lastIndex()
    {
        return appender.lastIndexAppended();
    }

    @Override
    public void close()
    {
        appender.close();
    }
}
