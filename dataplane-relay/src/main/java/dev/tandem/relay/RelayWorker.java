package dev.tandem.relay;

import dev.tandem.common.ClientAddress;
import dev.tandem.common.PacketClassifier;
import dev.tandem.route.RouteTokenVerifier;
import dev.tandem.sbe.EgressDecoder;
import dev.tandem.sbe.FlowCloseDecoder;
import dev.tandem.sbe.MessageHeaderDecoder;
import dev.tandem.stun.StunMessageFlyweight;
import dev.tandem.stun.StunStatus;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import net.openhft.affinity.AffinityLock;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One relay worker: its own SO_REUSEPORT socket(s), flow table, new-flow limiter, publications and return stream.
 * The kernel's 4-tuple hash keeps a client on one worker, so nothing here is shared with other workers.
 * <p>
 * Duty cycle: receive datagrams (classify, look up or create the flow, claim and write an {@code Ingress} into the
 * flow's publication); poll the return stream ({@code Egress}: send to the client from the public socket;
 * {@code FlowClose}: forget the flow); flush the sockets once; expire a bounded slice of the flow table; publish
 * counters. With a journal, each cycle first applies the flows the host's other workers and relays opened. The
 * clock is read once per cycle.
 * <pre>
 *   packet path (RFC 7983 first byte)
 *   0-3     STUN: valid, USERNAME with a verified route token -> create or refresh the flow, forward
 *                 valid, no USERNAME (indication, consent check)   -> follow the flow, if any
 *   20-63   DTLS    \
 *   128-191 RTP/RTCP -> follow the flow of the source address; no flow -> drop (no_flow)
 *   other   drop (unknown_kind)
 * </pre>
 * The worker only ever sends what arrives as {@code Egress}: it never answers a client itself.
 * <p>
 * With a journal ({@link RelayJournal}), flow creation, re-routing and {@code FlowClose} append an entry, and a
 * packet appends one only when its flow's last entry is older than the refresh gap: one comparison per packet.
 */
final class RelayWorker implements Agent, UdpSockets.Receiver, FragmentHandler
{
    static final int EXPIRY_SLOTS_PER_CYCLE = 64;
    static final int RETURN_FRAGMENTS_PER_CYCLE = 64;
    private static final int INGRESS_FIXED_LENGTH = IngressWriter.HEADER_LENGTH;

    private final UdpSockets sockets;
    private final FlowTable flows;
    private final SourceRateLimiter limiter;
    private final Destinations destinations;
    private final RouteTokenVerifier verifier;
    private final Subscription returnSubscription;
    private final RelayCounters counters;
    private final NanoClock clock;
    private final int maxDatagramBytes;
    private final long flowIdleTimeoutNs;
    private final int defaultDestination;
    private final int cpu;
    private final boolean autoAffinity;
    private final String roleName;
    private final RelayJournal journal;
    private final long journalRefreshGapNs;

    private final StunMessageFlyweight stun = new StunMessageFlyweight();
    private final BufferClaim claim = new BufferClaim();
    private final IngressWriter ingressWriter;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EgressDecoder egressDecoder = new EgressDecoder();
    private final FlowCloseDecoder flowCloseDecoder = new FlowCloseDecoder();
    private final UnsafeBuffer egressPayload = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[INGRESS_FIXED_LENGTH]);
    private final FragmentAssembler returnAssembler = new FragmentAssembler(this);

    private long nowNs;
    private boolean clockStale = true;
    private long packetsIn;
    private long bytesIn;
    private long forwarded;
    private long forwardedBytes;
    private long sent;
    private long sentBytes;
    private long flowsCreated;
    private long flowsExpired;
    private long flowsClosed;
    private int publishedFlows = -1;
    private AffinityLock affinityLock;
    private volatile boolean open;
    private volatile RuntimeException startError;

    RelayWorker(
        final int relayId,
        final int workerId,
        final UdpSockets.Factory socketsFactory,
        final FlowTable flows,
        final SourceRateLimiter limiter,
        final Destinations destinations,
        final RouteTokenVerifier verifier,
        final Subscription returnSubscription,
        final RelayCounters counters,
        final NanoClock clock,
        final int maxDatagramBytes,
        final long flowIdleTimeoutNs,
        final int defaultDestination,
        final int cpu,
        final boolean autoAffinity,
        final RelayJournal journal)
    {
        this.sockets = socketsFactory.newSockets(this);
        this.flows = flows;
        this.limiter = limiter;
        this.destinations = destinations;
        this.verifier = verifier;
        this.returnSubscription = returnSubscription;
        this.counters = counters;
        this.clock = clock;
        this.maxDatagramBytes = maxDatagramBytes;
        this.flowIdleTimeoutNs = flowIdleTimeoutNs;
        this.defaultDestination = defaultDestination;
        this.cpu = cpu;
        this.autoAffinity = autoAffinity;
        this.ingressWriter = new IngressWriter(relayId, workerId);
        this.roleName = "relay-" + relayId + "-worker-" + workerId;
        this.journal = journal;
        this.journalRefreshGapNs = journal != null ? journal.refreshGapNs() : Long.MAX_VALUE;
        if (journal != null)
        {
            journal.bind(flows, destinations);
        }
    }

    @Override
    public void onStart()
    {
        try
        {
            if (cpu >= 0)
            {
                affinityLock = AffinityLock.acquireLock(cpu);
            }
            else if (autoAffinity)
            {
                affinityLock = AffinityLock.acquireLock();
            }
            if (journal != null)
            {
                // catch up with what other relays appended since the replay before the kernel sends clients here
                journal.onStart(clock.nanoTime());
            }
            sockets.open();
            open = true;
        }
        catch (final RuntimeException ex)
        {
            startError = ex;
            throw ex;
        }
    }

    RuntimeException startError()
    {
        return startError;
    }

    boolean isOpen()
    {
        return open;
    }

    UdpSockets sockets()
    {
        return sockets;
    }

    RelayCounters counters()
    {
        return counters;
    }

    int cpu()
    {
        return affinityLock != null ? affinityLock.cpuId() : -1;
    }

    RelayJournal journal()
    {
        return journal;
    }

    FlowTable flows()
    {
        return flows;
    }

    /**
     * Copy the start-up replay's live flows into this worker's table (cold path, before the worker runs).
     *
     * @param replay     the replay.
     * @param nowEpochNs wall-clock now.
     * @return flows restored.
     */
    int restore(final JournalReplay replay, final long nowEpochNs)
    {
        final int restored = journal.restore(replay, clock.nanoTime(), nowEpochNs);
        publishCounters();
        return restored;
    }

    @Override
    public int doWork()
    {
        nowNs = clock.nanoTime();
        clockStale = false;
        // flows other workers and relays opened first, then the datagrams that may belong to them
        int work = journal != null ? journal.follow(nowNs) : 0;
        work += sockets.poll();
        work += returnSubscription.poll(returnAssembler, RETURN_FRAGMENTS_PER_CYCLE);
        work += sockets.flush();
        final int expired = flows.expire(nowNs, flowIdleTimeoutNs, EXPIRY_SLOTS_PER_CYCLE);
        flowsExpired += expired;
        work += destinations.poll(nowNs);
        publishCounters();
        clockStale = true;
        return work;
    }

    /**
     * Wait in the sockets for at most {@code waitNs} and handle what arrives (the socket-wait idle strategy).
     *
     * @param waitNs longest wait.
     * @return datagrams handled.
     */
    int awaitDatagrams(final long waitNs)
    {
        clockStale = true;
        final int received = sockets.await(waitNs);
        if (received > 0)
        {
            publishCounters();
        }
        return received;
    }

    @Override
    public void onDatagram(
        final int socketIndex,
        final InetSocketAddress sender,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (clockStale)
        {
            nowNs = clock.nanoTime();
            clockStale = false;
        }
        packetsIn++;
        bytesIn += length;
        if (length > maxDatagramBytes)
        {
            counters.drop(DropReason.OVERSIZE);
            return;
        }
        final InetAddress address = sender.getAddress();
        final long high;
        final long low;
        if (address instanceof Inet4Address)
        {
            high = 0;
            // Inet4Address.hashCode() is its address as an int: no allocation (getAddress() copies an array).
            low = ClientAddress.ipv4Low(address.hashCode());
        }
        else
        {
            final byte[] bytes = address.getAddress();
            high = ClientAddress.readLong(bytes, 0);
            low = ClientAddress.readLong(bytes, 8);
        }
        onDatagram(socketIndex, sender, high, low, sender.getPort(), buffer, offset, length);
    }

    /**
     * The packet path after the socket: the address already split into longs.
     */
    void onDatagram(
        final int socketIndex,
        final Object endpoint,
        final long high,
        final long low,
        final int port,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final int kind = length > 0 ? PacketClassifier.classify(buffer.getByte(offset) & 0xFF) : PacketClassifier.OTHER;
        int slot = flows.find(high, low, port);
        if (defaultDestination >= 0)
        {
            // benchmark only: everything follows a flow to the echo, whatever its first byte
            if (slot < 0 && (slot = insertFlow(0, defaultDestination, socketIndex, endpoint, high, low, port)) < 0)
            {
                return;
            }
        }
        else if (kind == PacketClassifier.STUN)
        {
            stun.wrap(buffer, offset, length);
            if (stun.validate() != StunStatus.OK)
            {
                counters.drop(DropReason.BAD_STUN);
                return;
            }
            final int usernameOffset = stun.usernameOffset();
            if (usernameOffset >= 0)
            {
                final long route = verifier.verifyUsername(buffer, usernameOffset, stun.usernameLength());
                if (route < 0)
                {
                    counters.drop(DropReason.BAD_TOKEN);
                    return;
                }
                if (slot < 0)
                {
                    if ((slot = createFlow(route, socketIndex, endpoint, high, low, port)) < 0)
                    {
                        return;
                    }
                }
                else if (flows.route(slot) != route || flows.socket(slot) != socketIndex)
                {
                    // A new token for a known address (ICE restart, another session from the same port).
                    final int destination = destinations.indexOf(route);
                    if (destination < 0)
                    {
                        counters.drop(DropReason.UNKNOWN_DESTINATION);
                        return;
                    }
                    flows.update(slot, route, destination, socketIndex);
                    if (journal != null)
                    {
                        journal.opened(slot, nowNs);
                    }
                }
            }
            else if (slot < 0)
            {
                // RFC 8489 5: indications and checks without USERNAME can only follow an existing flow.
                counters.drop(DropReason.STUN_NO_USERNAME);
                return;
            }
        }
        else if (kind == PacketClassifier.OTHER)
        {
            // RFC 7983: not STUN, DTLS or RTP/RTCP; nothing behind the relay expects it.
            counters.drop(DropReason.UNKNOWN_KIND);
            return;
        }
        else if (slot < 0)
        {
            counters.drop(DropReason.NO_FLOW);
            return;
        }
        flows.touch(slot, nowNs);
        if (nowNs - flows.journaledNs(slot) >= journalRefreshGapNs)
        {
            journal.refreshed(slot, nowNs);
        }
        forward(slot, kind, high, low, port, buffer, offset, length);
    }

    private int createFlow(
        final long route,
        final int socketIndex,
        final Object endpoint,
        final long high,
        final long low,
        final int port)
    {
        final int destination = destinations.indexOf(route);
        if (destination < 0)
        {
            counters.drop(DropReason.UNKNOWN_DESTINATION);
            return -1;
        }
        return insertFlow(route, destination, socketIndex, endpoint, high, low, port);
    }

    private int insertFlow(
        final long route,
        final int destination,
        final int socketIndex,
        final Object endpoint,
        final long high,
        final long low,
        final int port)
    {
        if (flows.size() >= flows.capacity())
        {
            counters.drop(DropReason.TABLE_FULL);
            return -1;
        }
        // One bucket per IPv4 address, and per IPv6 /64: a host usually holds a whole /64 and could otherwise
        // rotate through its addresses to escape the limit.
        if (!limiter.tryAcquire(high, ClientAddress.isIpv4(high, low) ? low : 0, nowNs))
        {
            counters.drop(DropReason.RATE_LIMITED);
            return -1;
        }
        final int slot = flows.insert(high, low, port, route, destination, socketIndex, endpoint, nowNs);
        flowsCreated++;
        if (journal != null)
        {
            journal.opened(slot, nowNs);
        }
        return slot;
    }

    private void forward(
        final int slot,
        final int kind,
        final long high,
        final long low,
        final int port,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final ExclusivePublication publication = destinations.publication(flows.destination(slot));
        if (publication == null)
        {
            counters.drop(DropReason.DESTINATION_PENDING);
            return;
        }
        final int messageLength = INGRESS_FIXED_LENGTH + length;
        long result = claimOrOffer(publication, messageLength, kind, high, low, port, buffer, offset, length);
        if (result == Publication.ADMIN_ACTION)
        {
            // the log rotated to a new term during the attempt: the retry normally succeeds
            result = claimOrOffer(publication, messageLength, kind, high, low, port, buffer, offset, length);
        }
        if (result > 0)
        {
            forwarded++;
            forwardedBytes += length;
        }
        else if (result == Publication.NOT_CONNECTED)
        {
            counters.drop(DropReason.NOT_CONNECTED);
        }
        else
        {
            counters.drop(DropReason.BACK_PRESSURE);
        }
    }

    private long claimOrOffer(
        final ExclusivePublication publication,
        final int messageLength,
        final int kind,
        final long high,
        final long low,
        final int port,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (messageLength <= publication.maxPayloadLength())
        {
            final long result = publication.tryClaim(messageLength, claim);
            if (result > 0)
            {
                ingressWriter.write(
                    claim.buffer(), claim.offset(), nowNs, kind, high, low, port, buffer, offset, length);
                claim.commit();
            }
            return result;
        }
        // Bigger than one frame: the header from a scratch buffer, the payload straight from the socket's.
        ingressWriter.writeHeader(scratch, 0, nowNs, kind, high, low, port, length);
        return publication.offer(scratch, 0, INGRESS_FIXED_LENGTH, buffer, offset, length);
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            counters.drop(DropReason.BAD_RETURN_MESSAGE);
            return;
        }
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (templateId == EgressDecoder.TEMPLATE_ID && headerDecoder.schemaId() == EgressDecoder.SCHEMA_ID &&
            length >= MessageHeaderDecoder.ENCODED_LENGTH + EgressDecoder.BLOCK_LENGTH + 2)
        {
            egressDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
            final int slot = flows.find(egressDecoder.addressHigh(), egressDecoder.addressLow(), egressDecoder.port());
            if (slot < 0)
            {
                counters.drop(DropReason.EGRESS_NO_FLOW);
                return;
            }
            final int payloadLength = egressDecoder.payloadLength();
            if (egressDecoder.limit() + 2 + payloadLength > offset + length)
            {
                counters.drop(DropReason.BAD_RETURN_MESSAGE);
                return;
            }
            egressDecoder.wrapPayload(egressPayload);
            if (sockets.send(flows.socket(slot), (InetSocketAddress)flows.endpoint(slot), egressPayload, 0,
                payloadLength))
            {
                sent++;
                sentBytes += payloadLength;
            }
            else
            {
                counters.drop(DropReason.BACK_PRESSURE);
            }
        }
        else if (templateId == FlowCloseDecoder.TEMPLATE_ID &&
            headerDecoder.schemaId() == FlowCloseDecoder.SCHEMA_ID &&
            length >= MessageHeaderDecoder.ENCODED_LENGTH + FlowCloseDecoder.BLOCK_LENGTH)
        {
            flowCloseDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
            final long high = flowCloseDecoder.addressHigh();
            final long low = flowCloseDecoder.addressLow();
            final int port = flowCloseDecoder.port();
            final int slot = flows.find(high, low, port);
            if (slot >= 0)
            {
                final long route = flows.route(slot);
                final int socketIndex = flows.socket(slot);
                flows.removeAt(slot);
                flowsClosed++;
                if (journal != null)
                {
                    journal.closed(high, low, port, route, socketIndex);
                }
            }
        }
        else
        {
            counters.drop(DropReason.BAD_RETURN_MESSAGE);
        }
    }

    /**
     * Publish the counts kept in fields since the last call to the shared counters (once per duty cycle).
     */
    void publishCounters()
    {
        if (packetsIn != 0)
        {
            counters.packetsIn.getAndAddRelease(packetsIn);
            counters.bytesIn.getAndAddRelease(bytesIn);
            packetsIn = 0;
            bytesIn = 0;
        }
        if (forwarded != 0)
        {
            counters.forwarded.getAndAddRelease(forwarded);
            counters.forwardedBytes.getAndAddRelease(forwardedBytes);
            forwarded = 0;
            forwardedBytes = 0;
        }
        if (sent != 0)
        {
            counters.sent.getAndAddRelease(sent);
            counters.sentBytes.getAndAddRelease(sentBytes);
            sent = 0;
            sentBytes = 0;
        }
        if (flowsCreated != 0 || flowsExpired != 0 || flowsClosed != 0 || publishedFlows != flows.size())
        {
            counters.flowsCreated.getAndAddRelease(flowsCreated);
            counters.flowsExpired.getAndAddRelease(flowsExpired);
            counters.flowsClosed.getAndAddRelease(flowsClosed);
            flowsCreated = 0;
            flowsExpired = 0;
            flowsClosed = 0;
            publishedFlows = flows.size();
            counters.flowsActive.setRelease(publishedFlows);
        }
    }


    @Override
    public void onClose()
    {
        open = false;
        CloseHelper.closeAll(sockets, destinations, returnSubscription, counters);
        if (affinityLock != null)
        {
            affinityLock.release();
        }
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
