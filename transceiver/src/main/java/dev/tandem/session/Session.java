package dev.tandem.session;

import dev.tandem.dtls.DtlsEndpoint;
import dev.tandem.dtls.DtlsFailure;
import dev.tandem.dtls.DtlsHandshakeResult;
import dev.tandem.ice.IceLiteAgent;
import dev.tandem.ice.IceStatus;
import dev.tandem.rtp.JitterBuffer;
import dev.tandem.rtp.OutboundPacer;
import dev.tandem.rtp.RtcpReporter;
import dev.tandem.rtp.RtcpScheduler;
import dev.tandem.rtp.RtcpStatus;
import dev.tandem.rtp.RtpHeaderFlyweight;
import dev.tandem.rtp.RtpStatus;
import dev.tandem.sbe.CloseReason;
import dev.tandem.srtp.SrtpContext;
import dev.tandem.srtp.SrtpProfile;
import dev.tandem.stun.StunMessageFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * One WebRTC call on a media shard: ICE-lite, DTLS-SRTP, RTP/RTCP, the jitter buffer towards the backend and the
 * pacer from it. Owned by the shard's {@link MediaAgent} thread; every method runs there.
 * <pre>
 *   NEW --authenticated check--> CHECKED --DTLS keys--> CONNECTED --end()--> CLOSING --linger--> CLOSED
 *    \______________________ setup timeout, consent loss, DTLS failure, DELETE, backend close __/
 * </pre>
 */
final class Session implements JitterBuffer.FrameHandler, DtlsEndpoint.OutboundHandler, DtlsEndpoint.EventHandler
{
    enum State
    {
        NEW,
        CHECKED,
        CONNECTED,
        CLOSING,
        CLOSED
    }

    /** Frame duration we assume for audio (a=ptime default for Opus, PCMU and PCMA in WebRTC). */
    static final int FRAME_DURATION_US = 20_000;
    /** Largest backend event body (an SBE var-data field). */
    private static final int MAX_EVENT_BYTES = 0xFFFE;
    /** SRTP/SRTCP packets kept while the DTLS handshake event is on its way (see {@link #onMedia}). */
    static final int EARLY_MEDIA_LIMIT = 8;

    final SessionSpec spec;
    final long sessionId;
    final IceLiteAgent ice = new IceLiteAgent();
    final RtcpReporter reporter;
    final JitterBuffer jitter;
    final OutboundPacer pacer;
    final DtlsEndpoint dtls;
    private final MediaAgent shard;
    private final RtpHeaderFlyweight rtp = new RtpHeaderFlyweight();

    State state = State.NEW;
    long timerId = Long.MIN_VALUE;
    long timerDeadlineNs = Long.MAX_VALUE;
    int relayId;
    int workerId;
    boolean dtlsActive;
    boolean backendOpened;
    boolean backendOpenPending;
    boolean sessionConfigSent;
    long createdNs;
    long closingDeadlineNs;
    private SrtpContext srtpIn;
    private SrtpContext srtpOut;
    private EarlyPacket[] earlyMedia;
    private int earlyCount;

    Session(final MediaAgent shard, final SessionSpec spec, final long nowNs)
    {
        this.shard = shard;
        this.spec = spec;
        this.sessionId = spec.sessionId();
        this.createdNs = nowNs;
        final MediaAgent.Context context = shard.context();
        ice.reset(spec.localUfrag(), spec.localPassword(), spec.remoteUfrag(), context.consentTimeoutNs(), nowNs);
        reporter = new RtcpReporter(
            spec.localSsrc(),
            spec.cname().getBytes(StandardCharsets.US_ASCII),
            spec.clockRate(),
            context.epochClock(),
            new RtcpScheduler(context.rtcpIntervalNs(), context.random()),
            spec.reducedSizeRtcp());
        jitter = new JitterBuffer(context.jitterFrames(), context.maxPayloadBytes(), context.jitterMaxWaitNs(),
            context.jitterMaxWaitFrames());
        pacer = new OutboundPacer(context.pacerFrames(), context.pacerBytes(), context.maxPayloadBytes(),
            spec.clockRate(), spec.payloadType(), spec.localSsrc(), (int)(context.random().getAsDouble() * 65536),
            (long)(context.random().getAsDouble() * 4294967296.0), context.pacerDrainPercent());
        dtls = context.dtlsFactory().newServer(spec.remoteFingerprint());
    }

    /**
     * An ICE check (or other STUN) from a client address, as forwarded by a relay worker.
     */
    void onStun(
        final StunMessageFlyweight message,
        final long high,
        final long low,
        final int port,
        final int fromRelayId,
        final int fromWorkerId,
        final long nowNs)
    {
        if (state == State.CLOSING || state == State.CLOSED)
        {
            return;
        }
        final int length = ice.onStun(message, high, low, port, nowNs, shard.stunOut(), 0);
        final int status = ice.lastStatus();
        if (status != IceStatus.OK)
        {
            shard.counters().iceRefused(status);
        }
        else
        {
            shard.counters().stunChecks.incrementRelease();
            final int events = ice.lastEvents();
            if ((events & IceLiteAgent.EVENT_EVICTED) != 0)
            {
                shard.forgetAddress(this, ice.evictedHigh(), ice.evictedLow(), ice.evictedPort());
            }
            if ((events & IceLiteAgent.EVENT_NEW_ADDRESS) != 0)
            {
                shard.learnAddress(this, high, low, port);
            }
            if ((events & IceLiteAgent.EVENT_FIRST_CHECK) != 0)
            {
                state = State.CHECKED;
            }
            if (isSelected(high, low, port))
            {
                relayId = fromRelayId;
                workerId = fromWorkerId;
            }
        }
        if (length > 0)
        {
            // Answer on the path the check came by: the client sees the reply from the address it sent to.
            shard.send(fromRelayId, fromWorkerId, high, low, port, shard.stunOutArray(), 0, length);
        }
        shard.reschedule(this);
    }

    /**
     * A DTLS record from a client address that the shard mapped to this session.
     */
    void onDtls(
        final byte[] packet,
        final int offset,
        final int length,
        final long high,
        final long low,
        final int port,
        final int fromRelayId,
        final int fromWorkerId,
        final long nowNs)
    {
        if (state == State.CLOSING || state == State.CLOSED)
        {
            return;
        }
        if (!ice.isValidated(high, low, port))
        {
            // DESIGN.md: DTLS starts only from an address that passed an authenticated ICE check.
            shard.counters().dropNotValidated.incrementRelease();
            return;
        }
        notePath(high, low, port, fromRelayId, fromWorkerId);
        if (!dtls.onDatagram(packet, offset, length))
        {
            shard.counters().dropDtlsQueueFull.incrementRelease();
        }
        if (!dtlsActive)
        {
            dtlsActive = true;
            shard.activateDtls(this);
        }
    }

    /**
     * An SRTP or SRTCP packet (RFC 7983 128..191) from a client address mapped to this session.
     */
    void onMedia(
        final byte[] packet,
        final int offset,
        final int length,
        final boolean isRtcp,
        final long high,
        final long low,
        final int port,
        final int fromRelayId,
        final int fromWorkerId,
        final long nowNs)
    {
        if (state != State.CONNECTED)
        {
            if (state == State.CHECKED && dtlsActive && ice.isValidated(high, low, port))
            {
                // RFC 6347 4.2.4: the client completes on our last flight and may send SRTP at once, while our
                // worker reports the keys only after that flight left. Keep the packet and take the event now;
                // the keys replay what was kept, in order.
                if (!keepEarlyMedia(packet, offset, length, isRtcp, high, low, port, fromRelayId, fromWorkerId))
                {
                    shard.counters().dropNotConnected.incrementRelease();
                }
                pollDtls();
                return;
            }
            shard.counters().dropNotConnected.incrementRelease();
            return;
        }
        if (!ice.isValidated(high, low, port))
        {
            shard.counters().dropNotValidated.incrementRelease();
            return;
        }
        if (isRtcp)
        {
            final int plainLength = srtpIn.unprotectRtcp(packet, offset, length);
            if (plainLength < 0)
            {
                shard.counters().srtpRefused(plainLength);
                return;
            }
            notePath(high, low, port, fromRelayId, fromWorkerId);
            shard.counters().rtcpIn.incrementRelease();
            if (reporter.onRtcp(packet, offset, plainLength, nowNs) != RtcpStatus.OK)
            {
                shard.counters().dropBadRtcp.incrementRelease();
            }
            return;
        }
        final int plainLength = srtpIn.unprotectRtp(packet, offset, length);
        if (plainLength < 0)
        {
            shard.counters().srtpRefused(plainLength);
            return;
        }
        notePath(high, low, port, fromRelayId, fromWorkerId);
        if (rtp.wrap(packet, offset, plainLength) != RtpStatus.OK)
        {
            shard.counters().dropBadRtp.incrementRelease();
            return;
        }
        if (rtp.payloadType() != spec.payloadType())
        {
            // comfort noise, telephone-event and the like: not audio for the backend.
            shard.counters().dropPayloadType.incrementRelease();
            return;
        }
        reporter.onRtpReceived(rtp.ssrc(), rtp.sequenceNumber(), rtp.timestamp(), nowNs);
        final JitterBuffer.Result result = jitter.insert(rtp.sequenceNumber(), rtp.timestamp(), packet,
            rtp.payloadOffset(), rtp.payloadLength(), nowNs, this);
        if (result != JitterBuffer.Result.ACCEPTED && result != JitterBuffer.Result.RESYNCED)
        {
            shard.counters().dropJitter.incrementRelease();
        }
        shard.reschedule(this);
    }

    /**
     * A frame released in order by the jitter buffer: hand it to the backend.
     */
    @Override
    public void onFrame(
        final long sequence,
        final long rtpTimestamp,
        final long arrivalNs,
        final byte[] buffer,
        final int offset,
        final int length)
    {
        if (shard.backend().audioFrame(
            sessionId, sequence, rtpTimestamp, arrivalNs, FRAME_DURATION_US, buffer, offset, length))
        {
            shard.counters().framesToBackend.incrementRelease();
        }
    }

    /**
     * An audio frame from the backend: queue it for pacing.
     */
    void onBackendFrame(
        final DirectBuffer buffer, final int offset, final int length, final int frameDurationUs, final long nowNs)
    {
        if (state != State.CONNECTED)
        {
            return;
        }
        shard.counters().framesFromBackend.incrementRelease();
        if (!pacer.enqueue(buffer, offset, length, frameDurationUs > 0 ? frameDurationUs : FRAME_DURATION_US, nowNs))
        {
            shard.counters().dropPacerOverflow.incrementRelease();
        }
        shard.reschedule(this);
    }

    /**
     * Barge-in: drop every queued outbound frame at once.
     */
    void onClearAudio()
    {
        pacer.clear();
    }

    /**
     * Move DTLS datagrams and events along (media thread).
     *
     * @return work done.
     */
    int pollDtls()
    {
        int work = dtls.drainOutbound(this, 16);
        work += dtls.pollEvents(this, 4);
        return work;
    }

    @Override
    public void onDatagram(final byte[] buffer, final int offset, final int length)
    {
        if (ice.addressCount() > 0)
        {
            shard.send(relayId, workerId, ice.selectedHigh(), ice.selectedLow(), ice.selectedPort(),
                buffer, offset, length);
        }
    }

    @Override
    public void onHandshakeComplete(final DtlsHandshakeResult result)
    {
        final long nowNs = shard.nowNs();
        final SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
        // We are the DTLS server (a=setup:passive): the client writes with the client keys (RFC 5764 4.2).
        srtpIn = new SrtpContext(profile, result.clientWriteKey(), result.clientWriteSalt());
        srtpOut = new SrtpContext(profile, result.serverWriteKey(), result.serverWriteSalt());
        state = State.CONNECTED;
        shard.counters().dtlsHandshakes.incrementRelease();
        shard.counters().sessionsConnected.incrementRelease();
        shard.counters().setupNsTotal.getAndAddRelease(nowNs - createdNs);
        reporter.start(nowNs);
        openBackend(nowNs);
        shard.onConnected(this);
        replayEarlyMedia(nowNs);
        shard.reschedule(this);
    }

    @Override
    public void onClosed()
    {
        shard.end(this, CloseReason.DTLS_CLOSED);
    }

    @Override
    public void onFailed(final DtlsFailure reason, final String detail)
    {
        shard.end(this, reason == DtlsFailure.FINGERPRINT_MISMATCH ?
            CloseReason.FINGERPRINT_MISMATCH : CloseReason.DTLS_FAILED);
        shard.onDtlsFailure(this, reason, detail);
    }

    /**
     * Timers: consent, setup, jitter buffer gaps, pacing and RTCP.
     */
    void onTimer(final long nowNs)
    {
        if (state == State.CLOSING)
        {
            if (nowNs - closingDeadlineNs >= 0)
            {
                shard.release(this);
            }
            return;
        }
        if (ice.isConsentExpired(nowNs))
        {
            shard.end(this, CloseReason.CONSENT_EXPIRED);
            return;
        }
        if (state != State.CONNECTED)
        {
            if (nowNs - (createdNs + shard.context().setupTimeoutNs()) >= 0)
            {
                shard.end(this, CloseReason.SETUP_TIMEOUT);
            }
            return;
        }
        if (backendOpenPending)
        {
            openBackend(nowNs);
        }
        jitter.poll(nowNs, this);
        sendPaced(nowNs);
        sendRtcp(nowNs);
    }

    /**
     * @return the earliest time this session needs {@link #onTimer}.
     */
    long nextDeadlineNs()
    {
        if (state == State.CLOSING)
        {
            return closingDeadlineNs;
        }
        long deadline = ice.consentDeadlineNs();
        if (state != State.CONNECTED)
        {
            return Math.min(deadline, createdNs + shard.context().setupTimeoutNs());
        }
        deadline = Math.min(deadline, jitter.deadlineNs());
        deadline = Math.min(deadline, pacer.deadlineNs());
        deadline = Math.min(deadline, reporter.deadlineNs());
        if (backendOpenPending)
        {
            deadline = Math.min(deadline, shard.nowNs() + 1_000_000);
        }
        return deadline;
    }

    /**
     * Start ending the session: tell the backend, say goodbye in RTCP, close DTLS, then linger briefly so the
     * close_notify can leave before everything is released.
     */
    void beginClose(final CloseReason reason, final long nowNs, final long lingerNs)
    {
        if (state == State.CONNECTED)
        {
            final int length = reporter.writeBye(nowNs, shard.mediaOutArray(), 0, shard.mediaOutArray().length -
                SrtpContext.MAX_TRAILER);
            if (length > 0)
            {
                sendRtcpPacket(length);
            }
        }
        if (backendOpened)
        {
            shard.backend().sessionClosed(sessionId, nowNs, reason);
        }
        state = State.CLOSING;
        closingDeadlineNs = nowNs + lingerNs;
        dtls.close();
    }

    boolean isSelected(final long high, final long low, final int port)
    {
        return ice.addressCount() > 0 && ice.selectedPort() == port && ice.selectedLow() == low &&
            ice.selectedHigh() == high;
    }

    private void notePath(
        final long high, final long low, final int port, final int fromRelayId, final int fromWorkerId)
    {
        if (isSelected(high, low, port))
        {
            relayId = fromRelayId;
            workerId = fromWorkerId;
        }
    }

    private boolean keepEarlyMedia(
        final byte[] packet,
        final int offset,
        final int length,
        final boolean isRtcp,
        final long high,
        final long low,
        final int port,
        final int fromRelayId,
        final int fromWorkerId)
    {
        if (earlyCount == EARLY_MEDIA_LIMIT)
        {
            return false;
        }
        if (earlyMedia == null)
        {
            // Cold: only sessions whose first SRTP beats the handshake event get these.
            earlyMedia = new EarlyPacket[EARLY_MEDIA_LIMIT];
        }
        EarlyPacket early = earlyMedia[earlyCount];
        if (early == null || early.data.length < length + MediaAgent.TAILROOM)
        {
            early = new EarlyPacket(length + MediaAgent.TAILROOM);
            earlyMedia[earlyCount] = early;
        }
        System.arraycopy(packet, offset, early.data, 0, length);
        early.length = length;
        early.isRtcp = isRtcp;
        early.high = high;
        early.low = low;
        early.port = port;
        early.relayId = fromRelayId;
        early.workerId = fromWorkerId;
        earlyCount++;
        return true;
    }

    private void replayEarlyMedia(final long nowNs)
    {
        final int count = earlyCount;
        earlyCount = 0;
        for (int i = 0; i < count; i++)
        {
            final EarlyPacket early = earlyMedia[i];
            onMedia(early.data, 0, early.length, early.isRtcp, early.high, early.low, early.port, early.relayId,
                early.workerId, nowNs);
        }
    }

    private void openBackend(final long nowNs)
    {
        if (!backendOpened)
        {
            backendOpened = shard.backend().sessionOpened(sessionId, nowNs, spec.codec(), spec.payloadType(),
                spec.clockRate(), spec.channels(), FRAME_DURATION_US, spec.clientInfo());
        }
        final byte[] config = spec.sessionConfig();
        if (backendOpened && config != null && !sessionConfigSent)
        {
            // the call's session configuration follows SessionOpened; an event too large for one message (the
            // signaling server bounds it well below) is dropped and counted by the proxy rather than retried
            sessionConfigSent = shard.backend().event(sessionId, nowNs, new UnsafeBuffer(config), 0, config.length) ||
                config.length > MAX_EVENT_BYTES;
        }
        backendOpenPending = !backendOpened || (config != null && !sessionConfigSent);
    }

    private void sendPaced(final long nowNs)
    {
        final byte[] out = shard.mediaOutArray();
        final long drainedBeforeNs = pacer.drainedNs();
        int length;
        int packets = 0;
        while (packets < 8 && (length = pacer.poll(nowNs, out, 0, out.length - SrtpContext.MAX_TRAILER)) > 0)
        {
            packets++;
            final long timestamp = pacer.lastTimestamp();
            final int payloadLength = pacer.lastPayloadLength();
            final int protectedLength = srtpOut.protectRtp(out, 0, length);
            if (protectedLength < 0)
            {
                shard.counters().srtpRefused(protectedLength);
                continue;
            }
            reporter.onRtpSent(timestamp, payloadLength, nowNs);
            shard.send(relayId, workerId, ice.selectedHigh(), ice.selectedLow(), ice.selectedPort(),
                out, 0, protectedLength);
        }
        if (pacer.drainedNs() != drainedBeforeNs)
        {
            shard.counters().pacerDrainedNs.getAndAddRelease(pacer.drainedNs() - drainedBeforeNs);
        }
    }

    private void sendRtcp(final long nowNs)
    {
        final byte[] out = shard.mediaOutArray();
        final int length = reporter.poll(nowNs, out, 0, out.length - SrtpContext.MAX_TRAILER);
        if (length > 0)
        {
            sendRtcpPacket(length);
        }
    }

    private void sendRtcpPacket(final int length)
    {
        final byte[] out = shard.mediaOutArray();
        final int protectedLength = srtpOut.protectRtcp(out, 0, length);
        if (protectedLength < 0)
        {
            shard.counters().srtpRefused(protectedLength);
            return;
        }
        shard.counters().rtcpOut.incrementRelease();
        shard.send(relayId, workerId, ice.selectedHigh(), ice.selectedLow(), ice.selectedPort(),
            out, 0, protectedLength);
    }

    /**
     * An SRTP or SRTCP packet that came before the keys, with the path it came by.
     */
    private static final class EarlyPacket
    {
        final byte[] data;
        int length;
        boolean isRtcp;
        long high;
        long low;
        int port;
        int relayId;
        int workerId;

        EarlyPacket(final int capacity)
        {
            data = new byte[capacity];
        }
    }
}
