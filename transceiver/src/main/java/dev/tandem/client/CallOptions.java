package dev.tandem.client;

import dev.tandem.signaling.CallRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What one call does: where to signal, how to send media, how patient to be. Fluent setters; the client copies the
 * options when a call starts, so one instance may start many calls. Defaults behave like a browser sending 20 ms
 * Opus frames until it hangs up.
 */
public final class CallOptions
{
    /** Which signaling API to post the offer to. */
    public enum Signaling
    {
        /** {@code POST {base}/v1/realtime/calls}, the OpenAI Realtime shape. */
        REALTIME(CallRequest.Route.REALTIME.path()),
        /** {@code POST {base}/whip}, WHIP (RFC 9725). */
        WHIP(CallRequest.Route.WHIP.path());

        private final String path;

        Signaling(final String path)
        {
            this.path = path;
        }

        /**
         * @return the path appended to the base URL.
         */
        public String path()
        {
            return path;
        }
    }

    /** How to pick the one candidate of the answer the call checks. */
    public enum CandidatePolicy
    {
        /** A loopback candidate if the answer has one, else the first of the bind address's family (or IPv4). */
        PREFER_LOOPBACK,
        /** The answer's first (most preferred) candidate. */
        FIRST
    }

    /** Default frame payload: the size of a 20 ms Opus frame at ~48 kbit/s. */
    public static final int FRAME_BYTES_DEFAULT = 120;
    /** Default frame interval: 20 ms, WebRTC's usual Opus ptime. */
    public static final long FRAME_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(20);

    URI baseUri;
    Signaling signaling = Signaling.REALTIME;
    final Map<String, String> headers = new LinkedHashMap<>();
    String sessionJson;
    int frameBytes = FRAME_BYTES_DEFAULT;
    long frameIntervalNs = FRAME_INTERVAL_DEFAULT_NS;
    long frames;
    long mediaDurationNs;
    long drainTimeoutNs = TimeUnit.SECONDS.toNanos(1);
    boolean hangupWhenDone;
    CandidatePolicy candidatePolicy = CandidatePolicy.PREFER_LOOPBACK;
    InetSocketAddress remoteAddress;
    InetAddress bindAddress;
    long iceInitialRtoNs = TimeUnit.MILLISECONDS.toNanos(50);
    long iceMaxRtoNs = TimeUnit.MILLISECONDS.toNanos(500);
    long iceTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    long consentIntervalNs = TimeUnit.SECONDS.toNanos(2);
    long consentTimeoutNs = TimeUnit.SECONDS.toNanos(30);
    boolean sendRtcp = true;
    long rtcpIntervalNs = TimeUnit.SECONDS.toNanos(1);
    FrameListener frameListener;
    String offerFingerprint;
    String icePasswordOverride;

    /**
     * @param baseUri the server, e.g. {@code http://127.0.0.1:8080}; the signaling path is appended.
     * @return this.
     */
    public CallOptions baseUri(final URI baseUri)
    {
        this.baseUri = baseUri;
        return this;
    }

    /**
     * @param baseUri the server as text.
     * @return this.
     */
    public CallOptions baseUri(final String baseUri)
    {
        return baseUri(URI.create(baseUri));
    }

    /**
     * @param signaling realtime (default) or WHIP.
     * @return this.
     */
    public CallOptions signaling(final Signaling signaling)
    {
        this.signaling = Objects.requireNonNull(signaling);
        return this;
    }

    /**
     * @param name  an extra request header for the offer and the hangup, e.g. {@code Authorization}.
     * @param value its value.
     * @return this.
     */
    public CallOptions header(final String name, final String value)
    {
        headers.put(name, value);
        return this;
    }

    /**
     * @param sessionJson a session configuration (a JSON object) to post beside the offer, as the {@code session}
     *                    part of {@code multipart/form-data} (the realtime calls API); null posts the bare offer.
     * @return this.
     */
    public CallOptions session(final String sessionJson)
    {
        this.sessionJson = sessionJson;
        return this;
    }

    /**
     * @param frameBytes RTP payload bytes per frame, at least 20 (the send time, counter and SSRC).
     * @return this.
     */
    public CallOptions frameBytes(final int frameBytes)
    {
        this.frameBytes = frameBytes;
        return this;
    }

    /**
     * @param frameIntervalNs time between frames; the RTP timestamp advances by the same time at 48 kHz.
     * @return this.
     */
    public CallOptions frameIntervalNs(final long frameIntervalNs)
    {
        this.frameIntervalNs = frameIntervalNs;
        return this;
    }

    /**
     * @param frames how many frames to send, then stop sending; 0 (default) sends until hangup (or the media
     *               duration).
     * @return this.
     */
    public CallOptions frames(final long frames)
    {
        this.frames = frames;
        return this;
    }

    /**
     * @param mediaDurationNs send for this long (rounded up to whole frames); 0 (default) sends until hangup (or the
     *                        frame count).
     * @return this.
     */
    public CallOptions mediaDurationNs(final long mediaDurationNs)
    {
        this.mediaDurationNs = mediaDurationNs;
        return this;
    }

    /**
     * @param drainTimeoutNs after the last frame, how long to wait for echoes before media counts as done.
     * @return this.
     */
    public CallOptions drainTimeoutNs(final long drainTimeoutNs)
    {
        this.drainTimeoutNs = drainTimeoutNs;
        return this;
    }

    /**
     * @param hangupWhenDone hang up by itself once media is done (all frames sent, echoes in or drain timeout).
     * @return this.
     */
    public CallOptions hangupWhenDone(final boolean hangupWhenDone)
    {
        this.hangupWhenDone = hangupWhenDone;
        return this;
    }

    /**
     * @param candidatePolicy which answer candidate to check.
     * @return this.
     */
    public CallOptions candidatePolicy(final CandidatePolicy candidatePolicy)
    {
        this.candidatePolicy = Objects.requireNonNull(candidatePolicy);
        return this;
    }

    /**
     * @param remoteAddress check this address instead of the answer's candidates (null: use the policy).
     * @return this.
     */
    public CallOptions remoteAddress(final InetSocketAddress remoteAddress)
    {
        this.remoteAddress = remoteAddress;
        return this;
    }

    /**
     * @param bindAddress the local address of the call's UDP socket (null: loopback for a loopback candidate, else
     *                    the wildcard address).
     * @return this.
     */
    public CallOptions bindAddress(final InetAddress bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    /**
     * @param initialRtoNs first retransmission timeout of a connectivity check.
     * @param maxRtoNs     the backoff doubles the timeout up to this.
     * @param timeoutNs    ICE fails when no check succeeds within this.
     * @return this.
     */
    public CallOptions iceTiming(final long initialRtoNs, final long maxRtoNs, final long timeoutNs)
    {
        this.iceInitialRtoNs = initialRtoNs;
        this.iceMaxRtoNs = maxRtoNs;
        this.iceTimeoutNs = timeoutNs;
        return this;
    }

    /**
     * @param intervalNs mean time between consent checks (RFC 7675 suggests 5 s; the default 2 s is well inside the
     *                   server's 30 s consent timeout).
     * @param timeoutNs  the call ends when no consent check succeeded for this long.
     * @return this.
     */
    public CallOptions consent(final long intervalNs, final long timeoutNs)
    {
        this.consentIntervalNs = intervalNs;
        this.consentTimeoutNs = timeoutNs;
        return this;
    }

    /**
     * @param sendRtcp   send our own RTCP reports (SR and SDES, then BYE on hangup), as browsers do.
     * @param intervalNs nominal report interval.
     * @return this.
     */
    public CallOptions rtcp(final boolean sendRtcp, final long intervalNs)
    {
        this.sendRtcp = sendRtcp;
        this.rtcpIntervalNs = intervalNs;
        return this;
    }

    /**
     * @param frameListener told of every frame received, on the client's thread (null: none).
     * @return this.
     */
    public CallOptions frameListener(final FrameListener frameListener)
    {
        this.frameListener = frameListener;
        return this;
    }

    /**
     * Test hook: advertise this {@code a=fingerprint} value in the offer instead of our certificate's, so the
     * server's fingerprint check must fail the DTLS handshake.
     *
     * @param fingerprint e.g. {@code sha-256 AB:CD:...}; null for the real one.
     * @return this.
     */
    public CallOptions offerFingerprint(final String fingerprint)
    {
        this.offerFingerprint = fingerprint;
        return this;
    }

    /**
     * Test hook: key our checks' MESSAGE-INTEGRITY with this password instead of the answer's {@code a=ice-pwd},
     * so the server must refuse them.
     *
     * @param password an ICE password; null for the answer's.
     * @return this.
     */
    public CallOptions icePasswordOverride(final String password)
    {
        this.icePasswordOverride = password;
        return this;
    }

    /**
     * @return the URL the offer is posted to.
     */
    public URI endpoint()
    {
        final String base = baseUri.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + signaling.path());
    }

    /**
     * @return the frames to send, from the count or the duration (0 when unlimited).
     */
    long framesToSend()
    {
        long count = frames;
        if (mediaDurationNs > 0)
        {
            final long byDuration = (mediaDurationNs + frameIntervalNs - 1) / frameIntervalNs;
            count = count > 0 ? Math.min(count, byDuration) : byDuration;
        }
        return count;
    }

    CallOptions copy()
    {
        final CallOptions copy = new CallOptions();
        copy.baseUri = baseUri;
        copy.signaling = signaling;
        copy.headers.putAll(headers);
        copy.sessionJson = sessionJson;
        copy.frameBytes = frameBytes;
        copy.frameIntervalNs = frameIntervalNs;
        copy.frames = frames;
        copy.mediaDurationNs = mediaDurationNs;
        copy.drainTimeoutNs = drainTimeoutNs;
        copy.hangupWhenDone = hangupWhenDone;
        copy.candidatePolicy = candidatePolicy;
        copy.remoteAddress = remoteAddress;
        copy.bindAddress = bindAddress;
        copy.iceInitialRtoNs = iceInitialRtoNs;
        copy.iceMaxRtoNs = iceMaxRtoNs;
        copy.iceTimeoutNs = iceTimeoutNs;
        copy.consentIntervalNs = consentIntervalNs;
        copy.consentTimeoutNs = consentTimeoutNs;
        copy.sendRtcp = sendRtcp;
        copy.rtcpIntervalNs = rtcpIntervalNs;
        copy.frameListener = frameListener;
        copy.offerFingerprint = offerFingerprint;
        copy.icePasswordOverride = icePasswordOverride;
        return copy;
    }

    /**
     * Check the options (cold path, when a call starts).
     *
     * @throws IllegalArgumentException naming the bad option.
     */
    void validate()
    {
        if (baseUri == null)
        {
            throw new IllegalArgumentException("baseUri is required");
        }
        final String scheme = baseUri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme))
        {
            throw new IllegalArgumentException("baseUri must be http or https: " + baseUri);
        }
        if (frameBytes < FramePayload.MIN_LENGTH || frameBytes > 1200)
        {
            throw new IllegalArgumentException("frameBytes out of range " + FramePayload.MIN_LENGTH + "..1200: " +
                frameBytes);
        }
        if (frameIntervalNs < TimeUnit.MILLISECONDS.toNanos(1) || frameIntervalNs > TimeUnit.SECONDS.toNanos(1))
        {
            throw new IllegalArgumentException("frameIntervalNs out of range 1ms..1s: " + frameIntervalNs);
        }
        if (frames < 0 || mediaDurationNs < 0 || drainTimeoutNs < 0)
        {
            throw new IllegalArgumentException("frames, mediaDurationNs and drainTimeoutNs must not be negative");
        }
        if (iceInitialRtoNs <= 0 || iceMaxRtoNs <= 0 || iceTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("ICE timing must be positive");
        }
        if (consentIntervalNs <= 0 || consentTimeoutNs <= consentIntervalNs)
        {
            throw new IllegalArgumentException("consent interval must be positive and below the consent timeout");
        }
        if (rtcpIntervalNs <= 0)
        {
            throw new IllegalArgumentException("rtcpIntervalNs must be positive");
        }
    }
}
