package dev.tandem.signaling;

/**
 * A call the handler refuses: the HTTP status, a stable snake_case reason for programs and metrics, a message for
 * people, and for 503 how many seconds to wait before trying again ({@code Retry-After}, RFC 9110 10.2.3).
 */
public final class CallRejectedException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;
    private final int retryAfterSeconds;

    /**
     * @param status            an HTTP error status, 400-599.
     * @param reason            snake_case reason, e.g. {@code full}.
     * @param message           what happened, for a person.
     * @param retryAfterSeconds seconds for Retry-After, or 0 for none.
     */
    public CallRejectedException(final int status, final String reason, final String message,
        final int retryAfterSeconds)
    {
        super(message, null, false, false);
        if (status < 400 || status > 599)
        {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        if (!isReason(reason))
        {
            throw new IllegalArgumentException("reason must be 1-64 characters of a-z 0-9 _: " + reason);
        }
        if (retryAfterSeconds < 0)
        {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative");
        }
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * @param retryAfterSeconds when to try again.
     * @return 503 {@code full}: every session slot is taken.
     */
    public static CallRejectedException full(final int retryAfterSeconds)
    {
        return new CallRejectedException(503, "full", "no room for another call here", retryAfterSeconds);
    }

    /**
     * @param retryAfterSeconds when to try again (elsewhere, through the load balancer).
     * @return 503 {@code draining}: this transceiver is shutting down and takes no new calls.
     */
    public static CallRejectedException draining(final int retryAfterSeconds)
    {
        return new CallRejectedException(503, "draining", "this transceiver is draining", retryAfterSeconds);
    }

    /**
     * @param reason  snake_case reason.
     * @param message what is wrong with the request.
     * @return a 400.
     */
    public static CallRejectedException badRequest(final String reason, final String message)
    {
        return new CallRejectedException(400, reason, message, 0);
    }

    /**
     * @return the HTTP status.
     */
    public int status()
    {
        return status;
    }

    /**
     * @return the snake_case reason.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * @return seconds for Retry-After, or 0 for none.
     */
    public int retryAfterSeconds()
    {
        return retryAfterSeconds;
    }

    static boolean isReason(final String reason)
    {
        if (reason == null || reason.isEmpty() || reason.length() > 64)
        {
            return false;
        }
        for (int i = 0; i < reason.length(); i++)
        {
            final char c = reason.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
