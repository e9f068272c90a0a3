package dev.tandem.rtp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RtcpWriterTest
{
    private final RtcpParser parser = new RtcpParser(false);
    private final RecordingRtcpHandler handler = new RecordingRtcpHandler();

    @Test
    void senderReportWithBlockAndSdesRoundTrips()
    {
        final byte[] cname = "tandem-cname-0001".getBytes(StandardCharsets.US_ASCII);
        final byte[] buffer = new byte[256];
        int position = 3;
        position += RtcpWriter.writeSenderReport(
            buffer, position, 0xA1B2C3D4L, 0xEB1D6A3780000000L, 0xFFFFFFF0L, 4_000_000_000L, 7, 1);
        position += RtcpWriter.writeReportBlock(
            buffer, position, 0x01020304L, 128, -3, 0x1_0005L, 77, 0x6A378000L, 65536 + 32768);
        position += RtcpWriter.writeSdesCname(buffer, position, 0xA1B2C3D4L, cname, 0, cname.length);
        assertEquals(3 + RtcpWriter.senderReportLength(1) + RtcpWriter.sdesCnameLength(cname.length), position);

        assertEquals(RtcpStatus.OK, parser.parse(buffer, 3, position - 3, handler));
        assertEquals(List.of(
            "SR ssrc=a1b2c3d4 ntp=eb1d6a3780000000 rtp=4294967280 packets=4000000000 octets=7",
            "block from=a1b2c3d4 about=1020304 fraction=128 lost=-3 highest=65541 jitter=77 lsr=6a378000 dlsr=98304",
            "CNAME ssrc=a1b2c3d4 tandem-cname-0001"), handler.events);
    }

    @Test
    void receiverReportClampsCumulativeLossToTwentyFourBits()
    {
        final byte[] buffer = new byte[64];
        int position = RtcpWriter.writeReceiverReport(buffer, 0, 9, 2);
        position += RtcpWriter.writeReportBlock(buffer, position, 1, 0, 10_000_000, 5, 0, 0, 0);
        position += RtcpWriter.writeReportBlock(buffer, position, 2, 0, -10_000_000, 6, 0, 0, 0);
        assertEquals(RtcpWriter.receiverReportLength(2), position);
        assertEquals(RtcpStatus.OK, parser.parse(buffer, 0, position, handler));
        assertEquals(List.of(
            "RR ssrc=9",
            "block from=9 about=1 fraction=0 lost=8388607 highest=5 jitter=0 lsr=0 dlsr=0",
            "block from=9 about=2 fraction=0 lost=-8388608 highest=6 jitter=0 lsr=0 dlsr=0"), handler.events);
    }

    @Test
    void sdesOfEveryCnameLengthIsPaddedAndParses()
    {
        final byte[] cname = new byte[255];
        for (int i = 0; i < cname.length; i++)
        {
            cname[i] = (byte)('a' + i % 26);
        }
        final byte[] buffer = new byte[512];
        for (int length = 0; length <= 255; length++)
        {
            Arrays.fill(buffer, (byte)0x5A);
            int position = RtcpWriter.writeReceiverReport(buffer, 0, 9, 0);
            final int sdesLength = RtcpWriter.writeSdesCname(buffer, position, 9, cname, 0, length);
            assertEquals(0, sdesLength % 4);
            assertEquals(0, buffer[position + sdesLength - 1], "terminated and padded with nulls");
            position += sdesLength;
            handler.events.clear();
            assertEquals(RtcpStatus.OK, parser.parse(buffer, 0, position, handler), "length " + length);
            assertEquals("CNAME ssrc=9 " + new String(cname, 0, length, StandardCharsets.US_ASCII),
                handler.events.get(1));
        }
    }

    @Test
    void byeRoundTrips()
    {
        final byte[] buffer = new byte[16];
        int position = RtcpWriter.writeReceiverReport(buffer, 0, 0xFFFFFFFFL, 0);
        position += RtcpWriter.writeBye(buffer, position, 0xFFFFFFFFL);
        assertEquals(16, position);
        assertEquals(RtcpStatus.OK, parser.parse(buffer, 0, position, handler));
        assertEquals(List.of("RR ssrc=ffffffff", "BYE ssrc=ffffffff"), handler.events);
    }
}
