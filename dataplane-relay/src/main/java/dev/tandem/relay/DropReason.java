package dev.tandem.relay;

/**
 * Why the relay dropped a datagram: each reason is a counter {@code tandem_relay_drops_total{reason="..."}}.
 */
enum DropReason
{
    /** Bigger than {@code relay.max-datagram}. */
    OVERSIZE("oversize"),
    /** Not STUN, and its source has no flow. */
    NO_FLOW("no_flow"),
    /** First byte outside STUN, DTLS and RTP/RTCP (RFC 7983). */
    UNKNOWN_KIND("unknown_kind"),
    /** Looks like STUN (first byte 0-3) but does not parse. */
    BAD_STUN("bad_stun"),
    /** STUN USERNAME whose route token does not verify. */
    BAD_TOKEN("bad_token"),
    /** STUN without USERNAME from a source with no flow. */
    STUN_NO_USERNAME("stun_no_username"),
    /** The source created flows faster than {@code relay.new-flows.rate}. */
    RATE_LIMITED("rate_limited"),
    /** The worker already holds {@code relay.flows.max} flows. */
    TABLE_FULL("table_full"),
    /** The route names no destination the directory knows. */
    UNKNOWN_DESTINATION("unknown_destination"),
    /** The destination's publication is still being added. */
    DESTINATION_PENDING("destination_pending"),
    /** The destination's publication has no subscriber. */
    NOT_CONNECTED("not_connected"),
    /** The destination's publication is back-pressured, or the socket's send buffer is full. */
    BACK_PRESSURE("back_pressure"),
    /** An Egress for a client this worker has no flow for. */
    EGRESS_NO_FLOW("egress_no_flow"),
    /** A message on the return stream that is not Egress or FlowClose, or is malformed. */
    BAD_RETURN_MESSAGE("bad_return_message");

    final String label;

    DropReason(final String label)
    {
        this.label = label;
    }
}
