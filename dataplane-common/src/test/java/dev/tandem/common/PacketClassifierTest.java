package dev.tandem.common;

import dev.tandem.sbe.PacketKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketClassifierTest
{
    @Test
    void classifiesEveryFirstByteValueByRfc7983()
    {
        int stun = 0;
        int dtls = 0;
        int rtp = 0;
        for (int b = 0; b < 256; b++)
        {
            final int expected;
            if (b <= 3)
            {
                expected = PacketClassifier.STUN;
                stun++;
            }
            else if (b >= 20 && b <= 63)
            {
                expected = PacketClassifier.DTLS;
                dtls++;
            }
            else if (b >= 128 && b <= 191)
            {
                expected = PacketClassifier.RTP;
                rtp++;
            }
            else
            {
                expected = PacketClassifier.OTHER;
            }
            assertEquals(expected, PacketClassifier.classify(b), "first byte " + b);
            assertEquals(expected, PacketClassifier.classify((byte)b), "sign-extended first byte " + b);
        }
        assertEquals(4, stun);
        assertEquals(44, dtls);
        assertEquals(64, rtp);
    }

    @Test
    void leavesZrtpAndTurnChannelsToOthers()
    {
        for (int b = 16; b <= 19; b++)
        {
            assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(b), "ZRTP " + b);
        }
        for (int b = 64; b <= 79; b++)
        {
            assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(b), "TURN channel " + b);
        }
    }

    @Test
    void kindsEqualTheSbePacketKindValues()
    {
        assertEquals(PacketKind.STUN.value(), PacketClassifier.STUN);
        assertEquals(PacketKind.DTLS.value(), PacketClassifier.DTLS);
        assertEquals(PacketKind.RTP.value(), PacketClassifier.RTP);
    }

    @Test
    void tellsRtcpFromRtpForEverySecondByteValue()
    {
        for (int b = 0; b < 256; b++)
        {
            final boolean expected = b >= 192 && b <= 223;
            assertEquals(expected, PacketClassifier.isRtcp(b), "second byte " + b);
            assertEquals(expected, PacketClassifier.isRtcp((byte)b), "sign-extended second byte " + b);
        }
    }

    @Test
    void rtpWithMarkerBitAndDynamicPayloadTypeIsNotRtcp()
    {
        assertFalse(PacketClassifier.isRtcp(0x80 | 111)); // Opus PT 111 with the marker bit: 239
        assertFalse(PacketClassifier.isRtcp(0x80 | 96));  // 224
        assertFalse(PacketClassifier.isRtcp(0x80));       // PT 0 (PCMU) with marker
        assertTrue(PacketClassifier.isRtcp(200));         // sender report
        assertTrue(PacketClassifier.isRtcp(206));         // PSFB
    }
}
