package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtcpParserTest
{
    private final RtcpParser parser = new RtcpParser(false);
    private final RecordingRtcpHandler handler = new RecordingRtcpHandler();

    static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }

    static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] out = new byte[length];
        int position = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, out, position, part.length);
            position += part.length;
        }
        return out;
    }

    /**
     * What Chromium sends once its audio flows: an SR (RFC 3550 6.4.1) with one report block about our stream, then
     * SDES with its 16-character random CNAME (RFC 3550 6.5), built field by field from the RFC layout.
     */
    static byte[] chromiumSrWithSdes()
    {
        final byte[] senderReport = concat(
            bytes(0x81, 200, 0x00, 0x0C),                 // V=2 P=0 RC=1, PT=SR, length 12 words (52 bytes)
            bytes(0x1A, 0x2B, 0x3C, 0x4D),                // sender SSRC
            bytes(0xEB, 0x1D, 0x6A, 0x37),                // NTP seconds
            bytes(0x80, 0x00, 0x00, 0x00),                // NTP fraction: 0.5 s
            bytes(0x00, 0x01, 0x77, 0x00),                // RTP timestamp 96000
            bytes(0x00, 0x00, 0x00, 0x64),                // packet count 100
            bytes(0x00, 0x00, 0x3E, 0x80),                // octet count 16000
            bytes(0x00, 0x00, 0x30, 0x39),                // block: source SSRC (ours) 12345
            bytes(0x19, 0x00, 0x00, 0x05),                // fraction lost 25/256, cumulative lost 5
            bytes(0x00, 0x01, 0x00, 0x10),                // extended highest sequence 65552
            bytes(0x00, 0x00, 0x00, 0x2A),                // jitter 42
            bytes(0x6A, 0x37, 0x40, 0x00),                // LSR
            bytes(0x00, 0x00, 0x80, 0x00));               // DLSR 0.5 s
        final byte[] sdes = concat(
            bytes(0x81, 202, 0x00, 0x06),                 // V=2 P=0 SC=1, PT=SDES, length 6 words (28 bytes)
            bytes(0x1A, 0x2B, 0x3C, 0x4D),                // chunk SSRC
            bytes(0x01, 0x10),                            // CNAME, 16 bytes
            "Hf3pQ9xZ1mK7bT2w".getBytes(StandardCharsets.US_ASCII),
            bytes(0x00, 0x00));                           // end of items, pad to 32 bits
        return concat(senderReport, sdes);
    }

    @Test
    void parsesChromiumSenderReportWithSdes()
    {
        final byte[] packet = chromiumSrWithSdes();
        assertEquals(80, packet.length);
        assertEquals(RtcpStatus.OK, parser.parse(packet, 0, packet.length, handler));
        assertEquals(List.of(
            "SR ssrc=1a2b3c4d ntp=eb1d6a3780000000 rtp=96000 packets=100 octets=16000",
            "block from=1a2b3c4d about=3039 fraction=25 lost=5 highest=65552 jitter=42 lsr=6a374000 dlsr=32768",
            "CNAME ssrc=1a2b3c4d Hf3pQ9xZ1mK7bT2w"), handler.events);
        assertEquals(1, parser.senderReports());
        assertEquals(1, parser.sdesPackets());
    }

    @Test
    void parsesReceiverReportWithNegativeCumulativeLoss()
    {
        final byte[] packet = concat(
            bytes(0x82, 201, 0x00, 0x0D), bytes(0, 0, 0, 7),
            bytes(0, 0, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0, 10, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0),
            bytes(0, 0, 0, 2, 0xFF, 0x7F, 0xFF, 0xFF, 0, 0, 0, 11, 0, 0, 0, 4, 0x12, 0x34, 0x56, 0x78, 0, 1, 0, 0));
        assertEquals(RtcpStatus.OK, parser.parse(packet, 0, packet.length, handler));
        assertEquals(List.of(
            "RR ssrc=7",
            "block from=7 about=1 fraction=0 lost=-1 highest=10 jitter=3 lsr=0 dlsr=0",
            "block from=7 about=2 fraction=255 lost=8388607 highest=11 jitter=4 lsr=12345678 dlsr=65536"),
            handler.events);
    }

    @Test
    void parsesByeWithReasonAfterReport()
    {
        final byte[] packet = concat(
            bytes(0x80, 201, 0x00, 0x01), bytes(0, 0, 0, 7),
            bytes(0x82, 203, 0x00, 0x04), bytes(0, 0, 0, 7, 0, 0, 0, 8), bytes(3, 'b', 'y', 'e', 0, 0, 0, 0));
        assertEquals(RtcpStatus.OK, parser.parse(packet, 0, packet.length, handler));
        assertEquals(List.of("RR ssrc=7", "BYE ssrc=7", "BYE ssrc=8"), handler.events);
        assertEquals(1, parser.byePackets());
    }

    @Test
    void recognisesAndSkipsFeedbackAppAndXr()
    {
        final byte[] packet = concat(
            bytes(0x80, 201, 0x00, 0x01), bytes(0, 0, 0, 7),
            bytes(0x81, 205, 0x00, 0x03), bytes(0, 0, 0, 7, 0, 0, 0, 9, 0x00, 0x05, 0x00, 0x00),    // NACK
            bytes(0x8F, 205, 0x00, 0x04), bytes(0, 0, 0, 7, 0, 0, 0, 9, 0, 1, 0, 1, 0, 0, 0, 0),    // transport-cc
            bytes(0x81, 206, 0x00, 0x02), bytes(0, 0, 0, 7, 0, 0, 0, 9),                            // PLI
            bytes(0x8F, 206, 0x00, 0x05), bytes(0, 0, 0, 7, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 1, 0, 0, 1, 0, 0, 0, 9),
            bytes(0x80, 204, 0x00, 0x02), bytes(0, 0, 0, 7, 'n', 'a', 'm', 'e'),                    // APP
            bytes(0x80, 207, 0x00, 0x01), bytes(0, 0, 0, 7),                                        // XR
            bytes(0x80, 210, 0x00, 0x00));                                                          // unknown
        assertEquals(RtcpStatus.OK, parser.parse(packet, 0, packet.length, handler));
        assertEquals(List.of(
            "RR ssrc=7",
            "FB pt=205 fmt=1 from=7 about=9",
            "FB pt=205 fmt=15 from=7 about=9",
            "FB pt=206 fmt=1 from=7 about=9",
            "FB pt=206 fmt=15 from=7 about=0"), handler.events);
        assertEquals(1, parser.nackPackets());
        assertEquals(1, parser.transportCcPackets());
        assertEquals(1, parser.pliPackets());
        assertEquals(1, parser.rembPackets());
        assertEquals(1, parser.appPackets());
        assertEquals(1, parser.xrPackets());
        assertEquals(1, parser.unknownPackets());
    }

    @Test
    void acceptsReducedSizeFeedbackOnlyWhenNegotiated()
    {
        final byte[] transportCc = concat(
            bytes(0x8F, 205, 0x00, 0x04), bytes(0, 0, 0, 7, 0, 0, 0, 9, 0, 1, 0, 1, 0, 0, 0, 0));
        assertEquals(RtcpStatus.FIRST_NOT_REPORT, parser.parse(transportCc, 0, transportCc.length, handler));
        assertTrue(handler.events.isEmpty());

        final RtcpParser reducedSize = new RtcpParser(true);
        assertEquals(RtcpStatus.OK, reducedSize.parse(transportCc, 0, transportCc.length, handler));
        assertEquals(List.of("FB pt=205 fmt=15 from=7 about=9"), handler.events);
        assertEquals(1, reducedSize.transportCcPackets());
    }

    @Test
    void rejectsMalformedCompoundsWithTheirReason()
    {
        final byte[] rr = bytes(0x80, 201, 0x00, 0x01, 0, 0, 0, 7);
        assertEquals(RtcpStatus.TOO_SHORT, parse(bytes(0x80, 201, 0)));
        assertEquals(RtcpStatus.TOO_SHORT, parser.parse(rr, 4, 8, handler));
        assertEquals(RtcpStatus.BAD_VERSION, parse(bytes(0x40, 201, 0x00, 0x01, 0, 0, 0, 7)));
        assertEquals(RtcpStatus.BAD_VERSION, parse(concat(rr, bytes(0xC0, 202, 0, 0))));
        assertEquals(RtcpStatus.BAD_PACKET_TYPE, parse(bytes(0x80, 111, 0x00, 0x01, 0, 0, 0, 7)));
        assertEquals(RtcpStatus.BAD_LENGTH, parse(bytes(0x80, 201, 0x00, 0x02, 0, 0, 0, 7)));
        assertEquals(RtcpStatus.BAD_LENGTH, parse(concat(rr, bytes(0x80, 202))));
        assertEquals(RtcpStatus.BAD_LENGTH, parse(bytes(0x80, 201, 0xFF, 0xFF, 0, 0, 0, 7)));
        assertEquals(RtcpStatus.FIRST_NOT_REPORT, parse(bytes(0x80, 203, 0x00, 0x01, 0, 0, 0, 7)));
        assertEquals(RtcpStatus.PADDING_NOT_LAST, parse(concat(bytes(0xA0, 201, 0x00, 0x01, 0, 0, 0, 7), rr)));
        assertEquals(RtcpStatus.BAD_PADDING, parse(bytes(0xA0, 201, 0x00, 0x02, 0, 0, 0, 7, 0, 0, 0, 0)));
        assertEquals(RtcpStatus.BAD_PADDING, parse(bytes(0xA0, 201, 0x00, 0x02, 0, 0, 0, 7, 0, 0, 0, 9)));
        assertEquals(RtcpStatus.BAD_REPORT, parse(bytes(0x81, 201, 0x00, 0x01, 0, 0, 0, 7)));
        assertEquals(RtcpStatus.BAD_REPORT, parse(bytes(0x80, 200, 0x00, 0x01, 0, 0, 0, 7)));
        // padding eats into the report block the count claims
        assertEquals(RtcpStatus.BAD_REPORT, parse(concat(bytes(0xA1, 201, 0x00, 0x07), new byte[27], bytes(4))));
        // SDES item longer than its packet
        assertEquals(RtcpStatus.BAD_SDES, parse(concat(rr, bytes(0x81, 202, 0x00, 0x02, 0, 0, 0, 7, 1, 9, 'a', 'b'))));
        // SDES chunk without its terminating null item
        assertEquals(RtcpStatus.BAD_SDES, parse(concat(rr, bytes(0x81, 202, 0x00, 0x02, 0, 0, 0, 7, 1, 2, 'a', 'b'))));
        // SDES claiming two chunks with room for one
        assertEquals(RtcpStatus.BAD_SDES, parse(concat(rr, bytes(0x82, 202, 0x00, 0x02, 0, 0, 0, 7, 0, 0, 0, 0))));
        assertEquals(RtcpStatus.BAD_BYE, parse(concat(rr, bytes(0x82, 203, 0x00, 0x01, 0, 0, 0, 7))));
        assertEquals(RtcpStatus.BAD_BYE, parse(concat(rr, bytes(0x81, 203, 0x00, 0x02, 0, 0, 0, 7, 9, 'x', 0, 0))));
        assertEquals(RtcpStatus.BAD_APP, parse(concat(rr, bytes(0x80, 204, 0x00, 0x01, 0, 0, 0, 7))));
        assertEquals(RtcpStatus.BAD_FEEDBACK, parse(concat(rr, bytes(0x81, 206, 0x00, 0x01, 0, 0, 0, 7))));
        assertTrue(handler.events.isEmpty(), "no part of an invalid compound reaches the handler");
    }

    @Test
    void acceptsPaddingOnTheLastPacket()
    {
        final byte[] packet = concat(bytes(0x80, 201, 0x00, 0x01, 0, 0, 0, 7), bytes(0xA0, 203, 0x00, 0x02),
            bytes(0, 0, 0, 7, 0, 0, 0, 4));
        // a BYE with SC=0: a 4-byte body (an empty reason) then 4 bytes of padding
        assertEquals(RtcpStatus.OK, parse(packet));
        assertEquals(List.of("RR ssrc=7"), handler.events);
    }

    @Test
    void neverThrowsOnMutatedCompounds()
    {
        final Random random = new Random(7);
        final byte[] original = chromiumSrWithSdes();
        final RtcpParser lenient = new RtcpParser(true);
        int valid = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] packet = original.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
            {
                packet[random.nextInt(packet.length)] = (byte)random.nextInt(256);
            }
            final int length = random.nextInt(packet.length + 1);
            if (lenient.parse(packet, 0, length, handler) == RtcpStatus.OK)
            {
                valid++;
            }
        }
        assertTrue(valid > 0);
    }

    private RtcpStatus parse(final byte[] packet)
    {
        return parser.parse(packet, 0, packet.length, handler);
    }
}
