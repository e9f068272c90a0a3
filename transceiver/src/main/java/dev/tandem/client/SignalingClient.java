package dev.tandem.client;

import dev.tandem.signaling.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP side of a call: post the offer ({@code Content-Type: application/sdp}, expecting {@code 201}, a
 * {@code Location} and an {@code application/sdp} answer), and {@code DELETE} the Location to hang up. Asynchronous
 * on the JDK's {@link HttpClient}; completions run on its threads, which hand results to the client's loop.
 */
final class SignalingClient
{
    static final String APPLICATION_SDP = "application/sdp";

    private final HttpClient http;
    private final Duration requestTimeout;

    SignalingClient(final HttpClient http, final Duration requestTimeout)
    {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /**
     * @param endpoint    where to post.
     * @param offer       the SDP offer.
     * @param sessionJson a session configuration to send as the {@code session} part of {@code multipart/form-data}
     *                    beside the offer's {@code sdp} part; null posts the offer alone as {@code application/sdp}.
     * @param headers     extra request headers.
     * @return the response, with its body as text.
     */
    CompletableFuture<HttpResponse<String>> postOffer(
        final URI endpoint, final String offer, final String sessionJson, final Map<String, String> headers)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Accept", APPLICATION_SDP);
        if (sessionJson == null)
        {
            request.header("Content-Type", APPLICATION_SDP)
                .POST(HttpRequest.BodyPublishers.ofString(offer, StandardCharsets.UTF_8));
        }
        else
        {
            final String boundary = "tandem-" + Long.toHexString(System.nanoTime());
            final String body = "--" + boundary + "\r\n" +
                "Content-Disposition: form-data; name=\"sdp\"\r\n" +
                "Content-Type: application/sdp\r\n\r\n" + offer + "\r\n" +
                "--" + boundary + "\r\n" +
                "Content-Disposition: form-data; name=\"session\"\r\n" +
                "Content-Type: application/json\r\n\r\n" + sessionJson + "\r\n" +
                "--" + boundary + "--\r\n";
            request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * @param location the call's resource.
     * @param headers  extra request headers.
     * @return the status; -1 when the request failed.
     */
    CompletableFuture<Integer> delete(final URI location, final Map<String, String> headers)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(location).timeout(requestTimeout).DELETE();
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
            .handle((response, failure) -> failure != null ? -1 : response.statusCode());
    }

    /**
     * @param body an error body such as {@code {"error":{"status":503,"reason":"full",...}}}.
     * @return the reason, or null.
     */
    static String errorReason(final String body)
    {
        if (body == null)
        {
            return null;
        }
        try
        {
            final Object reason = Json.at(Json.parse(body), "error.reason");
            return reason instanceof String ? (String)reason : null;
        }
        catch (final IllegalArgumentException notJson)
        {
            return null;
        }
    }

    /**
     * @param location a call's Location, e.g. {@code /v1/realtime/calls/rtc_0123...}.
     * @return its last path segment.
     */
    static String callId(final URI location)
    {
        final String path = location.getPath();
        if (path == null || path.isEmpty())
        {
            return null;
        }
        final String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
