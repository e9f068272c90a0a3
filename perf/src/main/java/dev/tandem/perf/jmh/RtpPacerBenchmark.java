package dev.tandem.perf.jmh;

import dev.tandem.rtp.OutboundPacer;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Outbound pacer: queue one 80-byte frame from a direct buffer (as it arrives from Aeron) and write the RTP packet
 * due at the next 20 ms slot; and a burst of 10 frames, paced out, then cleared (barge-in). Must be 0 B/op with
 * {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtpPacerBenchmark
{
    private static final long FRAME_NS = 20_000_000L;

    private final OutboundPacer pacer = new OutboundPacer(512, 64 * 1024, 1500, 48_000, 111, 0x1234L, 1, 1);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[80]);
    private final byte[] packet = new byte[1500];
    private long nowNs = FRAME_NS;

    /**
     * @return the packet length.
     */
    @Benchmark
    public int enqueueAndPoll()
    {
        pacer.enqueue(frame, 0, 80, 20_000, nowNs);
        final int length = pacer.poll(nowNs, packet, 0, packet.length);
        nowNs += FRAME_NS;
        return length;
    }

    /**
     * @return bytes written for a burst of 10 frames of which 5 are sent before a clear.
     */
    @Benchmark
    public int burstThenClear()
    {
        for (int i = 0; i < 10; i++)
        {
            pacer.enqueue(frame, 0, 80, 20_000, nowNs);
        }
        int written = 0;
        for (int i = 0; i < 5; i++)
        {
            written += pacer.poll(nowNs, packet, 0, packet.length);
            nowNs += FRAME_NS;
        }
        pacer.clear();
        nowNs += FRAME_NS;
        return written;
    }
}
