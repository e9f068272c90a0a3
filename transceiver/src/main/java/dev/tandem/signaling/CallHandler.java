package dev.tandem.signaling;

import dev.tandem.sdp.SdpOffer;

/**
 * The seam between HTTP signaling and the session layer. The signaling server parses and checks the offer, then
 * asks the handler to create the call; it never touches media threads itself.
 * <p>
 * Every method is called on an HTTP thread (a small bounded pool), possibly from several at once, so
 * implementations must be thread-safe and must hand work to media threads through a queue.
 */
public interface CallHandler
{
    /**
     * Create a call for an offer that {@link dev.tandem.sdp.SdpParser} accepted. May wait briefly (bounded, well
     * inside {@code signaling.request-timeout}) for a media thread to allocate the session.
     *
     * @param offer   the parsed offer.
     * @param request who asked, and how.
     * @return the call id and our answer.
     * @throws CallRejectedException to refuse the call with an HTTP status, e.g. 503 when full or draining.
     */
    CallAnswer createCall(SdpOffer offer, CallRequest request) throws CallRejectedException;

    /**
     * End a call (HTTP DELETE on its resource).
     *
     * @param callId the id {@link #createCall} returned.
     * @return true when the call existed and is now ending, false when the id is unknown (the server answers 404).
     */
    boolean endCall(String callId);

    /**
     * @return true when new calls are welcome; false while draining (the server then answers 503 and /readyz
     * fails, so a load balancer stops sending new calls here).
     */
    boolean isReady();

    /**
     * Append the session layer's metrics, as Prometheus text exposition format lines, to a /metrics response.
     *
     * @param out where to append.
     */
    void renderMetrics(StringBuilder out);

    /**
     * Start draining ({@code POST /admin/drain}): refuse new calls, keep existing ones until they end or a deadline
     * passes. Idempotent.
     *
     * @return a short JSON object describing the drain, or null when this handler cannot drain (501).
     */
    default String drain()
    {
        return null;
    }
}
