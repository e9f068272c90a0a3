package dev.tandem.client;

/**
 * Moments in a call's setup and life whose times {@link CallStats} records ({@link System#nanoTime()} values).
 */
public enum CallStage
{
    /** The offer was handed to the HTTP client. */
    OFFER_SENT,
    /** The 201 answer arrived. */
    ANSWER_RECEIVED,
    /** The first authenticated ICE success response arrived. */
    ICE_CONNECTED,
    /** The DTLS handshake completed and SRTP keys are out. */
    DTLS_CONNECTED,
    /** The first frame of ours came back. */
    FIRST_ECHO,
    /** The call ended. */
    ENDED
}
