package dev.tandem.dtls;

/**
 * Why a DTLS endpoint failed: the reason of a {@link DtlsEndpoint.EventHandler#onFailed} event, and a counter label.
 */
public enum DtlsFailure
{
    /** The handshake did not complete within the configured handshake timeout (the peer went silent). */
    TIMEOUT,
    /** The peer's certificate does not match the {@code a=fingerprint} of its SDP (RFC 8122 5, RFC 8827 6.5). */
    FINGERPRINT_MISMATCH,
    /** The client sent no certificate, but WebRTC authenticates both sides (RFC 8827 6.5). */
    CERTIFICATE_REQUIRED,
    /** The peer did not offer the extended master secret extension (RFC 7627 5.2), which Tandem requires. */
    EXTENDED_MASTER_SECRET_REQUIRED,
    /** No common SRTP protection profile in {@code use_srtp} (RFC 5764 4.1.3). */
    NO_SRTP_PROFILE,
    /** The peer sent a fatal alert. */
    ALERT_RECEIVED,
    /** The peer sent something the protocol forbids, or no common cipher suite, version or group. */
    PROTOCOL_ERROR,
    /** The peer sent close_notify before the handshake completed. */
    CLOSED,
    /** The handshake executor was full or shut down, so the handshake never ran. */
    REJECTED,
    /** A bug or an unexpected exception on our side. */
    INTERNAL_ERROR
}
