package dev.tandem.client;

/**
 * Where a client call is in its life.
 * <pre>
 *   SIGNALING --201--> CHECKING --ICE success--> HANDSHAKING --DTLS keys--> CONNECTED --hangup--> ENDING --> ENDED
 *       \_________________ failure (HTTP, ICE, DTLS, consent, socket) ______________________________________/
 * </pre>
 */
public enum CallState
{
    /** The offer is on its way; no answer yet. */
    SIGNALING,
    /** Connectivity checks go to the server's candidate. */
    CHECKING,
    /** ICE works; the DTLS handshake runs. */
    HANDSHAKING,
    /** SRTP keys are out: media flows. */
    CONNECTED,
    /** Hanging up: the DELETE is on its way, media has stopped. */
    ENDING,
    /** Over; {@link CallStats#endReason()} says why. */
    ENDED
}
