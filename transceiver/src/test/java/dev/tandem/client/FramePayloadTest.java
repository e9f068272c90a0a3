package dev.tandem.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FramePayloadTest
{
    @Test
    void writtenPayloadReadsBackAndVerifies()
    {
        final byte[] buffer = new byte[200];
        FramePayload.write(buffer, 12, 120, 0x0102_0304_0506_0708L, 77, 0xFEDC_BA98L);
        assertEquals(0x0102_0304_0506_0708L, FramePayload.sendNs(buffer, 12));
        assertEquals(77, FramePayload.counter(buffer, 12));
        assertEquals(0xFEDC_BA98L, FramePayload.ssrc(buffer, 12));
        assertEquals(0x01, buffer[12]);
        assertEquals(77, buffer[12 + 15]);
        assertTrue(FramePayload.verify(buffer, 12, 120, 120, 0xFEDC_BA98L));
    }

    @Test
    void anyChangeFailsVerification()
    {
        final byte[] buffer = new byte[120];
        FramePayload.write(buffer, 0, 120, 5, 3, 9);
        assertFalse(FramePayload.verify(buffer, 0, 119, 120, 9), "cut short");
        assertFalse(FramePayload.verify(buffer, 0, 120, 120, 10), "another SSRC");
        for (final int index : new int[]{ 20, 60, 119 })
        {
            buffer[index] ^= 1;
            assertFalse(FramePayload.verify(buffer, 0, 120, 120, 9), "byte " + index);
            buffer[index] ^= 1;
        }
        buffer[15] = 4; // counter 4: the filler belongs to counter 3
        assertFalse(FramePayload.verify(buffer, 0, 120, 120, 9));
        assertFalse(FramePayload.verify(new byte[19], 0, 19, 19, 0), "shorter than the header");
    }
}
