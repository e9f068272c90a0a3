package dev.tandem.backend;

import dev.tandem.sbe.AudioFrameEncoder;
import dev.tandem.sbe.BackendEventEncoder;
import dev.tandem.sbe.ClearAudioEncoder;
import dev.tandem.sbe.CloseSessionEncoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import io.aeron.Publication;
import org.agrona.DirectBuffer;

/**
 * What a backend sends a transceiver shard, SBE-encoded in place with {@code tryClaim} on the shard's from-backend
 * publication ({@code StreamIds.fromBackend(shard)}): audio frames to pace out, clear-audio (barge-in), close, and
 * events. Never blocks: what cannot be published is dropped, counted, and reported by a false return. One thread
 * uses a proxy.
 */
public final class TransceiverProxy
{
    private final MessagePublisher publisher;
    private final BackendCounters counters;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AudioFrameEncoder audioFrameEncoder = new AudioFrameEncoder();
    private final ClearAudioEncoder clearAudioEncoder = new ClearAudioEncoder();
    private final CloseSessionEncoder closeSessionEncoder = new CloseSessionEncoder();
    private final BackendEventEncoder eventEncoder = new BackendEventEncoder();

    /**
     * @param publication the shard's from-backend publication.
     * @param counters    where sends and drops are counted.
     */
    public TransceiverProxy(final Publication publication, final BackendCounters counters)
    {
        this.publisher = new MessagePublisher(publication, counters);
        this.counters = counters;
    }

    /**
     * One outbound audio frame, for the session's pacer.
     *
     * @param sessionId       the session.
     * @param sequence        the backend's own frame count.
     * @param timeNs          the backend's send time.
     * @param frameDurationUs frame duration.
     * @param payload         holds the encoded audio.
     * @param offset          where it starts.
     * @param length          its length.
     * @return true when published.
     */
    public boolean audioFrame(
        final long sessionId,
        final long sequence,
        final long timeNs,
        final int frameDurationUs,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final int claimOffset = publisher.claim(BackendProxy.audioFrameLength(length));
        if (claimOffset < 0)
        {
            return false;
        }
        audioFrameEncoder.wrapAndApplyHeader(publisher.claimBuffer(), claimOffset, headerEncoder)
            .sessionId(sessionId)
            .sequence(sequence)
            .rtpTimestamp(0)
            .timeNs(timeNs)
            .frameDurationUs(frameDurationUs)
            .putPayload(payload, offset, length);
        publisher.commit(counters.framesSent());
        return true;
    }

    /**
     * One outbound audio frame from an array.
     *
     * @param sessionId       the session.
     * @param sequence        the backend's own frame count.
     * @param timeNs          the backend's send time.
     * @param frameDurationUs frame duration.
     * @param payload         holds the encoded audio.
     * @param offset          where it starts.
     * @param length          its length.
     * @return true when published.
     */
    public boolean audioFrame(
        final long sessionId,
        final long sequence,
        final long timeNs,
        final int frameDurationUs,
        final byte[] payload,
        final int offset,
        final int length)
    {
        final int claimOffset = publisher.claim(BackendProxy.audioFrameLength(length));
        if (claimOffset < 0)
        {
            return false;
        }
        audioFrameEncoder.wrapAndApplyHeader(publisher.claimBuffer(), claimOffset, headerEncoder)
            .sessionId(sessionId)
            .sequence(sequence)
            .rtpTimestamp(0)
            .timeNs(timeNs)
            .frameDurationUs(frameDurationUs)
            .putPayload(payload, offset, length);
        publisher.commit(counters.framesSent());
        return true;
    }

    /**
     * Barge-in: the transceiver drops every queued outbound frame of the session.
     *
     * @param sessionId the session.
     * @return true when published.
     */
    public boolean clearAudio(final long sessionId)
    {
        final int claimOffset = publisher.claim(MessageHeaderEncoder.ENCODED_LENGTH + ClearAudioEncoder.BLOCK_LENGTH);
        if (claimOffset < 0)
        {
            return false;
        }
        clearAudioEncoder.wrapAndApplyHeader(publisher.claimBuffer(), claimOffset, headerEncoder).sessionId(sessionId);
        publisher.commit(counters.messagesSent());
        return true;
    }

    /**
     * End the session.
     *
     * @param sessionId the session.
     * @return true when published.
     */
    public boolean closeSession(final long sessionId)
    {
        final int claimOffset =
            publisher.claim(MessageHeaderEncoder.ENCODED_LENGTH + CloseSessionEncoder.BLOCK_LENGTH);
        if (claimOffset < 0)
        {
            return false;
        }
        closeSessionEncoder.wrapAndApplyHeader(publisher.claimBuffer(), claimOffset, headerEncoder)
            .sessionId(sessionId);
        publisher.commit(counters.messagesSent());
        return true;
    }

    /**
     * An application event for the client (UTF-8 JSON).
     *
     * @param sessionId the session.
     * @param timeNs    the backend's time.
     * @param body      holds the UTF-8 body.
     * @param offset    where it starts.
     * @param length    its length, at most 65534.
     * @return true when published.
     */
    public boolean event(
        final long sessionId, final long timeNs, final DirectBuffer body, final int offset, final int length)
    {
        if (length > 0xFFFE)
        {
            counters.dropsTooLarge().incrementRelease();
            return false;
        }
        final int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + BackendEventEncoder.BLOCK_LENGTH +
            BackendEventEncoder.bodyHeaderLength() + length;
        eventEncoder.wrapAndApplyHeader(publisher.scratch(), 0, headerEncoder)
            .sessionId(sessionId)
            .timeNs(timeNs)
            .putBody(body, offset, length);
        return publisher.offer(messageLength, counters.messagesSent());
    }
}
