package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundPacerTest
{
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;
    private static final long T0 = 7_000 * MS;
    private static final int FRAME_US = 20_000;
    private static final long SSRC = 0x5EED5EEDL;
    private static final int SEQ0 = 65_000;
    private static final long TS0 = 0xFFFF_0000L;

    private final RtpHeaderFlyweight header = new RtpHeaderFlyweight();
    private final byte[] packet = new byte[1500];

    private static OutboundPacer pacer(final int frames, final int bytes)
    {
        return new OutboundPacer(frames, bytes, 1200, 48_000, 111, SSRC, SEQ0, TS0);
    }

    private static long allowedAt(final int index)
    {
        // a burst: the first frame at once, each later one a frame before its slot
        return T0 + Math.max(0, index - 1) * 20 * MS;
    }

    private static byte[] frame(final int index)
    {
        return new byte[]{ (byte)index, (byte)(index >>> 8), 42, 43, 44 };
    }

    @Test
    void keepsASteady20msCadenceOver1000FramesWithoutDrift()
    {
        final OutboundPacer pacer = pacer(1024, 64 * 1024);
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(pacer.enqueue(frame(i), 0, 5, FRAME_US, T0));
        }
        final Random random = new Random(11);
        long now = T0;
        int sent = 0;
        long maxLatenessNs = 0;
        while (sent < 1000)
        {
            int length;
            while ((length = pacer.poll(now, packet, 0, packet.length)) > 0)
            {
                assertEquals(RtpStatus.OK, header.wrap(packet, 0, length));
                final long idealNs = allowedAt(sent);
                final long latenessNs = now - idealNs;
                assertTrue(latenessNs >= 0 && latenessNs < 2 * MS, "frame " + sent + " late by " + latenessNs);
                maxLatenessNs = Math.max(maxLatenessNs, latenessNs);
                assertEquals(sent == 0, header.marker());
                assertEquals((SEQ0 + sent) & 0xFFFF, header.sequenceNumber());
                assertEquals((TS0 + 960L * sent) & 0xFFFF_FFFFL, header.timestamp());
                assertEquals(SSRC, header.ssrc());
                assertEquals(111, header.payloadType());
                assertEquals(5, header.payloadLength());
                assertEquals((byte)sent, packet[header.payloadOffset()]);
                assertEquals((byte)(sent >>> 8), packet[header.payloadOffset() + 1]);
                sent++;
            }
            assertTrue(pacer.deadlineNs() == Long.MAX_VALUE || pacer.deadlineNs() == allowedAt(sent));
            now += 500 * US + random.nextInt(1_000) * US; // polls every 0.5-1.5 ms, never aligned with the slots
        }
        assertEquals(0, pacer.lateResyncs());
        assertEquals(1, pacer.talkspurts());
        assertEquals(1000, pacer.framesSent());
        assertEquals(0, pacer.drainedFrames(), "a burst is not a standing backlog: it keeps real time");
        assertTrue(maxLatenessNs > 0);
        assertEquals(Long.MAX_VALUE, pacer.deadlineNs());
    }

    @Test
    void aBurstLeavesAsTwoFramesThenOnePerFrameDuration()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        for (int i = 0; i < 4; i++)
        {
            pacer.enqueue(frame(i), 0, 5, FRAME_US, T0);
        }
        assertTrue(pacer.poll(T0, packet, 0, packet.length) > 0);
        assertTrue(pacer.poll(T0, packet, 0, packet.length) > 0, "one frame may lead its slot by a frame");
        assertEquals(0, pacer.poll(T0, packet, 0, packet.length), "but not two");
        assertEquals(T0 + 20 * MS, pacer.deadlineNs());
        assertEquals(0, pacer.poll(T0 + 19 * MS, packet, 0, packet.length));
        assertTrue(pacer.poll(T0 + 20 * MS, packet, 0, packet.length) > 0);
        assertEquals(T0 + 40 * MS, pacer.deadlineNs());
    }

    @Test
    void catchesUpOnTheIdealTimelineAfterAStallOfAFewFrames()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        for (int i = 0; i < 10; i++)
        {
            pacer.enqueue(frame(i), 0, 5, FRAME_US, T0);
        }
        assertTrue(pacer.poll(T0, packet, 0, packet.length) > 0);
        // the agent stalls for 90 ms: frames 1..5 (slots 20..100 ms, allowed from 0..80 ms) go at once
        int caughtUp = 0;
        while (pacer.poll(T0 + 90 * MS, packet, 0, packet.length) > 0)
        {
            caughtUp++;
        }
        assertEquals(5, caughtUp);
        assertEquals(0, pacer.lateResyncs());
        assertEquals(T0 + 100 * MS, pacer.deadlineNs(), "the timeline did not move");
    }

    @Test
    void resyncsAndCountsWhenAPollIsLaterThanTheCatchUpLimit()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        for (int i = 0; i < 4; i++)
        {
            pacer.enqueue(frame(i), 0, 5, FRAME_US, T0);
        }
        pacer.poll(T0, packet, 0, packet.length);
        final long late = (OutboundPacer.MAX_CATCH_UP_FRAMES + 1) * 20 * MS;
        final int length = pacer.poll(T0 + 20 * MS + late + MS, packet, 0, packet.length);
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, length));
        assertFalse(header.marker(), "the audio is contiguous");
        assertEquals(TS0 + 960, header.timestamp());
        assertEquals(1, pacer.lateResyncs());
        assertEquals(T0 + 20 * MS + late + MS, pacer.deadlineNs(), "next slot a frame later, allowed a frame early");
    }

    @Test
    void aRealTimeSourceIsNotHeldBackByASlowFirstFrame()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        // The first frame took 40 ms to arrive, the rest 5 ms: they arrive 35 ms before their slots.
        pacer.enqueue(frame(0), 0, 5, FRAME_US, T0);
        assertTrue(pacer.poll(T0, packet, 0, packet.length) > 0);
        long worstWaitNs = 0;
        for (int i = 1; i < 200; i++)
        {
            final long arrival = T0 + i * 20 * MS - 35 * MS;
            pacer.enqueue(frame(i), 0, 5, FRAME_US, arrival);
            final long sentAt = Math.max(arrival, pacer.deadlineNs());
            assertTrue(pacer.poll(sentAt, packet, 0, packet.length) > 0);
            final long waitNs = sentAt - arrival;
            if (i > 20)
            {
                worstWaitNs = Math.max(worstWaitNs, waitNs);
            }
        }
        assertEquals(0, worstWaitNs, "after converging, frames leave as they arrive");
        assertEquals(0, pacer.lateResyncs());
        assertEquals(1, pacer.talkspurts());
    }

    @Test
    void aSourceFasterThanRealTimeGainsAtMostFivePercent()
    {
        final OutboundPacer pacer = pacer(1024, 64 * 1024);
        long now = T0;
        int sent = 0;
        int arrived = 0;
        while (now < T0 + 10_000 * MS)
        {
            if (arrived < 1000 && now >= T0 + arrived * 10 * MS) // the source runs at twice real time
            {
                pacer.enqueue(frame(arrived), 0, 5, FRAME_US, now);
                arrived++;
            }
            while (pacer.poll(now, packet, 0, packet.length) > 0)
            {
                sent++;
            }
            now += MS;
        }
        // 10 s of wall time carries at most 10 s of audio (500 frames), plus the one-frame lead and 5 % adaptation.
        assertTrue(sent <= 500 + 1 + 25, "sent " + sent);
        assertTrue(sent >= 499, "sent " + sent);
        assertEquals(0, pacer.drainedFrames(), "a growing queue is not a standing backlog");
    }

    /**
     * A live source at exactly real time (an echo, a speech-to-speech model) and a 300 ms stall of the media thread:
     * the catch-up gives up after 5 frames, so about 14 frames stay queued. Returns the queue length seen at each
     * whole second, and checks every packet's sequence number and timestamp on the way.
     */
    private int[] liveSourceAfterAStall(final OutboundPacer pacer)
    {
        final int[] queuedAtSecond = new int[10];
        long now = T0;
        int arrived = 0;
        int sent = 0;
        for (int ms = 0; ms < 10_000; ms++, now += MS)
        {
            if (ms % 20 == 0)
            {
                assertTrue(pacer.enqueue(frame(arrived++), 0, 5, FRAME_US, now));
            }
            if (ms % 1000 == 999)
            {
                queuedAtSecond[ms / 1000] = pacer.queuedFrames();
            }
            if (ms >= 2_000 && ms < 2_300)
            {
                continue; // the stall: nothing polls
            }
            int length;
            while ((length = pacer.poll(now, packet, 0, packet.length)) > 0)
            {
                assertEquals(RtpStatus.OK, header.wrap(packet, 0, length));
                assertEquals((SEQ0 + sent) & 0xFFFF, header.sequenceNumber());
                assertEquals((TS0 + 960L * sent) & 0xFFFF_FFFFL, header.timestamp(), "the audio stays contiguous");
                assertEquals((byte)sent, packet[header.payloadOffset()]);
                sent++;
            }
        }
        assertEquals(1, pacer.lateResyncs());
        return queuedAtSecond;
    }

    @Test
    void aStandingBacklogBehindALiveSourceDrainsIntoTheClient()
    {
        final OutboundPacer pacer = pacer(1024, 64 * 1024);
        final int[] queued = liveSourceAfterAStall(pacer);
        assertTrue(queued[2] >= 12, "the stall left a backlog: " + Arrays.toString(queued));
        for (int second = 7; second < 10; second++)
        {
            assertTrue(queued[second] < OutboundPacer.STANDING_FRAMES, "drained: " + Arrays.toString(queued));
        }
        // each drained packet left 10 % of 20 ms earlier; together they remove the backlog, not more
        assertEquals(pacer.drainedFrames() * 2 * MS, pacer.drainedNs());
        assertTrue(pacer.drainedNs() >= (queued[2] - OutboundPacer.STANDING_FRAMES) * 20 * MS, "" + pacer.drainedNs());
        assertTrue(pacer.drainedNs() <= (queued[2] + 2) * 20 * MS, "" + pacer.drainedNs());
        assertFalse(pacer.draining());
    }

    @Test
    void evenOneFrameThatAlwaysWaitsIsDrained()
    {
        // three frames at once, then a real-time source: one frame is left waiting after every send, so every frame
        // waits a whole frame duration; the drain, then the timeline's adaptation, take that wait away
        final OutboundPacer pacer = pacer(64, 4096);
        final long[] arrivalNs = new long[400];
        long now = T0;
        int arrived = 0;
        int sent = 0;
        long longestLateWaitNs = 0;
        for (int ms = 0; ms < 5_000 && arrived < arrivalNs.length; ms++, now += MS)
        {
            while (arrived < 3 + ms / 20 && arrived < arrivalNs.length)
            {
                arrivalNs[arrived] = now;
                assertTrue(pacer.enqueue(frame(arrived++), 0, 5, FRAME_US, now));
            }
            int length;
            while ((length = pacer.poll(now, packet, 0, packet.length)) > 0)
            {
                assertEquals(RtpStatus.OK, header.wrap(packet, 0, length));
                assertEquals((byte)sent, packet[header.payloadOffset()]);
                final long waitNs = now - arrivalNs[sent];
                if (sent < 40)
                {
                    assertTrue(waitNs >= 19 * MS || sent < 3, "frame " + sent + " waited " + waitNs);
                }
                if (sent >= 300)
                {
                    longestLateWaitNs = Math.max(longestLateWaitNs, waitNs);
                }
                sent++;
            }
        }
        assertTrue(pacer.drainedFrames() > 0);
        assertTrue(longestLateWaitNs <= MS, "frames still wait " + longestLateWaitNs);
    }

    @Test
    void withDrainingOffAStandingBacklogStays()
    {
        final OutboundPacer pacer = new OutboundPacer(1024, 64 * 1024, 1200, 48_000, 111, SSRC, SEQ0, TS0, 0);
        final int[] queued = liveSourceAfterAStall(pacer);
        assertTrue(queued[2] >= 12, Arrays.toString(queued));
        assertTrue(queued[9] >= queued[2] - 1, "strict real time keeps the backlog: " + Arrays.toString(queued));
        assertEquals(0, pacer.drainedFrames());
    }

    @Test
    void clearDropsEverythingQueuedAndMarksTheNextPacket()
    {
        final OutboundPacer pacer = pacer(64, 4096);
        for (int i = 0; i < 50; i++)
        {
            pacer.enqueue(frame(i), 0, 5, FRAME_US, T0);
        }
        pacer.poll(T0, packet, 0, packet.length);
        pacer.poll(T0 + 20 * MS, packet, 0, packet.length);
        pacer.clear();
        assertEquals(48, pacer.clearedFrames());
        assertEquals(0, pacer.queuedFrames());
        assertEquals(Long.MAX_VALUE, pacer.deadlineNs());
        assertEquals(0, pacer.poll(T0 + 40 * MS, packet, 0, packet.length));

        pacer.enqueue(frame(100), 0, 5, FRAME_US, T0 + 45 * MS);
        final int length = pacer.poll(T0 + 45 * MS, packet, 0, packet.length);
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, length));
        assertTrue(header.marker());
        assertEquals((SEQ0 + 2) & 0xFFFF, header.sequenceNumber(), "sequence numbers stay contiguous");
        assertEquals(100, packet[header.payloadOffset()]);
        assertEquals(2, pacer.talkspurts());
    }

    @Test
    void startsATalkspurtAfterSilenceWithTheTimestampAdvancedBySilence()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        pacer.enqueue(frame(0), 0, 5, FRAME_US, T0);
        pacer.poll(T0, packet, 0, packet.length);
        // queue ran dry; the next frame comes one second later, 980 ms after its slot
        pacer.enqueue(frame(1), 0, 5, FRAME_US, T0 + 1_000 * MS);
        final int length = pacer.poll(T0 + 1_000 * MS, packet, 0, packet.length);
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, length));
        assertTrue(header.marker());
        assertEquals((TS0 + 48_000) & 0xFFFF_FFFFL, header.timestamp());
        assertEquals(0, pacer.lateResyncs());
        assertEquals(Long.MAX_VALUE, pacer.deadlineNs());

        pacer.enqueue(frame(2), 0, 5, FRAME_US, T0 + 1_005 * MS);
        assertEquals(T0 + 1_000 * MS, pacer.deadlineNs(), "the new talkspurt's timeline starts at its first frame");
        assertTrue(pacer.poll(T0 + 1_005 * MS, packet, 0, packet.length) > 0, "within a frame of its slot");
    }

    @Test
    void keepsTheTimelineWhenTheBackendStreamsInRealTime()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        for (int i = 0; i < 50; i++)
        {
            final long arrival = T0 + i * 20 * MS + (i % 3) * MS; // each frame 0-2 ms after its slot
            pacer.enqueue(frame(i), 0, 5, FRAME_US, arrival);
            final int length = pacer.poll(arrival, packet, 0, packet.length);
            assertEquals(RtpStatus.OK, header.wrap(packet, 0, length));
            assertEquals(i == 0, header.marker());
            assertEquals((TS0 + 960L * i) & 0xFFFF_FFFFL, header.timestamp());
        }
        assertEquals(1, pacer.talkspurts());
    }

    @Test
    void countsOverflowTooLargeAndInvalidFrames()
    {
        final OutboundPacer pacer = pacer(4, 12);
        assertTrue(pacer.enqueue(frame(0), 0, 5, FRAME_US, T0));
        assertTrue(pacer.enqueue(frame(1), 0, 5, FRAME_US, T0));
        assertFalse(pacer.enqueue(frame(2), 0, 5, FRAME_US, T0), "bytes full");
        assertEquals(1, pacer.overflowDrops());

        final OutboundPacer byFrames = pacer(2, 4096);
        assertTrue(byFrames.enqueue(frame(0), 0, 5, FRAME_US, T0));
        assertTrue(byFrames.enqueue(frame(1), 0, 5, FRAME_US, T0));
        assertFalse(byFrames.enqueue(frame(2), 0, 5, FRAME_US, T0), "frames full");
        assertEquals(1, byFrames.overflowDrops());

        assertFalse(pacer.enqueue(new byte[1201], 0, 1201, FRAME_US, T0));
        assertEquals(1, pacer.tooLargeDrops());
        assertFalse(pacer.enqueue(frame(3), 0, 5, 0, T0));
        assertFalse(pacer.enqueue(frame(3), 0, 5, 120_001, T0));
        assertFalse(pacer.enqueue(frame(3), 0, 0, FRAME_US, T0));
        assertEquals(3, pacer.invalidDrops());
        assertEquals(2, pacer.framesQueued());
    }

    @Test
    void advancesTimestampByEachFramesOwnDuration()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        pacer.enqueue(frame(0), 0, 5, 10_000, T0);
        pacer.enqueue(frame(1), 0, 5, 60_000, T0);
        pacer.enqueue(frame(2), 0, 5, 20_000, T0);
        pacer.poll(T0, packet, 0, packet.length);
        assertEquals(T0 - 50 * MS, pacer.deadlineNs(), "a 60 ms frame may lead its 10 ms slot by 60 ms");
        pacer.poll(T0, packet, 0, packet.length);
        assertEquals(TS0 + 480, pacer.lastTimestamp());
        assertEquals(T0 + 50 * MS, pacer.deadlineNs(), "slot 70 ms, a 20 ms frame leads by 20 ms");
        pacer.poll(T0 + 50 * MS, packet, 0, packet.length);
        assertEquals(TS0 + 480 + 2880, pacer.lastTimestamp());
    }

    @Test
    void dropsAFrameThatDoesNotFitTheOutputBuffer()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        pacer.enqueue(frame(0), 0, 5, FRAME_US, T0);
        assertEquals(0, pacer.poll(T0, packet, 0, 16));
        assertEquals(1, pacer.tooLargeDrops());
        assertEquals(0, pacer.queuedFrames());
    }
}
