package dev.tandem.rtp;

import org.agrona.BitUtil;

import java.util.Arrays;

/**
 * Puts one session's inbound audio frames back in order and removes duplicates before the backend sees them.
 * Sans-IO: frames and {@code nowNs} go in, released frames come out through a {@link FrameHandler} in sequence
 * order, and {@link #deadlineNs()} says when a waiting gap must be given up.
 *
 * <p>Policy, chosen for conversational latency:
 * <ul>
 *   <li>A frame that is next in sequence is released at once, straight from the caller's buffer (no copy).</li>
 *   <li>A frame after a gap is copied into a preallocated slot. The gap is waited for until the oldest waiting frame
 *   has waited {@code maxWaitNs} (e.g. 40 ms) or {@code maxWaitFrames} frames wait behind it; then the missing
 *   frames are skipped and counted lost, and the waiting frames are released in order.</li>
 *   <li>The window holds {@code capacity} sequence numbers from the next expected one; a frame beyond it forces the
 *   oldest frames out (released, or skipped and counted lost) to make room.</li>
 *   <li>A frame already released, or still waiting, is a duplicate; a frame older than the window is late. Both are
 *   dropped and counted.</li>
 *   <li>A jump of {@link ReceiveStatistics#MAX_DROPOUT} or more ahead, or {@link ReceiveStatistics#MAX_MISORDER}
 *   or more behind, is believed only when the next frame follows it (as RFC 3550 A.1 validates sequence jumps): then
 *   the buffer resynchronises without counting the jump as loss.</li>
 * </ul>
 * Sequence numbers and timestamps are extended to 64 bits, so 16-bit and 32-bit wraps are invisible to the handler
 * and the released sequence only grows. The first frame defines the start: a frame older than it is late.
 */
public final class JitterBuffer
{
    /** Receives released frames. */
    @FunctionalInterface
    public interface FrameHandler
    {
        /**
         * One frame, in order. The bytes are valid only during the call.
         *
         * @param sequence     extended sequence number.
         * @param rtpTimestamp extended RTP timestamp.
         * @param arrivalNs    when the frame arrived.
         * @param buffer       holds the payload.
         * @param offset       where it starts.
         * @param length       its length.
         */
        void onFrame(long sequence, long rtpTimestamp, long arrivalNs, byte[] buffer, int offset, int length);
    }

    /** What {@link #insert} did with a frame. */
    public enum Result
    {
        /** Released at once or buffered. */
        ACCEPTED,
        /** Accepted after a confirmed sequence discontinuity; the buffer resynchronised. */
        RESYNCED,
        /** Already released or already waiting: dropped. */
        DUPLICATE,
        /** Older than the window: dropped. */
        LATE,
        /** Larger than a slot: dropped. */
        TOO_LARGE,
        /** A sequence jump not yet confirmed by a following frame: dropped. */
        DISCONTINUITY
    }

    private static final long EMPTY = -1;

    private final int capacity;
    private final int mask;
    private final int slotBytes;
    private final long maxWaitNs;
    private final int maxWaitFrames;
    private final byte[] data;
    private final long[] slotSequence;
    private final long[] slotTimestamp;
    private final long[] slotArrivalNs;
    private final int[] slotLength;

    private boolean started;
    private long nextSequence;
    private long lastTimestamp;
    private long releasedBits;
    private int waiting;
    private int badSequence = -1;

    private long accepted;
    private long released;
    private long lost;
    private long duplicates;
    private long late;
    private long tooLarge;
    private long discontinuities;
    private long resyncs;

    /**
     * @param capacity      sequence numbers the window holds (e.g. 16); rounded up to a power of two.
     * @param slotBytes     largest payload a slot holds.
     * @param maxWaitNs     longest a frame waits for a gap before it (e.g. 40 ms).
     * @param maxWaitFrames frames that may wait behind a gap before it is given up (at most the capacity).
     */
    public JitterBuffer(final int capacity, final int slotBytes, final long maxWaitNs, final int maxWaitFrames)
    {
        if (capacity < 2 || capacity > 1 << 16 || slotBytes <= 0 || maxWaitNs < 0 || maxWaitFrames < 1)
        {
            throw new IllegalArgumentException("bad jitter buffer settings: capacity=" + capacity +
                " slotBytes=" + slotBytes + " maxWaitNs=" + maxWaitNs + " maxWaitFrames=" + maxWaitFrames);
        }
        this.capacity = BitUtil.findNextPositivePowerOfTwo(capacity);
        this.mask = this.capacity - 1;
        this.slotBytes = slotBytes;
        this.maxWaitNs = maxWaitNs;
        this.maxWaitFrames = Math.min(maxWaitFrames, this.capacity);
        this.data = new byte[this.capacity * slotBytes];
        this.slotSequence = new long[this.capacity];
        this.slotTimestamp = new long[this.capacity];
        this.slotArrivalNs = new long[this.capacity];
        this.slotLength = new int[this.capacity];
        Arrays.fill(slotSequence, EMPTY);
    }

    /**
     * Insert one frame and release every frame that is now due, in order.
     *
     * @param sequence     the RTP sequence number (16 bits).
     * @param rtpTimestamp the RTP timestamp (32 bits).
     * @param buffer       holds the payload.
     * @param offset       where it starts.
     * @param length       its length.
     * @param nowNs        its arrival time.
     * @param handler      receives released frames.
     * @return what happened to the frame.
     */
    public Result insert(
        final int sequence,
        final long rtpTimestamp,
        final byte[] buffer,
        final int offset,
        final int length,
        final long nowNs,
        final FrameHandler handler)
    {
        if (length < 0 || length > slotBytes)
        {
            tooLarge++;
            return Result.TOO_LARGE;
        }
        final int seq = sequence & 0xFFFF;
        if (!started)
        {
            started = true;
            nextSequence = seq;
            lastTimestamp = rtpTimestamp & 0xFFFF_FFFFL;
            accepted++;
            deliver(handler, nextSequence, lastTimestamp, nowNs, buffer, offset, length);
            return Result.ACCEPTED;
        }

        final int delta = (short)(seq - (int)(nextSequence & 0xFFFF));
        Result result = Result.ACCEPTED;
        if (delta >= ReceiveStatistics.MAX_DROPOUT || delta <= -ReceiveStatistics.MAX_MISORDER)
        {
            if (seq != badSequence)
            {
                badSequence = (seq + 1) & 0xFFFF;
                discontinuities++;
                return Result.DISCONTINUITY;
            }
            resynchronise(seq, handler);
            result = Result.RESYNCED;
        }
        badSequence = -1;

        final long extended = nextSequence + (short)(seq - (int)(nextSequence & 0xFFFF));
        if (extended < nextSequence)
        {
            final long behind = nextSequence - 1 - extended;
            if (behind < 64 && ((releasedBits >>> behind) & 1) != 0)
            {
                duplicates++;
                return Result.DUPLICATE;
            }
            late++;
            return Result.LATE;
        }

        final long timestamp = lastTimestamp + (int)(rtpTimestamp - lastTimestamp);
        lastTimestamp = timestamp;
        if (extended - nextSequence >= capacity)
        {
            advanceTo(extended - capacity + 1, handler); // make room: oldest frames out, missing ones lost
        }
        if (extended == nextSequence)
        {
            accepted++;
            deliver(handler, extended, timestamp, nowNs, buffer, offset, length);
            releaseRun(handler);
            releaseDue(nowNs, handler);
            return result;
        }

        final int slot = (int)(extended & mask);
        if (slotSequence[slot] == extended)
        {
            duplicates++;
            return Result.DUPLICATE;
        }
        System.arraycopy(buffer, offset, data, slot * slotBytes, length);
        slotSequence[slot] = extended;
        slotTimestamp[slot] = timestamp;
        slotArrivalNs[slot] = nowNs;
        slotLength[slot] = length;
        waiting++;
        accepted++;
        releaseDue(nowNs, handler);
        return result;
    }

    /**
     * Release frames whose gap has waited long enough.
     *
     * @param nowNs   now.
     * @param handler receives released frames.
     * @return frames released.
     */
    public int poll(final long nowNs, final FrameHandler handler)
    {
        final long before = released;
        releaseDue(nowNs, handler);
        return (int)(released - before);
    }

    /**
     * @return when {@link #poll} next has work: the oldest waiting frame's arrival plus the max wait, or
     * {@link Long#MAX_VALUE} when nothing waits.
     */
    public long deadlineNs()
    {
        if (waiting == 0)
        {
            return Long.MAX_VALUE;
        }
        return oldestArrivalNs() + maxWaitNs;
    }

    /**
     * Forget everything (e.g. the peer's SSRC changed); counters are kept.
     */
    public void reset()
    {
        Arrays.fill(slotSequence, EMPTY);
        started = false;
        waiting = 0;
        releasedBits = 0;
        badSequence = -1;
    }

    private void releaseDue(final long nowNs, final FrameHandler handler)
    {
        while (waiting > 0 && (waiting >= maxWaitFrames || nowNs - oldestArrivalNs() >= maxWaitNs))
        {
            while (slotSequence[(int)(nextSequence & mask)] != nextSequence)
            {
                lost++;
                skip();
            }
            releaseRun(handler);
        }
    }

    /**
     * Move the window start to {@code target}: release waiting frames on the way, count missing ones lost, then
     * release what follows without a gap.
     */
    private void advanceTo(final long target, final FrameHandler handler)
    {
        while (nextSequence < target)
        {
            if (waiting == 0)
            {
                final long gap = target - nextSequence;
                lost += gap;
                releasedBits = gap >= 64 ? 0 : releasedBits << gap;
                nextSequence = target;
                break;
            }
            final int slot = (int)(nextSequence & mask);
            if (slotSequence[slot] == nextSequence)
            {
                releaseSlot(slot, handler);
            }
            else
            {
                lost++;
                skip();
            }
        }
        releaseRun(handler);
    }

    /**
     * A confirmed discontinuity: flush what waits, in order, and continue the extended sequence so that its low 16
     * bits match the new stream. Missing frames before the jump are not counted lost.
     */
    private void resynchronise(final int seq, final FrameHandler handler)
    {
        resyncs++;
        while (waiting > 0)
        {
            final int slot = (int)(nextSequence & mask);
            if (slotSequence[slot] == nextSequence)
            {
                releaseSlot(slot, handler);
            }
            else
            {
                skip();
            }
        }
        nextSequence += (seq - (int)(nextSequence & 0xFFFF)) & 0xFFFF;
        releasedBits = 0;
    }

    private void releaseRun(final FrameHandler handler)
    {
        while (waiting > 0)
        {
            final int slot = (int)(nextSequence & mask);
            if (slotSequence[slot] != nextSequence)
            {
                return;
            }
            releaseSlot(slot, handler);
        }
    }

    private void releaseSlot(final int slot, final FrameHandler handler)
    {
        slotSequence[slot] = EMPTY;
        waiting--;
        deliver(handler, nextSequence, slotTimestamp[slot], slotArrivalNs[slot], data, slot * slotBytes,
            slotLength[slot]);
    }

    private void deliver(
        final FrameHandler handler,
        final long sequence,
        final long timestamp,
        final long arrivalNs,
        final byte[] buffer,
        final int offset,
        final int length)
    {
        nextSequence = sequence + 1;
        releasedBits = (releasedBits << 1) | 1;
        released++;
        handler.onFrame(sequence, timestamp, arrivalNs, buffer, offset, length);
    }

    private void skip()
    {
        nextSequence++;
        releasedBits <<= 1;
    }

    private long oldestArrivalNs()
    {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < capacity; i++)
        {
            if (slotSequence[i] != EMPTY && slotArrivalNs[i] < oldest)
            {
                oldest = slotArrivalNs[i];
            }
        }
        return oldest;
    }

    /**
     * @return frames accepted (released at once or buffered).
     */
    public long accepted()
    {
        return accepted;
    }

    /**
     * @return frames released to the handler.
     */
    public long released()
    {
        return released;
    }

    /**
     * @return missing frames given up on.
     */
    public long lost()
    {
        return lost;
    }

    /**
     * @return duplicate frames dropped.
     */
    public long duplicates()
    {
        return duplicates;
    }

    /**
     * @return frames dropped for arriving after their place was passed.
     */
    public long late()
    {
        return late;
    }

    /**
     * @return frames dropped for being larger than a slot.
     */
    public long tooLarge()
    {
        return tooLarge;
    }

    /**
     * @return frames dropped at an unconfirmed sequence jump.
     */
    public long discontinuities()
    {
        return discontinuities;
    }

    /**
     * @return confirmed sequence jumps the buffer resynchronised on.
     */
    public long resyncs()
    {
        return resyncs;
    }

    /**
     * @return frames waiting for a gap.
     */
    public int waiting()
    {
        return waiting;
    }

    /**
     * @return the extended sequence number released next.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * @return sequence numbers the window holds.
     */
    public int capacity()
    {
        return capacity;
    }
}
