package dev.tandem.backend;

import dev.tandem.sbe.AudioFrameEncoder;
import dev.tandem.sbe.BackendEventEncoder;
import dev.tandem.sbe.CloseReason;
import dev.tandem.sbe.Codec;
import dev.tandem.sbe.MessageHeaderEncoder;
import dev.tandem.sbe.SessionClosedEncoder;
import dev.tandem.sbe.SessionOpenedEncoder;
import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * What a transceiver shard sends its backend, SBE-encoded in place with {@code tryClaim} on the shard's to-backend
 * publication ({@code StreamIds.toBackend(shard)}). Never blocks: a message that cannot be published is dropped and
 * counted by reason in {@link BackendCounters}, and the method returns false (audio frames are simply lost; a
 * caller may retry a control message on its next duty cycle). One thread uses a proxy.
 */
public final class BackendProxy
{
    private final MessagePublisher publisher;
    private final BackendCounters counters;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SessionOpenedEncoder sessionOpenedEncoder = new SessionOpenedEncoder();
    private final AudioFrameEncoder audioFrameEncoder = new AudioFrameEncoder();
    private final SessionClosedEncoder sessionClosedEncoder = new SessionClosedEncoder();
    private final BackendEventEncoder eventEncoder = new BackendEventEncoder();

    /**
     * @param publication the shard's to-backend publication (exclusive: one writer).
     * @param counters    where sends and drops are counted.
     */
    public BackendProxy(final Publication publication, final BackendCounters counters)
    {
        this.publisher = new MessagePublisher(publication, counters);
        this.counters = counters;
    }

    /**
     * @param payloadLength audio payload length.
     * @return the encoded length of an AudioFrame message carrying it.
     */
    public static int audioFrameLength(final int payloadLength)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + AudioFrameEncoder.BLOCK_LENGTH +
            AudioFrameEncoder.payloadHeaderLength() + payloadLength;
    }

    /**
     * Media is flowing (cold path: the client info is encoded from a string).
     *
     * @param sessionId       the session.
     * @param timeNs          now.
     * @param codec           negotiated codec.
     * @param payloadType     its RTP payload type.
     * @param clockRate       its RTP clock rate.
     * @param channels        channel count.
     * @param frameDurationUs frame duration the client sends.
     * @param clientInfo      client address and user agent, for the backend's logs.
     * @return true when published.
     */
    public boolean sessionOpened(
        final long sessionId,
        final long timeNs,
        final Codec codec,
        final int payloadType,
        final int clockRate,
        final int channels,
        final int frameDurationUs,
        final String clientInfo)
    {
        final byte[] info = clientInfo == null ? new byte[0] : clientInfo.getBytes(StandardCharsets.UTF_8);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + SessionOpenedEncoder.BLOCK_LENGTH +
            SessionOpenedEncoder.clientInfoHeaderLength() + Math.min(info.length, 0xFFFE);
        final MutableDirectBuffer scratch = publisher.scratch();
        sessionOpenedEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .sessionId(sessionId)
            .timeNs(timeNs)
            .codec(codec)
            .payloadType((short)payloadType)
            .clockRate(clockRate)
            .channels((short)channels)
            .frameDurationUs(frameDurationUs)
            .putClientInfo(info, 0, Math.min(info.length, 0xFFFE));
        return publisher.offer(length, counters.messagesSent());
    }

    /**
     * One inbound audio frame, released in order by the session's jitter buffer.
     *
     * @param sessionId       the session.
     * @param sequence        extended RTP sequence number.
     * @param rtpTimestamp    extended RTP timestamp.
     * @param timeNs          receive time.
     * @param frameDurationUs frame duration.
     * @param payload         holds the encoded audio.
     * @param offset          where it starts.
     * @param length          its length.
     * @return true when published.
     */
    public boolean audioFrame(
        final long sessionId,
        final long sequence,
        final long rtpTimestamp,
        final long timeNs,
        final int frameDurationUs,
        final byte[] payload,
        final int offset,
        final int length)
    {
        final int claimOffset = publisher.claim(audioFrameLength(length));
        if (claimOffset < 0)
        {
            return false;
        }
        encodeAudioFrame(claimOffset, sessionId, sequence, rtpTimestamp, timeNs, frameDurationUs)
            .putPayload(payload, offset, length);
        publisher.commit(counters.framesSent());
        return true;
    }

    /**
     * One inbound audio frame from a direct buffer.
     *
     * @param sessionId       the session.
     * @param sequence        extended RTP sequence number.
     * @param rtpTimestamp    extended RTP timestamp.
     * @param timeNs          receive time.
     * @param frameDurationUs frame duration.
     * @param payload         holds the encoded audio.
     * @param offset          where it starts.
     * @param length          its length.
     * @return true when published.
     */
    public boolean audioFrame(
        final long sessionId,
        final long sequence,
        final long rtpTimestamp,
        final long timeNs,
        final int frameDurationUs,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final int claimOffset = publisher.claim(audioFrameLength(length));
        if (claimOffset < 0)
        {
            return false;
        }
        encodeAudioFrame(claimOffset, sessionId, sequence, rtpTimestamp, timeNs, frameDurationUs)
            .putPayload(payload, offset, length);
        publisher.commit(counters.framesSent());
        return true;
    }

    private AudioFrameEncoder encodeAudioFrame(
        final int claimOffset,
        final long sessionId,
        final long sequence,
        final long rtpTimestamp,
        final long timeNs,
        final int frameDurationUs)
    {
        return audioFrameEncoder.wrapAndApplyHeader(publisher.claimBuffer(), claimOffset, headerEncoder)
            .sessionId(sessionId)
            .sequence(sequence)
            .rtpTimestamp(rtpTimestamp)
            .timeNs(timeNs)
            .frameDurationUs(frameDurationUs);
    }

    /**
     * The session ended; nothing more will arrive for it.
     *
     * @param sessionId the session.
     * @param timeNs    now.
     * @param reason    why.
     * @return true when published.
     */
    public boolean sessionClosed(final long sessionId, final long timeNs, final CloseReason reason)
    {
        final int claimOffset =
            publisher.claim(MessageHeaderEncoder.ENCODED_LENGTH + SessionClosedEncoder.BLOCK_LENGTH);
        if (claimOffset < 0)
        {
            return false;
        }
        sessionClosedEncoder.wrapAndApplyHeader(publisher.claimBuffer(), claimOffset, headerEncoder)
            .sessionId(sessionId)
            .timeNs(timeNs)
            .reason(reason);
        publisher.commit(counters.messagesSent());
        return true;
    }

    /**
     * An application event for the backend (UTF-8 JSON, e.g. from the client's data channel).
     *
     * @param sessionId the session.
     * @param timeNs    now.
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
