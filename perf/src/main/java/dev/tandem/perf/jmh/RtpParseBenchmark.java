package dev.tandem.perf.jmh;

import dev.tandem.rtp.RtpDescriptor;
import dev.tandem.rtp.RtpHeaderFlyweight;
import dev.tandem.rtp.RtpStatus;
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
 * RTP header parsing of a packet shaped like Chromium's Opus packets: one-byte header extensions (audio level,
 * abs-send-time, transport-cc sequence) and an 80-byte payload. Must be 0 B/op with {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtpParseBenchmark
{
    private final RtpHeaderFlyweight header = new RtpHeaderFlyweight();
    private final byte[] packet = new byte[12 + 16 + 80];
    private int sequence;

    /**
     * Build the packet once.
     */
    public RtpParseBenchmark()
    {
        packet[0] = (byte)0x90; // V=2, X=1
        packet[1] = 111;
        packet[8] = 0x12;
        packet[9] = 0x34;
        final byte[] extension = {
            (byte)0xBE, (byte)0xDE, 0x00, 0x03,
            0x10, (byte)0x85,                 // id 1: audio level
            0x22, 0x01, 0x02, 0x03,           // id 2: abs-send-time
            0x31, 0x00, 0x07,                 // id 3: transport-wide sequence
            0x00, 0x00, 0x00 };               // padding
        System.arraycopy(extension, 0, packet, 12, extension.length);
    }

    /**
     * @return fields a media agent reads from each inbound packet.
     */
    @Benchmark
    public long parse()
    {
        final int seq = sequence++ & 0xFFFF;
        packet[2] = (byte)(seq >>> 8);
        packet[3] = (byte)seq;
        if (RtpDescriptor.isRtcp(packet, 0, packet.length) ||
            header.wrap(packet, 0, packet.length) != RtpStatus.OK)
        {
            return -1;
        }
        return header.sequenceNumber() + header.timestamp() + header.ssrc() + header.payloadOffset() +
            header.payloadLength();
    }

    /**
     * @return the parse plus an extension lookup (the audio level of RFC 6464).
     */
    @Benchmark
    public long parseAndFindAudioLevel()
    {
        final int seq = sequence++ & 0xFFFF;
        packet[2] = (byte)(seq >>> 8);
        packet[3] = (byte)seq;
        if (header.wrap(packet, 0, packet.length) != RtpStatus.OK || !header.findExtensionElement(1))
        {
            return -1;
        }
        return header.sequenceNumber() + (packet[header.elementOffset()] & 0x7F) + header.payloadLength();
    }
}
