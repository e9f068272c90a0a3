package dev.tandem.rtp;

/**
 * Reception statistics of one inbound SSRC, as RFC 3550 appendix A computes them: sequence number extension with
 * source validation (A.1), cumulative and interval loss (A.3), interarrival jitter (A.8), and the LSR/DLSR of the
 * sender's last SR, so the report block we send lets the browser compute its RTT and fill getStats.
 *
 * <p>Arrival times are {@code nowNs} converted to the stream's clock rate, relative to the first packet so the
 * conversion cannot overflow. Jitter is kept scaled by 16 as A.8's integer form does.
 */
public final class ReceiveStatistics
{
    /** Packets in sequence before a new source is valid (A.1). */
    public static final int MIN_SEQUENTIAL = 2;
    /** Largest forward jump taken as loss rather than a restart (A.1). */
    public static final int MAX_DROPOUT = 3000;
    /** Largest backward step taken as reordering rather than a restart (A.1). */
    public static final int MAX_MISORDER = 100;

    /** {@link #onPacket}: the packet counts and its source is valid. */
    public static final int VALID = 0;
    /** {@link #onPacket}: the source is still on probation (A.1); the packet is not counted yet. */
    public static final int PROBATION = 1;
    /** {@link #onPacket}: a very large sequence jump, counted only if the next packet confirms it (A.1). */
    public static final int BAD_SEQUENCE = 2;

    private static final int SEQ_MOD = 1 << 16;

    private final int clockRate;
    private boolean active;
    private long ssrc;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private long arrivalBaseNs;
    private boolean haveTransit;
    private int transit;
    private long jitterQ4;

    private long senderReportSsrc;
    private boolean haveSenderReport;
    private long lastSenderReport;
    private long lastSenderReportNs;

    /**
     * @param clockRate RTP clock rate of the stream in Hz (48000 for Opus).
     */
    public ReceiveStatistics(final int clockRate)
    {
        if (clockRate <= 0)
        {
            throw new IllegalArgumentException("clockRate must be positive: " + clockRate);
        }
        this.clockRate = clockRate;
    }

    /**
     * Forget the source, e.g. when the session restarts.
     */
    public void reset()
    {
        active = false;
        haveTransit = false;
        jitterQ4 = 0;
        received = 0;
        haveSenderReport = false;
    }

    /**
     * Account one RTP packet (already authenticated by SRTP). A new or changed SSRC starts a new source on
     * probation.
     *
     * @param packetSsrc   the packet's SSRC.
     * @param sequence     its 16-bit sequence number.
     * @param rtpTimestamp its RTP timestamp.
     * @param nowNs        its arrival time.
     * @return {@link #VALID}, {@link #PROBATION} or {@link #BAD_SEQUENCE}.
     */
    public int onPacket(final long packetSsrc, final int sequence, final long rtpTimestamp, final long nowNs)
    {
        final int seq = sequence & 0xFFFF;
        if (!active || packetSsrc != ssrc)
        {
            // A.1: a new source starts on probation, with max_seq one before its first packet
            active = true;
            ssrc = packetSsrc;
            initSequence(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = MIN_SEQUENTIAL;
            haveTransit = false;
            jitterQ4 = 0;
            arrivalBaseNs = nowNs;
        }
        final int result = updateSequence(seq);
        if (result == VALID)
        {
            updateJitter(rtpTimestamp, nowNs);
        }
        return result;
    }

    private void initSequence(final int seq)
    {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1; // so seq == badSeq is false
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    private int updateSequence(final int seq)
    {
        final int delta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0)
        {
            // A.1: the source is valid after MIN_SEQUENTIAL packets in sequence
            if (seq == ((maxSeq + 1) & 0xFFFF))
            {
                probation--;
                maxSeq = seq;
                if (probation == 0)
                {
                    initSequence(seq);
                    received++;
                    return VALID;
                }
            }
            else
            {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return PROBATION;
        }
        else if (delta < MAX_DROPOUT)
        {
            // A.1: in order, with a permissible gap
            if (seq < maxSeq)
            {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
        }
        else if (delta <= SEQ_MOD - MAX_MISORDER)
        {
            // A.1: a very large jump: believe it only when the next packet follows it
            if (seq == badSeq)
            {
                initSequence(seq);
            }
            else
            {
                badSeq = (seq + 1) & (SEQ_MOD - 1);
                return BAD_SEQUENCE;
            }
        }
        // else A.1: a duplicate or reordered packet, counted
        received++;
        return VALID;
    }

    private void updateJitter(final long rtpTimestamp, final long nowNs)
    {
        // A.8: transit = arrival - timestamp, both in RTP units; J += (|D| - J) / 16, kept as 16 * J
        final long arrival = RtpTime.toRtpUnits(Math.max(0, nowNs - arrivalBaseNs), clockRate);
        final int packetTransit = (int)(arrival - rtpTimestamp);
        if (haveTransit)
        {
            final long d = Math.abs((long)packetTransit - transit);
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        transit = packetTransit;
        haveTransit = true;
    }

    /**
     * Remember the sender's last SR for LSR/DLSR (RFC 3550 6.4.1).
     *
     * @param senderSsrc   the SR's sender.
     * @param ntpTimestamp its NTP timestamp.
     * @param nowNs        when it arrived.
     */
    public void onSenderReport(final long senderSsrc, final long ntpTimestamp, final long nowNs)
    {
        senderReportSsrc = senderSsrc;
        haveSenderReport = true;
        lastSenderReport = NtpTime.compact(ntpTimestamp);
        lastSenderReportNs = nowNs;
    }

    /**
     * @return true when the source is valid, so a report block about it may be sent.
     */
    public boolean hasReport()
    {
        return active && probation == 0;
    }

    /**
     * @return the SSRC these statistics are about.
     */
    public long ssrc()
    {
        return ssrc;
    }

    /**
     * @return cycles and highest sequence number received (A.1).
     */
    public long extendedHighestSequence()
    {
        return cycles + maxSeq;
    }

    /**
     * @param sequence a 16-bit sequence number close to the highest received.
     * @return its extended form on the same cycle count, for packets reordered across a wrap.
     */
    public long extendSequence(final int sequence)
    {
        return extendedHighestSequence() + (short)((sequence & 0xFFFF) - maxSeq);
    }

    /**
     * @return packets expected since the source became valid (A.3).
     */
    public long expected()
    {
        return extendedHighestSequence() - baseSeq + 1;
    }

    /**
     * @return packets received and counted, duplicates included (A.3).
     */
    public long received()
    {
        return received;
    }

    /**
     * @return cumulative packets lost, clamped to the signed 24 bits of a report block (A.3).
     */
    public int cumulativeLost()
    {
        final long lost = expected() - received;
        return (int)Math.max(-0x80_0000, Math.min(0x7F_FFFF, lost));
    }

    /**
     * Fraction lost since the previous call (A.3), in 1/256; call once per report sent.
     *
     * @return 0-255.
     */
    public int fractionLostSinceLastReport()
    {
        final long expected = expected();
        final long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        final long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        final long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0)
        {
            return 0;
        }
        return (int)Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    /**
     * @return interarrival jitter in RTP timestamp units (A.8).
     */
    public long jitter()
    {
        return jitterQ4 >> 4;
    }

    /**
     * @return LSR for our report block: the middle 32 bits of the source's last SR, or 0 without one.
     */
    public long lastSenderReport()
    {
        return haveSenderReport && senderReportSsrc == ssrc ? lastSenderReport : 0;
    }

    /**
     * @param nowNs when our report is sent.
     * @return DLSR in 1/65536 seconds since the source's last SR arrived, or 0 without one.
     */
    public long delaySinceLastSenderReport(final long nowNs)
    {
        return haveSenderReport && senderReportSsrc == ssrc ? NtpTime.toShortUnits(nowNs - lastSenderReportNs) : 0;
    }

    /**
     * Write the report block about this source, consuming the loss interval.
     *
     * @param buffer where to write.
     * @param offset where the block starts.
     * @param nowNs  when the report is sent.
     * @return bytes written (24).
     */
    public int writeReportBlock(final byte[] buffer, final int offset, final long nowNs)
    {
        return RtcpWriter.writeReportBlock(
            buffer,
            offset,
            ssrc,
            fractionLostSinceLastReport(),
            cumulativeLost(),
            extendedHighestSequence() & 0xFFFF_FFFFL,
            jitter() & 0xFFFF_FFFFL,
            lastSenderReport(),
            delaySinceLastSenderReport(nowNs));
    }
}
