package dev.tandem.backend;

import dev.tandem.sbe.AudioFrameDecoder;
import dev.tandem.sbe.BackendEventDecoder;
import dev.tandem.sbe.MessageHeaderDecoder;
import dev.tandem.sbe.SessionClosedDecoder;
import dev.tandem.sbe.SessionOpenedDecoder;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Polls what a transceiver shard sends its backend ({@code StreamIds.toBackend(shard)}) and dispatches it to a
 * {@link TransceiverHandler}: session opened, audio frames, session closed and events. At most
 * {@code fragmentLimit} fragments per poll. Short, foreign or unexpected messages are counted and dropped.
 */
public final class TransceiverAdapter implements FragmentHandler
{
    private final Subscription subscription;
    private final TransceiverHandler handler;
    private final int fragmentLimit;
    private final BackendCounters counters;
    private final FragmentAssembler assembler;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SessionOpenedDecoder sessionOpenedDecoder = new SessionOpenedDecoder();
    private final AudioFrameDecoder audioFrameDecoder = new AudioFrameDecoder();
    private final SessionClosedDecoder sessionClosedDecoder = new SessionClosedDecoder();
    private final BackendEventDecoder eventDecoder = new BackendEventDecoder();

    /**
     * @param subscription  the shard's to-backend subscription.
     * @param handler       receives decoded messages.
     * @param fragmentLimit most fragments per {@link #poll()}.
     * @param counters      where receives and drops are counted.
     */
    public TransceiverAdapter(
        final Subscription subscription,
        final TransceiverHandler handler,
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
     * @return the subscription polled.
     */
    public Subscription subscription()
    {
        return subscription;
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
                counters.framesReceived().incrementRelease();
                handler.onAudioFrame(
                    frame.sessionId(),
                    frame.sequence(),
                    frame.rtpTimestamp(),
                    frame.timeNs(),
                    (int)frame.frameDurationUs(),
                    buffer,
                    frame.limit() + AudioFrameDecoder.payloadHeaderLength(),
                    frame.payloadLength());
                return true;
            }
            case SessionOpenedDecoder.TEMPLATE_ID:
            {
                if (blockLength < SessionOpenedDecoder.BLOCK_LENGTH ||
                    !MessageDecoding.varDataFits(buffer, blockOffset + blockLength, end))
                {
                    break;
                }
                final SessionOpenedDecoder opened =
                    sessionOpenedDecoder.wrap(buffer, blockOffset, blockLength, version);
                counters.messagesReceived().incrementRelease();
                handler.onSessionOpened(
                    opened.sessionId(),
                    opened.timeNs(),
                    opened.codec(),
                    opened.payloadType(),
                    (int)opened.clockRate(),
                    opened.channels(),
                    (int)opened.frameDurationUs(),
                    buffer,
                    opened.limit() + SessionOpenedDecoder.clientInfoHeaderLength(),
                    opened.clientInfoLength());
                return true;
            }
            case SessionClosedDecoder.TEMPLATE_ID:
            {
                if (blockLength < SessionClosedDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final SessionClosedDecoder closed =
                    sessionClosedDecoder.wrap(buffer, blockOffset, blockLength, version);
                counters.messagesReceived().incrementRelease();
                handler.onSessionClosed(closed.sessionId(), closed.timeNs(), closed.reason());
                return true;
            }
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
