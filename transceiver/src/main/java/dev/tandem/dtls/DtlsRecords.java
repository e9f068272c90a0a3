package dev.tandem.dtls;

/**
 * Cheap structural checks on inbound datagrams, on the media thread before anything is queued, so that noise never
 * reaches Bouncy Castle and never starts a handshake (which would hold an executor thread until its timeout).
 * <pre>
 *   DTLSPlaintext / DTLSCiphertext record header (RFC 6347 4.1), one or more whole records per datagram:
 *    0                   1                   2                   3
 *   +---------------+---------------+---------------+---------------+
 *   |  ContentType  |  version (0xFE, minor)        |     epoch  ...
 *   +---------------+---------------+---------------+---------------+
 *   ...   epoch     |            sequence_number (48 bits)  ...
 *   +---------------+---------------+---------------+---------------+
 *   ...                             |            length             |
 *   +---------------+---------------+---------------+---------------+
 *
 *   Handshake header (RFC 6347 4.2.2), at byte 13 of a handshake record:
 *   msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3)
 * </pre>
 * Allocation-free; never throws on hostile bytes.
 */
final class DtlsRecords
{
    static final int RECORD_HEADER_LENGTH = 13;
    static final int HANDSHAKE_HEADER_LENGTH = 12;
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int APPLICATION_DATA = 23;
    static final int HANDSHAKE = 22;
    static final int CLIENT_HELLO = 1;
    static final int EPOCH_0_SEQUENCE_LIMIT = 1 << 12;
    private static final int DTLS_MAJOR_VERSION = 0xFE;

    private DtlsRecords()
    {
    }

    /**
     * @return true when the datagram is a sequence of whole DTLS records of the content types Tandem negotiates
     *     (change_cipher_spec, alert, handshake, application_data: no heartbeat, no connection id), with epoch 0
     *     sequence numbers below {@link #EPOCH_0_SEQUENCE_LIMIT}.
     */
    static boolean isWellFormed(final byte[] data, final int offset, final int length)
    {
        if (length < RECORD_HEADER_LENGTH || offset < 0 || offset + length > data.length)
        {
            return false;
        }
        final int end = offset + length;
        int at = offset;
        while (at < end)
        {
            if (end - at < RECORD_HEADER_LENGTH)
            {
                return false;
            }
            final int contentType = data[at] & 0xFF;
            if (contentType < CHANGE_CIPHER_SPEC || contentType > APPLICATION_DATA ||
                (data[at + 1] & 0xFF) != DTLS_MAJOR_VERSION)
            {
                return false;
            }
            // Epoch 0 is unauthenticated: a record far ahead would move Bouncy Castle's replay window past the
            // peer's real records (RFC 6347 4.1.2.6). A real handshake's epoch 0 stays in the tens.
            if (uint16(data, at + 3) == 0 &&
                (uint16(data, at + 5) != 0 || uint16(data, at + 7) != 0 ||
                uint16(data, at + 9) >= EPOCH_0_SEQUENCE_LIMIT))
            {
                return false;
            }
            at += RECORD_HEADER_LENGTH + uint16(data, at + 11);
        }
        return at == end;
    }

    /**
     * RFC 6347 4.2.2: the first record is an epoch-0 handshake record holding a (possibly partial) ClientHello
     * fragment whose bounds fit its message.
     *
     * @return true when a well-formed datagram may start a server's handshake.
     */
    static boolean startsWithClientHello(final byte[] data, final int offset, final int length)
    {
        if (!isWellFormed(data, offset, length))
        {
            return false;
        }
        final int recordLength = uint16(data, offset + 11);
        if ((data[offset] & 0xFF) != HANDSHAKE || uint16(data, offset + 3) != 0 ||
            recordLength < HANDSHAKE_HEADER_LENGTH)
        {
            return false;
        }
        final int message = offset + RECORD_HEADER_LENGTH;
        final int messageLength = uint24(data, message + 1);
        final int fragmentOffset = uint24(data, message + 6);
        final int fragmentLength = uint24(data, message + 9);
        return (data[message] & 0xFF) == CLIENT_HELLO &&
            uint16(data, message + 4) == 0 &&
            fragmentOffset + fragmentLength <= messageLength &&
            HANDSHAKE_HEADER_LENGTH + fragmentLength <= recordLength;
    }

    private static int uint16(final byte[] data, final int at)
    {
        return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
    }

    private static int uint24(final byte[] data, final int at)
    {
        return ((data[at] & 0xFF) << 16) | ((data[at + 1] & 0xFF) << 8) | (data[at + 2] & 0xFF);
    }
}
