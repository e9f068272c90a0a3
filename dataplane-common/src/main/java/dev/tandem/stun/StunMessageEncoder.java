package dev.tandem.stun;

import dev.tandem.common.ClientAddress;
import dev.tandem.crypto.HmacSha1;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static dev.tandem.stun.StunMessageFlyweight.ATTRIBUTE_HEADER_LENGTH;
import static dev.tandem.stun.StunMessageFlyweight.HEADER_LENGTH;
import static dev.tandem.stun.StunMessageFlyweight.MAGIC_COOKIE;
import static dev.tandem.stun.StunMessageFlyweight.TRANSACTION_ID_LENGTH;
import static dev.tandem.stun.StunMessageFlyweight.TRANSACTION_ID_OFFSET;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Writes STUN messages (RFC 8489) into a {@link MutableDirectBuffer} without allocation: the Binding responses of
 * the transceiver's ICE-lite agent and the Binding requests of the Java test client. See
 * {@link StunMessageFlyweight} for the layout.
 * <p>
 * Either call a whole-message method ({@link #bindingSuccessResponse}, {@link #bindingErrorResponse},
 * {@link #bindingRequest}), or compose: {@link #wrap}, {@link #header}, attributes in order,
 * {@link #messageIntegrity}, {@link #fingerprint}, then {@link #length()}. The header's length field is kept
 * current after every attribute, as MESSAGE-INTEGRITY and FINGERPRINT need it (RFC 8489 14.5, 14.7). The caller
 * provides a buffer with room: {@link #MAX_BINDING_RESPONSE_LENGTH} bytes for any response written here.
 * Not thread-safe.
 */
public final class StunMessageEncoder
{
    /** Largest message the whole-message response methods write (error response with MI and FINGERPRINT). */
    public static final int MAX_BINDING_RESPONSE_LENGTH = 128;

    private static final byte[] BAD_REQUEST = "Bad Request".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNAUTHENTICATED = "Unauthenticated".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNKNOWN_ATTRIBUTE = "Unknown Attribute".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROLE_CONFLICT = "Role Conflict".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_ERROR = "Server Error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_REASON = new byte[0];

    private final StunFingerprint fingerprint = new StunFingerprint();
    private final byte[] mac = new byte[HmacSha1.MAC_LENGTH];
    private MutableDirectBuffer buffer;
    private int offset;
    private int position;

    /**
     * Start a message at an offset in a buffer.
     *
     * @param buffer destination.
     * @param offset where the message starts.
     * @return this.
     */
    public StunMessageEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.position = offset;
        return this;
    }

    /**
     * Write the 20-byte header with an empty attribute section.
     *
     * @param messageType         e.g. {@link StunMessageFlyweight#BINDING_SUCCESS_RESPONSE}.
     * @param transactionId       buffer holding the 12-byte transaction id (a request's, for a response).
     * @param transactionIdOffset where it starts.
     * @return this.
     */
    public StunMessageEncoder header(final int messageType, final DirectBuffer transactionId,
        final int transactionIdOffset)
    {
        buffer.putShort(offset, (short)(messageType & 0x3FFF), BIG_ENDIAN); // RFC 8489 5: top two bits zero
        buffer.putShort(offset + 2, (short)0, BIG_ENDIAN);
        buffer.putInt(offset + 4, MAGIC_COOKIE, BIG_ENDIAN);
        buffer.putBytes(offset + TRANSACTION_ID_OFFSET, transactionId, transactionIdOffset, TRANSACTION_ID_LENGTH);
        position = offset + HEADER_LENGTH;
        return this;
    }

    /**
     * Append an attribute with an arbitrary value, zero-padded to 4 bytes.
     *
     * @param type        attribute type.
     * @param value       buffer holding the value.
     * @param valueOffset where it starts.
     * @param valueLength its length in bytes.
     * @return this.
     */
    public StunMessageEncoder attribute(final int type, final DirectBuffer value, final int valueOffset,
        final int valueLength)
    {
        final int valuePosition = beginAttribute(type, valueLength);
        buffer.putBytes(valuePosition, value, valueOffset, valueLength);
        return endAttribute(valuePosition, valueLength);
    }

    /**
     * Append USERNAME (RFC 8489 14.3); for ICE {@code remoteUfrag:localUfrag} (RFC 8445 7.2.2).
     *
     * @param username       buffer holding the UTF-8 bytes.
     * @param usernameOffset where they start.
     * @param usernameLength how many.
     * @return this.
     */
    public StunMessageEncoder username(final DirectBuffer username, final int usernameOffset,
        final int usernameLength)
    {
        return attribute(StunMessageFlyweight.USERNAME, username, usernameOffset, usernameLength);
    }

    /**
     * Append PRIORITY (RFC 8445 7.1.1).
     *
     * @param priority unsigned 32-bit priority.
     * @return this.
     */
    public StunMessageEncoder priority(final long priority)
    {
        final int valuePosition = beginAttribute(StunMessageFlyweight.PRIORITY, 4);
        buffer.putInt(valuePosition, (int)priority, BIG_ENDIAN);
        return endAttribute(valuePosition, 4);
    }

    /**
     * Append USE-CANDIDATE (RFC 8445 7.1.2).
     *
     * @return this.
     */
    public StunMessageEncoder useCandidate()
    {
        final int valuePosition = beginAttribute(StunMessageFlyweight.USE_CANDIDATE, 0);
        return endAttribute(valuePosition, 0);
    }

    /**
     * Append ICE-CONTROLLING or ICE-CONTROLLED (RFC 8445 7.1.3).
     *
     * @param controlling true for ICE-CONTROLLING.
     * @param tieBreaker  the agent's 64-bit tie-breaker.
     * @return this.
     */
    public StunMessageEncoder iceRole(final boolean controlling, final long tieBreaker)
    {
        final int valuePosition = beginAttribute(
            controlling ? StunMessageFlyweight.ICE_CONTROLLING : StunMessageFlyweight.ICE_CONTROLLED, 8);
        buffer.putLong(valuePosition, tieBreaker, BIG_ENDIAN);
        return endAttribute(valuePosition, 8);
    }

    /**
     * Append XOR-MAPPED-ADDRESS (RFC 8489 14.2) for an address in {@link ClientAddress} form. The header (with its
     * transaction id) must already be written: IPv6 addresses are XORed with it.
     *
     * @param addressHigh upper 8 bytes of the address.
     * @param addressLow  lower 8 bytes of the address.
     * @param port        UDP port.
     * @return this.
     */
    public StunMessageEncoder xorMappedAddress(final long addressHigh, final long addressLow, final int port)
    {
        final boolean ipv4 = ClientAddress.isIpv4(addressHigh, addressLow);
        final int valueLength = ipv4 ? 8 : 20;
        final int valuePosition = beginAttribute(StunMessageFlyweight.XOR_MAPPED_ADDRESS, valueLength);
        buffer.putByte(valuePosition, (byte)0);
        buffer.putByte(valuePosition + 1,
            (byte)(ipv4 ? StunMessageFlyweight.FAMILY_IPV4 : StunMessageFlyweight.FAMILY_IPV6));
        buffer.putShort(valuePosition + 2, (short)((port ^ (MAGIC_COOKIE >>> 16)) & 0xFFFF), BIG_ENDIAN);
        if (ipv4)
        {
            buffer.putInt(valuePosition + 4, ClientAddress.ipv4(addressLow) ^ MAGIC_COOKIE, BIG_ENDIAN);
        }
        else
        {
            final long txHigh = buffer.getInt(offset + TRANSACTION_ID_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL;
            final long txLow = buffer.getLong(offset + TRANSACTION_ID_OFFSET + 4, BIG_ENDIAN);
            buffer.putLong(valuePosition + 4, addressHigh ^ (((long)MAGIC_COOKIE << 32) | txHigh), BIG_ENDIAN);
            buffer.putLong(valuePosition + 12, addressLow ^ txLow, BIG_ENDIAN);
        }
        return endAttribute(valuePosition, valueLength);
    }

    /**
     * Append ERROR-CODE (RFC 8489 14.8) with the standard reason phrase for 400, 401, 420, 487 and 500 and an
     * empty one otherwise.
     *
     * @param errorCode 300..699.
     * @return this.
     */
    public StunMessageEncoder errorCode(final int errorCode)
    {
        final byte[] reason = reasonPhrase(errorCode);
        final int valueLength = 4 + reason.length;
        final int valuePosition = beginAttribute(StunMessageFlyweight.ERROR_CODE, valueLength);
        buffer.putShort(valuePosition, (short)0, BIG_ENDIAN);
        buffer.putByte(valuePosition + 2, (byte)((errorCode / 100) & 0x07));
        buffer.putByte(valuePosition + 3, (byte)(errorCode % 100));
        buffer.putBytes(valuePosition + 4, reason);
        return endAttribute(valuePosition, valueLength);
    }

    /**
     * Append UNKNOWN-ATTRIBUTES (RFC 8489 14.9) naming one attribute type, for a 420 response.
     *
     * @param type the comprehension-required type that was not understood.
     * @return this.
     */
    public StunMessageEncoder unknownAttribute(final int type)
    {
        final int valuePosition = beginAttribute(StunMessageFlyweight.UNKNOWN_ATTRIBUTES, 2);
        buffer.putShort(valuePosition, (short)type, BIG_ENDIAN);
        return endAttribute(valuePosition, 2);
    }

    /**
     * Append MESSAGE-INTEGRITY: HMAC-SHA1 over the message so far with the length field already counting this
     * attribute (RFC 8489 14.5).
     *
     * @param keyedMac a MAC keyed with the short-term password (for a response, the password that verified the
     *                 request, RFC 8489 9.1.3); it is reset first.
     * @return this.
     */
    public StunMessageEncoder messageIntegrity(final HmacSha1 keyedMac)
    {
        final int valuePosition = beginAttribute(StunMessageFlyweight.MESSAGE_INTEGRITY, HmacSha1.MAC_LENGTH);
        keyedMac.reset();
        keyedMac.update(buffer, offset, valuePosition - ATTRIBUTE_HEADER_LENGTH - offset);
        keyedMac.doFinal(mac, 0);
        buffer.putBytes(valuePosition, mac, 0, HmacSha1.MAC_LENGTH);
        return endAttribute(valuePosition, HmacSha1.MAC_LENGTH);
    }

    /**
     * Append FINGERPRINT (RFC 8489 14.7); it must be the last attribute.
     *
     * @return this.
     */
    public StunMessageEncoder fingerprint()
    {
        final int valuePosition = beginAttribute(StunMessageFlyweight.FINGERPRINT, 4);
        final int crc = fingerprint.compute(buffer, offset, valuePosition - ATTRIBUTE_HEADER_LENGTH - offset);
        buffer.putInt(valuePosition, crc, BIG_ENDIAN);
        return endAttribute(valuePosition, 4);
    }

    /**
     * @return the length of the message written so far, header included.
     */
    public int length()
    {
        return position - offset;
    }

    /**
     * Write a Binding success response (RFC 8489 7.3.1.1, RFC 8445 7.3.1.4): XOR-MAPPED-ADDRESS of the request's
     * source, MESSAGE-INTEGRITY with the password that verified the request, FINGERPRINT.
     *
     * @param buffer              destination.
     * @param offset              where the message starts.
     * @param transactionId       buffer with the request's transaction id.
     * @param transactionIdOffset where it starts ({@link StunMessageFlyweight#transactionIdOffset()}).
     * @param addressHigh         upper half of the request's source address.
     * @param addressLow          lower half of the request's source address.
     * @param port                the request's source port.
     * @param keyedMac            MAC keyed with the local ICE password.
     * @return the message length in bytes.
     */
    public int bindingSuccessResponse(
        final MutableDirectBuffer buffer,
        final int offset,
        final DirectBuffer transactionId,
        final int transactionIdOffset,
        final long addressHigh,
        final long addressLow,
        final int port,
        final HmacSha1 keyedMac)
    {
        return wrap(buffer, offset)
            .header(StunMessageFlyweight.BINDING_SUCCESS_RESPONSE, transactionId, transactionIdOffset)
            .xorMappedAddress(addressHigh, addressLow, port)
            .messageIntegrity(keyedMac)
            .fingerprint()
            .length();
    }

    /**
     * Write a Binding error response with ERROR-CODE (RFC 8489 6.3.1.1): 400 for a malformed request, 401 when
     * MESSAGE-INTEGRITY or USERNAME is missing or wrong (sent without MESSAGE-INTEGRITY, RFC 8489 9.1.3), 487 for
     * an ICE role conflict (sent with it, RFC 8445 7.3.1.1). FINGERPRINT is always added (RFC 8445 7.2.2).
     *
     * @param buffer              destination.
     * @param offset              where the message starts.
     * @param transactionId       buffer with the request's transaction id.
     * @param transactionIdOffset where it starts.
     * @param errorCode           e.g. 400, 401 or 487.
     * @param keyedMacOrNull      MAC keyed with the local ICE password, or null for no MESSAGE-INTEGRITY.
     * @return the message length in bytes.
     */
    public int bindingErrorResponse(
        final MutableDirectBuffer buffer,
        final int offset,
        final DirectBuffer transactionId,
        final int transactionIdOffset,
        final int errorCode,
        final HmacSha1 keyedMacOrNull)
    {
        wrap(buffer, offset)
            .header(StunMessageFlyweight.BINDING_ERROR_RESPONSE, transactionId, transactionIdOffset)
            .errorCode(errorCode);
        if (keyedMacOrNull != null)
        {
            messageIntegrity(keyedMacOrNull);
        }
        return fingerprint().length();
    }

    /**
     * Write an ICE connectivity check (RFC 8445 7.2.2): a Binding request with USERNAME, PRIORITY, ICE-CONTROLLING
     * or ICE-CONTROLLED, optionally USE-CANDIDATE, MESSAGE-INTEGRITY keyed with the remote password, FINGERPRINT.
     *
     * @param buffer              destination.
     * @param offset              where the message starts.
     * @param transactionId       buffer holding a fresh random 12-byte transaction id.
     * @param transactionIdOffset where it starts.
     * @param username            buffer holding {@code remoteUfrag:localUfrag}.
     * @param usernameOffset      where it starts.
     * @param usernameLength      its length.
     * @param priority            PRIORITY value.
     * @param controlling         true for ICE-CONTROLLING, false for ICE-CONTROLLED.
     * @param tieBreaker          64-bit tie-breaker.
     * @param useCandidate        true to nominate.
     * @param keyedMac            MAC keyed with the remote ICE password.
     * @return the message length in bytes.
     */
    public int bindingRequest(
        final MutableDirectBuffer buffer,
        final int offset,
        final DirectBuffer transactionId,
        final int transactionIdOffset,
        final DirectBuffer username,
        final int usernameOffset,
        final int usernameLength,
        final long priority,
        final boolean controlling,
        final long tieBreaker,
        final boolean useCandidate,
        final HmacSha1 keyedMac)
    {
        wrap(buffer, offset)
            .header(StunMessageFlyweight.BINDING_REQUEST, transactionId, transactionIdOffset)
            .username(username, usernameOffset, usernameLength)
            .priority(priority)
            .iceRole(controlling, tieBreaker);
        if (useCandidate)
        {
            useCandidate();
        }
        return messageIntegrity(keyedMac).fingerprint().length();
    }

    private int beginAttribute(final int type, final int valueLength)
    {
        buffer.putShort(position, (short)type, BIG_ENDIAN);
        buffer.putShort(position + 2, (short)valueLength, BIG_ENDIAN);
        final int valuePosition = position + ATTRIBUTE_HEADER_LENGTH;
        // The length field counts this attribute before its value is computed (RFC 8489 14.5, 14.7).
        final int end = valuePosition + ((valueLength + 3) & ~3);
        buffer.putShort(offset + 2, (short)(end - offset - HEADER_LENGTH), BIG_ENDIAN);
        return valuePosition;
    }

    private StunMessageEncoder endAttribute(final int valuePosition, final int valueLength)
    {
        final int paddedLength = (valueLength + 3) & ~3;
        for (int i = valueLength; i < paddedLength; i++)
        {
            buffer.putByte(valuePosition + i, (byte)0);
        }
        position = valuePosition + paddedLength;
        return this;
    }

    private static byte[] reasonPhrase(final int errorCode)
    {
        switch (errorCode)
        {
            case 400:
                return BAD_REQUEST;
            case 401:
                return UNAUTHENTICATED; // RFC 8489 14.8 renamed "Unauthorized"
            case 420:
                return UNKNOWN_ATTRIBUTE;
            case 487:
                return ROLE_CONFLICT; // RFC 8445 7.3.1.1
            case 500:
                return SERVER_ERROR;
            default:
                return NO_REASON;
        }
    }
}
