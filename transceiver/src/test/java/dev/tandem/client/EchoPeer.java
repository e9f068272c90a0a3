package dev.tandem.client;

import dev.tandem.common.ClientAddress;
import dev.tandem.dtls.DtlsCertificate;
import dev.tandem.dtls.DtlsEndpoint;
import dev.tandem.dtls.DtlsEndpointFactory;
import dev.tandem.dtls.DtlsFailure;
import dev.tandem.dtls.DtlsHandshakeExecutor;
import dev.tandem.dtls.DtlsHandshakeResult;
import dev.tandem.ice.IceLiteAgent;
import dev.tandem.ice.IceStatus;
import dev.tandem.rtp.RtpDescriptor;
import dev.tandem.rtp.RtpHeaderFlyweight;
import dev.tandem.rtp.RtpStatus;
import dev.tandem.rtp.RtpWriter;
import dev.tandem.sdp.SdpAnswer;
import dev.tandem.sdp.SdpOffer;
import dev.tandem.signaling.CallAnswer;
import dev.tandem.signaling.CallHandler;
import dev.tandem.signaling.CallRejectedException;
import dev.tandem.signaling.CallRequest;
import dev.tandem.signaling.SignalingServer;
import dev.tandem.srtp.SrtpContext;
import dev.tandem.srtp.SrtpProfile;
import dev.tandem.stun.StunMessageFlyweight;
import dev.tandem.stun.StunStatus;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A small WebRTC server for the client's own tests, built from Tandem's real parts without the relay and the
 * transceiver's Aeron plumbing: the real signaling server in front, {@link SdpAnswer} answers, an
 * {@link IceLiteAgent}, a server {@link DtlsEndpoint} and SRTP per call on one UDP socket, and an echo that sends
 * every RTP payload straight back in its own packet. Knobs let tests break one step at a time.
 */
final class EchoPeer implements CallHandler, AutoCloseable
{
    /**
     * The JDK HTTP server's limits are JVM-wide and set by the first server (JdkHttpServerLimits); the signaling
     * tests that run in the same JVM need their 2 s request timeout, so every server our tests start asks for it.
     */
    static final long JVM_HTTP_REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    /** When false, STUN checks get no answer (ICE must time out). */
    volatile boolean answerStun = true;
    /** When set, offers are refused with it. */
    final AtomicReference<CallRejectedException> refuse = new AtomicReference<>();
    final AtomicLong framesEchoed = new AtomicLong();
    final AtomicLong checksAnswered = new AtomicLong();
    final AtomicLong checksRefused = new AtomicLong();
    final AtomicLong dtlsFailures = new AtomicLong();
    final AtomicLong srtpRefused = new AtomicLong();
    final Map<String, Call> calls = new ConcurrentHashMap<>();

    private final DatagramChannel socket;
    private final InetSocketAddress address;
    private final DtlsHandshakeExecutor executor = new DtlsHandshakeExecutor(2, 1024, "peer-dtls");
    private final DtlsEndpointFactory factory;
    private final SignalingServer signaling;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger nextId = new AtomicInteger();
    private final ConcurrentLinkedQueue<Call> added = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    // Peer thread only.
    private final Map<String, Call> byUfrag = new HashMap<>();
    private final Map<SocketAddress, Call> byAddress = new HashMap<>();
    private final byte[] in = new byte[4096];
    private final ByteBuffer inBuffer = ByteBuffer.wrap(in);
    private final byte[] out = new byte[4096];
    private final UnsafeBuffer outUnsafe = new UnsafeBuffer(out);
    private final StunMessageFlyweight stun = new StunMessageFlyweight();
    private final RtpHeaderFlyweight rtp = new RtpHeaderFlyweight();

    EchoPeer() throws IOException
    {
        socket = DatagramChannel.open();
        // One socket carries every call: room for a few hundred ms of 100 calls when this thread is descheduled.
        socket.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.configureBlocking(false);
        address = (InetSocketAddress)socket.getLocalAddress();
        factory = new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
            .certificate(DtlsCertificate.generate(random))
            .executor(executor));
        signaling = SignalingServer.start(new SignalingServer.Context()
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .requestTimeoutNs(JVM_HTTP_REQUEST_TIMEOUT_NS), this);
        thread = new Thread(this::run, "echo-peer");
        thread.setDaemon(true);
        thread.start();
    }

    String baseUri()
    {
        return "http://127.0.0.1:" + signaling.port();
    }

    @Override
    public CallAnswer createCall(final SdpOffer offer, final CallRequest request) throws CallRejectedException
    {
        final CallRejectedException refusal = refuse.get();
        if (refusal != null)
        {
            throw refusal;
        }
        final Call call = new Call();
        call.callId = "echo-" + nextId.incrementAndGet();
        call.ufrag = "peer" + nextId.get() + "x" + Integer.toHexString(random.nextInt());
        call.password = "p" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        call.ice.reset(call.ufrag, call.password, offer.iceUfrag(), TimeUnit.SECONDS.toNanos(30), System.nanoTime());
        call.dtls = factory.newServer(offer.fingerprint().attributeValue());
        call.ssrc = 1 + (random.nextInt() & 0x7FFF_FFFE);
        final String sdp = new SdpAnswer.Builder()
            .iceUfrag(call.ufrag)
            .icePwd(call.password)
            .fingerprintSha256(sha256(factory.certificate().certificateDer()))
            .candidates(List.of(address))
            .ssrc(call.ssrc)
            .cname("peer")
            .sessionId(nextId.get())
            .msid("peer", "echo")
            .build(offer)
            .sdp();
        calls.put(call.callId, call);
        added.add(call);
        return new CallAnswer(call.callId, sdp);
    }

    @Override
    public boolean endCall(final String callId)
    {
        final Call call = calls.remove(callId);
        if (call != null)
        {
            call.ended = true;
        }
        return call != null;
    }

    @Override
    public boolean isReady()
    {
        return true;
    }

    @Override
    public void renderMetrics(final StringBuilder out)
    {
    }

    @Override
    public void close() throws IOException
    {
        signaling.close();
        running = false;
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        executor.close();
        socket.close();
    }

    private void run()
    {
        while (running)
        {
            int work = 0;
            Call call;
            while ((call = added.poll()) != null)
            {
                byUfrag.put(call.ufrag, call);
            }
            try
            {
                SocketAddress from;
                inBuffer.clear();
                while ((from = socket.receive(inBuffer)) != null)
                {
                    work++;
                    onDatagram((InetSocketAddress)from, inBuffer.position());
                    inBuffer.clear();
                }
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    throw new IllegalStateException(ex);
                }
            }
            for (final Call each : byUfrag.values())
            {
                work += each.poll();
            }
            if (work == 0)
            {
                LockSupport.parkNanos(200_000);
            }
        }
        for (final Call each : byUfrag.values())
        {
            each.dtls.close();
        }
    }

    private void onDatagram(final InetSocketAddress from, final int length)
    {
        final int first = in[0] & 0xFF;
        if (first <= 3)
        {
            stun.wrap(new UnsafeBuffer(in, 0, length), 0, length);
            if (stun.validate() != StunStatus.OK || stun.usernameOffset() < 0 || !answerStun)
            {
                return;
            }
            final String username = stun.buffer().getStringWithoutLengthAscii(
                stun.usernameOffset(), stun.usernameLength());
            final Call call = byUfrag.get(username.substring(0, Math.max(0, username.indexOf(':'))));
            if (call == null || call.ended)
            {
                return;
            }
            final InetAddress ip = from.getAddress();
            final int responseLength = call.ice.onStun(stun, ClientAddress.high(ip), ClientAddress.low(ip),
                from.getPort(), System.nanoTime(), outUnsafe, 0);
            if (call.ice.lastStatus() == IceStatus.OK)
            {
                checksAnswered.incrementAndGet();
                call.remote = from;
                byAddress.put(from, call);
            }
            else
            {
                checksRefused.incrementAndGet();
            }
            if (responseLength > 0)
            {
                send(from, out, 0, responseLength);
            }
            return;
        }
        final Call call = byAddress.get(from);
        if (call == null || call.ended)
        {
            return;
        }
        if (first >= 20 && first <= 63)
        {
            call.dtls.onDatagram(in, 0, length);
        }
        else if (first >= 128 && first <= 191 && !RtpDescriptor.isRtcp(in, 0, length))
        {
            if (call.srtpIn == null)
            {
                // The client sends media as soon as it has our Finished, which can be before our DTLS worker
                // reported the keys: keep it, and take the event now (it echoes what was kept).
                call.early.add(java.util.Arrays.copyOf(in, length));
                call.poll();
                return;
            }
            echo(call, from, length);
        }
    }

    private void echo(final Call call, final InetSocketAddress from, final int length)
    {
        final int plain = call.srtpIn.unprotectRtp(in, 0, length);
        if (plain < 0)
        {
            srtpRefused.incrementAndGet();
            return;
        }
        if (rtp.wrap(in, 0, plain) != RtpStatus.OK)
        {
            return;
        }
        final int header = RtpWriter.writeHeader(out, 0, false, rtp.payloadType(), call.sequence++ & 0xFFFF,
            rtp.timestamp(), call.ssrc);
        System.arraycopy(in, rtp.payloadOffset(), out, header, rtp.payloadLength());
        final int protectedLength = call.srtpOut.protectRtp(out, 0, header + rtp.payloadLength());
        send(from, out, 0, protectedLength);
        framesEchoed.incrementAndGet();
    }

    private void send(final InetSocketAddress to, final byte[] buffer, final int offset, final int length)
    {
        try
        {
            socket.send(ByteBuffer.wrap(buffer, offset, length), to);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] sha256(final byte[] der)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(der);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * One call on the peer.
     */
    final class Call implements DtlsEndpoint.EventHandler
    {
        final IceLiteAgent ice = new IceLiteAgent();
        String callId;
        String ufrag;
        String password;
        DtlsEndpoint dtls;
        long ssrc;
        int sequence;
        volatile boolean ended;
        volatile InetSocketAddress remote;
        volatile String srtpProfile;
        SrtpContext srtpIn;
        SrtpContext srtpOut;
        final List<byte[]> early = new java.util.ArrayList<>();

        int poll()
        {
            int work = dtls.drainOutbound((buffer, offset, length) ->
            {
                if (remote != null)
                {
                    send(remote, buffer, offset, length);
                }
            }, 16);
            work += dtls.pollEvents(this, 4);
            if (ended && dtls.state() != DtlsEndpoint.State.CLOSED && dtls.state() != DtlsEndpoint.State.FAILED)
            {
                dtls.close();
            }
            return work;
        }

        @Override
        public void onHandshakeComplete(final DtlsHandshakeResult result)
        {
            final SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
            srtpIn = new SrtpContext(profile, result.clientWriteKey(), result.clientWriteSalt());
            srtpOut = new SrtpContext(profile, result.serverWriteKey(), result.serverWriteSalt());
            srtpProfile = profile.name();
            for (final byte[] packet : early)
            {
                System.arraycopy(packet, 0, in, 0, packet.length);
                echo(this, remote, packet.length);
            }
            early.clear();
        }

        @Override
        public void onClosed()
        {
            ended = true;
        }

        @Override
        public void onFailed(final DtlsFailure reason, final String detail)
        {
            dtlsFailures.incrementAndGet();
            ended = true;
        }
    }
}
