package dev.tandem.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * The {@link DatagramTransport} Bouncy Castle reads and writes: two queues instead of a socket.
 * <ul>
 *     <li>Inbound: the media thread copies each datagram in ({@link #offerInbound}, never blocks) and unparks the
 *     handshake thread if it waits. During the handshake {@link #receive} parks for up to Bouncy Castle's wait (its
 *     retransmission and handshake timers); afterwards it is switched to non-blocking and throws
 *     {@link #WOULD_BLOCK} when the queue is empty, which Bouncy Castle passes up untouched, so a short task can
 *     process what has arrived without holding a thread.</li>
 *     <li>Outbound: each record Bouncy Castle sends is copied onto a queue the media thread drains.</li>
 * </ul>
 * Bouncy Castle sends one record per datagram, each within {@link #getSendLimit()}.
 */
final class QueueDatagramTransport implements DatagramTransport
{
    /**
     * Thrown by a non-blocking {@link #receive} with nothing queued. An {@link InterruptedIOException} (but not a
     * {@code SocketTimeoutException}) is the one exception Bouncy Castle's record layer rethrows without failing
     * the connection. Shared and stackless: it carries no state.
     */
    static final InterruptedIOException WOULD_BLOCK = new WouldBlockException();

    private final ManyToOneConcurrentArrayQueue<byte[]> inbound;
    private final ManyToOneConcurrentArrayQueue<byte[]> outbound;
    private final int receiveLimitBytes;
    private final int sendLimitBytes;
    private final DtlsCounters counters;
    private volatile Thread waiter;
    private volatile boolean cancelled;
    private volatile boolean nonBlocking;
    private volatile boolean closed;

    QueueDatagramTransport(
        final int inboundCapacity,
        final int outboundCapacity,
        final int receiveLimitBytes,
        final int sendLimitBytes,
        final DtlsCounters counters)
    {
        this.inbound = new ManyToOneConcurrentArrayQueue<>(inboundCapacity);
        this.outbound = new ManyToOneConcurrentArrayQueue<>(outboundCapacity);
        this.receiveLimitBytes = receiveLimitBytes;
        this.sendLimitBytes = sendLimitBytes;
        this.counters = counters;
    }

    /**
     * Media thread: queue a copy of a datagram for Bouncy Castle.
     *
     * @return false when the queue is full (the datagram is dropped, as UDP would).
     */
    boolean offerInbound(final byte[] data, final int offset, final int length)
    {
        if (!inbound.offer(Arrays.copyOfRange(data, offset, offset + length)))
        {
            return false;
        }
        // The park in receive() publishes the waiter and then polls; the full fence makes sure that either it sees
        // this datagram or this thread sees it waiting.
        VarHandle.fullFence();
        wake();
        return true;
    }

    boolean hasInbound()
    {
        return !inbound.isEmpty();
    }

    byte[] pollOutbound()
    {
        return outbound.poll();
    }

    /**
     * Any thread: stop the handshake waiting in {@link #receive}; Bouncy Castle then aborts it.
     */
    void cancel()
    {
        cancelled = true;
        VarHandle.fullFence();
        wake();
    }

    /**
     * Handshake thread: after the handshake, never wait for a datagram.
     */
    void nonBlocking()
    {
        nonBlocking = true;
    }

    /**
     * Drop what is queued in both directions.
     */
    void clear()
    {
        inbound.clear();
        outbound.clear();
    }

    private void wake()
    {
        final Thread thread = waiter;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public int getReceiveLimit()
    {
        return receiveLimitBytes;
    }

    @Override
    public int getSendLimit()
    {
        return sendLimitBytes;
    }

    /**
     * Bouncy Castle's thread: the next datagram, waiting up to {@code waitMillis} while handshaking.
     *
     * @return the datagram's length, or -1 when the wait expired (Bouncy Castle then retransmits).
     */
    @Override
    public int receive(final byte[] buf, final int off, final int len, final int waitMillis) throws IOException
    {
        if (cancelled)
        {
            throw new TlsFatalAlert(AlertDescription.user_canceled, "closed locally");
        }
        byte[] datagram = inbound.poll();
        if (datagram == null)
        {
            if (nonBlocking || closed)
            {
                throw WOULD_BLOCK;
            }
            datagram = await(waitMillis);
            if (datagram == null)
            {
                return -1;
            }
        }
        // A datagram longer than len is reported at its full length and Bouncy Castle discards it.
        System.arraycopy(datagram, 0, buf, off, Math.min(datagram.length, len));
        return datagram.length;
    }

    private byte[] await(final int waitMillis) throws IOException
    {
        // Bouncy Castle reads 0 as "for ever"; its handshake always passes at least 1.
        final long waitNs = waitMillis == 0 ? Long.MAX_VALUE / 4 : waitMillis * 1_000_000L;
        final long deadlineNs = System.nanoTime() + waitNs;
        waiter = Thread.currentThread();
        try
        {
            while (true)
            {
                final byte[] datagram = inbound.poll();
                if (datagram != null)
                {
                    return datagram;
                }
                if (cancelled)
                {
                    throw new TlsFatalAlert(AlertDescription.user_canceled, "closed locally");
                }
                final long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0)
                {
                    return null;
                }
                LockSupport.parkNanos(this, remainingNs);
            }
        }
        finally
        {
            waiter = null;
        }
    }

    /**
     * Bouncy Castle's thread: queue a copy of one record for the media thread to send.
     */
    @Override
    public void send(final byte[] buf, final int off, final int len)
    {
        if (!outbound.offer(Arrays.copyOfRange(buf, off, off + len)))
        {
            // Lost like a datagram on the wire: Bouncy Castle's retransmission covers it.
            counters.outboundDropped.increment();
        }
    }

    /**
     * Bouncy Castle closed the connection (after sending close_notify or a fatal alert).
     */
    @Override
    public void close()
    {
        closed = true;
    }

    boolean isClosed()
    {
        return closed;
    }

    private static final class WouldBlockException extends InterruptedIOException
    {
        private static final long serialVersionUID = 1L;

        WouldBlockException()
        {
            super("no datagram queued");
        }

        @Override
        public synchronized Throwable fillInStackTrace()
        {
            return this;
        }
    }
}
