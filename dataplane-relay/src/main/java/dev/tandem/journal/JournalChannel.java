package dev.tandem.journal;

import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One relay worker's link to the {@link JournalAgent}, so the worker never touches Chronicle Queue: Chronicle's
 * appender blocks while a new cycle file is made (9-23 ms measured, once a cycle) or while a process that died holding
 * its lock is detected (over a second), and a reader maps each new cycle (about 1 ms). Two single-producer
 * single-consumer ring buffers of encoded entries (the journal's own layout):
 * <pre>
 *   worker --outbound--> agent --appends--> Chronicle Queue --the agent's reader for this worker--> inbound --> worker
 * </pre>
 * Both sides are allocation-free and never block: a full outbound ring loses the entry (counted as
 * {@link JournalError#APPEND}); a full inbound ring makes the agent read this worker's entries later (its lag).
 */
public final class JournalChannel
{
    /** Outbound ring: about a thousand entries between two agent duty cycles. */
    public static final int OUTBOUND_BYTES = 64 * 1024;
    /** Inbound ring: about four thousand entries. */
    public static final int INBOUND_BYTES = 256 * 1024;
    private static final int MESSAGE_TYPE = 1;
    private static final int CACHE_LINE_BYTES = 64;
    private static final MessageHandler DISCARD = (msgTypeId, buffer, index, length) ->
    {
    };

    private final int relayId;
    private final int workerId;
    private final long startPosition;
    private final JournalCounters counters;
    // direct and cache-line aligned: the rings' atomic operations need aligned memory, which byte[] is not
    private final RingBuffer outbound = new OneToOneRingBuffer(new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(OUTBOUND_BYTES + RingBufferDescriptor.TRAILER_LENGTH, CACHE_LINE_BYTES)));
    private final RingBuffer inbound = new OneToOneRingBuffer(new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(INBOUND_BYTES + RingBufferDescriptor.TRAILER_LENGTH, CACHE_LINE_BYTES)));
    private final FlowEventCodec workerCodec = new FlowEventCodec();
    private final JournalEntry workerEntry = new JournalEntry();
    private final MessageHandler inboundHandler = this::onInbound;
    private JournalHandler handler;
    private volatile boolean caughtUp;

    /**
     * @param relayId       written in the worker's entries.
     * @param workerId      written in the worker's entries.
     * @param startPosition where the agent starts reading for this worker: the end of the start-up replay.
     * @param counters      the worker's journal counters.
     */
    public JournalChannel(
        final int relayId, final int workerId, final long startPosition, final JournalCounters counters)
    {
        this.relayId = relayId;
        this.workerId = workerId;
        this.startPosition = startPosition;
        this.counters = counters;
    }

    /**
     * Worker side: hand an entry to the agent for appending.
     *
     * @param type        {@link JournalEntry#OPENED}, {@link JournalEntry#REFRESHED} or {@link JournalEntry#CLOSED}.
     * @param timeEpochNs wall-clock time of the event.
     * @param high        client address, upper half.
     * @param low         client address, lower half.
     * @param port        client port.
     * @param route       the flow's route.
     * @param socketIndex which listen address the client talks to.
     * @return false when the ring was full (counted; the entry is lost).
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
        final int index = outbound.tryClaim(MESSAGE_TYPE, FlowEventCodec.ENTRY_LENGTH);
        if (index <= 0)
        {
            counters.error(JournalError.APPEND);
            return false;
        }
        workerCodec.encode(outbound.buffer(), index, type, timeEpochNs, high, low, port, route, socketIndex, relayId,
            workerId);
        outbound.commit(index);
        return true;
    }

    /**
     * Worker side: apply entries of the host's other workers and relays that the agent read.
     *
     * @param handler gets each entry.
     * @param limit   most entries.
     * @return entries handled.
     */
    public int poll(final JournalHandler handler, final int limit)
    {
        this.handler = handler;
        return inbound.read(inboundHandler, limit);
    }

    private void onInbound(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (workerCodec.decode(buffer, index, length, workerEntry))
        {
            handler.onEntry(workerEntry);
        }
    }

    /**
     * Drop what the worker handed over without appending it: for benchmarks of the worker's side alone.
     *
     * @param limit most entries.
     * @return entries dropped.
     */
    public int discardHandedOver(final int limit)
    {
        return outbound.read(DISCARD, limit);
    }

    /**
     * @return true once the agent has read up to the head of the journal for this worker at least once.
     */
    public boolean isCaughtUp()
    {
        return caughtUp;
    }

    /**
     * @return the worker's journal counters.
     */
    public JournalCounters counters()
    {
        return counters;
    }

    long startPosition()
    {
        return startPosition;
    }

    int relayId()
    {
        return relayId;
    }

    int workerId()
    {
        return workerId;
    }

    RingBuffer outbound()
    {
        return outbound;
    }

    RingBuffer inbound()
    {
        return inbound;
    }

    void caughtUp()
    {
        caughtUp = true;
    }
}
