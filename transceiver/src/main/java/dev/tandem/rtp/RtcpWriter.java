package dev.tandem.rtp;

import static dev.tandem.rtp.NetworkBytes.put16;
import static dev.tandem.rtp.NetworkBytes.put24;
import static dev.tandem.rtp.NetworkBytes.put32;

/**
 * Builds the RTCP packets we send: SR and RR (RFC 3550 6.4), their report blocks, SDES with a CNAME (6.5) and BYE
 * (6.6). Packets are written back to back to form a compound; layouts are drawn on {@link RtcpParser}. Callers
 * size the buffer (see the {@code *Length} methods); nothing here allocates.
 */
public final class RtcpWriter
{
    private RtcpWriter()
    {
    }

    /**
     * @param reportCount report blocks that follow.
     * @return bytes of an SR with that many blocks.
     */
    public static int senderReportLength(final int reportCount)
    {
        return RtpDescriptor.SENDER_REPORT_LENGTH + RtpDescriptor.REPORT_BLOCK_LENGTH * reportCount;
    }

    /**
     * @param reportCount report blocks that follow.
     * @return bytes of an RR with that many blocks.
     */
    public static int receiverReportLength(final int reportCount)
    {
        return RtpDescriptor.RECEIVER_REPORT_LENGTH + RtpDescriptor.REPORT_BLOCK_LENGTH * reportCount;
    }

    /**
     * @param cnameLength CNAME length in bytes (at most 255).
     * @return bytes of an SDES packet with one chunk holding that CNAME.
     */
    public static int sdesCnameLength(final int cnameLength)
    {
        // header + SSRC + type + length + text + at least one null octet, padded to 32 bits
        return RtpDescriptor.RTCP_HEADER_LENGTH + ((4 + 2 + cnameLength + 1 + 3) & ~3);
    }

    /**
     * Write an SR header and sender info; the caller writes {@code reportCount} blocks right after with
     * {@link #writeReportBlock}.
     *
     * @param buffer       where to write.
     * @param offset       where the packet starts.
     * @param ssrc         our SSRC.
     * @param ntpTimestamp 64-bit NTP timestamp of now (wall clock).
     * @param rtpTimestamp RTP timestamp of the same instant, on our stream's timeline.
     * @param packetCount  RTP packets sent so far.
     * @param octetCount   RTP payload octets sent so far.
     * @param reportCount  report blocks that will follow (0-31).
     * @return bytes written (28); the packet is {@link #senderReportLength(int)} bytes once the blocks are in.
     */
    public static int writeSenderReport(
        final byte[] buffer,
        final int offset,
        final long ssrc,
        final long ntpTimestamp,
        final long rtpTimestamp,
        final long packetCount,
        final long octetCount,
        final int reportCount)
    {
        writeHeader(buffer, offset, reportCount, RtpDescriptor.RTCP_SR, senderReportLength(reportCount));
        put32(buffer, offset + 4, ssrc);
        put32(buffer, offset + 8, ntpTimestamp >>> 32);
        put32(buffer, offset + 12, ntpTimestamp);
        put32(buffer, offset + 16, rtpTimestamp);
        put32(buffer, offset + 20, packetCount);
        put32(buffer, offset + 24, octetCount);
        return RtpDescriptor.SENDER_REPORT_LENGTH;
    }

    /**
     * Write an RR header; the caller writes {@code reportCount} blocks right after.
     *
     * @param buffer      where to write.
     * @param offset      where the packet starts.
     * @param ssrc        our SSRC.
     * @param reportCount report blocks that will follow (0-31).
     * @return bytes written (8).
     */
    public static int writeReceiverReport(final byte[] buffer, final int offset, final long ssrc, final int reportCount)
    {
        writeHeader(buffer, offset, reportCount, RtpDescriptor.RTCP_RR, receiverReportLength(reportCount));
        put32(buffer, offset + 4, ssrc);
        return RtpDescriptor.RECEIVER_REPORT_LENGTH;
    }

    /**
     * @param buffer                  where to write.
     * @param offset                  where the block starts.
     * @param sourceSsrc              the source reported on.
     * @param fractionLost            0-255.
     * @param cumulativeLost          clamped to signed 24 bits.
     * @param extendedHighestSequence cycles and highest sequence number.
     * @param jitter                  interarrival jitter in RTP units.
     * @param lastSenderReport        LSR, or 0.
     * @param delaySinceLastSenderReport DLSR in 1/65536 s, or 0.
     * @return bytes written (24).
     */
    public static int writeReportBlock(
        final byte[] buffer,
        final int offset,
        final long sourceSsrc,
        final int fractionLost,
        final int cumulativeLost,
        final long extendedHighestSequence,
        final long jitter,
        final long lastSenderReport,
        final long delaySinceLastSenderReport)
    {
        put32(buffer, offset, sourceSsrc);
        buffer[offset + 4] = (byte)fractionLost;
        put24(buffer, offset + 5, Math.max(-0x80_0000, Math.min(0x7F_FFFF, cumulativeLost)));
        put32(buffer, offset + 8, extendedHighestSequence);
        put32(buffer, offset + 12, jitter);
        put32(buffer, offset + 16, lastSenderReport);
        put32(buffer, offset + 20, delaySinceLastSenderReport);
        return RtpDescriptor.REPORT_BLOCK_LENGTH;
    }

    /**
     * Write an SDES packet with one chunk: our SSRC and its CNAME (RFC 3550 6.5.1).
     *
     * @param buffer      where to write.
     * @param offset      where the packet starts.
     * @param ssrc        our SSRC.
     * @param cname       holds the CNAME text (RFC 7022: a random, per-session identifier).
     * @param cnameOffset where it starts.
     * @param cnameLength its length, 0-255.
     * @return bytes written: {@link #sdesCnameLength(int)}.
     */
    public static int writeSdesCname(
        final byte[] buffer,
        final int offset,
        final long ssrc,
        final byte[] cname,
        final int cnameOffset,
        final int cnameLength)
    {
        final int length = sdesCnameLength(cnameLength);
        writeHeader(buffer, offset, 1, RtpDescriptor.RTCP_SDES, length);
        put32(buffer, offset + 4, ssrc);
        buffer[offset + 8] = (byte)RtpDescriptor.SDES_CNAME;
        buffer[offset + 9] = (byte)cnameLength;
        System.arraycopy(cname, cnameOffset, buffer, offset + 10, cnameLength);
        for (int i = offset + 10 + cnameLength; i < offset + length; i++)
        {
            buffer[i] = 0; // end of items, then padding to 32 bits
        }
        return length;
    }

    /**
     * Write a BYE for our SSRC, without a reason.
     *
     * @param buffer where to write.
     * @param offset where the packet starts.
     * @param ssrc   our SSRC.
     * @return bytes written (8).
     */
    public static int writeBye(final byte[] buffer, final int offset, final long ssrc)
    {
        writeHeader(buffer, offset, 1, RtpDescriptor.RTCP_BYE, 8);
        put32(buffer, offset + 4, ssrc);
        return 8;
    }

    private static void writeHeader(
        final byte[] buffer, final int offset, final int count, final int packetType, final int lengthBytes)
    {
        buffer[offset] = (byte)((RtpDescriptor.VERSION << 6) | (count & 0x1F));
        buffer[offset + 1] = (byte)packetType;
        put16(buffer, offset + 2, lengthBytes / 4 - 1);
    }
}
