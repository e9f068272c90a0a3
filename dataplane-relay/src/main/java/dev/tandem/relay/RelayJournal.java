package dev.tandem.relay;

import dev.tandem.common.ClientAddress;
import dev.tandem.common.Log;
import dev.tandem.journal.JournalChannel;
import dev.tandem.journal.JournalCounters;
import dev.tandem.journal.JournalEntry;
import dev.tandem.journal.JournalError;
import dev.tandem.journal.JournalHandler;
import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker's side of the flow journal, on the worker's thread and never touching Chronicle Queue (the
 * {@link dev.tandem.journal.JournalAgent} does, through the worker's {@link JournalChannel}): it hands over the
 * worker's flow events (open, re-route, refresh after {@code refreshGapNs} of packets without an entry, close),
 * restores the start-up replay into the worker's table, and applies what the host's other workers and relays
 * appended, so every worker knows every live flow of the host (the kernel's reuseport hash may move any client to
 * any worker when a process's sockets go).
 * <p>
 * A followed flow takes the route and socket of its newest entry and a last-seen time of the entry's age, so it
 * expires like the original unless a refresh arrives (the owner refreshes every {@code refreshGapNs}, less than the
 * idle timeout). Expiry writes nothing: every copy expires on its own.
 */
final class RelayJournal implements JournalHandler
{
    /** Most entries applied per duty cycle. */
    static final int FOLLOW_ENTRIES_PER_CYCLE = 256;
    /** Longest wait at start for the journal agent to read up to the head for this worker. */
    static final long CATCH_UP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final JournalChannel channel;
    private final int relayId;
    private final int workerId;
    private final JournalCounters counters;
    private final EpochNanoClock wallClock;
    private final long refreshGapNs;
    private final long idleTimeoutNs;
    private final int socketCount;
    private FlowTable flows;
    private Destinations destinations;
    private long nowNs;
    private long nowEpochNs;
    private long followed;

    /**
     * @param channel       the worker's link to the journal agent.
     * @param relayId       this relay.
     * @param workerId      this worker.
     * @param wallClock     the worker's wall clock.
     * @param refreshGapNs  a flow with packets writes a REFRESHED entry when its last one is this old.
     * @param idleTimeoutNs the flows' idle timeout.
     * @param socketCount   listen sockets of the relay.
     */
    RelayJournal(
        final JournalChannel channel,
        final int relayId,
        final int workerId,
        final EpochNanoClock wallClock,
        final long refreshGapNs,
        final long idleTimeoutNs,
        final int socketCount)
    {
        this.channel = channel;
        this.relayId = relayId;
        this.workerId = workerId;
        this.counters = channel.counters();
        this.wallClock = wallClock;
        this.refreshGapNs = refreshGapNs;
        this.idleTimeoutNs = idleTimeoutNs;
        this.socketCount = socketCount;
    }

    void bind(final FlowTable flows, final Destinations destinations)
    {
        this.flows = flows;
        this.destinations = destinations;
    }

    long refreshGapNs()
    {
        return refreshGapNs;
    }

    JournalCounters counters()
    {
        return counters;
    }

    /**
     * On the worker's thread, before its sockets open: apply what was appended since the start-up replay, once the
     * journal agent has read up to the head for this worker, so the worker knows every flow when the kernel starts
     * sending it clients.
     *
     * @param startNs the worker's clock now.
     */
    void onStart(final long startNs)
    {
        final long deadlineNs = System.nanoTime() + CATCH_UP_TIMEOUT_NS;
        boolean caughtUp;
        do
        {
            caughtUp = channel.isCaughtUp();
            this.nowNs = startNs;
            this.nowEpochNs = wallClock.nanoTime();
            final int read = channel.poll(this, FOLLOW_ENTRIES_PER_CYCLE);
            if (caughtUp && read == 0)
            {
                break;
            }
            if (read == 0)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        while (System.nanoTime() - deadlineNs < 0);
        if (!caughtUp)
        {
            Log.warn("relay", "relay-" + relayId + "-worker-" + workerId + ": the journal agent did not catch up " +
                "in time; starting anyway");
        }
        publishFollowed();
    }

    /**
     * Copy the start-up replay's live flows into the worker's table (cold path, before the worker runs), with
     * their destinations' publications added now so the first packets are forwarded at once.
     *
     * @param replay     the replay.
     * @param nowNs      the worker's clock now.
     * @param nowEpochNs wall-clock now.
     * @return flows restored.
     */
    int restore(final JournalReplay replay, final long nowNs, final long nowEpochNs)
    {
        final FlowTable snapshot = replay.snapshot();
        int restored = 0;
        for (int slot = 0, slots = snapshot.slotCount(); slot < slots; slot++)
        {
            if (!snapshot.isUsed(slot))
            {
                continue;
            }
            final long ageNs = nowEpochNs - snapshot.lastSeenNs(slot);
            if (ageNs > idleTimeoutNs)
            {
                continue;
            }
            final long route = snapshot.route(slot);
            final int socketIndex = snapshot.socket(slot);
            if (socketIndex >= socketCount)
            {
                counters.error(JournalError.BAD_SOCKET);
                continue;
            }
            if (flows.size() >= flows.capacity())
            {
                counters.error(JournalError.TABLE_FULL);
                continue;
            }
            final int destination = destinations.addNow(route);
            if (destination < 0)
            {
                counters.error(JournalError.UNKNOWN_DESTINATION);
                continue;
            }
            final long seenNs = nowNs - Math.max(0, ageNs);
            final int restoredSlot = flows.insert(snapshot.high(slot), snapshot.low(slot), snapshot.port(slot), route,
                destination, socketIndex, snapshot.endpoint(slot), seenNs);
            flows.journaled(restoredSlot, seenNs);
            restored++;
        }
        counters.replayed.getAndAddRelease(restored);
        return restored;
    }

    /**
     * A flow was created, or re-routed by a new token.
     */
    void opened(final int slot, final long nowNs)
    {
        append(JournalEntry.OPENED, slot, nowNs);
    }

    /**
     * A flow carried packets and its last entry is {@link #refreshGapNs()} old.
     */
    void refreshed(final int slot, final long nowNs)
    {
        append(JournalEntry.REFRESHED, slot, nowNs);
    }

    private void append(final int type, final int slot, final long nowNs)
    {
        flows.journaled(slot, nowNs);
        channel.append(type, wallClock.nanoTime(), flows.high(slot), flows.low(slot), flows.port(slot),
            flows.route(slot), flows.socket(slot));
    }

    /**
     * The transceiver closed a flow: the host's other workers forget it too.
     */
    void closed(final long high, final long low, final int port, final long route, final int socketIndex)
    {
        channel.append(JournalEntry.CLOSED, wallClock.nanoTime(), high, low, port, route, socketIndex);
    }

    /**
     * Apply what the host's other workers and relays appended (bounded; a read of an empty ring when nothing did).
     *
     * @param nowNs the worker's clock.
     * @return entries applied.
     */
    int follow(final long nowNs)
    {
        this.nowNs = nowNs;
        this.nowEpochNs = Long.MIN_VALUE;
        final int read = channel.poll(this, FOLLOW_ENTRIES_PER_CYCLE);
        publishFollowed();
        return read;
    }

    private void publishFollowed()
    {
        if (followed != 0)
        {
            counters.followed.getAndAddRelease(followed);
            followed = 0;
        }
    }

    @Override
    public void onEntry(final JournalEntry entry)
    {
        final long high = entry.high();
        final long low = entry.low();
        final int port = entry.port();
        int slot = flows.find(high, low, port);
        if (entry.type() == JournalEntry.CLOSED)
        {
            if (slot >= 0)
            {
                flows.removeAt(slot);
                followed++;
            }
            return;
        }
        if (nowEpochNs == Long.MIN_VALUE)
        {
            nowEpochNs = wallClock.nanoTime(); // once per duty cycle, and only when something arrived
        }
        final long ageNs = Math.max(0, nowEpochNs - entry.timeEpochNs());
        if (ageNs > idleTimeoutNs)
        {
            return; // older than a flow lives: the reader was far behind
        }
        final long seenNs = nowNs - ageNs;
        final long route = entry.route();
        final int socketIndex = entry.socketIndex();
        if (socketIndex >= socketCount)
        {
            counters.error(JournalError.BAD_SOCKET);
            return;
        }
        if (slot >= 0)
        {
            if (flows.route(slot) != route || flows.socket(slot) != socketIndex)
            {
                final int destination = destinations.indexOf(route);
                if (destination < 0)
                {
                    counters.error(JournalError.UNKNOWN_DESTINATION);
                    return;
                }
                flows.update(slot, route, destination, socketIndex);
            }
            if (seenNs - flows.lastSeenNs(slot) > 0)
            {
                flows.touch(slot, seenNs);
            }
            if (seenNs - flows.journaledNs(slot) > 0)
            {
                flows.journaled(slot, seenNs);
            }
        }
        else
        {
            if (flows.size() >= flows.capacity())
            {
                counters.error(JournalError.TABLE_FULL);
                return;
            }
            final int destination = destinations.indexOf(route);
            if (destination < 0)
            {
                counters.error(JournalError.UNKNOWN_DESTINATION);
                return;
            }
            // a socket address object to send to the client: one per flow learnt, not per packet
            slot = flows.insert(high, low, port, route, destination, socketIndex,
                ClientAddress.toSocketAddress(high, low, port), seenNs);
            flows.journaled(slot, seenNs);
        }
        followed++;
    }
}
