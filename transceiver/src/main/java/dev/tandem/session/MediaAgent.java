package dev.tandem.session;

import dev.tandem.backend.BackendAdapter;
import dev.tandem.backend.BackendCounters;
import dev.tandem.backend.BackendHandler;
import dev.tandem.backend.BackendProxy;
import dev.tandem.backend.MessageDecoding;
import dev.tandem.common.ClientAddress;
import dev.tandem.common.Log;
import dev.tandem.common.StreamIds;
import dev.tandem.dtls.DtlsEndpointFactory;
import dev.tandem.dtls.DtlsFailure;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteTokenVerifier;
import dev.tandem.rtp.OutboundPacer;
import dev.tandem.rtp.RtpDescriptor;
import dev.tandem.sbe.CloseReason;
import dev.tandem.sbe.IngressDecoder;
import dev.tandem.sbe.MessageHeaderDecoder;
import dev.tandem.srtp.SrtpContext;
import dev.tandem.stun.StunMessageEncoder;
import dev.tandem.stun.StunMessageFlyweight;
import dev.tandem.stun.StunStatus;
import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DeadlineTimerWheel;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;

/**
 * The agent of one transceiver shard: it owns the shard's sessions and is the only thread that touches them.
 * Each duty cycle it takes commands from signaling, polls the shard's ingress stream (client datagrams forwarded by
 * relays), polls the backend's stream, moves DTLS along, and fires timers (pacing, RTCP, consent, timeouts).
 * <p>
 * Datagrams are copied once from the Aeron term into a per-agent array with SRTP tailroom; every per-packet step
 * after that works in place, without allocation.
 */
public final class MediaAgent implements Agent, BackendHandler
{
    /** Bytes after the largest datagram for SRTP's trailer. */
    static final int TAILROOM = SrtpContext.MAX_TRAILER + 16;
    private static final int MAX_DATAGRAM = 2048;
    private static final int COMMAND_LIMIT = 32;
    private static final int TIMER_LIMIT = 256;
    private static final int CONNECTED_DTLS_POLLS = 32;
    private static final long TICK_NS = 1L << 20;

    private final Context context;
    private final int shardId;
    private final Subscription ingress;
    private final EgressRouter egress;
    private final BackendProxy backend;
    private final BackendAdapter backendAdapter;
    private final BackendCounters backendCounters;
    private final TransceiverCounters counters;
    private final ManyToOneConcurrentArrayQueue<Object> commands;
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Session> byAddress = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Session> byTimer = new Long2ObjectHashMap<>();
    private final ArrayList<Session> handshaking = new ArrayList<>();
    private final ArrayList<Session> connected = new ArrayList<>();
    private final DeadlineTimerWheel timers;
    private final DeadlineTimerWheel.TimerHandler timerHandler = this::onTimerExpiry;
    private final FragmentHandler ingressHandler = this::onIngress;
    private final java.util.function.Consumer<Object> commandHandler = this::onCommand;
    private final RouteTokenVerifier verifier;
    private final StunMessageFlyweight stun = new StunMessageFlyweight();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final IngressDecoder ingressDecoder = new IngressDecoder();
    private final byte[] packet = new byte[MAX_DATAGRAM + TAILROOM];
    private final UnsafeBuffer packetBuffer = new UnsafeBuffer(packet);
    private final byte[] stunOutArray = new byte[StunMessageEncoder.MAX_BINDING_RESPONSE_LENGTH + 64];
    private final UnsafeBuffer stunOut = new UnsafeBuffer(stunOutArray);
    private final byte[] mediaOut = new byte[MAX_DATAGRAM + TAILROOM];
    private final long addressSeed;
    private long nowNs;
    private int connectedCursor;

    /**
     * @param context the shard's configuration and shared parts.
     */
    public MediaAgent(final Context context)
    {
        this.context = context;
        this.shardId = context.shardId;
        final Aeron aeron = context.aeron;
        this.nowNs = context.nanoClock.nanoTime();
        this.counters = new TransceiverCounters(aeron, context.transceiverId, shardId);
        this.backendCounters = BackendCounters.allocate(aeron,
            "transceiver=\"" + context.transceiverId + "\",shard=\"" + shardId + "\"");
        this.ingress = aeron.addSubscription(context.ingressChannel, StreamIds.transceiverIngress(shardId));
        this.egress = new EgressRouter(aeron, context.relayChannel, counters.egressDropped);
        this.backend = new BackendProxy(
            aeron.addExclusivePublication(context.backendChannel, StreamIds.toBackend(shardId)), backendCounters);
        this.backendAdapter = new BackendAdapter(
            aeron.addSubscription(context.backendChannel, StreamIds.fromBackend(shardId)), this, 64, backendCounters);
        this.commands = new ManyToOneConcurrentArrayQueue<>(context.commandQueueCapacity);
        this.verifier = new RouteTokenVerifier(context.keyRing);
        this.timers = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, nowNs, TICK_NS, 1024);
        this.addressSeed = Double.doubleToLongBits(context.random.getAsDouble()) ^ System.nanoTime();
        for (final int[] relay : context.knownRelays)
        {
            for (int worker = 0; worker < relay[1]; worker++)
            {
                egress.addKnown(relay[0], worker);
            }
        }
    }

    @Override
    public String roleName()
    {
        return "tandem-media-" + shardId;
    }

    /**
     * Hand a new session to this shard (any thread).
     *
     * @param spec the session.
     * @return false when the command queue is full.
     */
    public boolean offerNewSession(final SessionSpec spec)
    {
        return commands.offer(spec);
    }

    /**
     * Ask this shard to end a session (any thread).
     *
     * @param sessionId the session.
     * @param reason    why.
     * @return false when the command queue is full.
     */
    public boolean offerEndSession(final long sessionId, final CloseReason reason)
    {
        return commands.offer(new EndCommand(sessionId, reason));
    }

    /**
     * @return the shard id.
     */
    public int shardId()
    {
        return shardId;
    }

    @Override
    public int doWork()
    {
        nowNs = context.nanoClock.nanoTime();
        int work = commands.drain(commandHandler, COMMAND_LIMIT);
        work += ingress.poll(ingressHandler, context.fragmentLimit);
        work += backendAdapter.poll();
        work += pollDtls();
        work += pollTimers();
        return work;
    }

    @Override
    public void onClose()
    {
        for (final Session session : new ArrayList<>(sessions.values()))
        {
            end(session, CloseReason.SHUTDOWN);
            release(session);
        }
        CloseHelper.quietCloseAll(egress, ingress, counters);
        backendCounters.close();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commands from signaling threads

    private void onCommand(final Object command)
    {
        if (command instanceof SessionSpec)
        {
            final SessionSpec spec = (SessionSpec)command;
            final Session session = new Session(this, spec, nowNs);
            sessions.put(spec.sessionId(), session);
            counters.sessionsCreated.incrementRelease();
            counters.sessionsActive.incrementRelease();
            reschedule(session);
        }
        else if (command instanceof EndCommand)
        {
            final EndCommand end = (EndCommand)command;
            final Session session = sessions.get(end.sessionId);
            if (session != null)
            {
                end(session, end.reason);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Ingress from relays

    private void onIngress(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (MessageDecoding.templateId(headerDecoder, buffer, offset, length) != IngressDecoder.TEMPLATE_ID)
        {
            counters.dropMalformedIngress.incrementRelease();
            return;
        }
        ingressDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        if (!MessageDecoding.varDataFits(buffer, ingressDecoder.limit(), offset + length))
        {
            counters.dropMalformedIngress.incrementRelease();
            return;
        }
        final long high = ingressDecoder.addressHigh();
        final long low = ingressDecoder.addressLow();
        final int port = ingressDecoder.port();
        final int relayId = ingressDecoder.relayId();
        final int workerId = ingressDecoder.workerId();
        final short kind = ingressDecoder.kindRaw();
        final int payloadLength = ingressDecoder.payloadLength();
        if (payloadLength <= 0 || payloadLength > MAX_DATAGRAM)
        {
            counters.dropMalformedIngress.incrementRelease();
            return;
        }
        ingressDecoder.getPayload(packet, 0, payloadLength);
        counters.packetsIn.incrementRelease();
        counters.bytesIn.getAndAddRelease(payloadLength);

        switch (kind)
        {
            case 1: // STUN
                onStunPacket(payloadLength, high, low, port, relayId, workerId);
                break;
            case 2: // DTLS
            {
                final Session session = sessionAt(high, low, port);
                if (session == null)
                {
                    counters.dropNoSession.incrementRelease();
                    return;
                }
                session.onDtls(packet, 0, payloadLength, high, low, port, relayId, workerId, nowNs);
                break;
            }
            case 3: // RTP or RTCP, RFC 5761 4 demultiplexing
            {
                final Session session = sessionAt(high, low, port);
                if (session == null)
                {
                    counters.dropNoSession.incrementRelease();
                    return;
                }
                session.onMedia(packet, 0, payloadLength, RtpDescriptor.isRtcp(packet, 0, payloadLength),
                    high, low, port, relayId, workerId, nowNs);
                break;
            }
            default:
                counters.dropMalformedIngress.incrementRelease();
        }
    }

    private void onStunPacket(
        final int length, final long high, final long low, final int port, final int relayId, final int workerId)
    {
        stun.wrap(packetBuffer, 0, length);
        if (stun.validate() != StunStatus.OK)
        {
            counters.dropBadStun.incrementRelease();
            return;
        }
        final Session session;
        if (stun.usernameOffset() >= 0)
        {
            // The route token in USERNAME names the session by its nonce: also from an address not seen before.
            if (verifier.verifyUsername(packetBuffer, stun.usernameOffset(), stun.usernameLength()) < 0)
            {
                counters.dropNoSession.incrementRelease();
                return;
            }
            session = sessions.get(verifier.lastNonce());
        }
        else
        {
            session = sessionAt(high, low, port);
        }
        if (session == null)
        {
            counters.dropNoSession.incrementRelease();
            return;
        }
        session.onStun(stun, high, low, port, relayId, workerId, nowNs);
    }

    private Session sessionAt(final long high, final long low, final int port)
    {
        final Session session = byAddress.get(AddressKey.of(high, low, port, addressSeed));
        if (session != null && !ClientAddress.isIpv4(high, low) && !session.ice.isValidated(high, low, port))
        {
            return null;
        }
        return session;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Backend

    @Override
    public void onAudioFrame(
        final long sessionId,
        final long sequence,
        final long timeNs,
        final int frameDurationUs,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final Session session = sessions.get(sessionId);
        if (session == null)
        {
            backendCounters.dropsUnknownSession().incrementRelease();
            return;
        }
        session.onBackendFrame(buffer, offset, length, frameDurationUs, nowNs);
    }

    @Override
    public void onClearAudio(final long sessionId)
    {
        final Session session = sessions.get(sessionId);
        if (session != null)
        {
            session.onClearAudio();
        }
    }

    @Override
    public void onCloseSession(final long sessionId)
    {
        final Session session = sessions.get(sessionId);
        if (session != null)
        {
            end(session, CloseReason.BACKEND);
        }
    }

    @Override
    public void onEvent(
        final long sessionId, final long timeNs, final DirectBuffer buffer, final int offset, final int length)
    {
        // Application events have no consumer in the transceiver yet (no data channel): counted by the adapter.
    }

    // ---------------------------------------------------------------------------------------------------------------
    // DTLS and timers

    private int pollDtls()
    {
        int work = 0;
        for (int i = handshaking.size() - 1; i >= 0; i--)
        {
            final Session session = handshaking.get(i);
            work += session.pollDtls();
        }
        final int size = connected.size();
        for (int i = 0, n = Math.min(size, CONNECTED_DTLS_POLLS); i < n; i++)
        {
            if (connectedCursor >= connected.size())
            {
                connectedCursor = 0;
            }
            if (connected.isEmpty())
            {
                break;
            }
            work += connected.get(connectedCursor++).pollDtls();
        }
        return work;
    }

    private int pollTimers()
    {
        int work = 0;
        int rounds = 0;
        while (timers.currentTickTime() <= nowNs && rounds++ < 64)
        {
            work += timers.poll(nowNs, timerHandler, TIMER_LIMIT);
        }
        return work;
    }

    private boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId)
    {
        final Session session = byTimer.remove(timerId);
        if (session != null)
        {
            session.timerId = Long.MIN_VALUE;
            session.timerDeadlineNs = Long.MAX_VALUE;
            session.onTimer(nowNs);
            if (session.state != Session.State.CLOSED)
            {
                reschedule(session);
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Called by sessions (same thread)

    Context context()
    {
        return context;
    }

    TransceiverCounters counters()
    {
        return counters;
    }

    BackendProxy backend()
    {
        return backend;
    }

    long nowNs()
    {
        return nowNs;
    }

    UnsafeBuffer stunOut()
    {
        return stunOut;
    }

    byte[] stunOutArray()
    {
        return stunOutArray;
    }

    byte[] mediaOutArray()
    {
        return mediaOut;
    }

    void send(
        final int relayId,
        final int workerId,
        final long high,
        final long low,
        final int port,
        final byte[] buffer,
        final int offset,
        final int length)
    {
        if (egress.send(relayId, workerId, high, low, port, buffer, offset, length) == EgressRouter.SENT)
        {
            counters.packetsOut.incrementRelease();
            counters.bytesOut.getAndAddRelease(length);
        }
    }

    void learnAddress(final Session session, final long high, final long low, final int port)
    {
        byAddress.put(AddressKey.of(high, low, port, addressSeed), session);
    }

    void forgetAddress(final Session session, final long high, final long low, final int port)
    {
        final long key = AddressKey.of(high, low, port, addressSeed);
        if (byAddress.get(key) == session)
        {
            byAddress.remove(key);
        }
    }

    void activateDtls(final Session session)
    {
        handshaking.add(session);
    }

    void onConnected(final Session session)
    {
        handshaking.remove(session);
        connected.add(session);
    }

    void onDtlsFailure(final Session session, final DtlsFailure reason, final String detail)
    {
        if (Log.isDebug())
        {
            Log.debug("media-" + shardId, "session " + session.spec.callId() + " DTLS failed: " + reason + " " +
                detail);
        }
    }

    void reschedule(final Session session)
    {
        final long deadline = session.nextDeadlineNs();
        if (deadline == Long.MAX_VALUE || deadline >= session.timerDeadlineNs)
        {
            return;
        }
        if (session.timerId != Long.MIN_VALUE)
        {
            timers.cancelTimer(session.timerId);
            byTimer.remove(session.timerId);
        }
        final long timerId = timers.scheduleTimer(Math.max(deadline, nowNs));
        session.timerId = timerId;
        session.timerDeadlineNs = deadline;
        byTimer.put(timerId, session);
    }

    void end(final Session session, final CloseReason reason)
    {
        if (session.state == Session.State.CLOSING || session.state == Session.State.CLOSED)
        {
            return;
        }
        counters.ended(reason);
        if (Log.isDebug())
        {
            Log.debug("media-" + shardId, "session " + session.spec.callId() + " ends: " + reason);
        }
        session.beginClose(reason, nowNs, context.lingerNs);
        reschedule(session);
    }

    void release(final Session session)
    {
        if (session.state == Session.State.CLOSED)
        {
            return;
        }
        session.state = Session.State.CLOSED;
        if (session.ice.addressCount() > 0)
        {
            egress.closeFlow(session.relayId, session.workerId,
                session.ice.selectedHigh(), session.ice.selectedLow(), session.ice.selectedPort());
        }
        for (int i = 0; i < session.ice.addressCount(); i++)
        {
            forgetAddress(session, session.ice.addressHigh(i), session.ice.addressLow(i), session.ice.addressPort(i));
        }
        if (session.timerId != Long.MIN_VALUE)
        {
            timers.cancelTimer(session.timerId);
            byTimer.remove(session.timerId);
            session.timerId = Long.MIN_VALUE;
        }
        handshaking.remove(session);
        connected.remove(session);
        sessions.remove(session.sessionId);
        counters.sessionsActive.decrementRelease();
        context.onReleased.accept(session.sessionId);
    }

    private static final class EndCommand
    {
        final long sessionId;
        final CloseReason reason;

        EndCommand(final long sessionId, final CloseReason reason)
        {
            this.sessionId = sessionId;
            this.reason = reason;
        }
    }

    /**
     * Configuration and shared parts of a shard.
     */
    public static final class Context
    {
        Aeron aeron;
        int transceiverId;
        int shardId;
        String ingressChannel = "aeron:ipc";
        java.util.function.IntFunction<String> relayChannel = (relayId) -> "aeron:ipc";
        String backendChannel = "aeron:ipc";
        int[][] knownRelays = new int[0][];
        RouteKeyRing keyRing;
        DtlsEndpointFactory dtlsFactory;
        NanoClock nanoClock = System::nanoTime;
        EpochNanoClock epochClock = () -> System.currentTimeMillis() * 1_000_000L;
        DoubleSupplier random = java.util.concurrent.ThreadLocalRandom.current()::nextDouble;
        LongConsumer onReleased = (sessionId) ->
        {
        };
        long consentTimeoutNs = TimeUnit.SECONDS.toNanos(30);
        long setupTimeoutNs = TimeUnit.SECONDS.toNanos(20);
        long lingerNs = TimeUnit.MILLISECONDS.toNanos(200);
        int jitterFrames = 16;
        long jitterMaxWaitNs = TimeUnit.MILLISECONDS.toNanos(40);
        int jitterMaxWaitFrames = 3;
        int maxPayloadBytes = 1500;
        int pacerFrames = 512;
        int pacerBytes = 64 * 1024;
        int pacerDrainPercent = OutboundPacer.DEFAULT_DRAIN_PERCENT;
        long rtcpIntervalNs = TimeUnit.SECONDS.toNanos(1);
        int fragmentLimit = 64;
        int commandQueueCapacity = 1024;

        /**
         * @param aeron client of the media driver.
         * @return this.
         */
        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /**
         * @param transceiverId this transceiver's id.
         * @return this.
         */
        public Context transceiverId(final int transceiverId)
        {
            this.transceiverId = transceiverId;
            return this;
        }

        /**
         * @param shardId the shard.
         * @return this.
         */
        public Context shardId(final int shardId)
        {
            this.shardId = shardId;
            return this;
        }

        /**
         * @param channel Aeron channel relays forward to.
         * @return this.
         */
        public Context ingressChannel(final String channel)
        {
            this.ingressChannel = channel;
            return this;
        }

        /**
         * @param channelOfRelay the return channel of a relay by id.
         * @return this.
         */
        public Context relayChannel(final java.util.function.IntFunction<String> channelOfRelay)
        {
            this.relayChannel = channelOfRelay;
            return this;
        }

        /**
         * @param channel Aeron channel of the backend.
         * @return this.
         */
        public Context backendChannel(final String channel)
        {
            this.backendChannel = channel;
            return this;
        }

        /**
         * @param relays relays known at start, as {relayId, workers} pairs.
         * @return this.
         */
        public Context knownRelays(final int[][] relays)
        {
            this.knownRelays = relays;
            return this;
        }

        /**
         * @param keyRing route token keys.
         * @return this.
         */
        public Context keyRing(final RouteKeyRing keyRing)
        {
            this.keyRing = keyRing;
            return this;
        }

        /**
         * @param factory DTLS endpoints.
         * @return this.
         */
        public Context dtlsFactory(final DtlsEndpointFactory factory)
        {
            this.dtlsFactory = factory;
            return this;
        }

        /**
         * @param clock monotonic clock.
         * @return this.
         */
        public Context nanoClock(final NanoClock clock)
        {
            this.nanoClock = clock;
            return this;
        }

        /**
         * @param clock wall clock for RTCP.
         * @return this.
         */
        public Context epochClock(final EpochNanoClock clock)
        {
            this.epochClock = clock;
            return this;
        }

        /**
         * @param onReleased told the id of every released session (any bookkeeping outside the shard).
         * @return this.
         */
        public Context onReleased(final LongConsumer onReleased)
        {
            this.onReleased = onReleased;
            return this;
        }

        /**
         * @param consentTimeoutNs RFC 7675 consent timeout.
         * @return this.
         */
        public Context consentTimeoutNs(final long consentTimeoutNs)
        {
            this.consentTimeoutNs = consentTimeoutNs;
            return this;
        }

        /**
         * @param setupTimeoutNs ICE and DTLS must be done by then.
         * @return this.
         */
        public Context setupTimeoutNs(final long setupTimeoutNs)
        {
            this.setupTimeoutNs = setupTimeoutNs;
            return this;
        }

        /**
         * @param frames    jitter buffer capacity.
         * @param maxWaitNs longest wait for a missing frame.
         * @param maxWaitFrames frames waiting behind a gap before it is skipped.
         * @return this.
         */
        public Context jitter(final int frames, final long maxWaitNs, final int maxWaitFrames)
        {
            this.jitterFrames = frames;
            this.jitterMaxWaitNs = maxWaitNs;
            this.jitterMaxWaitFrames = maxWaitFrames;
            return this;
        }

        /**
         * @param frames       pacer capacity in frames.
         * @param bytes        pacer capacity in bytes.
         * @param drainPercent how much faster than real time a standing backlog is sent (0 to 50).
         * @return this.
         */
        public Context pacer(final int frames, final int bytes, final int drainPercent)
        {
            this.pacerFrames = frames;
            this.pacerBytes = bytes;
            this.pacerDrainPercent = drainPercent;
            return this;
        }

        /**
         * @param maxPayloadBytes largest RTP payload.
         * @return this.
         */
        public Context maxPayloadBytes(final int maxPayloadBytes)
        {
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        /**
         * @param rtcpIntervalNs nominal RTCP report interval.
         * @return this.
         */
        public Context rtcpIntervalNs(final long rtcpIntervalNs)
        {
            this.rtcpIntervalNs = rtcpIntervalNs;
            return this;
        }

        long consentTimeoutNs()
        {
            return consentTimeoutNs;
        }

        long setupTimeoutNs()
        {
            return setupTimeoutNs;
        }

        EpochNanoClock epochClock()
        {
            return epochClock;
        }

        DoubleSupplier random()
        {
            return random;
        }

        long rtcpIntervalNs()
        {
            return rtcpIntervalNs;
        }

        int jitterFrames()
        {
            return jitterFrames;
        }

        long jitterMaxWaitNs()
        {
            return jitterMaxWaitNs;
        }

        int jitterMaxWaitFrames()
        {
            return jitterMaxWaitFrames;
        }

        int maxPayloadBytes()
        {
            return maxPayloadBytes;
        }

        int pacerFrames()
        {
            return pacerFrames;
        }

        int pacerBytes()
        {
            return pacerBytes;
        }

        int pacerDrainPercent()
        {
            return pacerDrainPercent;
        }

        DtlsEndpointFactory dtlsFactory()
        {
            return dtlsFactory;
        }
    }
}
