package dev.tandem.srtp;

/**
 * Results of {@link SrtpContext} calls: a value {@code >= 0} is a packet length, a negative value one of these
 * codes. Codes are stable, so callers may index counters by {@code -status}.
 */
public final class SrtpStatus
{
    /** Lowest non-negative result: a length. */
    public static final int OK = 0;
    /** Shorter than a header plus trailer, or the header (CSRCs, extension) runs past the end. */
    public static final int TOO_SHORT = -1;
    /** Version field is not 2 (RFC 3550 5.1, 6.4.1). */
    public static final int BAD_VERSION = -2;
    /** Authentication tag did not verify (RFC 3711 3.3, 3.4; RFC 7714 5.3): the packet is untouched. */
    public static final int AUTH_FAILED = -3;
    /** Index already received within the replay window (RFC 3711 3.3.2). */
    public static final int REPLAYED = -4;
    /** Index older than the replay window, or from before the stream's first rollover (RFC 3711 3.3.2). */
    public static final int TOO_OLD = -5;
    /** A new SSRC arrived but the context already tracks its maximum number of SSRCs. */
    public static final int UNKNOWN_SSRC_LIMIT = -6;
    /** The array has less than the trailer's length after the packet (see {@link SrtpContext#MAX_TRAILER}). */
    public static final int NO_TAILROOM = -7;
    /** Offset or length lie outside the array. */
    public static final int BAD_ARGUMENT = -8;
    /** Index space exhausted (2^48 SRTP or 2^31 SRTCP packets per key, RFC 3711 9.2): rekey. */
    public static final int KEY_EXPIRED = -9;

    /** One more than the most negative code: the size of a counter array indexed by {@code -status}. */
    public static final int CODE_COUNT = 10;

    private SrtpStatus()
    {
    }

    /**
     * @param status a result of an {@link SrtpContext} call.
     * @return a short constant description (no allocation).
     */
    public static String reason(final int status)
    {
        if (status >= 0)
        {
            return "ok";
        }
        switch (status)
        {
            case TOO_SHORT:
                return "too short";
            case BAD_VERSION:
                return "bad version";
            case AUTH_FAILED:
                return "authentication failed";
            case REPLAYED:
                return "replayed";
            case TOO_OLD:
                return "too old for the replay window";
            case UNKNOWN_SSRC_LIMIT:
                return "too many SSRCs";
            case NO_TAILROOM:
                return "no tailroom for the trailer";
            case BAD_ARGUMENT:
                return "offset or length outside the array";
            case KEY_EXPIRED:
                return "key expired (index space exhausted)";
            default:
                return "unknown status";
        }
    }
}
