package dev.tandem.ice;

/**
 * Outcomes of {@link IceLiteAgent#onStun}: {@link #OK} or a negative reason, each counted by the media agent.
 */
public final class IceStatus
{
    /** An authenticated Binding request, answered with a success response. */
    public static final int OK = 0;
    /** Not a Binding request (an indication keepalive or a stray response): nothing to answer (RFC 8445 11). */
    public static final int IGNORED = -1;
    /** No FINGERPRINT or a bad one: not an ICE check (RFC 8445 7.2.2 requires it); dropped silently. */
    public static final int BAD_FINGERPRINT = -2;
    /** USERNAME or MESSAGE-INTEGRITY missing: answered 400 (RFC 8489 9.1.3). */
    public static final int MISSING_CREDENTIALS = -3;
    /** USERNAME is not {@code localUfrag:remoteUfrag}: answered 401 (RFC 8489 9.1.3). */
    public static final int BAD_USERNAME = -4;
    /** MESSAGE-INTEGRITY does not verify with the local password: answered 401 (RFC 8489 9.1.3). */
    public static final int BAD_INTEGRITY = -5;
    /** The peer claims the controlled role too; a lite agent is always controlled: answered 487 (RFC 8445 7.3.1.1). */
    public static final int ROLE_CONFLICT = -6;
    /** An unknown comprehension-required attribute: answered 420 (RFC 8489 6.3.1.1). */
    public static final int UNKNOWN_ATTRIBUTE = -7;

    private IceStatus()
    {
    }

    /**
     * @param status a value from {@link IceLiteAgent#lastStatus()}.
     * @return a short lower-case reason, suitable as a counter label.
     */
    public static String reason(final int status)
    {
        switch (status)
        {
            case OK:
                return "ok";
            case IGNORED:
                return "ignored";
            case BAD_FINGERPRINT:
                return "bad_fingerprint";
            case MISSING_CREDENTIALS:
                return "missing_credentials";
            case BAD_USERNAME:
                return "bad_username";
            case BAD_INTEGRITY:
                return "bad_integrity";
            case ROLE_CONFLICT:
                return "role_conflict";
            case UNKNOWN_ATTRIBUTE:
                return "unknown_attribute";
            default:
                return "unknown";
        }
    }
}
