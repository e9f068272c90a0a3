package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

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
                final long idealNs = T0 + sent * 20 * MS;
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
            assertTrue(pacer.deadlineNs() == Long.MAX_VALUE || pacer.deadlineNs() == T0 + sent * 20 * MS);
            now += 500 * US + random.nextInt(1_000) * US; // polls every 0.5-1.5 ms, never aligned with the slots
        }
        assertEquals(0, pacer.lateResyncs());
        assertEquals(1, pacer.talkspurts());
        assertEquals(1000, pacer.framesSent());
        assertTrue(maxLatenessNs > 0);
        assertEquals(Long.MAX_VALUE, pacer.deadlineNs());
    }

    @Test
    void catchesUpOnTheIdealTimelineWhenAPollIsLateByLessThanAFrame()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        for (int i = 0; i < 4; i++)
        {
            pacer.enqueue(frame(i), 0, 5, FRAME_US, T0);
        }
        assertTrue(pacer.poll(T0, packet, 0, packet.length) > 0);
        assertTrue(pacer.poll(T0 + 35 * MS, packet, 0, packet.length) > 0, "15 ms late");
        assertEquals(T0 + 40 * MS, pacer.deadlineNs(), "the next slot stays on the ideal timeline");
        assertEquals(0, pacer.poll(T0 + 39 * MS, packet, 0, packet.length));
        assertTrue(pacer.poll(T0 + 40 * MS, packet, 0, packet.length) > 0);
        assertEquals(0, pacer.lateResyncs());
    }

    @Test
    void resyncsAndCountsWhenAPollIsLateByMoreThanAFrame()
    {
        final OutboundPacer pacer = pacer(16, 4096);
        for (int i = 0; i < 4; i++)
        {
            pacer.enqueue(frame(i), 0, 5, FRAME_US, T0);
        }
        pacer.poll(T0, packet, 0, packet.length);
        final int length = pacer.poll(T0 + 70 * MS, packet, 0, packet.length); // due at 20 ms: 50 ms late
        assertEquals(RtpStatus.OK, header.wrap(packet, 0, length));
        assertFalse(header.marker(), "the audio is contiguous");
        assertEquals(TS0 + 960, header.timestamp());
        assertEquals(1, pacer.lateResyncs());
        assertEquals(T0 + 90 * MS, pacer.deadlineNs());
        assertEquals(0, pacer.poll(T0 + 89 * MS, packet, 0, packet.length));
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
        assertEquals(T0 + 1_020 * MS, pacer.deadlineNs(), "the new talkspurt's timeline starts at its first frame");
        assertEquals(0, pacer.poll(T0 + 1_019 * MS, packet, 0, packet.length));
        assertTrue(pacer.poll(T0 + 1_020 * MS, packet, 0, packet.length) > 0);
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
        assertEquals(T0 + 10 * MS, pacer.deadlineNs());
        pacer.poll(T0 + 10 * MS, packet, 0, packet.length);
        assertEquals(TS0 + 480, pacer.lastTimestamp());
        assertEquals(T0 + 70 * MS, pacer.deadlineNs());
        pacer.poll(T0 + 70 * MS, packet, 0, packet.length);
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
