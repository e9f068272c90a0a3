package dev.tandem.signaling;

/**
 * An HTTP error answer on its way out: status, snake_case reason, message, and the extra headers some statuses need
 * (Allow for 405, Retry-After for 503). Package-private control flow of the router, never seen by handlers.
 */
final class HttpProblem extends Exception
{
    private static final long serialVersionUID = 1L;

    final int status;
    final String reason;
    final int retryAfterSeconds;
    final String allow;
    final boolean closeConnection;

    HttpProblem(
        final int status,
        final String reason,
        final String message,
        final int retryAfterSeconds,
        final String allow,
        final boolean closeConnection)
    {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
        this.allow = allow;
        this.closeConnection = closeConnection;
    }

    static HttpProblem of(final int status, final String reason, final String message)
    {
        return new HttpProblem(status, reason, message, 0, null, false);
    }
}
