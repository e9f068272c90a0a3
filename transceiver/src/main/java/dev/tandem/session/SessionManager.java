package dev.tandem.session;

import dev.tandem.common.TandemCounters;
import dev.tandem.route.RouteTokenMinter;
import dev.tandem.sbe.CloseReason;
import dev.tandem.sbe.Codec;
import dev.tandem.sdp.AudioCodec;
import dev.tandem.sdp.SdpAnswer;
import dev.tandem.sdp.SdpOffer;
import dev.tandem.signaling.CallAnswer;
import dev.tandem.signaling.CallHandler;
import dev.tandem.signaling.CallRejectedException;
import dev.tandem.signaling.CallRequest;
import dev.tandem.signaling.Json;
import io.aeron.Aeron;
import org.agrona.concurrent.NanoClock;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The signaling side of sessions ({@link CallHandler}): for each accepted offer it picks a shard with room, mints
 * the route token that becomes our ICE ufrag, draws the ICE password, SSRC and CNAME, builds the answer and hands
 * the session to the shard's agent through its command queue. It never waits for the media thread.
 */
public final class SessionManager implements CallHandler
{
    /** Prefix of call ids: {@code rtc_} and 16 hex digits of the session id. */
    public static final String CALL_ID_PREFIX = "rtc_";
    private static final char[] ICE_CHARS =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final char[] CNAME_CHARS =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int PASSWORD_LENGTH = 24;

    private final MediaAgent[] shards;
    private final AtomicInteger[] activeByShard;
    private final int maxSessionsPerShard;
    private final RouteTokenMinter minter;
    private final int clusterId;
    private final int transceiverId;
    private final byte[] certificateDigest;
    private final List<InetSocketAddress> candidates;
    private final Aeron aeron;
    private final NanoClock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, MediaAgent> owners = new ConcurrentHashMap<>();
    private final AtomicInteger nextShard = new AtomicInteger();
    private final org.agrona.concurrent.status.AtomicCounter drainingGauge;
    private volatile boolean draining;
    private volatile int retryAfterSeconds = 5;
    private volatile Runnable onDrain = () ->
    {
    };

    /**
     * @param shards              the media shards.
     * @param maxSessionsPerShard capacity of each.
     * @param minter              mints route tokens (our ufrags).
     * @param clusterId           cluster id in tokens.
     * @param transceiverId       transceiver id in tokens.
     * @param certificateDigest   SHA-256 of our DTLS certificate.
     * @param candidates          relay public addresses for the answer.
     * @param aeron               client whose counters {@code /metrics} shows.
     * @param clock               the media agents' clock.
     */
    public SessionManager(
        final MediaAgent[] shards,
        final int maxSessionsPerShard,
        final RouteTokenMinter minter,
        final int clusterId,
        final int transceiverId,
        final byte[] certificateDigest,
        final List<InetSocketAddress> candidates,
        final Aeron aeron,
        final NanoClock clock)
    {
        this.shards = shards.clone();
        this.activeByShard = new AtomicInteger[shards.length];
        for (int i = 0; i < shards.length; i++)
        {
            activeByShard[i] = new AtomicInteger();
        }
        this.maxSessionsPerShard = maxSessionsPerShard;
        this.minter = minter;
        this.clusterId = clusterId;
        this.transceiverId = transceiverId;
        this.certificateDigest = certificateDigest.clone();
        this.candidates = List.copyOf(candidates);
        this.aeron = aeron;
        this.clock = clock;
        this.drainingGauge = TandemCounters.add(aeron, TandemCounters.TRANSCEIVER_TYPE_ID,
            "tandem_transceiver_draining", "transceiver=\"" + transceiverId + "\"");
    }

    /**
     * @param onDrain run once when draining starts (from {@link #drain()}, {@code POST /admin/drain}).
     */
    public void onDrain(final Runnable onDrain)
    {
        this.onDrain = onDrain;
    }

    /**
     * A shard released a session: free its place (called on the shard's thread).
     *
     * @param sessionId the session.
     */
    public void onReleased(final long sessionId)
    {
        final MediaAgent owner = owners.remove(sessionId);
        if (owner != null)
        {
            activeByShard[owner.shardId()].decrementAndGet();
        }
    }

    @Override
    public CallAnswer createCall(final SdpOffer offer, final CallRequest request) throws CallRejectedException
    {
        if (draining)
        {
            throw CallRejectedException.draining(retryAfterSeconds);
        }
        final int shard = reserveShard();
        if (shard < 0)
        {
            throw CallRejectedException.full(retryAfterSeconds);
        }
        try
        {
            final long sessionId = newSessionId();
            final String ufrag;
            synchronized (minter)
            {
                ufrag = minter.mint(clusterId, transceiverId, shard, sessionId);
            }
            final String password = randomString(ICE_CHARS, PASSWORD_LENGTH);
            final long ssrc = 1 + (random.nextInt() & 0x7FFF_FFFEL);
            // RFC 7022: a random CNAME per session; an SDP token (RFC 8866 9), so no '/' as in ICE strings.
            final String cname = randomString(CNAME_CHARS, 16);
            final SdpAnswer answer = new SdpAnswer.Builder()
                .iceUfrag(ufrag)
                .icePwd(password)
                .fingerprintSha256(certificateDigest)
                .candidates(candidates)
                .ssrc(ssrc)
                .cname(cname)
                .sessionId(sessionId & Long.MAX_VALUE)
                .msid("tandem", "audio-" + Long.toHexString(sessionId))
                .build(offer);
            final AudioCodec codec = answer.codec();
            final String callId = callId(sessionId);
            final SessionSpec spec = new SessionSpec(
                sessionId,
                callId,
                shard,
                ufrag,
                password,
                offer.iceUfrag(),
                offer.fingerprint().attributeValue(),
                codecOf(codec),
                codec.payloadType(),
                codec.clockRateHz(),
                1,
                ssrc,
                cname,
                true,
                clientInfo(request),
                clock.nanoTime(),
                sessionConfigEvent(callId, request.sessionJson()));
            owners.put(sessionId, shards[shard]);
            if (!shards[shard].offerNewSession(spec))
            {
                owners.remove(sessionId);
                throw CallRejectedException.full(retryAfterSeconds);
            }
            return new CallAnswer(callId, answer.sdp());
        }
        catch (final CallRejectedException | RuntimeException ex)
        {
            activeByShard[shard].decrementAndGet();
            throw ex;
        }
    }

    /**
     * The backend's first event of a call that came with a session configuration (the {@code session} part of the
     * realtime calls API, already checked to be a JSON object): {@code {"type":"session.config","call_id":...,
     * "session":{...}}}.
     */
    static byte[] sessionConfigEvent(final String callId, final String sessionJson)
    {
        if (sessionJson == null)
        {
            return null;
        }
        final String event =
            "{\"type\":\"session.config\",\"call_id\":" + Json.write(callId) + ",\"session\":" + sessionJson + "}";
        return event.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean endCall(final String callId)
    {
        final long sessionId = sessionIdOf(callId);
        if (sessionId == 0)
        {
            return false;
        }
        final MediaAgent owner = owners.get(sessionId);
        return owner != null && owner.offerEndSession(sessionId, CloseReason.HANGUP);
    }

    @Override
    public boolean isReady()
    {
        return !draining;
    }

    @Override
    public void renderMetrics(final StringBuilder out)
    {
        TandemCounters.renderPrometheus(aeron.countersReader(), out);
    }

    @Override
    public String drain()
    {
        final boolean first;
        synchronized (this)
        {
            first = !draining;
            draining = true;
        }
        if (first)
        {
            drainingGauge.setRelease(1);
            onDrain.run();
        }
        return "{\"draining\":true,\"sessions\":" + activeSessions() + "}";
    }

    /**
     * End every session (the drain deadline passed, or the process stops).
     *
     * @param reason why.
     */
    public void endAll(final CloseReason reason)
    {
        for (final Map.Entry<Long, MediaAgent> entry : owners.entrySet())
        {
            entry.getValue().offerEndSession(entry.getKey(), reason);
        }
    }

    /**
     * @return sessions that are allocated and not yet released, over all shards.
     */
    public int activeSessions()
    {
        return owners.size();
    }

    /**
     * @param sessionId a session id.
     * @return its call id.
     */
    public static String callId(final long sessionId)
    {
        final String hex = Long.toHexString(sessionId);
        return CALL_ID_PREFIX + "0".repeat(16 - hex.length()) + hex;
    }

    /**
     * @param callId a call id.
     * @return its session id, or 0 when it is not one of ours.
     */
    public static long sessionIdOf(final String callId)
    {
        if (callId == null || callId.length() != CALL_ID_PREFIX.length() + 16 || !callId.startsWith(CALL_ID_PREFIX))
        {
            return 0;
        }
        try
        {
            return Long.parseUnsignedLong(callId.substring(CALL_ID_PREFIX.length()), 16);
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }

    private int reserveShard()
    {
        final int start = Math.floorMod(nextShard.getAndIncrement(), shards.length);
        for (int i = 0; i < shards.length; i++)
        {
            final int shard = (start + i) % shards.length;
            if (activeByShard[shard].incrementAndGet() <= maxSessionsPerShard)
            {
                return shard;
            }
            activeByShard[shard].decrementAndGet();
        }
        return -1;
    }

    private long newSessionId()
    {
        long id;
        do
        {
            id = random.nextLong();
        }
        while (id == 0 || owners.containsKey(id));
        return id;
    }

    private String randomString(final char[] alphabet, final int length)
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(chars);
    }

    private static Codec codecOf(final AudioCodec codec)
    {
        switch (codec.encoding())
        {
            case OPUS:
                return Codec.OPUS;
            case PCMU:
                return Codec.PCMU;
            case PCMA:
                return Codec.PCMA;
            default:
                throw new IllegalStateException("codec " + codec);
        }
    }

    private static String clientInfo(final CallRequest request)
    {
        final String address = request.remoteAddress() == null ? "?" : request.remoteAddress().toString();
        final String agent = request.userAgent() == null ? "" : " " + request.userAgent();
        final String info = address + agent;
        return info.length() > 512 ? info.substring(0, 512) : info;
    }
}
