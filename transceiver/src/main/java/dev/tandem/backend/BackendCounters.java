package dev.tandem.backend;

import dev.tandem.common.TandemCounters;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Counters of one end of the transceiver-backend bridge (a transceiver shard, or a backend such as the echo), in
 * the media driver's counters file with type id {@link TandemCounters#BACKEND_TYPE_ID}. The caller picks the
 * labels that name the end, e.g. {@code side="transceiver",shard="0"} or {@code side="echo",shard="0"}; the series
 * are:
 * <pre>
 * tandem_backend_frames_sent_total{labels}         audio frames published
 * tandem_backend_frames_received_total{labels}     audio frames decoded
 * tandem_backend_messages_sent_total{labels}       other messages published (opened, closed, clear, close, event)
 * tandem_backend_messages_received_total{labels}   other messages decoded
 * tandem_backend_drops_total{labels,reason="..."}  back_pressured, not_connected, closed, too_large, malformed,
 *                                                 unknown_message, unknown_session, queue_full, session_closed
 * </pre>
 * Each counter has one writer (the agent that owns this end), so increments are plain stores with release order.
 */
public final class BackendCounters implements AutoCloseable
{
    /** Makes one counter: {@code TandemCounters.add} in production, a local counters manager in tests. */
    @FunctionalInterface
    public interface CounterFactory
    {
        /**
         * @param name   metric name.
         * @param labels labels without braces.
         * @return a new counter.
         */
        AtomicCounter newCounter(String name, String labels);
    }

    /** Metric name of audio frames published. */
    public static final String FRAMES_SENT = "tandem_backend_frames_sent_total";
    /** Metric name of audio frames decoded. */
    public static final String FRAMES_RECEIVED = "tandem_backend_frames_received_total";
    /** Metric name of other messages published. */
    public static final String MESSAGES_SENT = "tandem_backend_messages_sent_total";
    /** Metric name of other messages decoded. */
    public static final String MESSAGES_RECEIVED = "tandem_backend_messages_received_total";
    /** Metric name of drops, with a {@code reason} label. */
    public static final String DROPS = "tandem_backend_drops_total";

    private final AtomicCounter framesSent;
    private final AtomicCounter framesReceived;
    private final AtomicCounter messagesSent;
    private final AtomicCounter messagesReceived;
    private final AtomicCounter dropsBackPressured;
    private final AtomicCounter dropsNotConnected;
    private final AtomicCounter dropsClosed;
    private final AtomicCounter dropsTooLarge;
    private final AtomicCounter dropsMalformed;
    private final AtomicCounter dropsUnknownMessage;
    private final AtomicCounter dropsUnknownSession;
    private final AtomicCounter dropsQueueFull;
    private final AtomicCounter dropsSessionClosed;

    /**
     * @param factory makes each counter.
     * @param labels  labels naming this end, without braces, e.g. {@code side="transceiver",shard="0"}.
     */
    public BackendCounters(final CounterFactory factory, final String labels)
    {
        framesSent = factory.newCounter(FRAMES_SENT, labels);
        framesReceived = factory.newCounter(FRAMES_RECEIVED, labels);
        messagesSent = factory.newCounter(MESSAGES_SENT, labels);
        messagesReceived = factory.newCounter(MESSAGES_RECEIVED, labels);
        dropsBackPressured = factory.newCounter(DROPS, reason(labels, "back_pressured"));
        dropsNotConnected = factory.newCounter(DROPS, reason(labels, "not_connected"));
        dropsClosed = factory.newCounter(DROPS, reason(labels, "closed"));
        dropsTooLarge = factory.newCounter(DROPS, reason(labels, "too_large"));
        dropsMalformed = factory.newCounter(DROPS, reason(labels, "malformed"));
        dropsUnknownMessage = factory.newCounter(DROPS, reason(labels, "unknown_message"));
        dropsUnknownSession = factory.newCounter(DROPS, reason(labels, "unknown_session"));
        dropsQueueFull = factory.newCounter(DROPS, reason(labels, "queue_full"));
        dropsSessionClosed = factory.newCounter(DROPS, reason(labels, "session_closed"));
    }

    /**
     * Allocate the counters in the media driver (cold path).
     *
     * @param aeron  a connected client.
     * @param labels labels naming this end, without braces.
     * @return the counters; close them to free them.
     */
    public static BackendCounters allocate(final Aeron aeron, final String labels)
    {
        return new BackendCounters(
            (name, seriesLabels) -> TandemCounters.add(aeron, TandemCounters.BACKEND_TYPE_ID, name, seriesLabels),
            labels);
    }

    /**
     * @param labels base labels, or empty.
     * @param reason the drop reason.
     * @return the labels with {@code reason="..."} appended.
     */
    public static String reason(final String labels, final String reason)
    {
        final String reasonLabel = "reason=\"" + reason + "\"";
        return labels == null || labels.isEmpty() ? reasonLabel : labels + "," + reasonLabel;
    }

    /**
     * @return audio frames published.
     */
    public AtomicCounter framesSent()
    {
        return framesSent;
    }

    /**
     * @return audio frames decoded.
     */
    public AtomicCounter framesReceived()
    {
        return framesReceived;
    }

    /**
     * @return other messages published.
     */
    public AtomicCounter messagesSent()
    {
        return messagesSent;
    }

    /**
     * @return other messages decoded.
     */
    public AtomicCounter messagesReceived()
    {
        return messagesReceived;
    }

    /**
     * @return messages dropped because the publication was back-pressured.
     */
    public AtomicCounter dropsBackPressured()
    {
        return dropsBackPressured;
    }

    /**
     * @return messages dropped because no subscriber was connected.
     */
    public AtomicCounter dropsNotConnected()
    {
        return dropsNotConnected;
    }

    /**
     * @return messages dropped because the publication was closed or full for good.
     */
    public AtomicCounter dropsClosed()
    {
        return dropsClosed;
    }

    /**
     * @return messages dropped for exceeding what one message may carry.
     */
    public AtomicCounter dropsTooLarge()
    {
        return dropsTooLarge;
    }

    /**
     * @return received messages dropped for bad lengths or another schema.
     */
    public AtomicCounter dropsMalformed()
    {
        return dropsMalformed;
    }

    /**
     * @return received messages of a type this end does not take.
     */
    public AtomicCounter dropsUnknownMessage()
    {
        return dropsUnknownMessage;
    }

    /**
     * @return messages for a session this end does not know (incremented by the session layer).
     */
    public AtomicCounter dropsUnknownSession()
    {
        return dropsUnknownSession;
    }

    /**
     * @return frames dropped because a queue (echo delay, outbound pacer) was full.
     */
    public AtomicCounter dropsQueueFull()
    {
        return dropsQueueFull;
    }

    /**
     * @return queued frames dropped because their session closed.
     */
    public AtomicCounter dropsSessionClosed()
    {
        return dropsSessionClosed;
    }

    /**
     * Free every counter.
     */
    @Override
    public void close()
    {
        CloseHelper.closeAll(
            framesSent, framesReceived, messagesSent, messagesReceived, dropsBackPressured, dropsNotConnected,
            dropsClosed, dropsTooLarge, dropsMalformed, dropsUnknownMessage, dropsUnknownSession, dropsQueueFull,
            dropsSessionClosed);
    }
}
