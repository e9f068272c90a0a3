package dev.tandem.rtp;

import org.agrona.DirectBuffer;

/**
 * Paces one session's outbound audio: the backend may deliver frames in bursts (text-to-speech runs faster than
 * real time), the browser wants one RTP packet per frame duration. Frames wait in a preallocated {@link FrameQueue};
 * {@link #poll} writes the next RTP packet (header and payload) when its time has come. Sans-IO: frames and
 * {@code nowNs} in, packets and {@link #deadlineNs()} out.
 *
 * <p>Timing, on an ideal timeline of one slot per frame duration:
 * <ul>
 *     <li>A frame may leave up to one frame duration before its slot, so a source that streams in real time is never
 *     held back by jitter, while a burst (text-to-speech runs faster than real time) goes out as two frames and then
 *     one per frame duration: the long-run rate never exceeds real time.</li>
 *     <li>A frame that finds the queue empty and arrives even earlier than that pulls the timeline earlier by at
 *     most 1/20 of a frame, so a timeline anchored on a slow first frame converges on the source's real latency
 *     instead of adding that first delay to every later frame, while a faster-than-real-time source gains at most
 *     5 %.</li>
 *     <li>A poll late by up to {@link #MAX_CATCH_UP_FRAMES} frames while frames waited (the agent stalled) catches up
 *     at once and keeps the timeline; later than that the timeline restarts at now and the resync is counted. The
 *     RTP timestamps stay contiguous because the audio is.</li>
 *     <li>When the queue ran dry and the next frame comes more than one frame after its slot, that is silence: a new
 *     talkspurt starts with the marker bit and the RTP timestamp advanced by the silence (RFC 3551 4.1).</li>
 *     <li>A standing queue is latency: a source that streams in real time (a speech-to-speech model, or an echo)
 *     never lets a backlog left by a stall drain, so every later frame would wait as long. When, over a window of
 *     {@link #DRAIN_WINDOW_FRAMES} sends, frames kept arriving at about the rate they left (3/4 to 5/4 of it) and the
 *     queue never fell below {@link #STANDING_FRAMES} frames after a send, the next window sends the given percentage
 *     faster, until the queue is short again. The backlog moves into the client's jitter buffer, which plays it out
 *     by time-compressing (WebRTC's NetEq accelerates). A burst (text-to-speech ahead of real time) or a source that
 *     outruns real time is not a standing backlog and keeps real time; 0 % turns draining off.</li>
 * </ul>
 * {@link #clear()} (barge-in) drops every queued frame at once and marks the next packet too.
 *
 * <p>{@link #poll} writes at most one packet per call: call it again while it returns a packet, so a late agent
 * catches up on the ideal timeline.
 */
public final class OutboundPacer
{
    /** Longest frame accepted, 120 ms (the longest Opus frame, RFC 6716 2.1.4). */
    public static final int MAX_FRAME_DURATION_US = 120_000;
    /** How many frames late a stalled poll may be and still catch up without moving the timeline. */
    public static final int MAX_CATCH_UP_FRAMES = 5;
    /** The timeline moves earlier by at most one part in this many of a frame per early frame. */
    private static final int ADAPT_DIVISOR = 20;
    /** Sends over which the queue's low point is watched to tell a standing backlog. */
    public static final int DRAIN_WINDOW_FRAMES = 50;
    /**
     * A queue that never fell below this many frames after a send during a whole window is a standing backlog: with
     * the one-frame lead, a frame of a real-time source that is on time leaves as it arrives, so even one frame that
     * always waits is a frame duration of added latency.
     */
    public static final int STANDING_FRAMES = 1;
    /** How much faster than real time a standing backlog drains by default, in percent. */
    public static final int DEFAULT_DRAIN_PERCENT = 10;
    /** Most accepted for the drain rate, in percent. */
    public static final int MAX_DRAIN_PERCENT = 50;

    private final FrameQueue queue;
    private final int[] durationsUs;
    private final int maxPayloadBytes;
    private final int clockRate;
    private final int payloadType;
    private final long ssrc;
    private final int drainPercent;

    private boolean running;
    private boolean markNext = true;
    private boolean ranDry = true;
    private long nextSendNs;
    private long dryArrivalNs;
    private long nextTimestamp;
    private int sequence;
    private long lastTimestamp;
    private int lastPayloadLength;
    private int windowSends;
    private int windowLowFrames = Integer.MAX_VALUE;
    private long windowStartQueued;
    private boolean draining;

    private long framesQueued;
    private long framesSent;
    private long overflowDrops;
    private long tooLargeDrops;
    private long invalidDrops;
    private long clearedFrames;
    private long lateResyncs;
    private long talkspurts;
    private long drainedFrames;
    private long drainedNs;

    /**
     * @param capacityFrames   most frames queued (rounded up to a power of two).
     * @param capacityBytes    bytes of frame payload queued.
     * @param maxPayloadBytes  largest frame accepted.
     * @param clockRate        RTP clock rate in Hz (48000 for Opus).
     * @param payloadType      negotiated payload type.
     * @param ssrc             our SSRC.
     * @param initialSequence  first RTP sequence number (random, RFC 3550 5.1).
     * @param initialTimestamp first RTP timestamp (random, RFC 3550 5.1).
     */
    public OutboundPacer(
        final int capacityFrames,
        final int capacityBytes,
        final int maxPayloadBytes,
        final int clockRate,
        final int payloadType,
        final long ssrc,
        final int initialSequence,
        final long initialTimestamp)
    {
        this(capacityFrames, capacityBytes, maxPayloadBytes, clockRate, payloadType, ssrc, initialSequence,
            initialTimestamp, DEFAULT_DRAIN_PERCENT);
    }

    /**
     * @param capacityFrames   most frames queued (rounded up to a power of two).
     * @param capacityBytes    bytes of frame payload queued.
     * @param maxPayloadBytes  largest frame accepted.
     * @param clockRate        RTP clock rate in Hz (48000 for Opus).
     * @param payloadType      negotiated payload type.
     * @param ssrc             our SSRC.
     * @param initialSequence  first RTP sequence number (random, RFC 3550 5.1).
     * @param initialTimestamp first RTP timestamp (random, RFC 3550 5.1).
     * @param drainPercent     how much faster than real time a standing backlog is sent, 0 to
     *                         {@link #MAX_DRAIN_PERCENT}; 0 keeps strict real time.
     */
    public OutboundPacer(
        final int capacityFrames,
        final int capacityBytes,
        final int maxPayloadBytes,
        final int clockRate,
        final int payloadType,
        final long ssrc,
        final int initialSequence,
        final long initialTimestamp,
        final int drainPercent)
    {
        if (clockRate <= 0 || maxPayloadBytes <= 0 || payloadType < 0 || payloadType > 127 ||
            drainPercent < 0 || drainPercent > MAX_DRAIN_PERCENT)
        {
            throw new IllegalArgumentException("bad pacer settings: clockRate=" + clockRate +
                " maxPayloadBytes=" + maxPayloadBytes + " payloadType=" + payloadType +
                " drainPercent=" + drainPercent);
        }
        this.drainPercent = drainPercent;
        this.queue = new FrameQueue(capacityFrames, capacityBytes);
        this.durationsUs = new int[queue.capacityFrames()];
        this.maxPayloadBytes = maxPayloadBytes;
        this.clockRate = clockRate;
        this.payloadType = payloadType;
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        this.sequence = initialSequence & 0xFFFF;
        this.nextTimestamp = initialTimestamp & 0xFFFF_FFFFL;
    }

    /**
     * Queue a frame from the backend.
     *
     * @param source          holds the frame.
     * @param offset          where it starts.
     * @param length          its length.
     * @param frameDurationUs its duration (1 us to 120 ms).
     * @param nowNs           now.
     * @return true when queued; false when dropped and counted (queue full, too large, bad duration).
     */
    public boolean enqueue(
        final DirectBuffer source, final int offset, final int length, final int frameDurationUs, final long nowNs)
    {
        if (!admissible(length, frameDurationUs))
        {
            return false;
        }
        return queued(queue.offer(source, offset, length), frameDurationUs, nowNs);
    }

    /**
     * Queue a frame from the backend.
     *
     * @param source          holds the frame.
     * @param offset          where it starts.
     * @param length          its length.
     * @param frameDurationUs its duration (1 us to 120 ms).
     * @param nowNs           now.
     * @return true when queued; false when dropped and counted (queue full, too large, bad duration).
     */
    public boolean enqueue(
        final byte[] source, final int offset, final int length, final int frameDurationUs, final long nowNs)
    {
        if (!admissible(length, frameDurationUs))
        {
            return false;
        }
        return queued(queue.offer(source, offset, length), frameDurationUs, nowNs);
    }

    private boolean admissible(final int length, final int frameDurationUs)
    {
        if (frameDurationUs <= 0 || frameDurationUs > MAX_FRAME_DURATION_US || length <= 0)
        {
            invalidDrops++;
            return false;
        }
        if (length > maxPayloadBytes)
        {
            tooLargeDrops++;
            return false;
        }
        return true;
    }

    private boolean queued(final int slot, final int frameDurationUs, final long nowNs)
    {
        if (slot < 0)
        {
            overflowDrops++;
            return false;
        }
        durationsUs[slot] = frameDurationUs;
        framesQueued++;
        if (!running)
        {
            running = true;
            nextSendNs = nowNs;
            dryArrivalNs = nowNs;
        }
        else if (ranDry && queue.size() == 1)
        {
            dryArrivalNs = nowNs;
            final long leadNs = frameDurationUs * 1_000L;
            final long earlyNs = nextSendNs - nowNs - leadNs;
            if (earlyNs > 0)
            {
                nextSendNs -= Math.min(earlyNs, leadNs / ADAPT_DIVISOR);
            }
        }
        return true;
    }

    /**
     * Write the next RTP packet if one is due.
     *
     * @param nowNs    now.
     * @param buffer   where to write the packet (then SRTP-protect it in place, leaving room for its tag).
     * @param offset   where the packet starts.
     * @param capacity bytes available from offset.
     * @return the packet length, or 0 when nothing is due.
     */
    public int poll(final long nowNs, final byte[] buffer, final int offset, final int capacity)
    {
        final int slot = queue.headSlot();
        if (slot < 0)
        {
            return 0;
        }
        final int durationUs = durationsUs[slot];
        final long durationNs = durationUs * 1_000L;
        if (nowNs < nextSendNs - durationNs)
        {
            return 0;
        }
        if (ranDry)
        {
            // silence is how late the frame that ended the dry spell arrived, not how late this poll is: a poll
            // delayed by a stalled agent must not be taken for a pause in the audio
            final long silenceNs = dryArrivalNs - nextSendNs;
            if (silenceNs > durationNs)
            {
                // RFC 3551 4.1: after silence the timestamp jumps by the silence and the marker starts a talkspurt
                nextTimestamp = (nextTimestamp + RtpTime.toRtpUnits(silenceNs, clockRate)) & 0xFFFF_FFFFL;
                markNext = true;
                nextSendNs = dryArrivalNs;
            }
        }
        if (nowNs - nextSendNs > MAX_CATCH_UP_FRAMES * durationNs)
        {
            lateResyncs++;
            nextSendNs = nowNs;
        }

        final int length = queue.length(slot);
        if (RtpDescriptor.RTP_HEADER_LENGTH + length > capacity)
        {
            tooLargeDrops++;
            queue.removeHead();
            return 0;
        }
        if (markNext)
        {
            talkspurts++;
        }
        RtpWriter.writeHeader(buffer, offset, markNext, payloadType, sequence, nextTimestamp, ssrc);
        queue.buffer().getBytes(queue.offset(slot), buffer, offset + RtpDescriptor.RTP_HEADER_LENGTH, length);
        queue.removeHead();

        lastTimestamp = nextTimestamp;
        lastPayloadLength = length;
        sequence = (sequence + 1) & 0xFFFF;
        nextTimestamp = (nextTimestamp + RtpTime.frameUnits(durationUs, clockRate)) & 0xFFFF_FFFFL;
        if (draining)
        {
            final long gainNs = durationNs * drainPercent / 100;
            nextSendNs += durationNs - gainNs;
            drainedFrames++;
            drainedNs += gainNs;
        }
        else
        {
            nextSendNs += durationNs;
        }
        markNext = false;
        ranDry = queue.isEmpty();
        framesSent++;
        watchBacklog();
        return RtpDescriptor.RTP_HEADER_LENGTH + length;
    }

    private void watchBacklog()
    {
        final int left = queue.size();
        if (left < windowLowFrames)
        {
            windowLowFrames = left;
        }
        if (++windowSends >= DRAIN_WINDOW_FRAMES)
        {
            final long arrived = framesQueued - windowStartQueued;
            final boolean steadySource = arrived * 4 >= windowSends * 3L && arrived * 4 <= windowSends * 5L;
            draining = drainPercent > 0 && steadySource && windowLowFrames >= STANDING_FRAMES;
            restartWindow();
        }
        else if (left < STANDING_FRAMES)
        {
            draining = false;
        }
    }

    /**
     * Barge-in: drop every queued frame at once; the next packet carries the marker bit.
     */
    public void clear()
    {
        clearedFrames += queue.size();
        queue.clear();
        markNext = true;
        ranDry = true;
        draining = false;
        restartWindow();
    }

    private void restartWindow()
    {
        windowSends = 0;
        windowLowFrames = Integer.MAX_VALUE;
        windowStartQueued = framesQueued;
    }

    /**
     * @return when {@link #poll} next has a packet, or {@link Long#MAX_VALUE} when the queue is empty.
     */
    public long deadlineNs()
    {
        return queue.isEmpty() ? Long.MAX_VALUE : nextSendNs - durationsUs[queue.headSlot()] * 1_000L;
    }

    /**
     * @return frames queued now.
     */
    public int queuedFrames()
    {
        return queue.size();
    }

    /**
     * @return RTP timestamp of the last packet written.
     */
    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    /**
     * @return payload length of the last packet written.
     */
    public int lastPayloadLength()
    {
        return lastPayloadLength;
    }

    /**
     * @return the sequence number the next packet gets.
     */
    public int nextSequence()
    {
        return sequence;
    }

    /**
     * @return frames accepted into the queue.
     */
    public long framesQueued()
    {
        return framesQueued;
    }

    /**
     * @return packets written.
     */
    public long framesSent()
    {
        return framesSent;
    }

    /**
     * @return frames dropped because the queue was full.
     */
    public long overflowDrops()
    {
        return overflowDrops;
    }

    /**
     * @return frames dropped for exceeding the largest payload or the output buffer.
     */
    public long tooLargeDrops()
    {
        return tooLargeDrops;
    }

    /**
     * @return frames dropped for an empty payload or a bad duration.
     */
    public long invalidDrops()
    {
        return invalidDrops;
    }

    /**
     * @return frames dropped by {@link #clear()}.
     */
    public long clearedFrames()
    {
        return clearedFrames;
    }

    /**
     * @return times a late poll restarted the timeline.
     */
    public long lateResyncs()
    {
        return lateResyncs;
    }

    /**
     * @return whether a standing backlog is being sent faster than real time now.
     */
    public boolean draining()
    {
        return draining;
    }

    /**
     * @return packets sent faster than real time to drain a standing backlog.
     */
    public long drainedFrames()
    {
        return drainedFrames;
    }

    /**
     * @return nanoseconds of queueing delay removed by draining standing backlogs.
     */
    public long drainedNs()
    {
        return drainedNs;
    }

    /**
     * @return talkspurts started (packets sent with the marker bit).
     */
    public long talkspurts()
    {
        return talkspurts;
    }
}
