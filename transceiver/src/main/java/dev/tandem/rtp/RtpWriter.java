package dev.tandem.rtp;

import static dev.tandem.rtp.NetworkBytes.put16;
import static dev.tandem.rtp.NetworkBytes.put32;

/**
 * Writes the 12-byte RTP fixed header of our outbound packets (RFC 3550 5.1): version 2, no padding, no extension,
 * no CSRCs.
 */
public final class RtpWriter
{
    private RtpWriter()
    {
    }

    /**
     * @param buffer         where to write; needs 12 bytes at {@code offset}.
     * @param offset         where the packet starts.
     * @param marker         marker bit (first packet of a talkspurt for audio, RFC 3551 4.1).
     * @param payloadType    negotiated payload type, 0-127.
     * @param sequenceNumber 16-bit sequence number.
     * @param timestamp      32-bit RTP timestamp.
     * @param ssrc           our SSRC.
     * @return bytes written: {@link RtpDescriptor#RTP_HEADER_LENGTH}.
     */
    public static int writeHeader(
        final byte[] buffer,
        final int offset,
        final boolean marker,
        final int payloadType,
        final int sequenceNumber,
        final long timestamp,
        final long ssrc)
    {
        buffer[offset] = (byte)(RtpDescriptor.VERSION << 6);
        buffer[offset + 1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        put16(buffer, offset + 2, sequenceNumber);
        put32(buffer, offset + 4, timestamp);
        put32(buffer, offset + 8, ssrc);
        return RtpDescriptor.RTP_HEADER_LENGTH;
    }
}
