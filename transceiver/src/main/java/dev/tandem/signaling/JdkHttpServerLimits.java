package dev.tandem.signaling;

import dev.tandem.common.Log;

/**
 * The JDK's HTTP server takes its time limits and connection cap from system properties that it reads once, when
 * its configuration class loads, for the whole JVM. We set them from our settings before the first server starts,
 * unless the operator already set them with {@code -D}. A second server in the same JVM with other values cannot
 * change them; it gets a warning.
 * <p>
 * These limits are what make the thread pool safe from slow clients: the JDK reads request headers and bodies on
 * its executor threads, so without {@code maxReqTime} a client that sends one byte a minute holds a thread forever.
 */
final class JdkHttpServerLimits
{
    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
    static final String MAX_RSP_TIME = "sun.net.httpserver.maxRspTime";
    static final String IDLE_INTERVAL = "sun.net.httpserver.idleInterval";
    static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
    static final String MAX_REQ_HEADERS = "sun.net.httpserver.maxReqHeaders";
    static final String MAX_REQ_HEADER_SIZE = "sun.net.httpserver.maxReqHeaderSize";
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    /** Most request headers; browsers send about 15. */
    static final int MAX_HEADERS = 100;
    /** Largest header section; an API request's headers are well under 8 KiB. */
    static final int MAX_HEADER_BYTES = 32 * 1024;

    private static String applied;

    private JdkHttpServerLimits()
    {
    }

    /**
     * Set the JVM-wide limits for the JDK HTTP server, once.
     *
     * @param requestTimeoutSeconds time to receive a request, and again to answer it.
     * @param idleTimeoutSeconds    keep-alive idle time.
     * @param maxConnections        most open connections.
     */
    static synchronized void apply(
        final long requestTimeoutSeconds, final long idleTimeoutSeconds, final int maxConnections)
    {
        final String wanted = requestTimeoutSeconds + "/" + idleTimeoutSeconds + "/" + maxConnections;
        if (applied != null)
        {
            if (!applied.equals(wanted))
            {
                Log.warn("signaling", "HTTP limits are JVM-wide and already set (" + applied + " s/s/connections); " +
                    "ignoring " + wanted + " for this server");
            }
            return;
        }
        applied = wanted;
        setIfAbsent(MAX_REQ_TIME, Long.toString(requestTimeoutSeconds));
        setIfAbsent(MAX_RSP_TIME, Long.toString(requestTimeoutSeconds));
        setIfAbsent(IDLE_INTERVAL, Long.toString(idleTimeoutSeconds));
        setIfAbsent(MAX_CONNECTIONS, Integer.toString(maxConnections));
        setIfAbsent(MAX_REQ_HEADERS, Integer.toString(MAX_HEADERS));
        setIfAbsent(MAX_REQ_HEADER_SIZE, Integer.toString(MAX_HEADER_BYTES));
        // Small responses on keep-alive connections: without TCP_NODELAY, Nagle plus delayed ACK can add 40 ms.
        setIfAbsent(NO_DELAY, "true");
    }

    private static void setIfAbsent(final String property, final String value)
    {
        if (System.getProperty(property) == null)
        {
            System.setProperty(property, value);
        }
    }
}
