package dev.tandem.client;

import dev.tandem.dtls.DtlsFailure;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A snapshot of one call: stage times, how it ended, and its media counts and round-trip times. Taken on the
 * client's thread and not changed after; {@link ClientCall#stats()} takes a fresh one.
 */
public final class CallStats
{
    /** Stage time of a stage not reached. */
    public static final long NOT_REACHED = Long.MIN_VALUE;

    final long[] stageNs = new long[CallStage.values().length];
    String callId;
    CallState state;
    EndReason endReason;
    String endDetail;
    int httpStatus;
    String httpReason;
    int deleteStatus;
    InetSocketAddress localAddress;
    InetSocketAddress remoteAddress;
    long iceChecksSent;
    long iceRetransmits;
    long consentChecksSent;
    long consentResponses;
    int iceErrorCode;
    String srtpProfile;
    DtlsFailure dtlsFailure;
    long framesSent;
    long framesReceived;
    long framesUnique;
    long framesOutOfOrder;
    long framesDuplicate;
    long framesCorrupt;
    long framesOtherPayloadType;
    long datagramsSent;
    long datagramsReceived;
    long bytesSent;
    long bytesReceived;
    long datagramsIgnored;
    long socketErrors;
    long srtpRefused;
    int lastSrtpStatus;
    long rtcpSent;
    long rtcpReceived;
    long senderReportsReceived;
    long receiverReportsReceived;
    boolean byeReceived;
    long jitterNs;
    long rtcpRttNs = -1;
    Histogram rttUs;

    CallStats()
    {
        Arrays.fill(stageNs, NOT_REACHED);
    }

    /**
     * @return the call id the server gave (last segment of the Location), or null before the answer.
     */
    public String callId()
    {
        return callId;
    }

    /**
     * @return the call's state when the snapshot was taken.
     */
    public CallState state()
    {
        return state;
    }

    /**
     * @return why the call ended, or null while it runs.
     */
    public EndReason endReason()
    {
        return endReason;
    }

    /**
     * @return particulars of the end (HTTP status and reason, STUN error code, DTLS failure), or null.
     */
    public String endDetail()
    {
        return endDetail;
    }

    /**
     * @return the offer's HTTP status (201 when answered), 0 when no response came.
     */
    public int httpStatus()
    {
        return httpStatus;
    }

    /**
     * @return the {@code reason} of a refused offer's JSON error body, or null.
     */
    public String httpReason()
    {
        return httpReason;
    }

    /**
     * @return the hangup's HTTP status (200 or 204 when the server knew the call), 0 when none was sent or none came.
     */
    public int deleteStatus()
    {
        return deleteStatus;
    }

    /**
     * @param stage a stage.
     * @return its {@link System#nanoTime()} time, or {@link #NOT_REACHED}.
     */
    public long timeNs(final CallStage stage)
    {
        return stageNs[stage.ordinal()];
    }

    /**
     * @param stage a stage.
     * @return true when the call reached it.
     */
    public boolean reached(final CallStage stage)
    {
        return stageNs[stage.ordinal()] != NOT_REACHED;
    }

    /**
     * @param stage a stage.
     * @return nanoseconds from sending the offer to the stage, or -1 when either was not reached.
     */
    public long sinceOfferNs(final CallStage stage)
    {
        return elapsedNs(CallStage.OFFER_SENT, stage);
    }

    /**
     * @param from the earlier stage.
     * @param to   the later stage.
     * @return nanoseconds between them, or -1 when either was not reached.
     */
    public long elapsedNs(final CallStage from, final CallStage to)
    {
        return reached(from) && reached(to) ? timeNs(to) - timeNs(from) : -1;
    }

    /**
     * @return the local address of the call's UDP socket, or null before it opened.
     */
    public InetSocketAddress localAddress()
    {
        return localAddress;
    }

    /**
     * @return the server candidate the call checked, or null before the answer.
     */
    public InetSocketAddress remoteAddress()
    {
        return remoteAddress;
    }

    /**
     * @return connectivity checks sent while checking, retransmissions included.
     */
    public long iceChecksSent()
    {
        return iceChecksSent;
    }

    /**
     * @return retransmitted connectivity checks.
     */
    public long iceRetransmits()
    {
        return iceRetransmits;
    }

    /**
     * @return consent checks sent after ICE connected.
     */
    public long consentChecksSent()
    {
        return consentChecksSent;
    }

    /**
     * @return authenticated responses to consent checks.
     */
    public long consentResponses()
    {
        return consentResponses;
    }

    /**
     * @return the STUN error code of the error response that failed ICE (e.g. 401), or 0.
     */
    public int iceErrorCode()
    {
        return iceErrorCode;
    }

    /**
     * @return the negotiated SRTP profile, or null before DTLS completed.
     */
    public String srtpProfile()
    {
        return srtpProfile;
    }

    /**
     * @return why DTLS failed, or null.
     */
    public DtlsFailure dtlsFailure()
    {
        return dtlsFailure;
    }

    /**
     * @return RTP frames sent.
     */
    public long framesSent()
    {
        return framesSent;
    }

    /**
     * @return frames of ours received back (decrypted, our payload type), duplicates included.
     */
    public long framesReceived()
    {
        return framesReceived;
    }

    /**
     * @return distinct frames of ours received back.
     */
    public long framesUnique()
    {
        return framesUnique;
    }

    /**
     * @return frames sent that never came back: sent minus distinct received.
     */
    public long framesMissing()
    {
        return Math.max(0, framesSent - framesUnique);
    }

    /**
     * @return frames that came back after a frame sent later than them.
     */
    public long framesOutOfOrder()
    {
        return framesOutOfOrder;
    }

    /**
     * @return frames that came back more than once (each extra copy).
     */
    public long framesDuplicate()
    {
        return framesDuplicate;
    }

    /**
     * @return frames that came back changed: wrong length, SSRC, filler or send time, or a counter never sent.
     */
    public long framesCorrupt()
    {
        return framesCorrupt;
    }

    /**
     * @return RTP packets of another payload type than the answer's (ignored).
     */
    public long framesOtherPayloadType()
    {
        return framesOtherPayloadType;
    }

    /**
     * @return true when every frame that came back came in order, once, and unchanged.
     */
    public boolean inOrder()
    {
        return framesOutOfOrder == 0 && framesDuplicate == 0 && framesCorrupt == 0;
    }

    /**
     * @return UDP datagrams sent (STUN, DTLS, SRTP, SRTCP).
     */
    public long datagramsSent()
    {
        return datagramsSent;
    }

    /**
     * @return UDP datagrams received.
     */
    public long datagramsReceived()
    {
        return datagramsReceived;
    }

    /**
     * @return UDP payload bytes sent.
     */
    public long bytesSent()
    {
        return bytesSent;
    }

    /**
     * @return UDP payload bytes received.
     */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    /**
     * @return datagrams that were dropped: unknown first byte (RFC 7983), STUN not ours, media before keys.
     */
    public long datagramsIgnored()
    {
        return datagramsIgnored;
    }

    /**
     * @return socket errors (ICMP port unreachable and the like).
     */
    public long socketErrors()
    {
        return socketErrors;
    }

    /**
     * @return SRTP or SRTCP packets from the server that failed to unprotect.
     */
    public long srtpRefused()
    {
        return srtpRefused;
    }

    /**
     * @return the last unprotect failure as an {@link dev.tandem.srtp.SrtpStatus}, or 0.
     */
    public int lastSrtpStatus()
    {
        return lastSrtpStatus;
    }

    /**
     * @return RTCP compound packets we sent.
     */
    public long rtcpSent()
    {
        return rtcpSent;
    }

    /**
     * @return RTCP compound packets received.
     */
    public long rtcpReceived()
    {
        return rtcpReceived;
    }

    /**
     * @return sender reports received.
     */
    public long senderReportsReceived()
    {
        return senderReportsReceived;
    }

    /**
     * @return receiver reports received (and report blocks in sender reports do not count here).
     */
    public long receiverReportsReceived()
    {
        return receiverReportsReceived;
    }

    /**
     * @return true when the server sent an RTCP BYE.
     */
    public boolean byeReceived()
    {
        return byeReceived;
    }

    /**
     * @return RFC 3550 interarrival jitter of the server's RTP stream, in nanoseconds.
     */
    public long jitterNs()
    {
        return jitterNs;
    }

    /**
     * @return round-trip time from the server's RTCP reports about our stream, or -1 without one.
     */
    public long rtcpRttNs()
    {
        return rtcpRttNs;
    }

    /**
     * @return round-trip times of echoed frames in microseconds (a copy, not updated).
     */
    public Histogram rttUs()
    {
        return rttUs;
    }

    @Override
    public String toString()
    {
        return "CallStats{callId=" + callId + ", state=" + state + ", end=" + endReason +
            (endDetail != null ? " (" + endDetail + ")" : "") + ", http=" + httpStatus +
            ", setupMs=" + millis(sinceOfferNs(CallStage.DTLS_CONNECTED)) +
            ", sent=" + framesSent + ", received=" + framesReceived + ", missing=" + framesMissing() +
            ", outOfOrder=" + framesOutOfOrder + ", duplicate=" + framesDuplicate + ", corrupt=" + framesCorrupt +
            ", rttP50Us=" + (rttUs == null || rttUs.getTotalCount() == 0 ? -1 : rttUs.getValueAtPercentile(50)) +
            ", srtpRefused=" + srtpRefused + "}";
    }

    private static String millis(final long ns)
    {
        return ns < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f", ns / 1e6);
    }
}
