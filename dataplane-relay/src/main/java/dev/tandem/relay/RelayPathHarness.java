package dev.tandem.relay;

import dev.tandem.common.StreamIds;
import dev.tandem.journal.JournalChannel;
import dev.tandem.journal.JournalCounters;
import dev.tandem.journal.SampledEpochClock;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteTokenVerifier;
import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A relay worker's packet path without its sockets, for benchmarks (JMH in {@code perf}) and tests: datagrams go in
 * through {@link #onDatagram}, the real flow table, verifier and publications process them, and the Ingress
 * messages come out on an IPC subscription the caller drains.
 */
public final class RelayPathHarness implements AutoCloseable
{
    private final RelayWorker worker;
    private final Subscription transceiver;
    private final JournalCounters journalCounters;

    private RelayPathHarness(
        final RelayWorker worker, final Subscription transceiver, final JournalCounters journalCounters)
    {
        this.worker = worker;
        this.transceiver = transceiver;
        this.journalCounters = journalCounters;
    }

    /**
     * @param aeron       a connected client.
     * @param ring        route token keys.
     * @param cluster     the destination's cluster (served on {@code aeron:ipc}).
     * @param transceiver the destination's transceiver.
     * @param shard       the destination's shard.
     * @param clock       the worker's clock.
     * @return a harness whose flows go to an IPC subscription of that shard.
     */
    public static RelayPathHarness create(
        final Aeron aeron,
        final RouteKeyRing ring,
        final int cluster,
        final int transceiver,
        final int shard,
        final NanoClock clock)
    {
        return create(aeron, ring, cluster, transceiver, shard, clock, false);
    }

    /**
     * @param aeron       a connected client.
     * @param ring        route token keys.
     * @param cluster     the destination's cluster (served on {@code aeron:ipc}).
     * @param transceiver the destination's transceiver.
     * @param shard       the destination's shard.
     * @param clock       the worker's clock.
     * @param journal     whether the worker has a flow journal (its channel, with no agent behind it: the packet
     *                    path then checks each flow's refresh gap).
     * @return a harness whose flows go to an IPC subscription of that shard.
     */
    public static RelayPathHarness create(
        final Aeron aeron,
        final RouteKeyRing ring,
        final int cluster,
        final int transceiver,
        final int shard,
        final NanoClock clock,
        final boolean journal)
    {
        final long idleTimeoutNs = TimeUnit.SECONDS.toNanos(30);
        final JournalCounters journalCounters = journal ? new JournalCounters(aeron, 255, 0) : null;
        final RelayJournal relayJournal = journal ? new RelayJournal(new JournalChannel(255, 0, -1, journalCounters),
            255, 0, new SampledEpochClock(), idleTimeoutNs / 2, idleTimeoutNs, 1) : null;
        final Subscription subscription = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(shard));
        final Destinations destinations = new Destinations(
            aeron, new Directory(Map.of(Directory.key(cluster, transceiver), "aeron:ipc"), null, null), 16);
        destinations.addNow(cluster, transceiver, shard);
        final RelayWorker worker = new RelayWorker(
            255,
            0,
            (receiver) -> new UdpSockets(TransportKind.NIO, List.of(new InetSocketAddress(0)), 1500, 0, receiver),
            new FlowTable(1024),
            new SourceRateLimiter(1_000_000, 1_000_000, 1024),
            destinations,
            new RouteTokenVerifier(ring),
            aeron.addSubscription("aeron:ipc", StreamIds.relayReturn(255, 0)),
            new RelayCounters(aeron, 255, 0),
            clock,
            1500,
            Long.MAX_VALUE / 2,
            -1,
            -1,
            false,
            relayJournal);

        while (!subscription.isConnected())
        {
            Thread.onSpinWait();
        }
        return new RelayPathHarness(worker, subscription, journalCounters);
    }

    /**
     * The packet path from the socket on: classify, STUN and token, flow, Ingress into the publication.
     *
     * @param high   client address, upper half.
     * @param low    client address, lower half.
     * @param port   client port.
     * @param buffer the datagram.
     * @param offset where it starts.
     * @param length its length.
     */
    public void onDatagram(
        final long high, final long low, final int port, final DirectBuffer buffer, final int offset, final int length)
    {
        worker.onDatagram(0, null, high, low, port, buffer, offset, length);
    }

    /**
     * @param handler receives the Ingress messages forwarded so far.
     * @param limit   most messages.
     * @return messages drained.
     */
    public int drain(final FragmentHandler handler, final int limit)
    {
        return transceiver.poll(handler, limit);
    }

    /**
     * @return datagrams forwarded (published to the counters first).
     */
    public long forwarded()
    {
        worker.publishCounters();
        return worker.counters().forwarded.get();
    }

    /**
     * @param reason a drop reason's label, e.g. {@code bad_token}.
     * @return datagrams dropped for it.
     */
    public long drops(final String reason)
    {
        worker.publishCounters();
        for (final DropReason r : DropReason.values())
        {
            if (r.label.equals(reason))
            {
                return worker.counters().drops(r);
            }
        }
        throw new IllegalArgumentException("no drop reason " + reason);
    }

    @Override
    public void close()
    {
        worker.onClose();
        CloseHelper.quietClose(transceiver);
        CloseHelper.quietClose(journalCounters);
    }
}
