package dev.tandem.route;

/**
 * Why {@link RouteTokenVerifier} rejected a token: negative codes, so a verified route (always {@code > 0}) and a
 * rejection share one {@code long} without allocation. The relay counts rejections by {@link #reason}.
 */
public final class RouteStatus
{
    /** A STUN USERNAME without the ':' between the server and client ufrags (RFC 8445 7.2.2). */
    public static final long MALFORMED = -1;
    /** The token is not {@link RouteToken#ENCODED_LENGTH} characters long. */
    public static final long BAD_LENGTH = -2;
    /** A character outside the token alphabet (ICE's ALPHA / DIGIT / "+" / "/"). */
    public static final long BAD_CHARACTER = -3;
    /** The version byte is not one this build knows. */
    public static final long UNKNOWN_VERSION = -4;
    /** The key id is not in the key ring: never issued, or retired by rotation. */
    public static final long UNKNOWN_KEY = -5;
    /** The MAC does not match: a forged or altered token. */
    public static final long BAD_MAC = -6;
    /** The offset and length given lie outside the buffer. */
    public static final long OUT_OF_BOUNDS = -7;

    private RouteStatus()
    {
    }

    /**
     * @param status a negative value returned by the verifier.
     * @return a short lower-case reason, suitable as a counter label (no allocation); "ok" for a route.
     */
    public static String reason(final long status)
    {
        if (status >= 0)
        {
            return "ok";
        }
        if (status < OUT_OF_BOUNDS)
        {
            return "unknown";
        }
        switch ((int)status)
        {
            case (int)MALFORMED:
                return "malformed";
            case (int)BAD_LENGTH:
                return "bad_length";
            case (int)BAD_CHARACTER:
                return "bad_character";
            case (int)UNKNOWN_VERSION:
                return "unknown_version";
            case (int)UNKNOWN_KEY:
                return "unknown_key";
            case (int)BAD_MAC:
                return "bad_mac";
            case (int)OUT_OF_BOUNDS:
                return "out_of_bounds";
            default:
                return "unknown";
        }
    }
}
