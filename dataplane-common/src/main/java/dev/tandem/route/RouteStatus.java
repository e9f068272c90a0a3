package dev.tandem.route;

/**
 * TEMPORARY stand-in for the common engineer's route status codes; replaced by main's at merge.
 */
public final class RouteStatus
{
    /** Malformed token. */
    public static final int MALFORMED = -1;
    /** Unknown key id. */
    public static final int UNKNOWN_KEY = -2;
    /** MAC mismatch. */
    public static final int BAD_MAC = -3;

    private RouteStatus()
    {
    }
}
