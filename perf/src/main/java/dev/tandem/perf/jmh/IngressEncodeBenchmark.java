package dev.tandem.perf.jmh;

import dev.tandem.common.ClientAddress;
import dev.tandem.common.PacketClassifier;
import dev.tandem.relay.IngressWriter;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.BufferUtil;
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
 * The Ingress message written in place into a claimed frame: the claim wraps a direct buffer as
 * {@code ExclusivePublication.tryClaim} would, then the header and a 200-byte datagram are written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IngressEncodeBenchmark
{
    private final UnsafeBuffer term = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
    private final UnsafeBuffer datagram = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final BufferClaim claim = new BufferClaim();
    private final IngressWriter writer = new IngressWriter(1, 0);
    private final long low = ClientAddress.ipv4Low(0x0A000001);
    private long nowNs;

    /**
     * @return bytes written.
     */
    @Benchmark
    public int claimAndEncode200()
    {
        final int length = IngressWriter.HEADER_LENGTH + 200;
        claim.wrap(term, 32, length + 32);
        final int written = writer.write(
            claim.buffer(), claim.offset(), ++nowNs, PacketClassifier.RTP, 0, low, 50_000, datagram, 0, 200);
        claim.commit();
        return written;
    }
}
