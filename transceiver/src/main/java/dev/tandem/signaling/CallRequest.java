package dev.tandem.signaling;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who asked for a call and how, for the session layer to log, limit and pass to the backend.
 *
 * @param remoteAddress the HTTP client's address (a proxy's, when there is one in front).
 * @param userAgent     the User-Agent header, or empty.
 * @param sessionJson   the {@code session} part of a multipart offer as opaque JSON text, or null when absent.
 * @param route         which API the offer came through.
 */
public record CallRequest(InetSocketAddress remoteAddress, String userAgent, String sessionJson, Route route)
{
    /**
     * @param remoteAddress the HTTP client's address.
     * @param userAgent     the User-Agent header, or empty.
     * @param sessionJson   the session JSON, or null.
     * @param route         which API.
     */
    public CallRequest
    {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(route, "route");
        userAgent = userAgent == null ? "" : userAgent;
    }

    /**
     * The APIs that create calls.
     */
    public enum Route
    {
        /** {@code POST /v1/realtime/calls}, the OpenAI Realtime WebRTC shape. */
        REALTIME("/v1/realtime/calls"),
        /** {@code POST /whip}, RFC 9725. */
        WHIP("/whip");

        private final String path;

        Route(final String path)
        {
            this.path = path;
        }

        /**
         * @return the path that creates calls, e.g. {@code /whip}.
         */
        public String path()
        {
            return path;
        }

        /**
         * @param callId a call id.
         * @return the call's resource path, e.g. {@code /whip/abc}: the Location of the 201 and the DELETE target.
         */
        public String resourcePath(final String callId)
        {
            return path + '/' + callId;
        }
    }
}
