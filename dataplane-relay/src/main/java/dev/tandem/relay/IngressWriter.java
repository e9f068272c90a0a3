package dev.tandem.relay;

import dev.tandem.common.ClientAddress;
import dev.tandem.sbe.AddressFamily;
import dev.tandem.sbe.IngressEncoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import dev.tandem.sbe.PacketKind;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Writes the SBE {@code Ingress} message in place: into a claimed Aeron frame, or (header only) into a scratch
 * buffer when the datagram is bigger than a frame and goes by a two-part offer.
 * <pre>
 *   0        8                                             40  42
 *   +--------+---------------------------------------------+---+----------------+
 *   | header | receiveTimeNs addressHigh addressLow port    |len| payload ...    |
 *   | 8 B    | family kind relayId workerId (32 B block)   |2 B| the datagram   |
 *   +--------+---------------------------------------------+---+----------------+
 * </pre>
 */
public final class IngressWriter
{
    /** Bytes before the payload: message header, block and the payload's length field. */
    public static final int HEADER_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + IngressEncoder.BLOCK_LENGTH + IngressEncoder.payloadHeaderLength();
    private static final PacketKind[] KINDS = {PacketKind.NULL_VAL, PacketKind.STUN, PacketKind.DTLS, PacketKind.RTP};

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final IngressEncoder encoder = new IngressEncoder();
    private final int relayId;
    private final int workerId;

    /**
     * @param relayId  this relay.
     * @param workerId this worker: the transceiver replies to its return stream.
     */
    public IngressWriter(final int relayId, final int workerId)
    {
        this.relayId = relayId;
        this.workerId = workerId;
    }

    /**
     * Write the whole message.
     *
     * @param out           destination buffer (a claimed frame).
     * @param offset        where the message starts.
     * @param nowNs         receive time.
     * @param kind          {@code PacketClassifier} class of the first byte.
     * @param high          client address, upper half.
     * @param low           client address, lower half.
     * @param port          client port.
     * @param payload       the datagram.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @return bytes written.
     */
    public int write(
        final MutableDirectBuffer out,
        final int offset,
        final long nowNs,
        final int kind,
        final long high,
        final long low,
        final int port,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        writeHeader(out, offset, nowNs, kind, high, low, port, payloadLength);
        out.putBytes(offset + HEADER_LENGTH, payload, payloadOffset, payloadLength);
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * Write everything but the payload bytes, including the payload's length field.
     *
     * @param out           destination buffer.
     * @param offset        where the message starts.
     * @param nowNs         receive time.
     * @param kind          {@code PacketClassifier} class of the first byte.
     * @param high          client address, upper half.
     * @param low           client address, lower half.
     * @param port          client port.
     * @param payloadLength the datagram's length.
     */
    public void writeHeader(
        final MutableDirectBuffer out,
        final int offset,
        final long nowNs,
        final int kind,
        final long high,
        final long low,
        final int port,
        final int payloadLength)
    {
        encoder.wrapAndApplyHeader(out, offset, headerEncoder)
            .receiveTimeNs(nowNs)
            .addressHigh(high)
            .addressLow(low)
            .port(port)
            .family(ClientAddress.isIpv4(high, low) ? AddressFamily.IPV4 : AddressFamily.IPV6)
            .kind(KINDS[kind])
            .relayId(relayId)
            .workerId(workerId);
        out.putShort(offset + HEADER_LENGTH - IngressEncoder.payloadHeaderLength(), (short)payloadLength,
            ByteOrder.LITTLE_ENDIAN);
    }
}
