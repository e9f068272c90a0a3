package dev.tandem.rtp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameQueueTest
{
    @Test
    void wrapsFramesToTheStartWhenTheEndIsTooShort()
    {
        final FrameQueue queue = new FrameQueue(8, 10);
        assertEquals(0, queue.offer(new byte[]{ 1, 1, 1, 1 }, 0, 4));
        assertEquals(1, queue.offer(new byte[]{ 2, 2, 2, 2 }, 0, 4));
        assertEquals(-1, queue.offer(new byte[]{ 3, 3, 3 }, 0, 3), "2 bytes left at the end, none at the start");
        queue.removeHead();
        final int slot = queue.offer(new byte[]{ 3, 3, 3 }, 0, 3);
        assertEquals(2, slot);
        assertEquals(0, queue.offset(slot), "wrapped to the start");
        assertEquals(-1, queue.offer(new byte[]{ 4, 4 }, 0, 2), "1 byte between the tail and the head");
        assertEquals(1, queue.offer(new UnsafeBuffer(new byte[]{ 5 }), 0, 1) - 2);
        queue.removeHead();
        assertEquals(2, queue.size());
        assertEquals(3, queue.buffer().getByte(queue.offset(queue.headSlot())));
    }

    @Test
    void behavesAsABoundedFifoUnderRandomUse()
    {
        final FrameQueue queue = new FrameQueue(16, 200);
        final ArrayDeque<byte[]> model = new ArrayDeque<>();
        final Random random = new Random(5);
        int modelBytes = 0;
        for (int step = 0; step < 200_000; step++)
        {
            if (random.nextInt(3) > 0)
            {
                final byte[] frame = new byte[random.nextInt(40)];
                random.nextBytes(frame);
                final int slot = queue.offer(frame, 0, frame.length);
                if (slot >= 0)
                {
                    model.addLast(frame);
                    modelBytes += frame.length;
                }
                else
                {
                    // refused only when the frames are full or little room is left: at most two pieces of free
                    // space (before the head, after the tail) or one piece plus an unused end shorter than a frame
                    assertTrue(model.size() == 16 || modelBytes + 2 * frame.length > 200 - 40,
                        "refused with " + modelBytes + " bytes held and a frame of " + frame.length);
                }
            }
            else if (!model.isEmpty())
            {
                final byte[] expected = model.removeFirst();
                modelBytes -= expected.length;
                final int slot = queue.headSlot();
                final byte[] actual = new byte[queue.length(slot)];
                queue.buffer().getBytes(queue.offset(slot), actual);
                assertArrayEquals(expected, actual);
                queue.removeHead();
            }
            assertEquals(model.size(), queue.size());
        }
        queue.clear();
        assertTrue(queue.isEmpty());
        assertEquals(-1, queue.headSlot());
        final byte[] full = new byte[200];
        Arrays.fill(full, (byte)9);
        assertTrue(queue.offer(full, 0, 200) >= 0, "an empty queue takes a frame of its whole capacity");
    }
}
