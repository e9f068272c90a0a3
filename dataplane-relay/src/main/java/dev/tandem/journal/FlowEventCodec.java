package dev.tandem.journal;

import dev.tandem.common.ClientAddress;
import dev.tandem.route.RouteToken;
import dev.tandem.sbe.AddressFamily;
import dev.tandem.sbe.FlowEventDecoder;
import dev.tandem.sbe.FlowEventEncoder;
import dev.tandem.sbe.FlowEventType;
import dev.tandem.sbe.MessageHeaderDecoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes and validates one journal entry, an SBE {@code FlowEvent} with its message header (layout in the package
 * documentation). Allocation-free; one per thread.
 */
final class FlowEventCodec
{
    /** Bytes of one entry. */
    static final int ENTRY_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + FlowEventEncoder.BLOCK_LENGTH;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final FlowEventEncoder encoder = new FlowEventEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final FlowEventDecoder decoder = new FlowEventDecoder();

    /**
     * @return {@link #ENTRY_LENGTH}, written at {@code offset}.
     */
    int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final long timeEpochNs,
        final long high,
        final long low,
        final int port,
        final long route,
        final int socketIndex,
        final int relayId,
        final int workerId)
    {
        encoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .timeEpochNs(timeEpochNs)
            .eventType(eventType(type))
            .addressHigh(high)
            .addressLow(low)
            .port(port)
            .family(ClientAddress.isIpv4(high, low) ? AddressFamily.IPV4 : AddressFamily.IPV6)
            .relayId(relayId)
            .workerId(workerId)
            .clusterId(RouteToken.clusterId(route))
            .transceiverId(RouteToken.transceiverId(route))
            .shardId(RouteToken.shardId(route))
            .keyId((short)RouteToken.keyId(route))
            .socketIndex((short)socketIndex);
        return ENTRY_LENGTH;
    }

    /**
     * Validate and decode an entry: the header names a FlowEvent of this schema with a block at least as long as
     * this version's and within the entry, the event type and family are known, the family matches the address,
     * and the time is positive.
     *
     * @return true when well-formed (then {@code entry} holds it; its index is left alone).
     */
    boolean decode(final DirectBuffer buffer, final int offset, final int length, final JournalEntry entry)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return false;
        }
        headerDecoder.wrap(buffer, offset);
        final int blockLength = headerDecoder.blockLength();
        if (headerDecoder.schemaId() != FlowEventDecoder.SCHEMA_ID ||
            headerDecoder.templateId() != FlowEventDecoder.TEMPLATE_ID ||
            blockLength < FlowEventDecoder.BLOCK_LENGTH || MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            return false;
        }
        decoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, headerDecoder.version());
        final int type = decoder.eventTypeRaw();
        final long high = decoder.addressHigh();
        final long low = decoder.addressLow();
        final int family = decoder.familyRaw();
        final long timeEpochNs = decoder.timeEpochNs();
        final boolean ipv4 = ClientAddress.isIpv4(high, low);
        if (type < JournalEntry.OPENED || type > JournalEntry.CLOSED || timeEpochNs <= 0 ||
            (ipv4 ? family != AddressFamily.IPV4.value() : family != AddressFamily.IPV6.value()))
        {
            return false;
        }
        entry.type = type;
        entry.timeEpochNs = timeEpochNs;
        entry.high = high;
        entry.low = low;
        entry.port = decoder.port();
        entry.relayId = decoder.relayId();
        entry.workerId = decoder.workerId();
        entry.route = RouteToken.route(
            decoder.keyId(), decoder.clusterId(), decoder.transceiverId(), decoder.shardId());
        entry.socketIndex = decoder.socketIndex();
        return true;
    }

    private static FlowEventType eventType(final int type)
    {
        switch (type)
        {
            case JournalEntry.OPENED:
                return FlowEventType.OPENED;
            case JournalEntry.REFRESHED:
                return FlowEventType.REFRESHED;
            case JournalEntry.CLOSED:
                return FlowEventType.CLOSED;
            default:
                throw new IllegalArgumentException("not an entry type: " + type);
        }
    }
}
