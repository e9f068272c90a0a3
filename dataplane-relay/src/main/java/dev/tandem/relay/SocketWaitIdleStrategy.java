package dev.tandem.relay;

import org.agrona.concurrent.IdleStrategy;

/**
 * Idles a relay worker by waiting in its sockets (io_uring or epoll wait, or a NIO select) for at most a short
 * timeout instead of parking the thread: an arriving datagram wakes the worker at once and is handled inside the
 * wait, while a packet on the Aeron return stream waits at most the timeout, as with a park. It spins only
 * {@link #SPINS} empty duty cycles first: each one costs a system call (a non-blocking io_uring enter or epoll
 * wait), so spinning longer costs more CPU than the wake-up it saves.
 */
final class SocketWaitIdleStrategy implements IdleStrategy
{
    static final int SPINS = 1;

    private final RelayWorker worker;
    private final long waitNs;
    private int spins;

    SocketWaitIdleStrategy(final RelayWorker worker, final long waitNs)
    {
        this.worker = worker;
        this.waitNs = waitNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            spins = 0;
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (spins < SPINS)
        {
            spins++;
            Thread.onSpinWait();
        }
        else if (worker.awaitDatagrams(waitNs) > 0)
        {
            spins = 0;
        }
    }

    @Override
    public void reset()
    {
        spins = 0;
    }

    @Override
    public String alias()
    {
        return "socket-wait";
    }
}
