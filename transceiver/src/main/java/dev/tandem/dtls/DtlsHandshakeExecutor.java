package dev.tandem.dtls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tandem.common.Log;

/**
 * A bounded pool of daemon threads for DTLS handshakes and record processing. A handshake holds a thread while it
 * waits for the peer's next flight (about one round trip) and while it computes (~1 ms), so the pool's size caps the
 * handshakes in flight and the CPU they take: handshakes per second is at most {@code threads / (rtt + cpu)}.
 * Work beyond the threads waits in a bounded queue; past that it is rejected, and the endpoint fails with
 * {@link DtlsFailure#REJECTED} instead of queueing without bound.
 * <p>
 * {@link #execute} takes a short lock inside the JDK's queue; it never waits for a handshake.
 */
public final class DtlsHandshakeExecutor implements Executor, AutoCloseable
{
    /** Default thread count: overlaps round trips (threads mostly wait) while capping the CPU handshakes take. */
    public static final int THREADS_DEFAULT = 8;
    /** Default queued tasks beyond the running ones. */
    public static final int QUEUE_DEFAULT = 4096;

    private final ThreadPoolExecutor pool;

    /**
     * @param threads       threads running handshakes.
     * @param queueCapacity tasks that may wait for a thread.
     * @param name          thread name prefix, e.g. {@code dtls}.
     */
    public DtlsHandshakeExecutor(final int threads, final int queueCapacity, final String name)
    {
        if (threads < 1 || queueCapacity < 1)
        {
            throw new IllegalArgumentException("threads and queueCapacity must be positive");
        }
        final AtomicInteger count = new AtomicInteger();
        final ThreadFactory factory = (runnable) ->
        {
            final Thread thread = new Thread(runnable, name + "-" + count.getAndIncrement());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(
                (t, error) -> Log.error("dtls", "uncaught exception in " + t.getName(), error));
            return thread;
        };
        pool = new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity), factory,
            new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * @param command a handshake or record-processing task.
     * @throws RejectedExecutionException when the queue is full or the executor is closed.
     */
    @Override
    public void execute(final Runnable command)
    {
        pool.execute(command);
    }

    /**
     * @return tasks waiting for a thread.
     */
    public int queued()
    {
        return pool.getQueue().size();
    }

    /**
     * @return threads running a task now.
     */
    public int active()
    {
        return pool.getActiveCount();
    }

    /**
     * Stop the threads (interrupting handshakes in flight) and wait up to a second for them.
     */
    @Override
    public void close()
    {
        pool.shutdownNow();
        try
        {
            if (!pool.awaitTermination(1, TimeUnit.SECONDS))
            {
                Log.warn("dtls", "handshake threads still running after close");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
