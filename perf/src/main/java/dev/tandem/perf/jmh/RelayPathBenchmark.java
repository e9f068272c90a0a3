package dev.tandem.perf.jmh;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.ClientAddress;
import dev.tandem.common.IdleMode;
import dev.tandem.relay.RelayPathHarness;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteTokenMinter;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.BufferUtil;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The relay's whole per-datagram path after the socket, on canned datagrams: classify, flow lookup, (for STUN)
 * parse and route-token verification, then tryClaim and the Ingress written into a real Aeron IPC publication,
 * drained by a subscriber in the same operation. With {@code journal=true} the worker has a flow journal channel:
 * the packet path then also checks whether the flow's last journal entry is older than the refresh gap (it is not
 * in steady state, so nothing is handed over).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RelayPathBenchmark
{
    private static final FragmentHandler DISCARD = (buffer, offset, length, header) ->
    {
    };

    private final long low = ClientAddress.ipv4Low(0x0A000001);
    private final UnsafeBuffer rtp = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final UnsafeBuffer stun = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private int stunLength;
    private MediaDriver driver;
    private Aeron aeron;
    private RelayPathHarness harness;

    /** Whether the worker has a flow journal. */
    @Param({"false", "true"})
    public boolean journal;

    /**
     * An embedded driver, the harness, and a flow made by one STUN request.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final String dir = AeronSupport.uniqueDirectory("jmh");
        driver = AeronSupport.launchEmbeddedDriver(dir, ThreadingMode.SHARED, IdleMode.SLEEP, RelayPathBenchmark::fail);
        aeron = AeronSupport.connect(dir, RelayPathBenchmark::fail, "jmh");
        final RouteKeyRing ring = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);
        harness = RelayPathHarness.create(aeron, ring, 1, 2, 0, new SystemNanoClock(), journal);
        final byte[] request = bindingRequest(new RouteTokenMinter(ring).mint(1, 2, 0, 99) + ":abcd");
        stun.putBytes(0, request);
        stunLength = request.length;
        rtp.putByte(0, (byte)0x80);
        harness.onDatagram(0, low, 50_000, stun, 0, stunLength);
        if (harness.forwarded() != 1)
        {
            throw new IllegalStateException("the canned STUN request was not forwarded");
        }
        harness.drain(DISCARD, 10);
    }

    /**
     * Stop everything.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        harness.close();
        aeron.close();
        driver.close();
    }

    /**
     * @return messages drained.
     */
    @Benchmark
    public int rtpFollowsFlow()
    {
        harness.onDatagram(0, low, 50_000, rtp, 0, 200);
        return harness.drain(DISCARD, 1);
    }

    /**
     * @return messages drained.
     */
    @Benchmark
    public int stunWithTokenRefreshesFlow()
    {
        harness.onDatagram(0, low, 50_000, stun, 0, stunLength);
        return harness.drain(DISCARD, 1);
    }

    private static void fail(final Throwable error)
    {
        throw new IllegalStateException(error);
    }

    private static byte[] bindingRequest(final String username)
    {
        final byte[] user = username.getBytes(StandardCharsets.UTF_8);
        final int padded = (user.length + 3) & ~3;
        final int bodyLength = 4 + padded + 24 + 8;
        final ByteBuffer out = ByteBuffer.allocate(20 + bodyLength).order(ByteOrder.BIG_ENDIAN);
        out.putShort((short)1).putShort((short)bodyLength).putInt(0x2112A442).put(new byte[12]);
        out.putShort((short)6).putShort((short)user.length).put(user);
        out.position(out.position() + padded - user.length);
        out.putShort((short)8).putShort((short)20).put(new byte[20]);
        out.putShort((short)0x8028).putShort((short)4).putInt(0);
        return out.array();
    }
}
