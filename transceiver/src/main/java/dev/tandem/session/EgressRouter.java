package dev.tandem.session;

import dev.tandem.common.StreamIds;
import dev.tandem.sbe.AddressFamily;
import dev.tandem.sbe.EgressEncoder;
import dev.tandem.sbe.FlowCloseEncoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.exceptions.RegistrationException;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.CloseHelper;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.function.IntFunction;

/**
 * Publishes datagrams for clients to the return stream of the relay worker that last forwarded for them
 * (DESIGN.md "Return path"), with the SBE {@code Egress} header written in place by {@code tryClaim}.
 * <p>
 * One exclusive publication per (relay, worker), created without blocking the media agent: known relays are added
 * at start; an unknown one is added asynchronously on first sight and datagrams for it are dropped and counted
 * until it connects (ICE and DTLS retransmit). Used by one thread, the shard's media agent.
 */
final class EgressRouter implements AutoCloseable
{
    /** Sent. */
    static final int SENT = 0;
    /** The publication for that relay worker is still being added. */
    static final int PENDING = -1;
    /** The relay worker's stream is back-pressured or not connected. */
    static final int BACK_PRESSURED = -2;
    /** The relay worker is gone (publication closed or failed). */
    static final int NOT_CONNECTED = -3;

    private static final int EGRESS_HEADER_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + EgressEncoder.BLOCK_LENGTH + EgressEncoder.payloadHeaderLength();
    private static final int FLOW_CLOSE_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + FlowCloseEncoder.BLOCK_LENGTH;

    private final Aeron aeron;
    private final IntFunction<String> channelOfRelay;
    private final Int2ObjectHashMap<ExclusivePublication> publications = new Int2ObjectHashMap<>();
    private final Long2LongHashMap pendingByStream = new Long2LongHashMap(Aeron.NULL_VALUE);
    private final BufferClaim claim = new BufferClaim();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EgressEncoder egressEncoder = new EgressEncoder();
    private final FlowCloseEncoder flowCloseEncoder = new FlowCloseEncoder();
    private final AtomicCounter dropped;

    /**
     * @param aeron          client of the media driver.
     * @param channelOfRelay the Aeron channel of a relay's return streams, by relay id.
     * @param dropped        counts datagrams that could not be handed to a relay.
     */
    EgressRouter(final Aeron aeron, final IntFunction<String> channelOfRelay, final AtomicCounter dropped)
    {
        this.aeron = aeron;
        this.channelOfRelay = channelOfRelay;
        this.dropped = dropped;
    }

    /**
     * Add the return publication of a relay worker and wait for it (cold path, at start).
     *
     * @param relayId  relay id.
     * @param workerId worker id.
     */
    void addKnown(final int relayId, final int workerId)
    {
        final int streamId = StreamIds.relayReturn(relayId, workerId);
        if (!publications.containsKey(streamId))
        {
            publications.put(streamId, aeron.addExclusivePublication(channelOfRelay.apply(relayId), streamId));
        }
    }

    /**
     * Send a datagram to a client through a relay worker.
     *
     * @param relayId  the relay that forwarded the client's last packet.
     * @param workerId its worker.
     * @param high     client address, upper half.
     * @param low      client address, lower half.
     * @param port     client port.
     * @param packet   the datagram.
     * @param offset   where it starts.
     * @param length   its length.
     * @return {@link #SENT} or a negative status; every failure is counted.
     */
    int send(
        final int relayId,
        final int workerId,
        final long high,
        final long low,
        final int port,
        final byte[] packet,
        final int offset,
        final int length)
    {
        final ExclusivePublication publication = publication(relayId, workerId);
        if (publication == null)
        {
            dropped.incrementRelease();
            return PENDING;
        }
        final long result = tryClaim(publication, EGRESS_HEADER_LENGTH + length);
        if (result < 0)
        {
            dropped.incrementRelease();
            return result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ?
                NOT_CONNECTED : BACK_PRESSURED;
        }
        egressEncoder.wrapAndApplyHeader(claim.buffer(), claim.offset(), headerEncoder)
            .addressHigh(high)
            .addressLow(low)
            .port(port)
            .family(familyOf(high, low))
            .putPayload(packet, offset, length);
        claim.commit();
        return SENT;
    }

    /**
     * Tell a relay worker that the session behind a client address ended, so it can forget the flow.
     *
     * @param relayId  relay id.
     * @param workerId worker id.
     * @param high     client address, upper half.
     * @param low      client address, lower half.
     * @param port     client port.
     * @return {@link #SENT} or a negative status.
     */
    int closeFlow(final int relayId, final int workerId, final long high, final long low, final int port)
    {
        final ExclusivePublication publication = publication(relayId, workerId);
        if (publication == null)
        {
            return PENDING;
        }
        if (tryClaim(publication, FLOW_CLOSE_LENGTH) < 0)
        {
            return BACK_PRESSURED;
        }
        flowCloseEncoder.wrapAndApplyHeader(claim.buffer(), claim.offset(), headerEncoder)
            .addressHigh(high)
            .addressLow(low)
            .port(port)
            .family(familyOf(high, low));
        claim.commit();
        return SENT;
    }

    @Override
    public void close()
    {
        publications.values().forEach(CloseHelper::quietClose);
        publications.clear();
    }

    private ExclusivePublication publication(final int relayId, final int workerId)
    {
        final int streamId = StreamIds.relayReturn(relayId, workerId);
        final ExclusivePublication publication = publications.get(streamId);
        if (publication != null)
        {
            return publication;
        }
        final long registrationId = pendingByStream.get(streamId);
        if (registrationId == Aeron.NULL_VALUE)
        {
            pendingByStream.put(streamId, aeron.asyncAddExclusivePublication(channelOfRelay.apply(relayId), streamId));
            return null;
        }
        try
        {
            final ExclusivePublication added = aeron.getExclusivePublication(registrationId);
            if (added != null)
            {
                pendingByStream.remove(streamId);
                publications.put(streamId, added);
            }
            return added;
        }
        catch (final RegistrationException ex)
        {
            pendingByStream.remove(streamId);
            return null;
        }
    }

    private long tryClaim(final ExclusivePublication publication, final int length)
    {
        long result = publication.tryClaim(length, claim);
        if (result == Publication.ADMIN_ACTION)
        {
            result = publication.tryClaim(length, claim);
        }
        return result;
    }

    private static AddressFamily familyOf(final long high, final long low)
    {
        return dev.tandem.common.ClientAddress.isIpv4(high, low) ? AddressFamily.IPV4 : AddressFamily.IPV6;
    }
}
