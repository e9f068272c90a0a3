package dev.tandem.rtp;

import static dev.tandem.rtp.NetworkBytes.u16;
import static dev.tandem.rtp.NetworkBytes.u24;
import static dev.tandem.rtp.NetworkBytes.u32;
import static dev.tandem.rtp.NetworkBytes.u8;

/**
 * Validates a compound RTCP packet (after SRTCP unprotect) and hands its contents to an {@link RtcpHandler}.
 * Validation runs over the whole datagram first (RFC 3550 6.1 and A.2), so an invalid compound is rejected whole
 * and the handler never sees part of it. Both walks are bounded: every packet advances at least 4 bytes, every
 * SDES item at least 1.
 *
 * <pre>
 * compound: [SR or RR] [SDES] [BYE] ... each packet:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  RC/FMT |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * SR:   SSRC, NTP msw, NTP lsw, RTP timestamp, packet count, octet count, RC x report block
 * RR:   SSRC, RC x report block
 * block: SSRC | fraction lost(8) cumulative lost(24) | ext. highest seq | jitter | LSR | DLSR
 * SDES: SC x chunk { SSRC, items { type(8) length(8) text }, null item, pad to 32 bits }
 * BYE:  SC x SSRC [ length(8) reason ]
 * RTPFB/PSFB: sender SSRC, media SSRC, FCI ...
 * </pre>
 *
 * Choices where the RFCs leave room: padding is accepted only on the last packet; a compound whose first packet is
 * not SR/RR is accepted only when reduced-size RTCP (RFC 5506) is allowed, which browsers use after
 * {@code a=rtcp-rsize}; unknown packet types in 192-223 are skipped and counted (RFC 3550 6.1 asks receivers to
 * ignore them); APP, XR and feedback are counted and skipped.
 */
public final class RtcpParser
{
    private boolean reducedSizeAllowed;

    private long senderReports;
    private long receiverReports;
    private long sdesPackets;
    private long byePackets;
    private long appPackets;
    private long nackPackets;
    private long pliPackets;
    private long rembPackets;
    private long transportCcPackets;
    private long otherFeedbackPackets;
    private long xrPackets;
    private long unknownPackets;

    /**
     * @param reducedSizeAllowed accept compounds that do not start with SR/RR (RFC 5506, {@code a=rtcp-rsize}).
     */
    public RtcpParser(final boolean reducedSizeAllowed)
    {
        this.reducedSizeAllowed = reducedSizeAllowed;
    }

    /**
     * @param reducedSizeAllowed accept compounds that do not start with SR/RR (RFC 5506).
     */
    public void reducedSizeAllowed(final boolean reducedSizeAllowed)
    {
        this.reducedSizeAllowed = reducedSizeAllowed;
    }

    /**
     * @return true when reduced-size RTCP is accepted.
     */
    public boolean reducedSizeAllowed()
    {
        return reducedSizeAllowed;
    }

    /**
     * Validate a compound packet, then walk it calling the handler.
     *
     * @param buffer  holds the datagram.
     * @param offset  where it starts.
     * @param length  its length.
     * @param handler receives the contents when the compound is valid.
     * @return {@link RtcpStatus#OK} or why the compound was rejected (the handler was not called).
     */
    public RtcpStatus parse(final byte[] buffer, final int offset, final int length, final RtcpHandler handler)
    {
        final RtcpStatus status = validate(buffer, offset, length, reducedSizeAllowed);
        if (status == RtcpStatus.OK)
        {
            dispatch(buffer, offset, length, handler);
        }
        return status;
    }

    /**
     * Validate a compound packet without dispatching.
     *
     * @param buffer             holds the datagram.
     * @param offset             where it starts.
     * @param length             its length.
     * @param reducedSizeAllowed accept a first packet other than SR/RR (RFC 5506).
     * @return {@link RtcpStatus#OK} or the first reason found.
     */
    public static RtcpStatus validate(
        final byte[] buffer, final int offset, final int length, final boolean reducedSizeAllowed)
    {
        if (length < RtpDescriptor.RTCP_HEADER_LENGTH || !NetworkBytes.inBounds(buffer, offset, length))
        {
            return RtcpStatus.TOO_SHORT;
        }
        final int end = offset + length;
        int position = offset;
        boolean first = true;
        while (position < end)
        {
            if (end - position < RtpDescriptor.RTCP_HEADER_LENGTH)
            {
                return RtcpStatus.BAD_LENGTH; // RFC 3550 A.2: lengths must add up to the datagram
            }
            final int head = u8(buffer, position);
            if ((head >>> 6) != RtpDescriptor.VERSION)
            {
                return RtcpStatus.BAD_VERSION;
            }
            final int packetType = u8(buffer, position + 1);
            if (packetType < RtpDescriptor.RTCP_PT_MIN || packetType > RtpDescriptor.RTCP_PT_MAX)
            {
                return RtcpStatus.BAD_PACKET_TYPE;
            }
            final int size = 4 * (u16(buffer, position + 2) + 1);
            if (size > end - position)
            {
                return RtcpStatus.BAD_LENGTH;
            }
            if (first && packetType != RtpDescriptor.RTCP_SR && packetType != RtpDescriptor.RTCP_RR &&
                !reducedSizeAllowed)
            {
                return RtcpStatus.FIRST_NOT_REPORT; // RFC 3550 6.1, relaxed by RFC 5506 3.1
            }
            int bodyLength = size;
            if ((head & 0x20) != 0)
            {
                if (position + size != end)
                {
                    return RtcpStatus.PADDING_NOT_LAST; // RFC 3550 6.4.1: only the last packet may be padded
                }
                final int padding = u8(buffer, end - 1);
                if (padding == 0 || padding > size - RtpDescriptor.RTCP_HEADER_LENGTH)
                {
                    return RtcpStatus.BAD_PADDING;
                }
                bodyLength = size - padding;
            }
            final RtcpStatus packetStatus = validatePacket(buffer, position, bodyLength, packetType, head & 0x1F);
            if (packetStatus != RtcpStatus.OK)
            {
                return packetStatus;
            }
            position += size;
            first = false;
        }
        return RtcpStatus.OK;
    }

    private static RtcpStatus validatePacket(
        final byte[] buffer, final int start, final int length, final int packetType, final int count)
    {
        switch (packetType)
        {
            case RtpDescriptor.RTCP_SR: // RFC 3550 6.4.1
                return length < RtpDescriptor.SENDER_REPORT_LENGTH + RtpDescriptor.REPORT_BLOCK_LENGTH * count ?
                    RtcpStatus.BAD_REPORT : RtcpStatus.OK;
            case RtpDescriptor.RTCP_RR: // RFC 3550 6.4.2
                return length < RtpDescriptor.RECEIVER_REPORT_LENGTH + RtpDescriptor.REPORT_BLOCK_LENGTH * count ?
                    RtcpStatus.BAD_REPORT : RtcpStatus.OK;
            case RtpDescriptor.RTCP_SDES:
                return validateSdes(buffer, start, start + length, count);
            case RtpDescriptor.RTCP_BYE: // RFC 3550 6.6
            {
                final int listEnd = RtpDescriptor.RTCP_HEADER_LENGTH + 4 * count;
                if (listEnd > length)
                {
                    return RtcpStatus.BAD_BYE;
                }
                if (listEnd < length && listEnd + 1 + u8(buffer, start + listEnd) > length)
                {
                    return RtcpStatus.BAD_BYE;
                }
                return RtcpStatus.OK;
            }
            case RtpDescriptor.RTCP_APP: // RFC 3550 6.7: header, SSRC, name
                return length < 12 ? RtcpStatus.BAD_APP : RtcpStatus.OK;
            case RtpDescriptor.RTCP_RTPFB:
            case RtpDescriptor.RTCP_PSFB: // RFC 4585 6.1: header, sender SSRC, media SSRC
                return length < 12 ? RtcpStatus.BAD_FEEDBACK : RtcpStatus.OK;
            default:
                return RtcpStatus.OK;
        }
    }

    /**
     * RFC 3550 6.5: each chunk is an SSRC then items, ended by a null octet and padded with nulls to 32 bits.
     */
    private static RtcpStatus validateSdes(final byte[] buffer, final int start, final int end, final int chunks)
    {
        int position = start + RtpDescriptor.RTCP_HEADER_LENGTH;
        for (int i = 0; i < chunks; i++)
        {
            if (end - position < 4)
            {
                return RtcpStatus.BAD_SDES;
            }
            position += 4;
            while (true)
            {
                if (position >= end)
                {
                    return RtcpStatus.BAD_SDES; // no terminating null item
                }
                final int itemType = u8(buffer, position);
                if (itemType == 0)
                {
                    position = start + align4(position + 1 - start);
                    if (position > end)
                    {
                        return RtcpStatus.BAD_SDES;
                    }
                    break;
                }
                if (end - position < 2 || u8(buffer, position + 1) > end - position - 2)
                {
                    return RtcpStatus.BAD_SDES;
                }
                position += 2 + u8(buffer, position + 1);
            }
        }
        return RtcpStatus.OK;
    }

    private static int align4(final int value)
    {
        return (value + 3) & ~3;
    }

    private void dispatch(final byte[] buffer, final int offset, final int length, final RtcpHandler handler)
    {
        final int end = offset + length;
        int position = offset;
        while (position < end)
        {
            final int head = u8(buffer, position);
            final int count = head & 0x1F;
            final int packetType = u8(buffer, position + 1);
            final int size = 4 * (u16(buffer, position + 2) + 1);
            switch (packetType)
            {
                case RtpDescriptor.RTCP_SR:
                {
                    senderReports++;
                    final long ssrc = u32(buffer, position + 4);
                    final long ntp = (u32(buffer, position + 8) << 32) | u32(buffer, position + 12);
                    handler.onSenderReport(
                        ssrc, ntp, u32(buffer, position + 16), u32(buffer, position + 20), u32(buffer, position + 24));
                    reportBlocks(buffer, position + RtpDescriptor.SENDER_REPORT_LENGTH, count, ssrc, handler);
                    break;
                }
                case RtpDescriptor.RTCP_RR:
                {
                    receiverReports++;
                    final long ssrc = u32(buffer, position + 4);
                    handler.onReceiverReport(ssrc);
                    reportBlocks(buffer, position + RtpDescriptor.RECEIVER_REPORT_LENGTH, count, ssrc, handler);
                    break;
                }
                case RtpDescriptor.RTCP_SDES:
                    sdesPackets++;
                    sdes(buffer, position, count, handler);
                    break;
                case RtpDescriptor.RTCP_BYE:
                    byePackets++;
                    for (int i = 0; i < count; i++)
                    {
                        handler.onBye(u32(buffer, position + 4 + 4 * i));
                    }
                    break;
                case RtpDescriptor.RTCP_APP:
                    appPackets++;
                    break;
                case RtpDescriptor.RTCP_RTPFB:
                case RtpDescriptor.RTCP_PSFB:
                    countFeedback(buffer, position, size, packetType, count);
                    handler.onFeedback(packetType, count, u32(buffer, position + 4), u32(buffer, position + 8));
                    break;
                case RtpDescriptor.RTCP_XR:
                    xrPackets++;
                    break;
                default:
                    unknownPackets++;
                    break;
            }
            position += size;
        }
    }

    private static void reportBlocks(
        final byte[] buffer, final int start, final int count, final long reporterSsrc, final RtcpHandler handler)
    {
        for (int i = 0; i < count; i++)
        {
            final int block = start + RtpDescriptor.REPORT_BLOCK_LENGTH * i;
            final int cumulativeLost = (u24(buffer, block + 5) << 8) >> 8; // signed 24 bits
            handler.onReportBlock(
                reporterSsrc,
                u32(buffer, block),
                u8(buffer, block + 4),
                cumulativeLost,
                u32(buffer, block + 8),
                u32(buffer, block + 12),
                u32(buffer, block + 16),
                u32(buffer, block + 20));
        }
    }

    private static void sdes(final byte[] buffer, final int start, final int chunks, final RtcpHandler handler)
    {
        int position = start + RtpDescriptor.RTCP_HEADER_LENGTH;
        for (int i = 0; i < chunks; i++)
        {
            final long ssrc = u32(buffer, position);
            position += 4;
            int itemType;
            while ((itemType = u8(buffer, position)) != 0)
            {
                final int itemLength = u8(buffer, position + 1);
                if (itemType == RtpDescriptor.SDES_CNAME)
                {
                    handler.onSdesCname(ssrc, buffer, position + 2, itemLength);
                }
                position += 2 + itemLength;
            }
            position = start + align4(position + 1 - start);
        }
    }

    private void countFeedback(
        final byte[] buffer, final int start, final int size, final int packetType, final int format)
    {
        if (packetType == RtpDescriptor.RTCP_RTPFB)
        {
            if (format == RtpDescriptor.FMT_NACK)
            {
                nackPackets++;
            }
            else if (format == RtpDescriptor.FMT_TRANSPORT_CC)
            {
                transportCcPackets++;
            }
            else
            {
                otherFeedbackPackets++;
            }
        }
        else if (format == RtpDescriptor.FMT_PLI)
        {
            pliPackets++;
        }
        else if (format == RtpDescriptor.FMT_AFB && size >= 16 &&
            buffer[start + 12] == 'R' && buffer[start + 13] == 'E' &&
            buffer[start + 14] == 'M' && buffer[start + 15] == 'B')
        {
            rembPackets++;
        }
        else
        {
            otherFeedbackPackets++;
        }
    }

    /**
     * @return sender reports seen in valid compounds.
     */
    public long senderReports()
    {
        return senderReports;
    }

    /**
     * @return receiver reports seen in valid compounds.
     */
    public long receiverReports()
    {
        return receiverReports;
    }

    /**
     * @return SDES packets seen.
     */
    public long sdesPackets()
    {
        return sdesPackets;
    }

    /**
     * @return BYE packets seen.
     */
    public long byePackets()
    {
        return byePackets;
    }

    /**
     * @return APP packets seen and skipped.
     */
    public long appPackets()
    {
        return appPackets;
    }

    /**
     * @return generic NACKs (RTPFB FMT 1) seen and skipped.
     */
    public long nackPackets()
    {
        return nackPackets;
    }

    /**
     * @return PLIs (PSFB FMT 1) seen and skipped.
     */
    public long pliPackets()
    {
        return pliPackets;
    }

    /**
     * @return REMBs (PSFB FMT 15 with "REMB") seen and skipped.
     */
    public long rembPackets()
    {
        return rembPackets;
    }

    /**
     * @return transport-cc feedback (RTPFB FMT 15) seen and skipped.
     */
    public long transportCcPackets()
    {
        return transportCcPackets;
    }

    /**
     * @return other RTPFB/PSFB messages seen and skipped.
     */
    public long otherFeedbackPackets()
    {
        return otherFeedbackPackets;
    }

    /**
     * @return XR packets seen and skipped.
     */
    public long xrPackets()
    {
        return xrPackets;
    }

    /**
     * @return packets of other types in 192-223, skipped.
     */
    public long unknownPackets()
    {
        return unknownPackets;
    }
}
