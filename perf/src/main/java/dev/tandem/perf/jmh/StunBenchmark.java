package dev.tandem.perf.jmh;

import dev.tandem.common.PacketClassifier;
import dev.tandem.crypto.HmacSha1;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteStatus;
import dev.tandem.route.RouteTokenMinter;
import dev.tandem.route.RouteTokenVerifier;
import dev.tandem.stun.StunMessageEncoder;
import dev.tandem.stun.StunMessageFlyweight;
import dev.tandem.stun.StunStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The STUN work per connectivity check: what the relay does (validate, find USERNAME), what the transceiver adds
 * (MESSAGE-INTEGRITY, FINGERPRINT) and the response it writes. The request looks like a browser's: a route token
 * ufrag, GOOG-NETWORK-INFO, ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT, in a direct
 * buffer as a socket would deliver it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StunBenchmark
{
    static final byte[] PASSWORD = "abcdefghijklmnopqrstuvwxyz012345".getBytes(StandardCharsets.US_ASCII);

    private final StunMessageFlyweight flyweight = new StunMessageFlyweight();
    private final StunMessageEncoder encoder = new StunMessageEncoder();
    private final HmacSha1 mac = new HmacSha1();
    private final RouteTokenVerifier verifier =
        new RouteTokenVerifier(RouteKeyRing.parse(RouteTokenBenchmark.KEY_SPEC, 1));
    private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(1500));
    private final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(1500));
    private int requestLength;

    /**
     * Build the browser-like request.
     */
    @Setup
    public void setup()
    {
        requestLength = browserLikeRequest(request, mac.init(PASSWORD, 0, PASSWORD.length));
        if (relayRoutesCheck() <= 0 || validateAndVerifyMessageIntegrity() != StunStatus.OK ||
            validateAndVerifyFingerprint() != StunStatus.OK)
        {
            throw new IllegalStateException("the benchmark request does not verify");
        }
    }

    static int browserLikeRequest(final UnsafeBuffer buffer, final HmacSha1 keyedMac)
    {
        final RouteKeyRing ring = RouteKeyRing.parse(RouteTokenBenchmark.KEY_SPEC, 1);
        final String username = new RouteTokenMinter(ring).mint(1, 2, 3, 0x1234_5678_9ABC_DEF0L) + ":Ab3d";
        final UnsafeBuffer user = new UnsafeBuffer(username.getBytes(StandardCharsets.US_ASCII));
        final UnsafeBuffer transactionId = new UnsafeBuffer(new byte[]{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 });
        final UnsafeBuffer networkInfo = new UnsafeBuffer(new byte[]{ 0, 1, 0, 10 });
        return new StunMessageEncoder().wrap(buffer, 0)
            .header(StunMessageFlyweight.BINDING_REQUEST, transactionId, 0)
            .username(user, 0, user.capacity())
            .attribute(0xC057, networkInfo, 0, 4)
            .iceRole(true, 0x0102_0304_0506_0708L)
            .useCandidate()
            .priority(1_845_501_695L)
            .messageIntegrity(keyedMac)
            .fingerprint()
            .length();
    }

    /**
     * The relay's per-check work: validate the header and attributes and locate USERNAME.
     *
     * @return the USERNAME offset plus its length, so nothing is optimised away.
     */
    @Benchmark
    public int validateAndUsername()
    {
        flyweight.wrap(request, 0, requestLength).validate();
        return flyweight.usernameOffset() + flyweight.usernameLength();
    }

    /**
     * Everything the relay does with a flow's first packet before forwarding: classify the first byte, validate,
     * find USERNAME, verify the route token in it.
     *
     * @return the route.
     */
    @Benchmark
    public long relayRoutesCheck()
    {
        if (PacketClassifier.classify(request.getByte(0)) != PacketClassifier.STUN ||
            flyweight.wrap(request, 0, requestLength).validate() != StunStatus.OK || flyweight.usernameOffset() < 0)
        {
            return RouteStatus.MALFORMED;
        }
        return verifier.verifyUsername(request, flyweight.usernameOffset(), flyweight.usernameLength());
    }

    /**
     * The transceiver's authentication of a check with the session's ICE password (key already set).
     *
     * @return the status.
     */
    @Benchmark
    public int validateAndVerifyMessageIntegrity()
    {
        flyweight.wrap(request, 0, requestLength).validate();
        return flyweight.verifyMessageIntegrity(mac);
    }

    /**
     * As above but keying the MAC per packet, as an agent with many sessions does.
     *
     * @return the status.
     */
    @Benchmark
    public int validateAndVerifyMessageIntegrityWithKey()
    {
        flyweight.wrap(request, 0, requestLength).validate();
        return flyweight.verifyMessageIntegrity(mac, PASSWORD, 0, PASSWORD.length);
    }

    /**
     * FINGERPRINT check (CRC-32).
     *
     * @return the status.
     */
    @Benchmark
    public int validateAndVerifyFingerprint()
    {
        flyweight.wrap(request, 0, requestLength).validate();
        return flyweight.verifyFingerprint();
    }

    /**
     * The ICE-lite answer: Binding success with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT.
     *
     * @return the response length.
     */
    @Benchmark
    public int encodeSuccessResponse()
    {
        return encoder.bindingSuccessResponse(response, 0, request, StunMessageFlyweight.TRANSACTION_ID_OFFSET,
            0, 0x0000_ffff_c0a8_0102L, 54321, mac);
    }
}
