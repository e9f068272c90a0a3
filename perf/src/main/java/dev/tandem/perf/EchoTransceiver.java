package dev.tandem.perf;

import dev.tandem.common.StreamIds;
import dev.tandem.sbe.AddressFamily;
import dev.tandem.sbe.EgressEncoder;
import dev.tandem.sbe.IngressDecoder;
import dev.tandem.sbe.MessageHeaderDecoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;

/**
 * Benchmark stand-in for a transceiver: every {@code Ingress} it polls goes straight back as {@code Egress} to the
 * return stream of the relay worker that forwarded it, payload unchanged. Allocation-free per message (after the
 * first message from each worker, whose publication is added then).
 */
final class EchoTransceiver implements Agent, FragmentHandler
{
    private static final int FRAGMENTS_PER_CYCLE = 64;

    private final Aeron aeron;
    private final Subscription ingress;
    private final String returnChannel;
    private final Int2ObjectHashMap<ExclusivePublication> returns = new Int2ObjectHashMap<>();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final IngressDecoder ingressDecoder = new IngressDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EgressEncoder egressEncoder = new EgressEncoder();
    private final BufferClaim claim = new BufferClaim();
    private final String roleName;

    EchoTransceiver(final Aeron aeron, final String ingressChannel, final int shard, final String returnChannel)
    {
        this.aeron = aeron;
        this.ingress = aeron.addSubscription(ingressChannel, StreamIds.transceiverIngress(shard));
        this.returnChannel = returnChannel;
        this.roleName = "echo-transceiver-" + shard;
    }

    /**
     * Add the return publication of a worker now (cold path), so the first echo does not wait for the driver.
     */
    void addReturn(final int relayId, final int workerId)
    {
        final int streamId = StreamIds.relayReturn(relayId, workerId);
        if (!returns.containsKey(streamId))
        {
            returns.put(streamId, aeron.addExclusivePublication(returnChannel, streamId));
        }
    }

    @Override
    public int doWork()
    {
        return ingress.poll(this, FRAGMENTS_PER_CYCLE);
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() != IngressDecoder.TEMPLATE_ID)
        {
            return;
        }
        ingressDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        final int streamId = StreamIds.relayReturn(ingressDecoder.relayId(), ingressDecoder.workerId());
        ExclusivePublication publication = returns.get(streamId);
        if (publication == null)
        {
            addReturn(ingressDecoder.relayId(), ingressDecoder.workerId());
            publication = returns.get(streamId);
        }
        final long high = ingressDecoder.addressHigh();
        final long low = ingressDecoder.addressLow();
        final int port = ingressDecoder.port();
        final AddressFamily family = ingressDecoder.family();
        final int payloadLength = ingressDecoder.payloadLength();
        final int payloadOffset = ingressDecoder.limit() + IngressDecoder.payloadHeaderLength();
        final int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + EgressEncoder.BLOCK_LENGTH +
            EgressEncoder.payloadHeaderLength() + payloadLength;
        if (messageLength > publication.maxPayloadLength() || (publication.tryClaim(messageLength, claim) <= 0 &&
            publication.tryClaim(messageLength, claim) <= 0))
        {
            // one retry: ADMIN_ACTION (a term rotation) is normally gone at once
            return;
        }
        egressEncoder.wrapAndApplyHeader(claim.buffer(), claim.offset(), headerEncoder)
            .addressHigh(high)
            .addressLow(low)
            .port(port)
            .family(family);
        egressEncoder.putPayload(buffer, payloadOffset, payloadLength);
        claim.commit();
    }

    @Override
    public void onClose()
    {
        returns.forEach((id, publication) -> CloseHelper.quietClose(publication));
        CloseHelper.quietClose(ingress);
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
