package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitterBufferTest
{
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000 * MS;

    private final List<Long> sequences = new ArrayList<>();
    private final List<Long> timestamps = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();
    private final List<Integer> payloads = new ArrayList<>();
    private final List<byte[]> buffers = new ArrayList<>();
    private final JitterBuffer.FrameHandler handler = (sequence, rtpTimestamp, arrivalNs, buffer, offset, length) ->
    {
        sequences.add(sequence);
        timestamps.add(rtpTimestamp);
        arrivals.add(arrivalNs);
        payloads.add(length == 0 ? -1 : buffer[offset] & 0xFF);
        buffers.add(buffer);
        assertEquals(3, length);
    };
    private final JitterBuffer jitterBuffer = new JitterBuffer(16, 64, 40 * MS, 3);

    private JitterBuffer.Result insert(final int sequence, final long nowNs)
    {
        return insert(jitterBuffer, sequence, nowNs);
    }

    private JitterBuffer.Result insert(final JitterBuffer buffer, final int sequence, final long nowNs)
    {
        final byte[] payload = { (byte)sequence, 1, 2 };
        return buffer.insert(sequence, 960L * sequence, payload, 0, payload.length, nowNs, handler);
    }

    @Test
    void releasesInOrderFramesAtOnceWithoutCopying()
    {
        final byte[] payload = { 9, 8, 7 };
        assertEquals(JitterBuffer.Result.ACCEPTED, jitterBuffer.insert(100, 5, payload, 0, 3, T0, handler));
        assertEquals(JitterBuffer.Result.ACCEPTED, jitterBuffer.insert(101, 965, payload, 0, 3, T0 + MS, handler));
        assertEquals(List.of(100L, 101L), sequences);
        assertEquals(List.of(5L, 965L), timestamps);
        assertSame(payload, buffers.get(1));
        assertEquals(Long.MAX_VALUE, jitterBuffer.deadlineNs());
        assertEquals(0, jitterBuffer.waiting());
    }

    @Test
    void reordersWithinTheWindow()
    {
        insert(1, T0);
        assertEquals(JitterBuffer.Result.ACCEPTED, insert(3, T0 + 20 * MS));
        assertEquals(JitterBuffer.Result.ACCEPTED, insert(4, T0 + 21 * MS));
        assertEquals(List.of(1L), sequences);
        assertEquals(2, jitterBuffer.waiting());
        assertEquals(T0 + 60 * MS, jitterBuffer.deadlineNs());

        assertEquals(JitterBuffer.Result.ACCEPTED, insert(2, T0 + 25 * MS));
        assertEquals(List.of(1L, 2L, 3L, 4L), sequences);
        assertEquals(List.of(1, 2, 3, 4), payloads);
        assertEquals(List.of(T0, T0 + 25 * MS, T0 + 20 * MS, T0 + 21 * MS), arrivals);
        assertEquals(0, jitterBuffer.lost());
        assertEquals(4, jitterBuffer.released());
        assertEquals(Long.MAX_VALUE, jitterBuffer.deadlineNs());
    }

    @Test
    void dropsDuplicatesWaitingOrAlreadyReleased()
    {
        insert(1, T0);
        insert(3, T0);
        assertEquals(JitterBuffer.Result.DUPLICATE, insert(3, T0), "still waiting");
        assertEquals(JitterBuffer.Result.DUPLICATE, insert(1, T0), "already released");
        insert(2, T0);
        assertEquals(JitterBuffer.Result.DUPLICATE, insert(2, T0));
        assertEquals(JitterBuffer.Result.DUPLICATE, insert(3, T0));
        assertEquals(List.of(1L, 2L, 3L), sequences);
        assertEquals(4, jitterBuffer.duplicates());
    }

    @Test
    void skipsGapAfterTheMaxWaitAndCountsItLost()
    {
        insert(1, T0);
        insert(3, T0 + 20 * MS);
        assertEquals(T0 + 60 * MS, jitterBuffer.deadlineNs());
        assertEquals(0, jitterBuffer.poll(T0 + 59 * MS, handler));
        assertEquals(List.of(1L), sequences);
        assertEquals(1, jitterBuffer.poll(T0 + 60 * MS, handler));
        assertEquals(List.of(1L, 3L), sequences);
        assertEquals(1, jitterBuffer.lost());
        assertEquals(Long.MAX_VALUE, jitterBuffer.deadlineNs());

        assertEquals(JitterBuffer.Result.LATE, insert(2, T0 + 61 * MS), "its place was given up");
        assertEquals(1, jitterBuffer.late());
        assertEquals(List.of(1L, 3L), sequences);
    }

    @Test
    void skipsGapWhenEnoughLaterFramesWait()
    {
        insert(1, T0);
        insert(3, T0 + 1 * MS);
        insert(4, T0 + 2 * MS);
        assertEquals(List.of(1L), sequences);
        insert(5, T0 + 3 * MS); // the third frame behind the gap: give 2 up
        assertEquals(List.of(1L, 3L, 4L, 5L), sequences);
        assertEquals(1, jitterBuffer.lost());
    }

    @Test
    void skipsSeveralGapsEachAfterItsOwnWait()
    {
        insert(10, T0);
        insert(12, T0 + 20 * MS);
        insert(15, T0 + 50 * MS);
        assertEquals(1, jitterBuffer.poll(T0 + 60 * MS, handler), "12 waited 40 ms: 11 lost, 12 out");
        assertEquals(List.of(10L, 12L), sequences);
        assertEquals(T0 + 90 * MS, jitterBuffer.deadlineNs());
        assertEquals(1, jitterBuffer.poll(T0 + 90 * MS, handler));
        assertEquals(List.of(10L, 12L, 15L), sequences);
        assertEquals(3, jitterBuffer.lost());
    }

    @Test
    void handlesSequenceWrapAt65535()
    {
        insert(65534, T0);
        insert(65535, T0);
        insert(1, T0);
        assertEquals(JitterBuffer.Result.ACCEPTED, insert(0, T0));
        insert(2, T0);
        assertEquals(List.of(65534L, 65535L, 65536L, 65537L, 65538L), sequences);
        assertEquals(List.of(254, 255, 0, 1, 2), payloads);
        assertEquals(JitterBuffer.Result.DUPLICATE, insert(65535, T0));
        assertEquals(0, jitterBuffer.lost());
    }

    @Test
    void extendsTimestampsAcrossTheirWrap()
    {
        final byte[] payload = { 1, 2, 3 };
        final long start = 0xFFFF_FFFFL - 959;
        jitterBuffer.insert(1, start, payload, 0, 3, T0, handler);
        jitterBuffer.insert(3, (start + 1920) & 0xFFFF_FFFFL, payload, 0, 3, T0, handler);
        jitterBuffer.insert(2, (start + 960) & 0xFFFF_FFFFL, payload, 0, 3, T0, handler);
        assertEquals(List.of(start, start + 960, start + 1920), timestamps);
    }

    @Test
    void forcesOldFramesOutWhenAFrameLandsBeyondTheWindow()
    {
        final JitterBuffer patient = new JitterBuffer(16, 64, 1_000 * MS, 16);
        insert(patient, 1, T0);
        insert(patient, 3, T0);
        insert(patient, 4, T0);
        assertEquals(JitterBuffer.Result.ACCEPTED, insert(patient, 20, T0)); // window must start at 5
        assertEquals(List.of(1L, 3L, 4L), sequences, "2 given up, 3 and 4 released to make room");
        assertEquals(1, patient.lost());
        assertEquals(5, patient.nextSequence());
        assertEquals(1, patient.waiting());
        insert(patient, 5, T0);
        assertEquals(List.of(1L, 3L, 4L, 5L), sequences);
        assertEquals(1, patient.lost());
    }

    @Test
    void resynchronisesOnAConfirmedJumpKeepingSequencesIncreasing()
    {
        insert(100, T0);
        insert(102, T0);
        assertEquals(JitterBuffer.Result.DISCONTINUITY, insert(40_000, T0));
        assertEquals(JitterBuffer.Result.RESYNCED, insert(40_001, T0));
        insert(40_002, T0);
        assertEquals(List.of(100L, 102L, 40_001L, 40_002L), sequences);
        assertEquals(1, jitterBuffer.discontinuities());
        assertEquals(1, jitterBuffer.resyncs());
        assertEquals(0, jitterBuffer.lost(), "a restart is not loss");

        // a restart to a lower sequence still releases increasing extended numbers
        insert(7, T0);
        assertEquals(JitterBuffer.Result.RESYNCED, insert(8, T0));
        assertEquals(65_536L + 8, (long)sequences.get(sequences.size() - 1));
    }

    @Test
    void dropsFramesLargerThanASlot()
    {
        final byte[] big = new byte[65];
        assertEquals(JitterBuffer.Result.TOO_LARGE, jitterBuffer.insert(1, 0, big, 0, big.length, T0, handler));
        assertEquals(1, jitterBuffer.tooLarge());
        assertTrue(sequences.isEmpty());
    }

    @Test
    void releasesEveryFrameOnceUnderHeavyReordering()
    {
        final JitterBuffer buffer = new JitterBuffer(16, 64, 40 * MS, 16);
        final Random random = new Random(3);
        final int frames = 5_000;
        final int[] order = new int[frames];
        for (int i = 0; i < frames; i++)
        {
            order[i] = i;
        }
        for (int i = 0; i < frames - 4; i += 4) // shuffle within blocks of 4 (reorder depth 3)
        {
            for (int j = 3; j > 0; j--)
            {
                final int k = random.nextInt(j + 1);
                final int swap = order[i + j];
                order[i + j] = order[i + k];
                order[i + k] = swap;
            }
        }
        long now = T0;
        for (final int seq : order)
        {
            now += MS;
            final byte[] payload = { (byte)seq, 0, 0 };
            buffer.insert((seq + 60_000) & 0xFFFF, 960L * seq, payload, 0, 3, now, handler);
        }
        buffer.poll(now + 100 * MS, handler);

        int late = 0;
        for (int i = 1; i < 4; i++)
        {
            late += order[i] < order[0] ? 1 : 0; // older than the frame that started the buffer
        }
        assertEquals(60_000L + order[0], (long)sequences.get(0));
        for (int i = 1; i < sequences.size(); i++)
        {
            assertEquals(sequences.get(i - 1) + 1, (long)sequences.get(i));
        }
        assertEquals(frames - late, sequences.size());
        assertEquals(late, buffer.late());
        assertEquals(0, buffer.lost());
        assertEquals(0, buffer.duplicates());
        assertEquals(60_000L + frames - 1, (long)sequences.get(sequences.size() - 1), "extended past 65535");
    }
}
