package dev.tandem.common;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One-line logs to standard error for cold paths: start-up, shutdown, configuration, rare errors. Never call it per
 * packet; the hot path counts instead.
 */
public final class Log
{
    private static volatile PrintStream out = System.err;
    private static volatile boolean debug = Boolean.getBoolean("tandem.debug");

    private Log()
    {
    }

    /**
     * @param component who speaks, e.g. {@code relay}.
     * @param message   what happened.
     */
    public static void info(final String component, final String message)
    {
        write("INFO ", component, message, null);
    }

    /**
     * @param component who speaks.
     * @param message   what happened.
     */
    public static void warn(final String component, final String message)
    {
        write("WARN ", component, message, null);
    }

    /**
     * @param component who speaks.
     * @param message   what happened.
     * @param error     the cause, or null.
     */
    public static void error(final String component, final String message, final Throwable error)
    {
        write("ERROR", component, message, error);
    }

    /**
     * @param component who speaks.
     * @param message   what happened; dropped unless -Dtandem.debug=true.
     */
    public static void debug(final String component, final String message)
    {
        if (debug)
        {
            write("DEBUG", component, message, null);
        }
    }

    /**
     * @return true when debug lines are written.
     */
    public static boolean isDebug()
    {
        return debug;
    }

    /**
     * @param stream where log lines go from now on (tests capture them).
     */
    public static void redirect(final PrintStream stream)
    {
        out = stream;
    }

    private static void write(final String level, final String component, final String message, final Throwable error)
    {
        final StringBuilder line = new StringBuilder(96 + message.length())
            .append(Instant.now()).append(' ').append(level).append(" [").append(component).append("] ")
            .append(message);
        if (error != null)
        {
            line.append(": ").append(error);
            Throwable cause = error.getCause();
            while (cause != null)
            {
                line.append(" <- ").append(cause);
                cause = cause.getCause();
            }
        }
        final PrintStream stream = out;
        synchronized (stream)
        {
            stream.println(line);
            if (error != null && debug)
            {
                for (final StackTraceElement element : error.getStackTrace())
                {
                    stream.println("\tat " + element);
                }
            }
        }
    }
}
