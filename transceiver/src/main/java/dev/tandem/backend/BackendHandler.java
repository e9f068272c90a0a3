package dev.tandem.backend;

import org.agrona.DirectBuffer;

/**
 * What the transceiver receives from its backend, dispatched by {@link BackendAdapter}. Buffers are valid only
 * during the call.
 */
public interface BackendHandler
{
    /**
     * An encoded audio frame to queue for the session's outbound pacer.
     *
     * @param sessionId       the session.
     * @param sequence        the backend's own frame count.
     * @param timeNs          the backend's send time.
     * @param frameDurationUs frame duration.
     * @param buffer          holds the payload.
     * @param offset          where it starts.
     * @param length          its length.
     */
    void onAudioFrame(
        long sessionId, long sequence, long timeNs, int frameDurationUs, DirectBuffer buffer, int offset, int length);

    /**
     * Barge-in: drop every queued outbound frame of the session.
     *
     * @param sessionId the session.
     */
    void onClearAudio(long sessionId);

    /**
     * The backend ends the session.
     *
     * @param sessionId the session.
     */
    void onCloseSession(long sessionId);

    /**
     * An application event (UTF-8 JSON) for the client.
     *
     * @param sessionId the session.
     * @param timeNs    the backend's time.
     * @param buffer    holds the body.
     * @param offset    where it starts.
     * @param length    its length.
     */
    void onEvent(long sessionId, long timeNs, DirectBuffer buffer, int offset, int length);
}
