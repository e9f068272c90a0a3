package dev.tandem.backend;

import dev.tandem.sbe.AudioFrameDecoder;
import dev.tandem.sbe.BackendEventDecoder;
import dev.tandem.sbe.ClearAudioDecoder;
import dev.tandem.sbe.CloseSessionDecoder;
import dev.tandem.sbe.MessageHeaderDecoder;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Polls what the backend sends a transceiver shard ({@code StreamIds.fromBackend(shard)}) and dispatches it to a
 * {@link BackendHandler}: audio frames, clear-audio, close-session and events. At most {@code fragmentLimit}
 * fragments per poll, so one busy backend cannot starve the shard's other work. Short, foreign or unexpected
 * messages are counted and dropped.
 */
public final class BackendAdapter implements FragmentHandler
{
    private final Subscription subscription;
    private final BackendHandler handler;
    private final int fragmentLimit;
    private final BackendCounters counters;
    private final FragmentAssembler assembler;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AudioFrameDecoder audioFrameDecoder = new AudioFrameDecoder();
    private final ClearAudioDecoder clearAudioDecoder = new ClearAudioDecoder();
    private final CloseSessionDecoder closeSessionDecoder = new CloseSessionDecoder();
    private final BackendEventDecoder eventDecoder = new BackendEventDecoder();

    /**
     * @param subscription  the shard's from-backend subscription.
     * @param handler       receives decoded messages.
     * @param fragmentLimit most fragments per {@link #poll()}.
     * @param counters      where receives and drops are counted.
     */
    public BackendAdapter(
        final Subscription subscription,
        final BackendHandler handler,
        final int fragmentLimit,
        final BackendCounters counters)
    {
        if (fragmentLimit <= 0)
        {
            throw new IllegalArgumentException("fragmentLimit must be positive: " + fragmentLimit);
        }
        this.subscription = subscription;
        this.handler = handler;
        this.fragmentLimit = fragmentLimit;
        this.counters = counters;
        this.assembler = new FragmentAssembler(this);
    }

    /**
     * @return fragments read (at most the fragment limit).
     */
    public int poll()
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        onMessage(buffer, offset, length);
    }

    /**
     * Decode one whole message and dispatch it.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     * @return true when dispatched, false when dropped and counted.
     */
    public boolean onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int templateId = MessageDecoding.templateId(headerDecoder, buffer, offset, length);
        if (templateId == MessageDecoding.NOT_OURS)
        {
            counters.dropsMalformed().incrementRelease();
            return false;
        }
        final int blockOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int end = offset + length;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (templateId)
        {
            case AudioFrameDecoder.TEMPLATE_ID:
            {
                if (blockLength < AudioFrameDecoder.BLOCK_LENGTH ||
                    !MessageDecoding.varDataFits(buffer, blockOffset + blockLength, end))
                {
                    break;
                }
                final AudioFrameDecoder frame = audioFrameDecoder.wrap(buffer, blockOffset, blockLength, version);
                final int payloadLength = frame.payloadLength();
                counters.framesReceived().incrementRelease();
                handler.onAudioFrame(
                    frame.sessionId(),
                    frame.sequence(),
                    frame.timeNs(),
                    (int)frame.frameDurationUs(),
                    buffer,
                    frame.limit() + AudioFrameDecoder.payloadHeaderLength(),
                    payloadLength);
                return true;
            }
            case ClearAudioDecoder.TEMPLATE_ID:
                if (blockLength < ClearAudioDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.messagesReceived().incrementRelease();
                handler.onClearAudio(clearAudioDecoder.wrap(buffer, blockOffset, blockLength, version).sessionId());
                return true;
            case CloseSessionDecoder.TEMPLATE_ID:
                if (blockLength < CloseSessionDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                counters.messagesReceived().incrementRelease();
                handler.onCloseSession(closeSessionDecoder.wrap(buffer, blockOffset, blockLength, version).sessionId());
                return true;
            case BackendEventDecoder.TEMPLATE_ID:
            {
                if (blockLength < BackendEventDecoder.BLOCK_LENGTH ||
                    !MessageDecoding.varDataFits(buffer, blockOffset + blockLength, end))
                {
                    break;
                }
                final BackendEventDecoder event = eventDecoder.wrap(buffer, blockOffset, blockLength, version);
                counters.messagesReceived().incrementRelease();
                handler.onEvent(
                    event.sessionId(),
                    event.timeNs(),
                    buffer,
                    event.limit() + BackendEventDecoder.bodyHeaderLength(),
                    event.bodyLength());
                return true;
            }
            default:
                counters.dropsUnknownMessage().incrementRelease();
                return false;
        }
        counters.dropsMalformed().incrementRelease();
        return false;
    }
}
