package dev.tandem.sdp;

/**
 * Why an offer cannot be answered. {@link #code()} is the stable snake_case name used in HTTP error bodies and in
 * metric labels, so it must not change once published.
 */
public enum SdpRejectReason
{
    /** The offer is longer than the configured limit. */
    TOO_LARGE("too_large"),
    /** A line does not follow the SDP grammar (RFC 8866 5) or an attribute we rely on has a bad value. */
    MALFORMED("malformed"),
    /** No usable audio m-line: none at all, all disabled (port 0), or not DTLS-SRTP. */
    NO_AUDIO("no_audio"),
    /** The audio m-line offers none of Opus/48000/2, PCMU/8000 or PCMA/8000. */
    NO_SUPPORTED_CODEC("no_supported_codec"),
    /** No a=ice-ufrag or no a=ice-pwd for the audio m-line (RFC 8839 5.4). */
    NO_ICE_CREDENTIALS("no_ice_credentials"),
    /** No a=fingerprint with sha-256 for the audio m-line (RFC 8842 5). */
    NO_SHA256_FINGERPRINT("no_sha256_fingerprint"),
    /** The audio m-line does not offer a=rtcp-mux (RFC 8829 5.1.3 makes it mandatory for WebRTC). */
    NO_RTCP_MUX("no_rtcp_mux"),
    /** a=setup is passive or holdconn: we only answer as the DTLS server (a=setup:passive, RFC 8842 5.2). */
    UNSUPPORTED_SETUP("unsupported_setup"),
    /** The peer is ICE-lite too: two lite agents never run connectivity checks (RFC 8445 2.5). */
    PEER_ICE_LITE("peer_ice_lite");

    private final String code;

    SdpRejectReason(final String code)
    {
        this.code = code;
    }

    /**
     * @return the stable snake_case reason, e.g. {@code no_audio}.
     */
    public String code()
    {
        return code;
    }
}
