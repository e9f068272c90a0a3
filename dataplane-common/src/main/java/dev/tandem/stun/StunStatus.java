package dev.tandem.stun;

/**
 * TEMPORARY stand-in for the common engineer's STUN status codes; replaced by main's at merge.
 */
public final class StunStatus
{
    /** Valid. */
    public static final int OK = 0;
    /** Shorter than a header or than its length field says. */
    public static final int TRUNCATED = -1;
    /** Not a STUN header. */
    public static final int BAD_HEADER = -2;
    /** An attribute runs past the end. */
    public static final int BAD_ATTRIBUTE = -3;

    private StunStatus()
    {
    }

    /**
     * @param status a status code.
     * @return its name.
     */
    public static String reason(final int status)
    {
        switch (status)
        {
            case OK:
                return "ok";
            case TRUNCATED:
                return "truncated";
            case BAD_HEADER:
                return "bad_header";
            case BAD_ATTRIBUTE:
                return "bad_attribute";
            default:
                return "unknown";
        }
    }
}
