package dev.tandem.stun;

/**
 * Results of {@link StunMessageFlyweight} checks: {@link #OK} or a negative reason code, so the hot path reports a
 * rejected packet with a counter instead of an exception.
 */
public final class StunStatus
{
    /** The message passed the check. */
    public static final int OK = 0;
    /** Shorter than the 20-byte header, or the wrapped range lies outside the buffer. */
    public static final int TRUNCATED = -1;
    /** The two most significant bits of the first byte are not zero (RFC 8489 5). */
    public static final int NOT_STUN = -2;
    /** The magic cookie is not 0x2112A442 (RFC 8489 5): an RFC 3489 peer or not STUN at all. */
    public static final int BAD_COOKIE = -3;
    /** The header's message length is not a multiple of 4 (RFC 8489 5). */
    public static final int BAD_LENGTH = -4;
    /** The header's message length plus 20 is not the datagram length (RFC 8489 6.3). */
    public static final int LENGTH_MISMATCH = -5;
    /** An attribute header or value (with padding) runs past the end of the message (RFC 8489 14). */
    public static final int ATTRIBUTE_OVERRUN = -6;
    /** A known attribute has a length or content its definition forbids (RFC 8489 14, RFC 8445 16.1). */
    public static final int BAD_ATTRIBUTE = -7;
    /** An attribute follows FINGERPRINT, which must be last (RFC 8489 14.7). */
    public static final int FINGERPRINT_NOT_LAST = -8;
    /** A request claims both ICE-CONTROLLING and ICE-CONTROLLED (RFC 8445 7.1.3 names exactly one). */
    public static final int BOTH_ROLES = -9;
    /** The message has no MESSAGE-INTEGRITY attribute. */
    public static final int NO_MESSAGE_INTEGRITY = -10;
    /** MESSAGE-INTEGRITY does not match the key (RFC 8489 9.1.3). */
    public static final int BAD_MESSAGE_INTEGRITY = -11;
    /** The message has no FINGERPRINT attribute. */
    public static final int NO_FINGERPRINT = -12;
    /** FINGERPRINT does not match the message (RFC 8489 14.7). */
    public static final int BAD_FINGERPRINT = -13;
    /** The flyweight was not wrapped and validated successfully before this call. */
    public static final int NOT_VALIDATED = -14;

    private StunStatus()
    {
    }

    /**
     * @param status a value returned by the flyweight.
     * @return a short lower-case reason, suitable as a counter label (no allocation).
     */
    public static String reason(final int status)
    {
        switch (status)
        {
            case OK:
                return "ok";
            case TRUNCATED:
                return "truncated";
            case NOT_STUN:
                return "not_stun";
            case BAD_COOKIE:
                return "bad_cookie";
            case BAD_LENGTH:
                return "bad_length";
            case LENGTH_MISMATCH:
                return "length_mismatch";
            case ATTRIBUTE_OVERRUN:
                return "attribute_overrun";
            case BAD_ATTRIBUTE:
                return "bad_attribute";
            case FINGERPRINT_NOT_LAST:
                return "fingerprint_not_last";
            case BOTH_ROLES:
                return "both_roles";
            case NO_MESSAGE_INTEGRITY:
                return "no_message_integrity";
            case BAD_MESSAGE_INTEGRITY:
                return "bad_message_integrity";
            case NO_FINGERPRINT:
                return "no_fingerprint";
            case BAD_FINGERPRINT:
                return "bad_fingerprint";
            case NOT_VALIDATED:
                return "not_validated";
            default:
                return "unknown";
        }
    }
}
