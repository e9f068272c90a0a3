package dev.tandem.backend;

import dev.tandem.sbe.CloseReason;
import dev.tandem.sbe.Codec;
import org.agrona.DirectBuffer;

/**
 * What a backend receives from a transceiver shard, dispatched by {@link TransceiverAdapter}. Buffers are valid
 * only during the call.
 */
public interface TransceiverHandler
{
    /**
     * Media is flowing: the backend may start listening and speaking.
     *
     * @param sessionId       the session.
     * @param timeNs          transceiver time.
     * @param codec           the negotiated codec.
     * @param payloadType     its RTP payload type.
     * @param clockRate       its RTP clock rate.
     * @param channels        channel count.
     * @param frameDurationUs frame duration the client sends.
     * @param clientInfo      holds UTF-8 client address and user agent, for logs.
     * @param offset          where it starts.
     * @param length          its length.
     */
    void onSessionOpened(
        long sessionId,
        long timeNs,
        Codec codec,
        int payloadType,
        int clockRate,
        int channels,
        int frameDurationUs,
        DirectBuffer clientInfo,
        int offset,
        int length);

    /**
     * One inbound audio frame, in order and de-duplicated.
     *
     * @param sessionId       the session.
     * @param sequence        extended RTP sequence number.
     * @param rtpTimestamp    extended RTP timestamp.
     * @param timeNs          receive time.
     * @param frameDurationUs frame duration.
     * @param buffer          holds the payload.
     * @param offset          where it starts.
     * @param length          its length.
     */
    void onAudioFrame(
        long sessionId,
        long sequence,
        long rtpTimestamp,
        long timeNs,
        int frameDurationUs,
        DirectBuffer buffer,
        int offset,
        int length);

    /**
     * The session ended; nothing more arrives for it.
     *
     * @param sessionId the session.
     * @param timeNs    transceiver time.
     * @param reason    why.
     */
    void onSessionClosed(long sessionId, long timeNs, CloseReason reason);

    /**
     * An application event (UTF-8 JSON) from the client side.
     *
     * @param sessionId the session.
     * @param timeNs    transceiver time.
     * @param buffer    holds the body.
     * @param offset    where it starts.
     * @param length    its length.
     */
    void onEvent(long sessionId, long timeNs, DirectBuffer buffer, int offset, int length);
}
