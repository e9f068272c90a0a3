package dev.tandem.dtls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tandem.common.Log;

/**
 * Where DTLS handshakes and record processing run: bounded, so a handshake storm queues and then fails fast with
 * {@link DtlsFailure#REJECTED} instead of growing without bound. Two modes:
 * <ul>
 *     <li><b>Platform threads</b> (the default, any JDK): a fixed pool of daemon threads and a bounded queue. A
 *     handshake holds a thread while it waits for the peer's next flight (about one round trip) and while it
 *     computes (~0.5 ms), so handshakes per second are at most {@code threads / (rtt + cpu)}: the pool size caps both
 *     the handshakes in flight and the cores they take.</li>
 *     <li><b>Virtual threads</b> (JDK 21+, {@link #virtual}): a virtual thread per task and a cap on tasks in
 *     flight. Waiting for the peer holds no carrier thread (Bouncy Castle parks in the transport, outside any
 *     monitor), so round trips no longer limit the rate; the JDK's carrier pool (one per core unless
 *     {@code jdk.virtualThreadScheduler.parallelism} says otherwise) limits the CPU. On an older JDK it falls back to
 *     platform threads, with a warning.</li>
 * </ul>
 * {@link #execute} never waits for a handshake; the platform pool takes a short lock inside the JDK's queue.
 */
public final class DtlsHandshakeExecutor implements Executor, AutoCloseable
{
    /** Default thread count: overlaps round trips (threads mostly wait) while capping the CPU handshakes take. */
    public static final int THREADS_DEFAULT = 8;
    /** Default queued tasks beyond the running ones (platform), or tasks in flight (virtual). */
    public static final int QUEUE_DEFAULT = 4096;

    private final ExecutorService delegate;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final boolean virtualThreads;

    /**
     * A pool of platform threads.
     *
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
        this.delegate = new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity), factory,
            new ThreadPoolExecutor.AbortPolicy());
        this.inFlight = null;
        this.maxInFlight = 0;
        this.virtualThreads = false;
    }

    private DtlsHandshakeExecutor(final ExecutorService delegate, final int maxInFlight)
    {
        this.delegate = delegate;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.virtualThreads = true;
    }

    /**
     * A virtual thread per task where the JDK has them (21+), else a platform pool of {@link #THREADS_DEFAULT}
     * threads with {@code maxInFlight} queued tasks.
     *
     * @param maxInFlight tasks (handshakes, record processing) running or waiting at once; more are rejected.
     * @param name        thread name prefix.
     * @return the executor.
     */
    public static DtlsHandshakeExecutor virtual(final int maxInFlight, final String name)
    {
        if (maxInFlight < 1)
        {
            throw new IllegalArgumentException("maxInFlight must be positive");
        }
        final ExecutorService virtual = newVirtualThreadExecutor(name);
        if (virtual == null)
        {
            Log.warn("dtls", "virtual threads need JDK 21+; running handshakes on " + THREADS_DEFAULT +
                " platform threads");
            return new DtlsHandshakeExecutor(THREADS_DEFAULT, maxInFlight, name);
        }
        return new DtlsHandshakeExecutor(virtual, maxInFlight);
    }

    /**
     * @return true when tasks run on virtual threads.
     */
    public boolean isVirtual()
    {
        return virtualThreads;
    }

    /**
     * @param command a handshake or record-processing task.
     * @throws RejectedExecutionException when the executor is full or closed.
     */
    @Override
    public void execute(final Runnable command)
    {
        if (inFlight == null)
        {
            delegate.execute(command);
            return;
        }
        if (!inFlight.tryAcquire())
        {
            throw new RejectedExecutionException("too many DTLS tasks in flight");
        }
        try
        {
            delegate.execute(() ->
            {
                try
                {
                    command.run();
                }
                finally
                {
                    inFlight.release();
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            inFlight.release();
            throw ex;
        }
    }

    /**
     * @return tasks waiting for a thread (platform), or tasks in flight (virtual).
     */
    public int queued()
    {
        return inFlight == null ?
            ((ThreadPoolExecutor)delegate).getQueue().size() : maxInFlight - inFlight.availablePermits();
    }

    /**
     * Stop the threads (interrupting handshakes in flight) and wait up to a second for them.
     */
    @Override
    public void close()
    {
        delegate.shutdownNow();
        try
        {
            if (!delegate.awaitTermination(1, TimeUnit.SECONDS))
            {
                Log.warn("dtls", "handshake threads still running after close");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory())} through
     * reflection, since this code is compiled for Java 17.
     *
     * @return the executor, or null before JDK 21.
     */
    private static ExecutorService newVirtualThreadExecutor(final String name)
    {
        try
        {
            final Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, name + "-", 0L);
            final ThreadFactory factory = (ThreadFactory)builderType.getMethod("factory").invoke(builder);
            return (ExecutorService)Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                .invoke(null, factory);
        }
        catch (final ReflectiveOperationException ex)
        {
            return null;
        }
    }
}
