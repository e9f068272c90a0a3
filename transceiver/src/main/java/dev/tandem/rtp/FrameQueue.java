package dev.tandem.rtp;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A bounded FIFO of variable-length frames, preallocated: frame bytes sit back to back in one byte ring, and each
 * frame has a slot index, so owners keep per-frame metadata in their own arrays indexed by slot. A frame never
 * straddles the end of the ring: one that does not fit there goes to the start. Nothing allocates after
 * construction.
 *
 * <pre>
 * not wrapped:  [ free | head ... tail | free ]      wrapped:  [ ... tail | free | head ... | unused ]
 *                      ^read     ^write                                ^write  ^read
 * </pre>
 */
public final class FrameQueue
{
    private final UnsafeBuffer data;
    private final int capacityBytes;
    private final int capacityFrames;
    private final int mask;
    private final int[] offsets;
    private final int[] lengths;
    private long head;
    private long tail;
    private int writePosition;
    private int readPosition;
    private boolean wrapped;

    /**
     * @param capacityFrames most frames held; rounded up to a power of two.
     * @param capacityBytes  bytes of frame data held.
     */
    public FrameQueue(final int capacityFrames, final int capacityBytes)
    {
        if (capacityFrames <= 0 || capacityBytes <= 0)
        {
            throw new IllegalArgumentException(
                "capacities must be positive: frames=" + capacityFrames + " bytes=" + capacityBytes);
        }
        this.capacityFrames = BitUtil.findNextPositivePowerOfTwo(capacityFrames);
        this.mask = this.capacityFrames - 1;
        this.capacityBytes = capacityBytes;
        this.data = new UnsafeBuffer(new byte[capacityBytes]);
        this.offsets = new int[this.capacityFrames];
        this.lengths = new int[this.capacityFrames];
    }

    /**
     * Append a frame copied from a direct buffer.
     *
     * @param source holds the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return the frame's slot index, or -1 when there is no room (frames or bytes).
     */
    public int offer(final DirectBuffer source, final int offset, final int length)
    {
        final int slot = reserve(length);
        if (slot >= 0)
        {
            data.putBytes(offsets[slot], source, offset, length);
        }
        return slot;
    }

    /**
     * Append a frame copied from an array.
     *
     * @param source holds the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return the frame's slot index, or -1 when there is no room (frames or bytes).
     */
    public int offer(final byte[] source, final int offset, final int length)
    {
        final int slot = reserve(length);
        if (slot >= 0)
        {
            data.putBytes(offsets[slot], source, offset, length);
        }
        return slot;
    }

    private int reserve(final int length)
    {
        if (length < 0 || length > capacityBytes || tail - head == capacityFrames)
        {
            return -1;
        }
        if (tail == head)
        {
            writePosition = 0;
            readPosition = 0;
            wrapped = false;
        }
        final int position;
        if (!wrapped)
        {
            if (capacityBytes - writePosition >= length)
            {
                position = writePosition;
            }
            else if (readPosition >= length)
            {
                position = 0;
                wrapped = true;
            }
            else
            {
                return -1;
            }
        }
        else if (readPosition - writePosition >= length)
        {
            position = writePosition;
        }
        else
        {
            return -1;
        }
        final int slot = (int)(tail & mask);
        offsets[slot] = position;
        lengths[slot] = length;
        writePosition = position + length;
        tail++;
        return slot;
    }

    /**
     * @return the head frame's slot index, or -1 when empty.
     */
    public int headSlot()
    {
        return tail == head ? -1 : (int)(head & mask);
    }

    /**
     * @param index 0 for the head, up to {@link #size()} - 1 for the tail.
     * @return that frame's slot index.
     */
    public int slotAt(final int index)
    {
        return (int)((head + index) & mask);
    }

    /**
     * Drop the head frame.
     */
    public void removeHead()
    {
        if (tail == head)
        {
            return;
        }
        final int oldOffset = offsets[(int)(head & mask)];
        head++;
        if (tail == head)
        {
            writePosition = 0;
            readPosition = 0;
            wrapped = false;
        }
        else
        {
            final int newOffset = offsets[(int)(head & mask)];
            if (newOffset < oldOffset)
            {
                wrapped = false; // the reader followed the writer back to the start
            }
            readPosition = newOffset;
        }
    }

    /**
     * Drop every frame.
     */
    public void clear()
    {
        head = tail;
        writePosition = 0;
        readPosition = 0;
        wrapped = false;
    }

    /**
     * @return frames held.
     */
    public int size()
    {
        return (int)(tail - head);
    }

    /**
     * @return true when no frame is held.
     */
    public boolean isEmpty()
    {
        return tail == head;
    }

    /**
     * @param slot a slot index.
     * @return offset of that frame in {@link #buffer()}.
     */
    public int offset(final int slot)
    {
        return offsets[slot];
    }

    /**
     * @param slot a slot index.
     * @return length of that frame.
     */
    public int length(final int slot)
    {
        return lengths[slot];
    }

    /**
     * @return the frame bytes (read only through offsets and lengths of held slots).
     */
    public UnsafeBuffer buffer()
    {
        return data;
    }

    /**
     * @return most frames held (a power of two): size per-slot metadata arrays with it.
     */
    public int capacityFrames()
    {
        return capacityFrames;
    }

    /**
     * @return bytes of frame data held.
     */
    public int capacityBytes()
    {
        return capacityBytes;
    }
}
