package dev.tandem.stun;

import dev.tandem.common.ClientAddress;
import dev.tandem.crypto.HmacSha1;
import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * A zero-allocation view of a STUN message (RFC 8489) in a {@link DirectBuffer}: the relay reads USERNAME from it
 * to route a first packet, the transceiver's ICE-lite agent checks and answers connectivity checks with it.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---+---------------------------+-------------------------------+
 *   |0 0|   message type (14 bits)  |  message length (after header)|
 *   +---+---------------------------+-------------------------------+
 *   |                   magic cookie 0x2112A442                     |
 *   +---------------------------------------------------------------+
 *   |                                                               |
 *   |                 transaction id (96 bits)                      |
 *   |                                                               |
 *   +-------------------------------+-------------------------------+
 *   |       attribute type          |  attribute value length       |  repeated; each value is
 *   +-------------------------------+-------------------------------+  padded to a multiple of
 *   |       value ... (padding to 4 bytes, any content)             |  4 bytes (RFC 8489 14)
 *   +---------------------------------------------------------------+
 *
 *   message type bits:  M11 M10 M9 M8 M7 C1 M6 M5 M4 C0 M3 M2 M1 M0   (method M, class C; RFC 8489 5)
 * </pre>
 * Usage: {@link #wrap}, then {@link #validate}; the accessors are meaningful only after {@code validate()} returned
 * {@link StunStatus#OK}. Validation walks the attributes once and records where the interesting ones are, keeping
 * the first occurrence of each (RFC 8489 14: only the first needs processing). Attributes after MESSAGE-INTEGRITY
 * other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are ignored (RFC 8489 14.5), so nothing an attacker appends
 * to an authenticated message is ever read. Not thread-safe; never throws on hostile input.
 */
public final class StunMessageFlyweight
{
    /** Length of the fixed header in bytes. */
    public static final int HEADER_LENGTH = 20;
    /** The magic cookie (RFC 8489 5). */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** Length of the transaction id in bytes. */
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** Offset of the transaction id in the header. */
    public static final int TRANSACTION_ID_OFFSET = 8;
    /** Length of an attribute header (type and length). */
    public static final int ATTRIBUTE_HEADER_LENGTH = 4;

    /** Method: Binding (RFC 8489 18.2). */
    public static final int METHOD_BINDING = 0x001;
    /** Class: request. */
    public static final int CLASS_REQUEST = 0;
    /** Class: indication. */
    public static final int CLASS_INDICATION = 1;
    /** Class: success response. */
    public static final int CLASS_SUCCESS_RESPONSE = 2;
    /** Class: error response. */
    public static final int CLASS_ERROR_RESPONSE = 3;
    /** Message type of a Binding request. */
    public static final int BINDING_REQUEST = 0x0001;
    /** Message type of a Binding indication (keepalive). */
    public static final int BINDING_INDICATION = 0x0011;
    /** Message type of a Binding success response. */
    public static final int BINDING_SUCCESS_RESPONSE = 0x0101;
    /** Message type of a Binding error response. */
    public static final int BINDING_ERROR_RESPONSE = 0x0111;

    /** Attribute MAPPED-ADDRESS (RFC 8489 14.1). */
    public static final int MAPPED_ADDRESS = 0x0001;
    /** Attribute USERNAME (RFC 8489 14.3). */
    public static final int USERNAME = 0x0006;
    /** Attribute MESSAGE-INTEGRITY (RFC 8489 14.5). */
    public static final int MESSAGE_INTEGRITY = 0x0008;
    /** Attribute ERROR-CODE (RFC 8489 14.8). */
    public static final int ERROR_CODE = 0x0009;
    /** Attribute UNKNOWN-ATTRIBUTES (RFC 8489 14.9). */
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    /** Attribute REALM (RFC 8489 14.9). */
    public static final int REALM = 0x0014;
    /** Attribute NONCE (RFC 8489 14.10). */
    public static final int NONCE = 0x0015;
    /** Attribute MESSAGE-INTEGRITY-SHA256 (RFC 8489 14.6). */
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    /** Attribute PASSWORD-ALGORITHM (RFC 8489 14.12). */
    public static final int PASSWORD_ALGORITHM = 0x001D;
    /** Attribute USERHASH (RFC 8489 14.4). */
    public static final int USERHASH = 0x001E;
    /** Attribute XOR-MAPPED-ADDRESS (RFC 8489 14.2). */
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** Attribute PRIORITY (RFC 8445 16.1). */
    public static final int PRIORITY = 0x0024;
    /** Attribute USE-CANDIDATE (RFC 8445 16.1). */
    public static final int USE_CANDIDATE = 0x0025;
    /** Attribute SOFTWARE (RFC 8489 14.14). */
    public static final int SOFTWARE = 0x8022;
    /** Attribute FINGERPRINT (RFC 8489 14.7). */
    public static final int FINGERPRINT = 0x8028;
    /** Attribute ICE-CONTROLLED (RFC 8445 16.1). */
    public static final int ICE_CONTROLLED = 0x8029;
    /** Attribute ICE-CONTROLLING (RFC 8445 16.1). */
    public static final int ICE_CONTROLLING = 0x802A;

    /** Address family of an IPv4 XOR-MAPPED-ADDRESS. */
    public static final int FAMILY_IPV4 = 0x01;
    /** Address family of an IPv6 XOR-MAPPED-ADDRESS. */
    public static final int FAMILY_IPV6 = 0x02;
    /** Length of the MESSAGE-INTEGRITY value (HMAC-SHA1). */
    public static final int MESSAGE_INTEGRITY_LENGTH = 20;
    /** Length of the FINGERPRINT value. */
    public static final int FINGERPRINT_LENGTH = 4;
    /**
     * Longest USERNAME accepted. RFC 8489 14.3 says fewer than 509 bytes, but ICE's {@code ufrag:ufrag} may be
     * 256 + 1 + 256 = 513 bytes (RFC 8445 7.2.2), the limit RFC 5389 had; a longer one is rejected.
     */
    public static final int MAX_USERNAME_LENGTH = 513;

    static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int COMPREHENSION_OPTIONAL = 0x8000;

    private final StunFingerprint fingerprint = new StunFingerprint();
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private boolean valid;
    private int attributesEnd;
    private int usernameOffset;
    private int usernameLength;
    private int messageIntegrityOffset;
    private int messageIntegritySha256Offset;
    private int fingerprintOffset;
    private int priorityOffset;
    private int iceControllingOffset;
    private int iceControlledOffset;
    private int errorCodeOffset;
    private int xorMappedAddressOffset;
    private int unknownComprehensionRequired;
    private boolean useCandidate;

    /**
     * Point the flyweight at a datagram. Nothing is read until {@link #validate()}.
     *
     * @param buffer holding the datagram.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return this.
     */
    public StunMessageFlyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        valid = false;
        attributesEnd = offset;
        usernameOffset = -1;
        usernameLength = 0;
        messageIntegrityOffset = -1;
        messageIntegritySha256Offset = -1;
        fingerprintOffset = -1;
        priorityOffset = -1;
        iceControllingOffset = -1;
        iceControlledOffset = -1;
        errorCodeOffset = -1;
        xorMappedAddressOffset = -1;
        unknownComprehensionRequired = -1;
        useCandidate = false;
        return this;
    }

    /**
     * Check the header and walk the attributes, recording where the known ones are. Does not check
     * MESSAGE-INTEGRITY or FINGERPRINT values: see {@link #verifyMessageIntegrity} and {@link #verifyFingerprint}.
     *
     * @return {@link StunStatus#OK} or a negative {@link StunStatus} reason.
     */
    public int validate()
    {
        valid = false;
        if (buffer == null || offset < 0 || length < HEADER_LENGTH || (long)offset + length > buffer.capacity())
        {
            return StunStatus.TRUNCATED;
        }
        if ((buffer.getByte(offset) & 0xC0) != 0)
        {
            return StunStatus.NOT_STUN; // RFC 8489 5: the top two bits are zero
        }
        if (buffer.getInt(offset + 4, BIG_ENDIAN) != MAGIC_COOKIE)
        {
            return StunStatus.BAD_COOKIE; // RFC 8489 5
        }
        final int messageLength = u16(offset + 2);
        if ((messageLength & 3) != 0)
        {
            return StunStatus.BAD_LENGTH; // RFC 8489 5: attributes are padded, so the length is a multiple of 4
        }
        if (messageLength + HEADER_LENGTH != length)
        {
            return StunStatus.LENGTH_MISMATCH; // RFC 8489 6.3: the length must match the datagram
        }
        final int status = walkAttributes();
        valid = status == StunStatus.OK;
        return status;
    }

    private int walkAttributes()
    {
        final int end = offset + length;
        int position = offset + HEADER_LENGTH;
        boolean integrityEnded = false;
        boolean sha1Integrity = false;
        attributesEnd = end;
        while (position < end)
        {
            if (fingerprintOffset >= 0)
            {
                return StunStatus.FINGERPRINT_NOT_LAST; // RFC 8489 14.7
            }
            if (end - position < ATTRIBUTE_HEADER_LENGTH)
            {
                return StunStatus.ATTRIBUTE_OVERRUN;
            }
            final int type = u16(position);
            final int valueLength = u16(position + 2);
            final int valueOffset = position + ATTRIBUTE_HEADER_LENGTH;
            final int paddedLength = (valueLength + 3) & ~3; // RFC 8489 14: padded to a multiple of 4
            if (paddedLength > end - valueOffset)
            {
                return StunStatus.ATTRIBUTE_OVERRUN;
            }

            if (type == FINGERPRINT)
            {
                if (valueLength != FINGERPRINT_LENGTH)
                {
                    return StunStatus.BAD_ATTRIBUTE;
                }
                fingerprintOffset = position;
            }
            else if (integrityEnded)
            {
                // RFC 8489 14.5: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count;
                // RFC 8489 14.6: after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT does.
                if (type == MESSAGE_INTEGRITY_SHA256 && sha1Integrity && messageIntegritySha256Offset < 0)
                {
                    if (!isSha256Length(valueLength))
                    {
                        return StunStatus.BAD_ATTRIBUTE;
                    }
                    messageIntegritySha256Offset = position;
                }
            }
            else
            {
                final int status = onAttribute(type, position, valueOffset, valueLength);
                if (status != StunStatus.OK)
                {
                    return status;
                }
                if (type == MESSAGE_INTEGRITY || type == MESSAGE_INTEGRITY_SHA256)
                {
                    integrityEnded = true;
                    sha1Integrity = type == MESSAGE_INTEGRITY;
                    attributesEnd = valueOffset + paddedLength;
                }
            }
            position = valueOffset + paddedLength;
        }
        if (iceControllingOffset >= 0 && iceControlledOffset >= 0)
        {
            return StunStatus.BOTH_ROLES;
        }
        return StunStatus.OK;
    }

    private int onAttribute(final int type, final int position, final int valueOffset, final int valueLength)
    {
        switch (type)
        {
            case USERNAME:
                if (valueLength > MAX_USERNAME_LENGTH)
                {
                    return StunStatus.BAD_ATTRIBUTE; // RFC 8489 14.3
                }
                if (usernameOffset < 0)
                {
                    usernameOffset = valueOffset;
                    usernameLength = valueLength;
                }
                return StunStatus.OK;
            case MESSAGE_INTEGRITY:
                if (valueLength != MESSAGE_INTEGRITY_LENGTH)
                {
                    return StunStatus.BAD_ATTRIBUTE; // RFC 8489 14.5: 20 bytes of HMAC-SHA1
                }
                messageIntegrityOffset = position;
                return StunStatus.OK;
            case MESSAGE_INTEGRITY_SHA256:
                if (!isSha256Length(valueLength))
                {
                    return StunStatus.BAD_ATTRIBUTE;
                }
                messageIntegritySha256Offset = position;
                return StunStatus.OK;
            case PRIORITY:
                return recordFixed(valueLength, 4, valueOffset, PRIORITY); // RFC 8445 16.1: 32 bits
            case USE_CANDIDATE:
                if (valueLength != 0)
                {
                    return StunStatus.BAD_ATTRIBUTE; // RFC 8445 16.1: no content
                }
                useCandidate = true;
                return StunStatus.OK;
            case ICE_CONTROLLING:
                return recordFixed(valueLength, 8, valueOffset, ICE_CONTROLLING); // RFC 8445 16.1: 64-bit tie-breaker
            case ICE_CONTROLLED:
                return recordFixed(valueLength, 8, valueOffset, ICE_CONTROLLED);
            case ERROR_CODE:
                return onErrorCode(valueOffset, valueLength);
            case XOR_MAPPED_ADDRESS:
                return onXorMappedAddress(valueOffset, valueLength);
            case MAPPED_ADDRESS:
            case UNKNOWN_ATTRIBUTES:
            case REALM:
            case NONCE:
            case PASSWORD_ALGORITHM:
            case USERHASH:
                return StunStatus.OK;
            default:
                if (type < COMPREHENSION_OPTIONAL && unknownComprehensionRequired < 0)
                {
                    unknownComprehensionRequired = type; // RFC 8489 6.3.1: the caller answers 420 to a request
                }
                return StunStatus.OK;
        }
    }

    private int recordFixed(final int valueLength, final int expected, final int valueOffset, final int type)
    {
        if (valueLength != expected)
        {
            return StunStatus.BAD_ATTRIBUTE;
        }
        if (type == PRIORITY && priorityOffset < 0)
        {
            priorityOffset = valueOffset;
        }
        else if (type == ICE_CONTROLLING && iceControllingOffset < 0)
        {
            iceControllingOffset = valueOffset;
        }
        else if (type == ICE_CONTROLLED && iceControlledOffset < 0)
        {
            iceControlledOffset = valueOffset;
        }
        return StunStatus.OK;
    }

    private int onErrorCode(final int valueOffset, final int valueLength)
    {
        // RFC 8489 14.8: 21 reserved bits, class 3..6 in 3 bits, number 0..99, then a reason phrase
        if (valueLength < 4)
        {
            return StunStatus.BAD_ATTRIBUTE;
        }
        final int errorClass = buffer.getByte(valueOffset + 2) & 0x07;
        final int number = buffer.getByte(valueOffset + 3) & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99)
        {
            return StunStatus.BAD_ATTRIBUTE;
        }
        if (errorCodeOffset < 0)
        {
            errorCodeOffset = valueOffset;
        }
        return StunStatus.OK;
    }

    private int onXorMappedAddress(final int valueOffset, final int valueLength)
    {
        // RFC 8489 14.2: reserved byte, family, X-Port, then 4 or 16 bytes of X-Address
        if (valueLength < 4)
        {
            return StunStatus.BAD_ATTRIBUTE;
        }
        final int family = buffer.getByte(valueOffset + 1) & 0xFF;
        if (!(family == FAMILY_IPV4 && valueLength == 8) && !(family == FAMILY_IPV6 && valueLength == 20))
        {
            return StunStatus.BAD_ATTRIBUTE;
        }
        if (xorMappedAddressOffset < 0)
        {
            xorMappedAddressOffset = valueOffset;
        }
        return StunStatus.OK;
    }

    private static boolean isSha256Length(final int valueLength)
    {
        return valueLength >= 16 && valueLength <= 32 && (valueLength & 3) == 0; // RFC 8489 14.6
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return where the message starts in the buffer.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return the datagram length wrapped.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return true when the last {@link #validate()} returned OK.
     */
    public boolean isValid()
    {
        return valid;
    }

    /**
     * @return the 14-bit message type, e.g. {@link #BINDING_REQUEST}, or -1 when the message is not valid.
     */
    public int messageType()
    {
        return valid ? u16(offset) & 0x3FFF : -1;
    }

    /**
     * @return the 12-bit method, e.g. {@link #METHOD_BINDING}, or -1 when the message is not valid.
     */
    public int method()
    {
        return valid ? method(messageType()) : -1;
    }

    /**
     * @return the class: {@link #CLASS_REQUEST}, {@link #CLASS_INDICATION}, {@link #CLASS_SUCCESS_RESPONSE} or
     * {@link #CLASS_ERROR_RESPONSE}; -1 when the message is not valid.
     */
    public int messageClass()
    {
        return valid ? messageClass(messageType()) : -1;
    }

    /**
     * @param messageType a 14-bit message type.
     * @return its method.
     */
    public static int method(final int messageType)
    {
        // RFC 8489 5: M0-M3 are bits 0-3, M4-M6 bits 5-7, M7-M11 bits 9-13
        return (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2);
    }

    /**
     * @param messageType a 14-bit message type.
     * @return its class.
     */
    public static int messageClass(final int messageType)
    {
        return ((messageType >> 4) & 0x1) | ((messageType >> 7) & 0x2); // RFC 8489 5: C0 is bit 4, C1 bit 8
    }

    /**
     * @param method       a 12-bit method.
     * @param messageClass a class.
     * @return the 14-bit message type that carries both.
     */
    public static int messageType(final int method, final int messageClass)
    {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) |
            ((messageClass & 0x1) << 4) | ((messageClass & 0x2) << 7);
    }

    /**
     * @return absolute offset of the 12-byte transaction id in the buffer.
     */
    public int transactionIdOffset()
    {
        return offset + TRANSACTION_ID_OFFSET;
    }

    /**
     * @return the first 4 bytes of the transaction id, big-endian; with {@link #transactionIdLow()} a key for
     * matching responses to requests without allocation.
     */
    public int transactionIdHigh()
    {
        return valid ? buffer.getInt(offset + TRANSACTION_ID_OFFSET, BIG_ENDIAN) : 0;
    }

    /**
     * @return the last 8 bytes of the transaction id, big-endian.
     */
    public long transactionIdLow()
    {
        return valid ? buffer.getLong(offset + TRANSACTION_ID_OFFSET + 4, BIG_ENDIAN) : 0;
    }

    /**
     * @return absolute offset of the first USERNAME value in the buffer, or -1 when absent (valid after
     * {@link #validate()}).
     */
    public int usernameOffset()
    {
        return valid ? usernameOffset : -1;
    }

    /**
     * @return length of the USERNAME value in bytes, 0 when absent.
     */
    public int usernameLength()
    {
        return valid ? usernameLength : 0;
    }

    /**
     * @return true when the message carries MESSAGE-INTEGRITY.
     */
    public boolean hasMessageIntegrity()
    {
        return valid && messageIntegrityOffset >= 0;
    }

    /**
     * @return true when the message carries MESSAGE-INTEGRITY-SHA256 (not verified here: browsers use SHA-1).
     */
    public boolean hasMessageIntegritySha256()
    {
        return valid && messageIntegritySha256Offset >= 0;
    }

    /**
     * @return true when the message carries FINGERPRINT.
     */
    public boolean hasFingerprint()
    {
        return valid && fingerprintOffset >= 0;
    }

    /**
     * @return the PRIORITY value (unsigned 32 bits), or -1 when absent (RFC 8445 7.1.1).
     */
    public long priority()
    {
        return valid && priorityOffset >= 0 ? buffer.getInt(priorityOffset, BIG_ENDIAN) & 0xFFFF_FFFFL : -1;
    }

    /**
     * @return true when USE-CANDIDATE is present (RFC 8445 7.1.2: the controlling agent nominates).
     */
    public boolean useCandidate()
    {
        return valid && useCandidate;
    }

    /**
     * @return true when ICE-CONTROLLING is present (RFC 8445 7.1.3).
     */
    public boolean hasIceControlling()
    {
        return valid && iceControllingOffset >= 0;
    }

    /**
     * @return true when ICE-CONTROLLED is present (RFC 8445 7.1.3).
     */
    public boolean hasIceControlled()
    {
        return valid && iceControlledOffset >= 0;
    }

    /**
     * @return the tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED (whichever is present; validation rejects
     * both), or 0 when neither is (RFC 8445 7.3.1.1).
     */
    public long tieBreaker()
    {
        if (!valid)
        {
            return 0;
        }
        if (iceControllingOffset >= 0)
        {
            return buffer.getLong(iceControllingOffset, BIG_ENDIAN);
        }
        return iceControlledOffset >= 0 ? buffer.getLong(iceControlledOffset, BIG_ENDIAN) : 0;
    }

    /**
     * @return the ERROR-CODE as class * 100 + number (e.g. 487), or -1 when absent.
     */
    public int errorCode()
    {
        if (!valid || errorCodeOffset < 0)
        {
            return -1;
        }
        return (buffer.getByte(errorCodeOffset + 2) & 0x07) * 100 + (buffer.getByte(errorCodeOffset + 3) & 0xFF);
    }

    /**
     * @return the first comprehension-required attribute type (below 0x8000) this flyweight does not know, or -1:
     * a request carrying one must be answered with 420 and UNKNOWN-ATTRIBUTES (RFC 8489 6.3.1).
     */
    public int unknownComprehensionRequired()
    {
        return valid ? unknownComprehensionRequired : -1;
    }

    /**
     * @return {@link #FAMILY_IPV4} or {@link #FAMILY_IPV6} of XOR-MAPPED-ADDRESS, or -1 when absent.
     */
    public int xorMappedAddressFamily()
    {
        return valid && xorMappedAddressOffset >= 0 ? buffer.getByte(xorMappedAddressOffset + 1) & 0xFF : -1;
    }

    /**
     * @return the port of XOR-MAPPED-ADDRESS, or -1 when absent (RFC 8489 14.2: X-Port XOR the cookie's top half).
     */
    public int xorMappedPort()
    {
        if (!valid || xorMappedAddressOffset < 0)
        {
            return -1;
        }
        return u16(xorMappedAddressOffset + 2) ^ (MAGIC_COOKIE >>> 16);
    }

    /**
     * @return the upper 8 bytes of the XOR-MAPPED-ADDRESS as a {@link ClientAddress}, 0 when absent or IPv4.
     */
    public long xorMappedAddressHigh()
    {
        if (xorMappedAddressFamily() != FAMILY_IPV6)
        {
            return 0;
        }
        // RFC 8489 14.2: IPv6 is XORed with the cookie followed by the transaction id
        final long mask = ((long)MAGIC_COOKIE << 32) | (transactionIdHigh() & 0xFFFF_FFFFL);
        return buffer.getLong(xorMappedAddressOffset + 4, BIG_ENDIAN) ^ mask;
    }

    /**
     * @return the lower 8 bytes of the XOR-MAPPED-ADDRESS as a {@link ClientAddress} (IPv4-mapped for IPv4),
     * 0 when absent.
     */
    public long xorMappedAddressLow()
    {
        final int family = xorMappedAddressFamily();
        if (family == FAMILY_IPV4)
        {
            return ClientAddress.ipv4Low(buffer.getInt(xorMappedAddressOffset + 4, BIG_ENDIAN) ^ MAGIC_COOKIE);
        }
        if (family == FAMILY_IPV6)
        {
            return buffer.getLong(xorMappedAddressOffset + 12, BIG_ENDIAN) ^ transactionIdLow();
        }
        return 0;
    }

    /**
     * Find the first attribute of a type among those that count: the ones before MESSAGE-INTEGRITY (and it
     * itself), MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (RFC 8489 14.5).
     *
     * @param type attribute type.
     * @return absolute offset of its value, or -1 when absent or the message is not valid.
     */
    public int findAttribute(final int type)
    {
        if (!valid)
        {
            return -1;
        }
        if (type == FINGERPRINT)
        {
            return fingerprintOffset >= 0 ? fingerprintOffset + ATTRIBUTE_HEADER_LENGTH : -1;
        }
        if (type == MESSAGE_INTEGRITY_SHA256)
        {
            return messageIntegritySha256Offset >= 0 ? messageIntegritySha256Offset + ATTRIBUTE_HEADER_LENGTH : -1;
        }
        int position = offset + HEADER_LENGTH;
        while (position < attributesEnd)
        {
            final int valueOffset = position + ATTRIBUTE_HEADER_LENGTH;
            if (u16(position) == type)
            {
                return valueOffset;
            }
            position = valueOffset + ((u16(position + 2) + 3) & ~3);
        }
        return -1;
    }

    /**
     * @param valueOffset a value offset returned by {@link #findAttribute}.
     * @return the length of that value in bytes, without padding; -1 for an offset outside the message.
     */
    public int attributeLength(final int valueOffset)
    {
        if (!valid || valueOffset < offset + HEADER_LENGTH + ATTRIBUTE_HEADER_LENGTH || valueOffset > offset + length)
        {
            return -1;
        }
        return u16(valueOffset - 2);
    }

    /**
     * Check MESSAGE-INTEGRITY with a MAC that already holds the key: for ICE the short-term password of the
     * receiving agent (RFC 8445 7.2.2, RFC 8489 9.1.1). The HMAC covers the message up to the attribute with the
     * header length as if MESSAGE-INTEGRITY were last (RFC 8489 14.5); the buffer is not modified.
     *
     * @param keyedMac a MAC after {@link HmacSha1#init}; it is reset first.
     * @return {@link StunStatus#OK}, {@link StunStatus#NO_MESSAGE_INTEGRITY}, {@link StunStatus#BAD_MESSAGE_INTEGRITY}
     * or {@link StunStatus#NOT_VALIDATED}.
     */
    public int verifyMessageIntegrity(final HmacSha1 keyedMac)
    {
        if (!valid)
        {
            return StunStatus.NOT_VALIDATED;
        }
        if (messageIntegrityOffset < 0)
        {
            return StunStatus.NO_MESSAGE_INTEGRITY;
        }
        final int coveredLength = messageIntegrityOffset - offset;
        final int adjustedLength = coveredLength - HEADER_LENGTH + ATTRIBUTE_HEADER_LENGTH + MESSAGE_INTEGRITY_LENGTH;
        keyedMac.reset();
        keyedMac.update(buffer, offset, 2);
        keyedMac.update((byte)(adjustedLength >>> 8));
        keyedMac.update((byte)adjustedLength);
        keyedMac.update(buffer, offset + 4, coveredLength - 4);
        return keyedMac.verify(buffer, messageIntegrityOffset + ATTRIBUTE_HEADER_LENGTH, MESSAGE_INTEGRITY_LENGTH) ?
            StunStatus.OK : StunStatus.BAD_MESSAGE_INTEGRITY;
    }

    /**
     * Key the MAC with a short-term password and check MESSAGE-INTEGRITY (RFC 8489 9.1.1: the key is the
     * password itself). Allocation-free for keys up to 64 bytes.
     *
     * @param mac       a MAC to (re)key.
     * @param key       password bytes (an ICE password is ASCII).
     * @param keyOffset where they start.
     * @param keyLength how many.
     * @return as {@link #verifyMessageIntegrity(HmacSha1)}.
     */
    public int verifyMessageIntegrity(final HmacSha1 mac, final byte[] key, final int keyOffset, final int keyLength)
    {
        if (!valid)
        {
            return StunStatus.NOT_VALIDATED;
        }
        mac.init(key, keyOffset, keyLength);
        return verifyMessageIntegrity(mac);
    }

    /**
     * Check FINGERPRINT: CRC-32 of the message before it, XOR 0x5354554e (RFC 8489 14.7). Cheap evidence that a
     * datagram is STUN rather than something that merely starts with 0..3, not authentication.
     *
     * @return {@link StunStatus#OK}, {@link StunStatus#NO_FINGERPRINT}, {@link StunStatus#BAD_FINGERPRINT} or
     * {@link StunStatus#NOT_VALIDATED}.
     */
    public int verifyFingerprint()
    {
        if (!valid)
        {
            return StunStatus.NOT_VALIDATED;
        }
        if (fingerprintOffset < 0)
        {
            return StunStatus.NO_FINGERPRINT;
        }
        final int expected = buffer.getInt(fingerprintOffset + ATTRIBUTE_HEADER_LENGTH, BIG_ENDIAN);
        return fingerprint.compute(buffer, offset, fingerprintOffset - offset) == expected ?
            StunStatus.OK : StunStatus.BAD_FINGERPRINT;
    }

    private int u16(final int index)
    {
        return buffer.getShort(index, BIG_ENDIAN) & 0xFFFF;
    }
}
