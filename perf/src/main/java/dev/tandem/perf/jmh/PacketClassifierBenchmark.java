package dev.tandem.perf.jmh;

import dev.tandem.common.PacketClassifier;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * RFC 7983 first-byte demultiplexing as the relay does it per datagram, over a mix of first bytes so the branch
 * predictor cannot learn one answer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PacketClassifierBenchmark
{
    private static final int MASK = 1023;

    private final byte[] firstBytes = new byte[MASK + 1];
    private final byte[] secondBytes = new byte[MASK + 1];
    private int index;

    /**
     * A mix of STUN, DTLS, RTP and junk first bytes; RTP and RTCP second bytes.
     */
    @Setup
    public void setup()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i <= MASK; i++)
        {
            firstBytes[i] = (byte)random.nextInt(256);
            secondBytes[i] = (byte)(random.nextBoolean() ? 111 : 200 + random.nextInt(8));
        }
    }

    /**
     * @return the kind of the next datagram.
     */
    @Benchmark
    public int classify()
    {
        return PacketClassifier.classify(firstBytes[index++ & MASK]);
    }

    /**
     * @return whether the next packet is RTCP.
     */
    @Benchmark
    public boolean isRtcp()
    {
        return PacketClassifier.isRtcp(secondBytes[index++ & MASK]);
    }
}
