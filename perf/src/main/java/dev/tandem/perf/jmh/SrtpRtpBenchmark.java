package dev.tandem.perf.jmh;

import dev.tandem.srtp.SrtpContext;
import dev.tandem.srtp.SrtpProfile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * SRTP protect and unprotect rates for the shape of ../shared/baseline/srtp-bench.c: one SSRC, 12-byte RTP header
 * plus 160-byte payload (20 ms of G.711), consecutive sequence numbers. Each operation copies the packet into a
 * work array first (172 or 182/188 bytes), which libsrtp's harness does outside its timing, so these rates slightly
 * understate the SRTP work. {@code jdkInternals=false} forces the public-JCA path.
 * <p>
 * Unprotect replays a ring of 1024 packets protected at setup (as srtp-bench's batches of 1024); when the ring
 * wraps, the receiver forgets the SSRC so the replayed indices are new to it (one cold call per 1024).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SrtpRtpBenchmark
{
    static final int SSRC = 0x11223344;
    static final int HEADER_LENGTH = 12;
    static final int PAYLOAD_LENGTH = 160;
    static final int RTP_LENGTH = HEADER_LENGTH + PAYLOAD_LENGTH;
    static final int SLOT_LENGTH = RTP_LENGTH + SrtpContext.MAX_TRAILER;
    static final int RING = 1024;

    /** Protection profile. */
    @Param({ "AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM" })
    public String profile;

    /** Whether the JDK's intrinsified internals may be used (true) or only the public JCA (false). */
    @Param({ "true", "false" })
    public boolean jdkInternals;

    private SrtpContext sender;
    private SrtpContext receiver;
    private final byte[] plain = new byte[RTP_LENGTH];
    private final byte[] work = new byte[SLOT_LENGTH];
    private final byte[] ring = new byte[RING * SLOT_LENGTH];
    private int srtpLength;
    private int sequence;
    private int ringIndex;

    /**
     * Key both directions the same way srtp-bench does and protect the unprotect ring.
     */
    @Setup
    public void setup()
    {
        final SrtpProfile srtpProfile = SrtpProfile.valueOf(profile);
        final byte[] key = new byte[srtpProfile.keyLength()];
        final byte[] salt = new byte[srtpProfile.saltLength()];
        for (int i = 0; i < key.length + salt.length; i++)
        {
            final byte b = (byte)(i * 7 + 1);
            if (i < key.length)
            {
                key[i] = b;
            }
            else
            {
                salt[i - key.length] = b;
            }
        }
        sender = new SrtpContext(srtpProfile, key, salt, 4, jdkInternals);
        receiver = new SrtpContext(srtpProfile, key, salt, 4, jdkInternals);
        final SrtpContext ringSender = new SrtpContext(srtpProfile, key, salt, 4, jdkInternals);
        for (int i = 0; i < RING; i++)
        {
            writeRtp(plain, i);
            System.arraycopy(plain, 0, ring, i * SLOT_LENGTH, RTP_LENGTH);
            srtpLength = ringSender.protectRtp(ring, i * SLOT_LENGTH, RTP_LENGTH);
            if (srtpLength < 0)
            {
                throw new IllegalStateException("protect failed: " + srtpLength);
            }
        }
        writeRtp(plain, 0);
        System.out.println("crypto path: " + sender.cryptoPath());
    }

    /**
     * Protect one packet with the next sequence number (the ROC advances every 65536).
     *
     * @return the SRTP length.
     */
    @Benchmark
    public int protect()
    {
        final byte[] packet = work;
        System.arraycopy(plain, 0, packet, 0, RTP_LENGTH);
        final int seq = sequence++;
        packet[2] = (byte)(seq >>> 8);
        packet[3] = (byte)seq;
        return sender.protectRtp(packet, 0, RTP_LENGTH);
    }

    /**
     * Unprotect the next packet of the ring, in order.
     *
     * @return the RTP length.
     */
    @Benchmark
    public int unprotect()
    {
        final int index = ringIndex;
        if (index == RING)
        {
            receiver.removeSsrc(SSRC);
            ringIndex = 0;
            return unprotect();
        }
        ringIndex = index + 1;
        final byte[] packet = work;
        System.arraycopy(ring, index * SLOT_LENGTH, packet, 0, srtpLength);
        final int result = receiver.unprotectRtp(packet, 0, srtpLength);
        if (result != RTP_LENGTH)
        {
            throw new IllegalStateException("unprotect failed: " + result);
        }
        return result;
    }

    static void writeRtp(final byte[] packet, final int seq)
    {
        final int timestamp = seq * 160;
        packet[0] = (byte)0x80;
        packet[1] = 0;
        packet[2] = (byte)(seq >>> 8);
        packet[3] = (byte)seq;
        packet[4] = (byte)(timestamp >>> 24);
        packet[5] = (byte)(timestamp >>> 16);
        packet[6] = (byte)(timestamp >>> 8);
        packet[7] = (byte)timestamp;
        packet[8] = (byte)(SSRC >>> 24);
        packet[9] = (byte)(SSRC >>> 16);
        packet[10] = (byte)(SSRC >>> 8);
        packet[11] = (byte)SSRC;
        for (int i = HEADER_LENGTH; i < RTP_LENGTH; i++)
        {
            packet[i] = (byte)seq;
        }
    }
}
