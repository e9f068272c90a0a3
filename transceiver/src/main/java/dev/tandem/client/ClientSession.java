package dev.tandem.client;

import dev.tandem.dtls.DtlsEndpoint;
import dev.tandem.dtls.DtlsFailure;
import dev.tandem.dtls.DtlsHandshakeResult;
import dev.tandem.rtp.RtcpReporter;
import dev.tandem.rtp.RtcpScheduler;
import dev.tandem.rtp.RtcpStatus;
import dev.tandem.rtp.RtpDescriptor;
import dev.tandem.rtp.RtpHeaderFlyweight;
import dev.tandem.rtp.RtpStatus;
import dev.tandem.rtp.RtpWriter;
import dev.tandem.srtp.SrtpContext;
import dev.tandem.srtp.SrtpProfile;
import dev.tandem.stun.StunStatus;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The protocol state of one client call, owned by the {@link ClientLoop} thread: the UDP socket, ICE
 * ({@link IceController}), the DTLS client endpoint, SRTP both ways, the RTP sender and the receive checks, RTCP,
 * and the statistics. Every method runs on the loop thread; {@link ClientCall} is the thread-safe face.
 * <p>
 * Demultiplexing follows RFC 7983 on the first byte: 0-3 STUN, 20-63 DTLS, 128-191 RTP or RTCP (RFC 5761 4 by
 * payload type); anything else is counted and dropped.
 */
final class ClientSession implements DtlsEndpoint.OutboundHandler, DtlsEndpoint.EventHandler
{
    /** Frames whose send time is remembered for echo checks: 4096 x 20 ms = 82 s of reordering at most. */
    static final int SEND_WINDOW = 4096;
    /** Highest round-trip time recorded, in microseconds (larger values are clamped). */
    static final long HIGHEST_RTT_US = TimeUnit.SECONDS.toMicros(60);
    private static final int SEND_WINDOW_MASK = SEND_WINDOW - 1;
    private static final int READS_PER_WAKEUP = 64;
    private static final int MAX_CATCH_UP_FRAMES = 4;
    private static final long CONNECTED_DTLS_POLL_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long LINGER_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int DTLS_DRAIN_LIMIT = 16;

    long timerId = Long.MIN_VALUE;
    long timerDeadlineNs = Long.MAX_VALUE;

    final ClientCall call;
    final CallOptions options;
    final String localUfrag;
    final String localPassword;
    final long ssrc;
    final String cname;
    final String offer;
    private final WebRtcClient client;
    private final ClientLoop loop;
    private final SplittableRandom random;
    private final long framesToSend;
    private final RtpHeaderFlyweight rtp = new RtpHeaderFlyweight();
    private final long[] sentNs = new long[SEND_WINDOW];
    private final long[] seen = new long[SEND_WINDOW / 64];
    private final byte[] lastRtp = new byte[ClientLoop.MAX_DATAGRAM];
    private final Histogram rttUs = new Histogram(HIGHEST_RTT_US, 2);
    private final CallStats stats = new CallStats();

    private CallState state = CallState.SIGNALING;
    private CompletableFuture<ClientCall> answered;
    private ClientSdp.RemoteAnswer answer;
    private URI location;
    private DatagramChannel channel;
    private SelectionKey key;
    private IceController ice;
    private DtlsEndpoint dtls;
    private SrtpContext srtpIn;
    private SrtpContext srtpOut;
    private RtcpReporter reporter;
    private int payloadType;
    private int samplesPerFrame;
    private int sequence;
    private long rtpTimestamp;
    private long nextFrameNs = Long.MAX_VALUE;
    private long lastFrameSentNs;
    private long drainDeadlineNs = Long.MAX_VALUE;
    private long dtlsPollNs = Long.MAX_VALUE;
    private long lingerDeadlineNs = Long.MAX_VALUE;
    private long highestCounter = -1;
    private int lastRtpLength;
    private boolean mediaDone;
    private boolean closed;
    private boolean deleteSent;
    private boolean byeSent;

    ClientSession(final WebRtcClient client, final ClientLoop loop, final CallOptions options, final long seed)
    {
        this.client = client;
        this.loop = loop;
        this.options = options;
        this.random = new SplittableRandom(seed);
        // RFC 8445 5.3: ufrag at least 4 and password at least 22 ICE characters (Chromium: 4 and 24).
        this.localUfrag = client.iceString(8);
        this.localPassword = client.iceString(24);
        this.ssrc = 1 + (random.nextLong() & 0x7FFF_FFFEL);
        this.cname = client.iceString(16);
        this.framesToSend = options.framesToSend();
        final String fingerprint = options.offerFingerprint != null ?
            options.offerFingerprint : client.certificate().sdpFingerprint();
        this.offer = ClientSdp.offer(localUfrag, localPassword, fingerprint, ssrc, cname,
            random.nextLong() & Long.MAX_VALUE, client.iceString(12));
        this.call = new ClientCall(loop, this);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Signaling

    /**
     * The offer goes out now (any thread, before the loop knows the session).
     */
    void onOfferSent(final long nowNs, final CompletableFuture<ClientCall> answered)
    {
        this.answered = answered;
        stats.stageNs[CallStage.OFFER_SENT.ordinal()] = nowNs;
    }

    /**
     * The HTTP response to the offer, or the failure of the request.
     */
    void onAnswer(final HttpResponse<String> response, final Throwable failure)
    {
        final long nowNs = loop.nowNs();
        loop.add(this);
        if (failure != null)
        {
            end(EndReason.SIGNALING_FAILED, "offer request failed: " + rootMessage(failure), nowNs);
            return;
        }
        stats.httpStatus = response.statusCode();
        if (response.statusCode() != 201)
        {
            stats.httpReason = SignalingClient.errorReason(response.body());
            end(EndReason.SIGNALING_FAILED, "HTTP " + response.statusCode() +
                (stats.httpReason != null ? " " + stats.httpReason : ""), nowNs);
            return;
        }
        stats.stageNs[CallStage.ANSWER_RECEIVED.ordinal()] = nowNs;
        final String locationHeader = response.headers().firstValue("Location").orElse(null);
        if (locationHeader != null)
        {
            try
            {
                location = response.uri().resolve(locationHeader);
                stats.callId = SignalingClient.callId(location);
            }
            catch (final IllegalArgumentException ex)
            {
                location = null;
            }
        }
        final String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (location == null)
        {
            end(EndReason.SIGNALING_FAILED, "201 without a usable Location", nowNs);
            return;
        }
        if (!contentType.startsWith(SignalingClient.APPLICATION_SDP))
        {
            end(EndReason.SIGNALING_FAILED, "answer Content-Type is '" + contentType + "'", nowNs);
            return;
        }
        answer = ClientSdp.parseAnswer(response.body());
        if (answer.error() != null)
        {
            end(EndReason.SIGNALING_FAILED, "unusable answer: " + answer.error(), nowNs);
            return;
        }
        try
        {
            dtls = client.dtlsFactory().newClient(answer.fingerprint);
        }
        catch (final IllegalArgumentException ex)
        {
            end(EndReason.SIGNALING_FAILED, "answer fingerprint: " + ex.getMessage(), nowNs);
            return;
        }
        payloadType = answer.payloadType;
        final int clockRateHz = answer.clockRateHz > 0 ? answer.clockRateHz : 48_000;
        samplesPerFrame = (int)(clockRateHz * options.frameIntervalNs / TimeUnit.SECONDS.toNanos(1));
        if (!openSocket(nowNs))
        {
            return;
        }
        final String password = options.icePasswordOverride != null ? options.icePasswordOverride : answer.icePwd;
        ice = new IceController(answer.iceUfrag, localUfrag, password, random.nextLong(), random::nextLong,
            options.iceInitialRtoNs, options.iceMaxRtoNs, options.iceTimeoutNs, options.consentIntervalNs,
            options.consentTimeoutNs);
        ice.start(nowNs);
        setState(CallState.CHECKING);
        answered.complete(call);
        onTimer(nowNs);
        loop.schedule(this);
    }

    private boolean openSocket(final long nowNs)
    {
        final InetSocketAddress remote = chooseCandidate(answer.candidates, options);
        stats.remoteAddress = remote;
        final boolean ipv6 = remote.getAddress() instanceof Inet6Address;
        InetAddress bind = options.bindAddress;
        if (bind == null)
        {
            bind = remote.getAddress().isLoopbackAddress() ? remote.getAddress() : null;
        }
        try
        {
            channel = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(bind, 0));
            // Connected: the kernel filters other sources and read/write need no address objects.
            channel.connect(remote);
            channel.configureBlocking(false);
            key = loop.register(channel, this);
            stats.localAddress = (InetSocketAddress)channel.getLocalAddress();
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            end(EndReason.SOCKET_ERROR, "cannot open a UDP socket to " + remote + ": " + ex, nowNs);
            return false;
        }
    }

    /**
     * Pick the one candidate to check (DESIGN.md: the relay's public addresses; tests run on loopback).
     */
    static InetSocketAddress chooseCandidate(final List<InetSocketAddress> candidates, final CallOptions options)
    {
        if (options.remoteAddress != null)
        {
            return options.remoteAddress;
        }
        if (options.candidatePolicy == CallOptions.CandidatePolicy.PREFER_LOOPBACK)
        {
            for (final InetSocketAddress candidate : candidates)
            {
                if (candidate.getAddress().isLoopbackAddress())
                {
                    return candidate;
                }
            }
            final boolean wantIpv6 = options.bindAddress instanceof Inet6Address;
            for (final InetSocketAddress candidate : candidates)
            {
                if (wantIpv6 == (candidate.getAddress() instanceof Inet6Address) ||
                    (!wantIpv6 && candidate.getAddress() instanceof Inet4Address))
                {
                    return candidate;
                }
            }
        }
        return candidates.get(0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Datagrams

    void onReadable(final long nowNs)
    {
        for (int i = 0; i < READS_PER_WAKEUP && !closed; i++)
        {
            loop.rxBuffer.clear().limit(ClientLoop.MAX_DATAGRAM);
            final int length;
            try
            {
                length = channel.read(loop.rxBuffer);
            }
            catch (final IOException ex)
            {
                // ICMP port unreachable and the like: ICE retransmits, consent notices a dead path.
                stats.socketErrors++;
                break;
            }
            if (length <= 0)
            {
                break;
            }
            stats.datagramsReceived++;
            stats.bytesReceived += length;
            onDatagram(loop.rxArray, length, nowNs);
        }
        if (!closed)
        {
            loop.schedule(this);
        }
    }

    private void onDatagram(final byte[] packet, final int length, final long nowNs)
    {
        final int first = packet[0] & 0xFF;
        if (first <= 3)
        {
            onStun(length, nowNs);
        }
        else if (first >= 20 && first <= 63)
        {
            if (dtls == null || state == CallState.CHECKING || !dtls.onDatagram(packet, 0, length))
            {
                stats.datagramsIgnored++;
            }
            else
            {
                dtlsPollNs = nowNs;
            }
        }
        else if (first >= 128 && first <= 191)
        {
            if (srtpIn == null || state != CallState.CONNECTED && state != CallState.ENDING)
            {
                stats.datagramsIgnored++;
            }
            else if (RtpDescriptor.isRtcp(packet, 0, length))
            {
                onRtcp(packet, length, nowNs);
            }
            else
            {
                onRtp(packet, length, nowNs);
            }
        }
        else
        {
            stats.datagramsIgnored++;
        }
    }

    private void onStun(final int length, final long nowNs)
    {
        if (ice == null || loop.stun.wrap(loop.rxUnsafe, 0, length).validate() != StunStatus.OK)
        {
            stats.datagramsIgnored++;
            return;
        }
        final int result = ice.onMessage(loop.stun, nowNs);
        switch (result)
        {
            case IceController.CONNECTED_NOW:
                stats.stageNs[CallStage.ICE_CONNECTED.ordinal()] = nowNs;
                setState(CallState.HANDSHAKING);
                loop.pollDtlsEveryCycle(this, true);
                dtls.start();
                break;
            case IceController.ERROR:
                stats.iceErrorCode = ice.errorCode();
                end(EndReason.ICE_FAILED, "STUN error response " + ice.errorCode(), nowNs);
                break;
            case IceController.CONSENT:
                break;
            default:
                stats.datagramsIgnored++;
                break;
        }
    }

    private void onRtp(final byte[] packet, final int length, final long nowNs)
    {
        final int plainLength = srtpIn.unprotectRtp(packet, 0, length);
        if (refused(plainLength))
        {
            return;
        }
        if (rtp.wrap(packet, 0, plainLength) != RtpStatus.OK)
        {
            stats.datagramsIgnored++;
            return;
        }
        reporter.onRtpReceived(rtp.ssrc(), rtp.sequenceNumber(), rtp.timestamp(), nowNs);
        if (rtp.payloadType() != payloadType)
        {
            stats.framesOtherPayloadType++;
            return;
        }
        final int offset = rtp.payloadOffset();
        final int payloadLength = rtp.payloadLength();
        stats.framesReceived++;
        if (payloadLength < FramePayload.MIN_LENGTH)
        {
            stats.framesCorrupt++;
            return;
        }
        final long counter = FramePayload.counter(packet, offset);
        final long sendNs = FramePayload.sendNs(packet, offset);
        final long framesSent = stats.framesSent;
        final boolean known = counter >= 0 && counter < framesSent && framesSent - counter <= SEND_WINDOW;
        final int slot = (int)(counter & SEND_WINDOW_MASK);
        final boolean valid = known && sentNs[slot] == sendNs &&
            FramePayload.verify(packet, offset, payloadLength, options.frameBytes, ssrc);
        long rttNs = -1;
        if (!valid)
        {
            stats.framesCorrupt++;
        }
        else
        {
            final long bit = 1L << (slot & 63);
            if ((seen[slot >> 6] & bit) != 0)
            {
                stats.framesDuplicate++;
            }
            else
            {
                seen[slot >> 6] |= bit;
                stats.framesUnique++;
                if (counter < highestCounter)
                {
                    stats.framesOutOfOrder++;
                }
                else
                {
                    highestCounter = counter;
                }
                rttNs = nowNs - sendNs;
                final long rttUsValue = Math.min(Math.max(rttNs / 1000, 0), HIGHEST_RTT_US);
                rttUs.recordValue(rttUsValue);
                client.recordRtt(rttUsValue);
                if (stats.stageNs[CallStage.FIRST_ECHO.ordinal()] == CallStats.NOT_REACHED)
                {
                    stats.stageNs[CallStage.FIRST_ECHO.ordinal()] = nowNs;
                }
            }
        }
        final FrameListener listener = options.frameListener;
        if (listener != null)
        {
            listener.onFrame(call, counter, rttNs, valid, packet, offset, payloadLength);
        }
        checkMediaDone(nowNs);
    }

    private void onRtcp(final byte[] packet, final int length, final long nowNs)
    {
        final int plainLength = srtpIn.unprotectRtcp(packet, 0, length);
        if (refused(plainLength))
        {
            return;
        }
        stats.rtcpReceived++;
        if (reporter.onRtcp(packet, 0, plainLength, nowNs) != RtcpStatus.OK)
        {
            stats.datagramsIgnored++;
        }
        if (reporter.byeReceived() && state == CallState.CONNECTED)
        {
            end(EndReason.REMOTE_CLOSED, "RTCP BYE", nowNs);
        }
    }

    private boolean refused(final int unprotectStatus)
    {
        if (unprotectStatus >= 0)
        {
            return false;
        }
        stats.srtpRefused++;
        stats.lastSrtpStatus = unprotectStatus;
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // DTLS

    /**
     * Move DTLS flights and events along (every cycle while handshaking or lingering).
     */
    void pollDtls(final long nowNs)
    {
        if (dtls != null)
        {
            dtls.drainOutbound(this, DTLS_DRAIN_LIMIT);
            if (!closed && state != CallState.ENDED)
            {
                dtls.pollEvents(this, 4);
            }
        }
        if (closed)
        {
            loop.pollDtlsEveryCycle(this, false);
        }
        else
        {
            loop.schedule(this); // a handshake that completed starts frames and RTCP
        }
    }

    @Override
    public void onDatagram(final byte[] buffer, final int offset, final int length)
    {
        send(buffer, offset, length);
    }

    @Override
    public void onHandshakeComplete(final DtlsHandshakeResult result)
    {
        final long nowNs = loop.nowNs();
        if (state != CallState.HANDSHAKING)
        {
            return;
        }
        final SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
        // RFC 5764 4.2: we are the DTLS client (the answer said passive), so we write with the client keys.
        srtpOut = new SrtpContext(profile, result.clientWriteKey(), result.clientWriteSalt());
        srtpIn = new SrtpContext(profile, result.serverWriteKey(), result.serverWriteSalt());
        stats.srtpProfile = profile.name();
        reporter = new RtcpReporter(ssrc, cname.getBytes(StandardCharsets.US_ASCII),
            answer.clockRateHz > 0 ? answer.clockRateHz : 48_000,
            () -> System.currentTimeMillis() * 1_000_000L,
            new RtcpScheduler(options.rtcpIntervalNs, random::nextDouble), false);
        if (options.sendRtcp)
        {
            reporter.start(nowNs);
        }
        stats.stageNs[CallStage.DTLS_CONNECTED.ordinal()] = nowNs;
        loop.pollDtlsEveryCycle(this, false);
        dtlsPollNs = nowNs + CONNECTED_DTLS_POLL_NS;
        sequence = random.nextInt(1 << 16);
        rtpTimestamp = random.nextLong() & 0xFFFF_FFFFL;
        nextFrameNs = nowNs;
        setState(CallState.CONNECTED);
        call.connected.complete(call);
        onTimer(nowNs);
    }

    @Override
    public void onClosed()
    {
        if (state == CallState.ENDING)
        {
            return; // our own hangup: the server closes as it ends the call
        }
        end(EndReason.REMOTE_CLOSED, "DTLS close_notify", loop.nowNs());
    }

    @Override
    public void onFailed(final DtlsFailure reason, final String detail)
    {
        stats.dtlsFailure = reason;
        if (state == CallState.ENDING)
        {
            return;
        }
        end(EndReason.DTLS_FAILED, reason + ": " + detail, loop.nowNs());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Timers

    void onTimer(final long nowNs)
    {
        if (closed)
        {
            return;
        }
        if (state == CallState.ENDED)
        {
            if (nowNs - lingerDeadlineNs >= 0)
            {
                close(stats.endReason, stats.endDetail, nowNs);
            }
            return;
        }
        if (ice != null && state != CallState.ENDING)
        {
            final int length = ice.poll(nowNs, loop.txUnsafe, 0);
            if (length > 0)
            {
                send(loop.txArray, 0, length);
            }
            else if (ice.state() == IceController.FAILED)
            {
                if (ice.failure() == IceController.FAILURE_TIMEOUT)
                {
                    end(EndReason.ICE_TIMEOUT, "no ICE success in " +
                        TimeUnit.NANOSECONDS.toMillis(options.iceTimeoutNs) + " ms", nowNs);
                }
                else if (ice.failure() == IceController.FAILURE_CONSENT)
                {
                    end(EndReason.CONSENT_LOST, "no consent response in " +
                        TimeUnit.NANOSECONDS.toMillis(options.consentTimeoutNs) + " ms", nowNs);
                }
                return;
            }
        }
        if (state == CallState.CONNECTED)
        {
            sendFrames(nowNs);
            sendRtcp(nowNs);
            checkMediaDone(nowNs);
            if (nowNs - dtlsPollNs >= 0 && !closed)
            {
                dtls.drainOutbound(this, DTLS_DRAIN_LIMIT);
                dtls.pollEvents(this, 4);
                dtlsPollNs = nowNs + CONNECTED_DTLS_POLL_NS;
            }
        }
    }

    long nextDeadlineNs()
    {
        if (closed)
        {
            return Long.MAX_VALUE;
        }
        if (state == CallState.ENDED)
        {
            return lingerDeadlineNs;
        }
        long deadline = ice != null && state != CallState.ENDING ? ice.deadlineNs() : Long.MAX_VALUE;
        if (state == CallState.CONNECTED)
        {
            deadline = Math.min(deadline, nextFrameNs);
            deadline = Math.min(deadline, drainDeadlineNs);
            deadline = Math.min(deadline, dtlsPollNs);
            if (options.sendRtcp)
            {
                deadline = Math.min(deadline, reporter.deadlineNs());
            }
        }
        return deadline;
    }

    boolean isClosed()
    {
        return closed;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Media

    private void sendFrames(final long nowNs)
    {
        int sent = 0;
        while (nextFrameNs <= nowNs && sent < MAX_CATCH_UP_FRAMES)
        {
            sendFrame(nowNs);
            sent++;
            if (framesToSend > 0 && stats.framesSent >= framesToSend)
            {
                nextFrameNs = Long.MAX_VALUE;
                drainDeadlineNs = nowNs + options.drainTimeoutNs;
                return;
            }
            nextFrameNs += options.frameIntervalNs;
        }
        if (nextFrameNs <= nowNs)
        {
            // The loop stalled for several frames: restart the cadence at now instead of bursting (RTP timestamps
            // stay contiguous, as after a pause of the audio source).
            nextFrameNs = nowNs + options.frameIntervalNs;
        }
    }

    private void sendFrame(final long nowNs)
    {
        final byte[] out = loop.txArray;
        final long counter = stats.framesSent;
        final int payloadLength = options.frameBytes;
        // RFC 3551 4.1: the marker bit on the first packet of a talkspurt (the first of the call).
        final int headerLength = RtpWriter.writeHeader(
            out, 0, counter == 0, payloadType, sequence, rtpTimestamp, ssrc);
        FramePayload.write(out, headerLength, payloadLength, nowNs, counter, ssrc);
        final int protectedLength = srtpOut.protectRtp(out, 0, headerLength + payloadLength);
        if (protectedLength < 0)
        {
            stats.lastSrtpStatus = protectedLength;
            return;
        }
        final int slot = (int)(counter & SEND_WINDOW_MASK);
        sentNs[slot] = nowNs;
        seen[slot >> 6] &= ~(1L << (slot & 63));
        stats.framesSent = counter + 1;
        System.arraycopy(out, 0, lastRtp, 0, protectedLength);
        lastRtpLength = protectedLength;
        reporter.onRtpSent(rtpTimestamp, payloadLength, nowNs);
        sequence = (sequence + 1) & 0xFFFF;
        rtpTimestamp = (rtpTimestamp + samplesPerFrame) & 0xFFFF_FFFFL;
        lastFrameSentNs = nowNs;
        send(out, 0, protectedLength);
    }

    private void sendRtcp(final long nowNs)
    {
        if (!options.sendRtcp)
        {
            return;
        }
        final byte[] out = loop.txArray;
        final int length = reporter.poll(nowNs, out, 0, ClientLoop.MAX_DATAGRAM);
        if (length > 0)
        {
            sendRtcpPacket(length);
        }
    }

    private void sendRtcpPacket(final int length)
    {
        final int protectedLength = srtpOut.protectRtcp(loop.txArray, 0, length);
        if (protectedLength > 0)
        {
            stats.rtcpSent++;
            send(loop.txArray, 0, protectedLength);
        }
    }

    private void sendBye(final long nowNs)
    {
        if (!byeSent && options.sendRtcp && srtpOut != null && channel != null)
        {
            byeSent = true;
            final int length = reporter.writeBye(nowNs, loop.txArray, 0, ClientLoop.MAX_DATAGRAM);
            if (length > 0)
            {
                sendRtcpPacket(length);
            }
        }
    }

    private void checkMediaDone(final long nowNs)
    {
        if (mediaDone || framesToSend == 0 || stats.framesSent < framesToSend)
        {
            return;
        }
        if (stats.framesUnique >= stats.framesSent || nowNs - drainDeadlineNs >= 0)
        {
            mediaDone = true;
            drainDeadlineNs = Long.MAX_VALUE;
            call.mediaDone.complete(snapshot(nowNs));
            if (options.hangupWhenDone)
            {
                hangup(nowNs);
            }
        }
    }

    /**
     * Test hook: send a raw datagram on the call's socket.
     */
    void sendRaw(final byte[] datagram)
    {
        if (channel != null && !closed)
        {
            send(datagram, 0, datagram.length);
        }
    }

    /**
     * Test hook: send the last SRTP packet again, byte for byte (a replay).
     *
     * @return false when no packet was sent yet.
     */
    boolean replayLastRtp()
    {
        if (lastRtpLength == 0 || closed)
        {
            return false;
        }
        System.arraycopy(lastRtp, 0, loop.txArray, 0, lastRtpLength);
        send(loop.txArray, 0, lastRtpLength);
        return true;
    }

    private void send(final byte[] buffer, final int offset, final int length)
    {
        if (loop.send(channel, buffer, offset, length))
        {
            stats.datagramsSent++;
            stats.bytesSent += length;
        }
        else
        {
            stats.socketErrors++;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Ending

    /**
     * Hang up: stop media, DELETE the call, then finish when the server answered.
     */
    void hangup(final long nowNs)
    {
        if (state == CallState.ENDING || state == CallState.ENDED || closed)
        {
            return;
        }
        if (location == null)
        {
            end(EndReason.HANGUP, "before the answer", nowNs);
            return;
        }
        if (state == CallState.CONNECTED)
        {
            // RFC 3550 6.6: BYE as media stops, before the DELETE ends the server's session (a BYE after it would
            // reach a closing session).
            sendBye(nowNs);
        }
        setState(CallState.ENDING);
        nextFrameNs = Long.MAX_VALUE;
        drainDeadlineNs = Long.MAX_VALUE;
        deleteSent = true;
        final CompletableFuture<Integer> deleted = client.signaling().delete(location, options.headers);
        client.trackDelete(deleted);
        deleted.whenComplete((status, ex) -> loop.execute(() ->
        {
            stats.deleteStatus = status == null ? -1 : status;
            end(EndReason.HANGUP, "DELETE " + stats.deleteStatus, loop.nowNs());
        }));
    }

    /**
     * End the call: stop ICE and media, say BYE, close DTLS (close_notify drains while lingering), free the server's
     * session unless we hung up already, complete the futures; the socket closes after a short linger.
     */
    void end(final EndReason reason, final String detail, final long nowNs)
    {
        if (state == CallState.ENDED || closed)
        {
            return;
        }
        final boolean wasConnected = state == CallState.CONNECTED || state == CallState.ENDING;
        stats.endReason = reason;
        stats.endDetail = detail;
        stats.stageNs[CallStage.ENDED.ordinal()] = nowNs;
        if (ice != null)
        {
            ice.stop();
        }
        nextFrameNs = Long.MAX_VALUE;
        drainDeadlineNs = Long.MAX_VALUE;
        if (wasConnected)
        {
            sendBye(nowNs);
        }
        if (location != null && !deleteSent)
        {
            // A browser whose call failed tells the server too; best effort, nobody waits for it.
            deleteSent = true;
            client.trackDelete(client.signaling().delete(location, options.headers));
        }
        setState(CallState.ENDED);
        final CallStats last = snapshot(nowNs);
        call.finish(last);
        if (answered != null && !answered.isDone())
        {
            answered.completeExceptionally(new CallFailedException(last));
        }
        if (dtls != null && channel != null)
        {
            dtls.close();
            lingerDeadlineNs = nowNs + LINGER_NS;
            loop.pollDtlsEveryCycle(this, true);
            loop.schedule(this);
        }
        else
        {
            close(reason, detail, nowNs);
        }
    }

    /**
     * Release everything now (after the linger, or when the client stops).
     */
    void close(final EndReason reason, final String detail, final long nowNs)
    {
        if (closed)
        {
            return;
        }
        if (state != CallState.ENDED)
        {
            end(reason, detail, nowNs);
            if (closed)
            {
                return;
            }
        }
        if (dtls != null)
        {
            dtls.drainOutbound(this, DTLS_DRAIN_LIMIT);
        }
        closed = true;
        if (key != null)
        {
            key.cancel();
        }
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                stats.socketErrors++;
            }
        }
        loop.remove(this);
        client.onClosed(this);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Statistics

    CallStats snapshot(final long nowNs)
    {
        final CallStats copy = new CallStats();
        System.arraycopy(stats.stageNs, 0, copy.stageNs, 0, copy.stageNs.length);
        copy.callId = stats.callId;
        copy.state = state;
        copy.endReason = stats.endReason;
        copy.endDetail = stats.endDetail;
        copy.httpStatus = stats.httpStatus;
        copy.httpReason = stats.httpReason;
        copy.deleteStatus = stats.deleteStatus;
        copy.localAddress = stats.localAddress;
        copy.remoteAddress = stats.remoteAddress;
        if (ice != null)
        {
            copy.iceChecksSent = ice.checksSent();
            copy.iceRetransmits = ice.retransmits();
            copy.consentChecksSent = ice.consentChecksSent();
            copy.consentResponses = ice.consentResponses();
        }
        copy.iceErrorCode = stats.iceErrorCode;
        copy.srtpProfile = stats.srtpProfile;
        copy.dtlsFailure = stats.dtlsFailure;
        copy.framesSent = stats.framesSent;
        copy.framesReceived = stats.framesReceived;
        copy.framesUnique = stats.framesUnique;
        copy.framesOutOfOrder = stats.framesOutOfOrder;
        copy.framesDuplicate = stats.framesDuplicate;
        copy.framesCorrupt = stats.framesCorrupt;
        copy.framesOtherPayloadType = stats.framesOtherPayloadType;
        copy.datagramsSent = stats.datagramsSent;
        copy.datagramsReceived = stats.datagramsReceived;
        copy.bytesSent = stats.bytesSent;
        copy.bytesReceived = stats.bytesReceived;
        copy.datagramsIgnored = stats.datagramsIgnored;
        copy.socketErrors = stats.socketErrors;
        copy.srtpRefused = stats.srtpRefused;
        copy.lastSrtpStatus = stats.lastSrtpStatus;
        copy.rtcpSent = stats.rtcpSent;
        copy.rtcpReceived = stats.rtcpReceived;
        if (reporter != null)
        {
            copy.senderReportsReceived = reporter.parser().senderReports();
            copy.receiverReportsReceived = reporter.parser().receiverReports();
            copy.byeReceived = reporter.byeReceived();
            final int clockRateHz = answer.clockRateHz > 0 ? answer.clockRateHz : 48_000;
            copy.jitterNs = reporter.receiveStatistics().jitter() * TimeUnit.SECONDS.toNanos(1) / clockRateHz;
            copy.rtcpRttNs = reporter.rttSamples() > 0 ? reporter.rttNs() : -1;
        }
        copy.rttUs = rttUs.copy();
        return copy;
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void setState(final CallState newState)
    {
        state = newState;
        call.state = newState;
    }

    private static String rootMessage(final Throwable failure)
    {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause)
        {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + cause.getMessage() : "");
    }
}
