package dev.tandem.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tandem.common.Log;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * One session's DTLS-SRTP endpoint, server or client, with a sans-IO surface for the media thread: datagrams in,
 * datagrams and events out, no blocking, no waiting.
 * <p>
 * <b>Threading.</b> Bouncy Castle's DTLS blocks, so it never runs on a media thread:
 * <ul>
 *     <li>The <em>media thread</em> (the one thread that owns the session) calls {@link #onDatagram} (copies the bytes
 *     onto a bounded queue; false and a counter when full), {@link #drainOutbound}, {@link #pollEvents},
 *     {@link #start} and {@link #close}. None of them blocks; each drain is bounded by its limit.</li>
 *     <li>A <em>worker</em> task on the factory's executor runs Bouncy Castle: the whole handshake (from a server's
 *     first datagram, or a client's {@link #start}, until it completes or fails; it waits on the inbound queue with
 *     Bouncy Castle's retransmission timers), and after it short tasks that process records arriving later
 *     (close_notify, alerts, a retransmitted client Finished that Bouncy Castle answers by resending its last
 *     flight) and send close_notify on {@link #close}. At most one worker task per endpoint runs at a time, so
 *     Bouncy Castle's state has one thread at a time, handed over through an atomic flag.</li>
 * </ul>
 * A handshake holds an executor thread for about one round trip plus its CPU (server side ~0.45 ms with Bouncy
 * Castle crypto, docs/perf/dtls.md); after it the endpoint holds no thread. Messages to the media thread
 * ({@link OutboundHandler datagrams}, {@link EventHandler events}) come back through lock-free queues it drains in
 * its duty cycle.
 * <p>
 * <b>Use</b> from the media thread's duty cycle:
 * <pre>{@code
 * DtlsEndpoint dtls = factory.newServer(offer.fingerprint());     // when the session is created
 * if (firstByte >= 20 && firstByte <= 63)                          // RFC 7983: DTLS
 * {
 *     dtls.onDatagram(buffer, offset, length);                     // copies; false when dropped
 * }
 * dtls.drainOutbound(sendToClient, 16);                            // handshake flights, alerts, close_notify
 * dtls.pollEvents(sessionEvents, 4);                               // keys -> start SRTP; closed / failed -> end
 * dtls.close();                                                    // session over: close_notify
 * }</pre>
 * <p>
 * <b>Events</b>, at most two per endpoint: {@code onHandshakeComplete} once, then {@code onClosed} when the peer sends
 * close_notify or {@code onFailed} on a fatal alert; or {@code onFailed} alone when the handshake fails. Nothing is
 * reported after {@link #close}.
 */
public final class DtlsEndpoint
{
    /** Where an endpoint is in its life. */
    public enum State
    {
        /** Created; a server waits for its first datagram, a client for {@link #start}. */
        NEW,
        /** The handshake runs on the executor. */
        HANDSHAKING,
        /** SRTP keys are out; records from the peer are still processed. */
        CONNECTED,
        /** Closed by {@link #close} or by the peer's close_notify. */
        CLOSED,
        /** The handshake or the connection failed. */
        FAILED
    }

    /**
     * Receives the datagrams the endpoint wants sent to the peer (media thread).
     */
    @FunctionalInterface
    public interface OutboundHandler
    {
        /**
         * @param buffer a datagram; the handler may keep the array, the endpoint never touches it again.
         * @param offset where it starts.
         * @param length its length in bytes.
         */
        void onDatagram(byte[] buffer, int offset, int length);
    }

    /**
     * Receives the endpoint's events (media thread).
     */
    public interface EventHandler
    {
        /**
         * The handshake completed: SRTP may start.
         *
         * @param result the SRTP profile and keys.
         */
        void onHandshakeComplete(DtlsHandshakeResult result);

        /**
         * The peer closed the connection with close_notify after the handshake.
         */
        void onClosed();

        /**
         * The handshake or the connection failed; the endpoint is finished.
         *
         * @param reason why.
         * @param detail a human-readable detail for logs.
         */
        void onFailed(DtlsFailure reason, String detail);
    }

    private static final int NEW = 0;
    private static final int HANDSHAKING = 1;
    private static final int CONNECTED = 2;
    private static final int CLOSED = 3;
    private static final int FAILED = 4;
    private static final State[] STATES = State.values();
    private static final int EVENT_CAPACITY = 8;
    private static final int PUMP_WAIT_MS = 1;

    private final DtlsEndpointFactory factory;
    private final DtlsRole role;
    private final DtlsFingerprint remoteFingerprint;
    private final DtlsCounters counters;
    private final QueueDatagramTransport transport;
    private final ManyToOneConcurrentArrayQueue<Event> events = new ManyToOneConcurrentArrayQueue<>(EVENT_CAPACITY);
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final AtomicBoolean workerActive = new AtomicBoolean();
    private final Runnable handshakeTask = this::runHandshake;
    private final Runnable pumpTask = this::runPump;
    private volatile boolean closeRequested;
    private volatile boolean closeSent;
    private volatile DTLSTransport connection;
    private volatile long startNs;

    // Written and read by worker tasks only; each task starts after the previous one released workerActive.
    private DtlsFailure recordedFailure;
    private byte[] pumpBuffer;
    private String recordedDetail;
    private DtlsHandshakeResult result;
    private boolean peerClosed;

    DtlsEndpoint(final DtlsEndpointFactory factory, final DtlsRole role, final DtlsFingerprint remoteFingerprint)
    {
        this.factory = factory;
        this.role = role;
        this.remoteFingerprint = remoteFingerprint;
        this.counters = factory.counters();
        this.transport = new QueueDatagramTransport(
            factory.inboundQueueCapacity(),
            factory.outboundQueueCapacity(),
            factory.receiveLimitBytes(),
            factory.mtuBytes(),
            counters);
    }

    /**
     * Media thread: hand over a datagram from the peer (RFC 7983: first byte 20-63). The bytes are copied; the call
     * never blocks. A server starts its handshake on its first datagram.
     *
     * @param data   the buffer holding the datagram.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return true when queued; false when dropped and counted: queue full, too large, not DTLS records (or, for a
     *     server that has not started, not a ClientHello), or the endpoint has finished.
     */
    public boolean onDatagram(final byte[] data, final int offset, final int length)
    {
        final int current = state.get();
        if (current >= CLOSED)
        {
            counters.inboundClosed.increment();
            return false;
        }
        if (length > factory.receiveLimitBytes())
        {
            counters.inboundOversize.increment();
            return false;
        }
        // Noise never reaches Bouncy Castle, and only a ClientHello starts a server's handshake thread.
        if (current == NEW && role == DtlsRole.SERVER ?
            !DtlsRecords.startsWithClientHello(data, offset, length) :
            !DtlsRecords.isWellFormed(data, offset, length))
        {
            counters.inboundMalformed.increment();
            return false;
        }
        if (!transport.offerInbound(data, offset, length))
        {
            counters.inboundQueueFull.increment();
            return false;
        }
        if (current == NEW)
        {
            if (role == DtlsRole.SERVER)
            {
                start();
            }
        }
        else if (current == CONNECTED)
        {
            schedulePump();
        }
        return true;
    }

    /**
     * Media thread: begin the handshake now. A client sends its ClientHello; a server (which otherwise starts on its
     * first datagram) waits for one on an executor thread. Does nothing once started.
     */
    public void start()
    {
        if (state.compareAndSet(NEW, HANDSHAKING))
        {
            startNs = System.nanoTime();
            counters.handshakesStarted.increment();
            workerActive.set(true);
            try
            {
                factory.executor().execute(handshakeTask);
            }
            catch (final RejectedExecutionException ex)
            {
                workerActive.set(false);
                fail(DtlsFailure.REJECTED, "handshake executor rejected the handshake: " + ex.getMessage());
            }
        }
    }

    /**
     * Media thread: take the datagrams to send to the peer, oldest first.
     *
     * @param handler receives each datagram.
     * @param limit   the most to take in this call.
     * @return how many were taken.
     */
    public int drainOutbound(final OutboundHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            final byte[] datagram = transport.pollOutbound();
            if (datagram == null)
            {
                break;
            }
            handler.onDatagram(datagram, 0, datagram.length);
            count++;
        }
        return count;
    }

    /**
     * Media thread: take the events, oldest first.
     *
     * @param handler receives each event.
     * @param limit   the most to take in this call.
     * @return how many were taken.
     */
    public int pollEvents(final EventHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            final Event event = events.poll();
            if (event == null)
            {
                break;
            }
            count++;
            if (event.result != null)
            {
                handler.onHandshakeComplete(event.result);
            }
            else if (event.reason != null)
            {
                handler.onFailed(event.reason, event.detail);
            }
            else
            {
                handler.onClosed();
            }
        }
        return count;
    }

    /**
     * Media thread: finish the endpoint. When connected, a worker sends close_notify (drain it with
     * {@link #drainOutbound} as usual); while handshaking, the handshake is aborted (Bouncy Castle sends a fatal
     * user_canceled alert). No events follow. Idempotent.
     */
    public void close()
    {
        closeRequested = true;
        int previous;
        do
        {
            previous = state.get();
            if (previous == CLOSED || previous == FAILED)
            {
                return;
            }
        }
        while (!state.compareAndSet(previous, CLOSED));

        if (previous == HANDSHAKING)
        {
            transport.cancel();
        }
        else if (previous == CONNECTED)
        {
            schedulePump();
        }
    }

    /**
     * @return where the endpoint is in its life.
     */
    public State state()
    {
        return STATES[state.get()];
    }

    /**
     * @return the fingerprint the peer's certificate must match.
     */
    public DtlsFingerprint remoteFingerprint()
    {
        return remoteFingerprint;
    }

    private void runHandshake()
    {
        try
        {
            final DTLSTransport connected = role == DtlsRole.SERVER ?
                new DTLSServerProtocol().accept(new DtlsServerPeer(factory.crypto(), factory, this), transport) :
                new DTLSClientProtocol().connect(new DtlsClientPeer(factory.crypto(), factory, this), transport);
            transport.nonBlocking();
            connection = connected;
            if (state.compareAndSet(HANDSHAKING, CONNECTED))
            {
                counters.handshakesCompleted.increment();
                events.offer(new Event(result, null, null));
            }
            pump(connected);
        }
        catch (final IOException | RuntimeException ex)
        {
            handshakeFailed(ex);
        }
        finally
        {
            releaseWorker();
        }
    }

    private void runPump()
    {
        try
        {
            pump(connection);
        }
        finally
        {
            releaseWorker();
        }
    }

    /**
     * Worker: process what has arrived since the handshake, without waiting for more.
     */
    private void pump(final DTLSTransport connected)
    {
        while (true)
        {
            if (closeRequested)
            {
                if (!closeSent)
                {
                    closeSent = true;
                    try
                    {
                        // RFC 5246 7.2.1: close_notify before closing the write side
                        connected.close();
                    }
                    catch (final IOException ex)
                    {
                        Log.debug("dtls", "close_notify not sent: " + ex);
                    }
                }
                return;
            }
            if (state.get() != CONNECTED || !transport.hasInbound())
            {
                return;
            }
            if (pumpBuffer == null)
            {
                // one per endpoint, made on first use: only one worker pumps at a time (workerActive)
                pumpBuffer = new byte[factory.receiveLimitBytes()];
            }
            try
            {
                if (connected.receive(pumpBuffer, 0, pumpBuffer.length, PUMP_WAIT_MS) >= 0)
                {
                    counters.applicationDataDropped.increment();
                }
            }
            catch (final InterruptedIOException wouldBlock)
            {
                // The queue is empty (QueueDatagramTransport.WOULD_BLOCK): Bouncy Castle's state is intact.
            }
            catch (final TlsFatalAlertReceived ex)
            {
                fail(DtlsFailure.ALERT_RECEIVED, "peer sent " + AlertDescription.getText(ex.getAlertDescription()));
                return;
            }
            catch (final IOException | RuntimeException ex)
            {
                fail(DtlsFailure.PROTOCOL_ERROR, String.valueOf(ex));
                return;
            }
            if (peerClosed)
            {
                if (state.compareAndSet(CONNECTED, CLOSED))
                {
                    counters.closed.increment();
                    events.offer(new Event(null, null, null));
                }
                return;
            }
        }
    }

    private void releaseWorker()
    {
        workerActive.set(false);
        schedulePump();
    }

    private void schedulePump()
    {
        if (needsPump() && workerActive.compareAndSet(false, true))
        {
            try
            {
                factory.executor().execute(pumpTask);
            }
            catch (final RejectedExecutionException ex)
            {
                // overload: counted, not logged per datagram; the records wait and are retried on the next one
                workerActive.set(false);
                counters.pumpRejected.increment();
            }
        }
    }

    private boolean needsPump()
    {
        return connection != null && !closeSent &&
            (closeRequested || (state.get() == CONNECTED && transport.hasInbound()));
    }

    private void handshakeFailed(final Exception ex)
    {
        final DtlsFailure reason;
        final String detail;
        if (recordedFailure != null)
        {
            reason = recordedFailure;
            detail = recordedDetail;
        }
        else if (ex instanceof TlsTimeoutException)
        {
            reason = DtlsFailure.TIMEOUT;
            detail = "no handshake within " + factory.handshakeTimeoutMs() + " ms";
        }
        else if (ex instanceof TlsFatalAlertReceived)
        {
            reason = DtlsFailure.ALERT_RECEIVED;
            detail = "peer sent " + AlertDescription.getText(((TlsFatalAlertReceived)ex).getAlertDescription());
        }
        else if (peerClosed)
        {
            reason = DtlsFailure.CLOSED;
            detail = "peer sent close_notify during the handshake";
        }
        else if (ex instanceof TlsFatalAlert &&
            ((TlsFatalAlert)ex).getAlertDescription() != AlertDescription.internal_error)
        {
            reason = DtlsFailure.PROTOCOL_ERROR;
            detail = ex.getMessage();
        }
        else if (ex instanceof IOException && !(ex instanceof TlsFatalAlert))
        {
            reason = DtlsFailure.PROTOCOL_ERROR;
            detail = String.valueOf(ex);
        }
        else
        {
            reason = DtlsFailure.INTERNAL_ERROR;
            detail = String.valueOf(ex.getCause() != null ? ex.getCause() : ex);
        }
        fail(reason, detail);
    }

    private void fail(final DtlsFailure reason, final String detail)
    {
        int current;
        do
        {
            current = state.get();
            if (current == CLOSED || current == FAILED)
            {
                return;
            }
        }
        while (!state.compareAndSet(current, FAILED));
        counters.failures[reason.ordinal()].increment();
        events.offer(new Event(null, reason, detail));
        Log.debug("dtls", role + " handshake failed: " + reason + ": " + detail);
    }

    /**
     * Peer callback: remember why the handshake is about to fail, before Bouncy Castle turns it into an alert.
     *
     * @return the alert for the peer callback to throw.
     */
    TlsFatalAlert handshakeFailure(final DtlsFailure reason, final short alertDescription, final String detail)
    {
        if (recordedFailure == null)
        {
            recordedFailure = reason;
            recordedDetail = detail;
        }
        return new TlsFatalAlert(alertDescription, detail);
    }

    void onHandshakeResult(final DtlsHandshakeResult handshakeResult)
    {
        result = handshakeResult;
    }

    void onAlertReceived(final short alertLevel, final short alertDescription)
    {
        if (alertDescription == AlertDescription.close_notify)
        {
            peerClosed = true;
        }
    }

    void onAlertRaised(final short alertDescription, final String message, final Throwable cause)
    {
        if (Log.isDebug())
        {
            Log.debug("dtls", role + " raised " + AlertDescription.getText(alertDescription) + ": " + message +
                (cause != null ? " (" + cause + ")" : ""));
        }
    }

    long elapsedNs()
    {
        return System.nanoTime() - startNs;
    }

    /**
     * A message to the media thread: a result, a failure, or (neither) closed.
     */
    private static final class Event
    {
        final DtlsHandshakeResult result;
        final DtlsFailure reason;
        final String detail;

        Event(final DtlsHandshakeResult result, final DtlsFailure reason, final String detail)
        {
            this.result = result;
            this.reason = reason;
            this.detail = detail;
        }
    }
}
