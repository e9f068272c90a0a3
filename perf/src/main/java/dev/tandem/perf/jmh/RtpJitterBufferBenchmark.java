package dev.tandem.perf.jmh;

import dev.tandem.rtp.JitterBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Jitter buffer insert and release of 80-byte Opus frames: in order (released straight from the caller's buffer),
 * and with every pair swapped (one frame copied into a slot, then both released). Must be 0 B/op with
 * {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtpJitterBufferBenchmark
{
    private static final long FRAME_NS = 20_000_000L;

    private final JitterBuffer jitterBuffer = new JitterBuffer(16, 1500, 40_000_000L, 3);
    private final byte[] payload = new byte[80];
    private final Sink sink = new Sink();
    private int sequence;
    private long nowNs;

    /**
     * @return frames released so far.
     */
    @Benchmark
    public long insertInOrder()
    {
        nowNs += FRAME_NS;
        final int seq = sequence++;
        jitterBuffer.insert(seq & 0xFFFF, 960L * seq, payload, 0, payload.length, nowNs, sink);
        return sink.released;
    }

    /**
     * @return frames released so far (two frames per operation).
     */
    @Benchmark
    public long insertSwappedPair()
    {
        nowNs += 2 * FRAME_NS;
        final int seq = sequence;
        sequence += 2;
        jitterBuffer.insert((seq + 1) & 0xFFFF, 960L * (seq + 1), payload, 0, payload.length, nowNs, sink);
        jitterBuffer.insert(seq & 0xFFFF, 960L * seq, payload, 0, payload.length, nowNs + 1_000_000, sink);
        jitterBuffer.poll(nowNs + 1_000_000, sink);
        return sink.released;
    }

    static final class Sink implements JitterBuffer.FrameHandler
    {
        long released;

        @Override
        public void onFrame(
            final long sequence,
            final long rtpTimestamp,
            final long arrivalNs,
            final byte[] buffer,
            final int offset,
            final int length)
        {
            released += length > 0 ? 1 : 0;
        }
    }
}
