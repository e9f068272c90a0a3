package dev.tandem.client;

/**
 * Why a client call ended; {@link CallStats#endDetail()} adds the particulars (HTTP status and reason, STUN error
 * code, DTLS failure).
 */
public enum EndReason
{
    /** We hung up: media stopped, DELETE sent. */
    HANGUP,
    /** The server ended the call: DTLS close_notify or RTCP BYE. */
    REMOTE_CLOSED,
    /** The offer was refused (HTTP status other than 201), or the request or the answer was unusable. */
    SIGNALING_FAILED,
    /** The server answered a connectivity check with an error response (401 for bad credentials). */
    ICE_FAILED,
    /** No connectivity check succeeded in time. */
    ICE_TIMEOUT,
    /** Consent checks went unanswered for the consent timeout (RFC 7675). */
    CONSENT_LOST,
    /** The DTLS handshake failed or the connection failed with an alert. */
    DTLS_FAILED,
    /** The call's UDP socket failed. */
    SOCKET_ERROR,
    /** The client was closed with the call still running. */
    CLIENT_CLOSED
}
