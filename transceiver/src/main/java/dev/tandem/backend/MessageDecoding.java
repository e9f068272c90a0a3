package dev.tandem.backend;

import dev.tandem.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Checks a received fragment before an SBE decoder reads it, so a short or foreign message is counted as
 * malformed instead of reading past its end.
 */
public final class MessageDecoding
{
    /** What {@link #templateId} answers for a fragment that is not a whole message of this schema. */
    public static final int NOT_OURS = -1;

    private MessageDecoding()
    {
    }

    /**
     * @param header decoder to wrap the header with.
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     * @return its template id, or {@link #NOT_OURS} when too short for its header and block, or of another schema.
     */
    public static int templateId(
        final MessageHeaderDecoder header, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return NOT_OURS;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID ||
            MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength() > length)
        {
            return NOT_OURS;
        }
        return header.templateId();
    }

    /**
     * @param buffer holds the message.
     * @param limit  where a variable-length field starts (its 2-byte length).
     * @param end    where the message ends.
     * @return true when the field's length and bytes end within the message.
     */
    public static boolean varDataFits(final DirectBuffer buffer, final int limit, final int end)
    {
        return limit + 2 <= end && limit + 2 + (buffer.getShort(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) <= end;
    }
}
