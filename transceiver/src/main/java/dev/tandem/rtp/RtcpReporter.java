package dev.tandem.rtp;

import org.agrona.concurrent.EpochNanoClock;

/**
 * The RTCP side of one audio session: it keeps our send statistics and the receive statistics of the peer's
 * stream, reads the peer's compound RTCP, computes the round-trip time from the peer's report about us, and writes
 * our reports (SR or RR, then SDES CNAME) when the {@link RtcpScheduler} says so. Sans-IO: bytes and
 * {@code nowNs} in, bytes and a deadline out; the wall clock for the SR's NTP timestamp is injected.
 *
 * <p>RTT: RFC 3550 6.4.1 computes {@code A - LSR - DLSR} with {@code A} the arrival time on the NTP wall clock. We
 * remember the compact NTP time and the monotonic {@code nowNs} of our last {@value #SENT_REPORTS} SRs, and when the
 * peer's LSR matches one compute {@code now - sentNs - DLSR} on the monotonic clock, which a wall-clock step cannot
 * disturb; an LSR we no longer remember falls back to the RFC formula on the wall clock.
 */
public final class RtcpReporter implements RtcpHandler
{
    /** How many of our recent SRs are remembered for RTT matching. */
    public static final int SENT_REPORTS = 8;

    private final long localSsrc;
    private final byte[] cname;
    private final EpochNanoClock wallClock;
    private final RtcpScheduler scheduler;
    private final RtcpParser parser;
    private final SendStatistics sendStatistics;
    private final ReceiveStatistics receiveStatistics;
    private final long[] sentCompactNtp = new long[SENT_REPORTS];
    private final long[] sentNs = new long[SENT_REPORTS];
    private int sentReports;

    private long parseNowNs;
    private long rttNs = -1;
    private long rttSamples;
    private boolean haveRemoteReport;
    private int remoteFractionLost;
    private int remoteCumulativeLost;
    private long remoteJitter;
    private long remoteExtendedHighestSequence;
    private boolean byeReceived;
    private long reportsTooLarge;

    /**
     * @param localSsrc          our SSRC.
     * @param cname              our CNAME (RFC 7022: random per session), at most 255 bytes; copied.
     * @param clockRate          RTP clock rate of the stream in Hz.
     * @param wallClock          wall clock for the SR's NTP timestamp.
     * @param scheduler          decides when reports are due.
     * @param reducedSizeAllowed accept reduced-size RTCP from the peer (RFC 5506, {@code a=rtcp-rsize}).
     */
    public RtcpReporter(
        final long localSsrc,
        final byte[] cname,
        final int clockRate,
        final EpochNanoClock wallClock,
        final RtcpScheduler scheduler,
        final boolean reducedSizeAllowed)
    {
        if (cname.length > 255)
        {
            throw new IllegalArgumentException("CNAME longer than 255 bytes: " + cname.length);
        }
        this.localSsrc = localSsrc & 0xFFFF_FFFFL;
        this.cname = cname.clone();
        this.wallClock = wallClock;
        this.scheduler = scheduler;
        this.parser = new RtcpParser(reducedSizeAllowed);
        this.sendStatistics = new SendStatistics(clockRate);
        this.receiveStatistics = new ReceiveStatistics(clockRate);
    }

    /**
     * @param cnameLength CNAME length in bytes.
     * @return the most bytes {@link #poll} or {@link #writeBye} may write.
     */
    public static int maxReportLength(final int cnameLength)
    {
        return RtcpWriter.senderReportLength(1) + RtcpWriter.sdesCnameLength(cnameLength) + 8;
    }

    /**
     * Start the report timer (when media starts flowing).
     *
     * @param nowNs now.
     */
    public void start(final long nowNs)
    {
        scheduler.start(nowNs);
    }

    /**
     * Account an inbound RTP packet.
     *
     * @param ssrc         its SSRC.
     * @param sequence     its sequence number.
     * @param rtpTimestamp its RTP timestamp.
     * @param nowNs        its arrival time.
     * @return {@link ReceiveStatistics#VALID}, {@link ReceiveStatistics#PROBATION} or
     * {@link ReceiveStatistics#BAD_SEQUENCE}.
     */
    public int onRtpReceived(final long ssrc, final int sequence, final long rtpTimestamp, final long nowNs)
    {
        return receiveStatistics.onPacket(ssrc, sequence, rtpTimestamp, nowNs);
    }

    /**
     * Account an outbound RTP packet.
     *
     * @param rtpTimestamp  its RTP timestamp.
     * @param payloadLength its payload length.
     * @param nowNs         when it was sent.
     */
    public void onRtpSent(final long rtpTimestamp, final int payloadLength, final long nowNs)
    {
        sendStatistics.onPacketSent(rtpTimestamp, payloadLength, nowNs);
    }

    /**
     * Read an inbound compound RTCP packet.
     *
     * @param buffer holds it (after SRTCP unprotect).
     * @param offset where it starts.
     * @param length its length.
     * @param nowNs  its arrival time.
     * @return {@link RtcpStatus#OK} or why it was rejected.
     */
    public RtcpStatus onRtcp(final byte[] buffer, final int offset, final int length, final long nowNs)
    {
        parseNowNs = nowNs;
        return parser.parse(buffer, offset, length, this);
    }

    /**
     * @return when {@link #poll} next has a report to write, or {@link Long#MAX_VALUE}.
     */
    public long deadlineNs()
    {
        return scheduler.deadlineNs();
    }

    /**
     * Write our compound report if one is due.
     *
     * @param nowNs    now.
     * @param buffer   where to write.
     * @param offset   where the compound starts.
     * @param capacity bytes available from offset; {@link #maxReportLength(int)} always suffices.
     * @return bytes written, 0 when nothing is due (or the buffer is too small, counted).
     */
    public int poll(final long nowNs, final byte[] buffer, final int offset, final int capacity)
    {
        if (!scheduler.isDue(nowNs))
        {
            return 0;
        }
        final int length = writeReport(nowNs, buffer, offset, capacity);
        scheduler.onReportSent(nowNs);
        return length;
    }

    /**
     * Write a final compound, report then BYE (RFC 3550 6.1: BYE last), and stop the timer.
     *
     * @param nowNs    now.
     * @param buffer   where to write.
     * @param offset   where the compound starts.
     * @param capacity bytes available from offset.
     * @return bytes written, or 0 when the buffer is too small (counted).
     */
    public int writeBye(final long nowNs, final byte[] buffer, final int offset, final int capacity)
    {
        scheduler.stop();
        final int reportLength = writeReport(nowNs, buffer, offset, capacity - 8);
        if (reportLength == 0)
        {
            return 0;
        }
        return reportLength + RtcpWriter.writeBye(buffer, offset + reportLength, localSsrc);
    }

    /**
     * Write SR (when we sent media since the report before last, RFC 3550 6.4) or RR, with a report block about the
     * peer's stream once it is valid, then SDES CNAME.
     */
    private int writeReport(final long nowNs, final byte[] buffer, final int offset, final int capacity)
    {
        final boolean sender = sendStatistics.isSender();
        final int blocks = receiveStatistics.hasReport() ? 1 : 0;
        final int reportLength = sender ?
            RtcpWriter.senderReportLength(blocks) : RtcpWriter.receiverReportLength(blocks);
        final int total = reportLength + RtcpWriter.sdesCnameLength(cname.length);
        if (total > capacity || !NetworkBytes.inBounds(buffer, offset, total))
        {
            reportsTooLarge++;
            return 0;
        }
        int position = offset;
        if (sender)
        {
            final long ntp = NtpTime.fromEpochNs(wallClock.nanoTime());
            position += RtcpWriter.writeSenderReport(
                buffer,
                position,
                localSsrc,
                ntp,
                sendStatistics.rtpTimestampAt(nowNs),
                sendStatistics.packetCount() & 0xFFFF_FFFFL,
                sendStatistics.octetCount() & 0xFFFF_FFFFL,
                blocks);
            final int slot = sentReports++ % SENT_REPORTS;
            sentCompactNtp[slot] = NtpTime.compact(ntp);
            sentNs[slot] = nowNs;
        }
        else
        {
            position += RtcpWriter.writeReceiverReport(buffer, position, localSsrc, blocks);
        }
        if (blocks > 0)
        {
            position += receiveStatistics.writeReportBlock(buffer, position, nowNs);
        }
        position += RtcpWriter.writeSdesCname(buffer, position, localSsrc, cname, 0, cname.length);
        sendStatistics.onReportSent();
        return position - offset;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onSenderReport(
        final long ssrc,
        final long ntpTimestamp,
        final long rtpTimestamp,
        final long packetCount,
        final long octetCount)
    {
        receiveStatistics.onSenderReport(ssrc, ntpTimestamp, parseNowNs);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onReportBlock(
        final long reporterSsrc,
        final long sourceSsrc,
        final int fractionLost,
        final int cumulativeLost,
        final long extendedHighestSequence,
        final long jitter,
        final long lastSenderReport,
        final long delaySinceLastSenderReport)
    {
        if (sourceSsrc != localSsrc)
        {
            return;
        }
        haveRemoteReport = true;
        remoteFractionLost = fractionLost;
        remoteCumulativeLost = cumulativeLost;
        remoteJitter = jitter;
        remoteExtendedHighestSequence = extendedHighestSequence;
        if (lastSenderReport != 0) // RFC 3550 6.4.1: LSR 0 means no SR received yet
        {
            updateRtt(lastSenderReport, delaySinceLastSenderReport);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onBye(final long ssrc)
    {
        if (ssrc == receiveStatistics.ssrc())
        {
            byeReceived = true;
        }
    }

    private void updateRtt(final long lastSenderReport, final long delaySinceLastSenderReport)
    {
        final long delayNs = NtpTime.fromShortUnits(delaySinceLastSenderReport);
        final int remembered = Math.min(sentReports, SENT_REPORTS);
        for (int i = 0; i < remembered; i++)
        {
            if (sentCompactNtp[i] == lastSenderReport)
            {
                recordRtt(parseNowNs - sentNs[i] - delayNs);
                return;
            }
        }
        // RFC 3550 6.4.1: RTT = A - LSR - DLSR, A the arrival time in compact NTP
        final long arrival = NtpTime.compact(NtpTime.fromEpochNs(wallClock.nanoTime()));
        final long units = (arrival - lastSenderReport - delaySinceLastSenderReport) & 0xFFFF_FFFFL;
        if (units < 0x8000_0000L)
        {
            recordRtt(NtpTime.fromShortUnits(units));
        }
    }

    private void recordRtt(final long sampleNs)
    {
        rttNs = Math.max(0, sampleNs);
        rttSamples++;
    }

    /**
     * @return the latest round-trip time in nanoseconds, or -1 before the peer reported on one of our SRs.
     */
    public long rttNs()
    {
        return rttNs;
    }

    /**
     * @return RTT samples taken.
     */
    public long rttSamples()
    {
        return rttSamples;
    }

    /**
     * @return true once the peer sent a report block about our stream.
     */
    public boolean hasRemoteReport()
    {
        return haveRemoteReport;
    }

    /**
     * @return the peer's last fraction lost of our stream, in 1/256.
     */
    public int remoteFractionLost()
    {
        return remoteFractionLost;
    }

    /**
     * @return the peer's cumulative loss of our stream.
     */
    public int remoteCumulativeLost()
    {
        return remoteCumulativeLost;
    }

    /**
     * @return the peer's interarrival jitter of our stream in RTP units.
     */
    public long remoteJitter()
    {
        return remoteJitter;
    }

    /**
     * @return the peer's extended highest sequence number of our stream.
     */
    public long remoteExtendedHighestSequence()
    {
        return remoteExtendedHighestSequence;
    }

    /**
     * @return true once the peer's media source said BYE.
     */
    public boolean byeReceived()
    {
        return byeReceived;
    }

    /**
     * @return reports not written because the buffer was too small.
     */
    public long reportsTooLarge()
    {
        return reportsTooLarge;
    }

    /**
     * @return our SSRC.
     */
    public long localSsrc()
    {
        return localSsrc;
    }

    /**
     * @return statistics of what we sent.
     */
    public SendStatistics sendStatistics()
    {
        return sendStatistics;
    }

    /**
     * @return statistics of what the peer sent us.
     */
    public ReceiveStatistics receiveStatistics()
    {
        return receiveStatistics;
    }

    /**
     * @return the parser, for its per-type counts.
     */
    public RtcpParser parser()
    {
        return parser;
    }

    /**
     * @return the report timer.
     */
    public RtcpScheduler scheduler()
    {
        return scheduler;
    }
}
