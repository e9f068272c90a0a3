package dev.tandem.client;

import dev.tandem.common.Log;
import dev.tandem.srtp.SrtpContext;
import dev.tandem.stun.StunMessageFlyweight;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client's one thread: a {@link Selector} over every call's UDP socket, a timer wheel for every call's next
 * deadline (checks, frames, RTCP, consent), and a command queue through which other threads (HTTP completions, the
 * public API) reach the calls. It owns every {@link ClientSession}; nothing else touches them.
 * <p>
 * Each cycle: wait in the selector until a socket is readable, a command arrives or the next timer tick (1 ms while
 * a DTLS handshake runs, since its flights come back from executor threads through queues); read the clock once;
 * read the ready sockets; run commands; move DTLS along; fire timers. Receive and send buffers are shared by all
 * calls, with SRTP tailroom, so the per-packet path does not allocate.
 */
final class ClientLoop implements Runnable
{
    /** Largest datagram read or written. */
    static final int MAX_DATAGRAM = 2048;
    /** Room after a packet for the SRTP trailer. */
    static final int TAILROOM = SrtpContext.MAX_TRAILER + 16;
    private static final long TICK_NS = 1L << 20;
    private static final int TICKS_PER_WHEEL = 1024;
    private static final int COMMAND_LIMIT = 64;
    private static final int TIMER_LIMIT = 256;
    private static final long IDLE_SELECT_MS = 100;

    final byte[] rxArray = new byte[MAX_DATAGRAM + TAILROOM];
    final ByteBuffer rxBuffer = ByteBuffer.wrap(rxArray);
    final UnsafeBuffer rxUnsafe = new UnsafeBuffer(rxArray);
    final byte[] txArray = new byte[MAX_DATAGRAM + TAILROOM];
    final ByteBuffer txBuffer = ByteBuffer.wrap(txArray);
    final UnsafeBuffer txUnsafe = new UnsafeBuffer(txArray);
    final StunMessageFlyweight stun = new StunMessageFlyweight();

    private final String name;
    private final NanoClock clock;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final DeadlineTimerWheel timers;
    private final DeadlineTimerWheel.TimerHandler timerHandler = this::onTimerExpiry;
    private final Long2ObjectHashMap<ClientSession> byTimer = new Long2ObjectHashMap<>();
    private final ArrayList<ClientSession> sessions = new ArrayList<>();
    private final ArrayList<ClientSession> dtlsActive = new ArrayList<>();
    private final Consumer<SelectionKey> keyHandler = this::onSelected;
    private volatile boolean running = true;
    private volatile Thread thread;
    private long nowNs;
    private boolean clockRead;

    ClientLoop(final String name, final NanoClock clock) throws IOException
    {
        this.name = name;
        this.clock = clock;
        this.selector = Selector.open();
        this.nowNs = clock.nanoTime();
        this.timers = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, nowNs, TICK_NS, TICKS_PER_WHEEL);
    }

    /**
     * Run a command on the loop thread (any thread).
     *
     * @param command what to run.
     * @return false when the loop has stopped (the command will not run).
     */
    boolean execute(final Runnable command)
    {
        if (!running)
        {
            return false;
        }
        commands.offer(command);
        selector.wakeup();
        return true;
    }

    /**
     * @return true on the loop thread.
     */
    boolean inLoop()
    {
        return Thread.currentThread() == thread;
    }

    /**
     * Ask the loop to stop; it ends its calls first (any thread).
     */
    void stop()
    {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run()
    {
        thread = Thread.currentThread();
        try
        {
            while (running)
            {
                doWork();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            Log.error(name, "client loop failed", ex);
            throw ex;
        }
        finally
        {
            running = false;
            shutdown();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Loop thread only

    long nowNs()
    {
        return nowNs;
    }

    SelectionKey register(final DatagramChannel channel, final ClientSession session) throws ClosedChannelException
    {
        return channel.register(selector, SelectionKey.OP_READ, session);
    }

    void add(final ClientSession session)
    {
        sessions.add(session);
    }

    void remove(final ClientSession session)
    {
        sessions.remove(session);
        dtlsActive.remove(session);
        cancelTimer(session);
    }

    /**
     * Snapshot of the live sessions, for ending them all.
     */
    ArrayList<ClientSession> sessions()
    {
        return new ArrayList<>(sessions);
    }

    void pollDtlsEveryCycle(final ClientSession session, final boolean poll)
    {
        final boolean present = dtlsActive.contains(session);
        if (poll && !present)
        {
            dtlsActive.add(session);
        }
        else if (!poll && present)
        {
            dtlsActive.remove(session);
        }
    }

    /**
     * Make sure the session's timer fires no later than its {@link ClientSession#nextDeadlineNs()}.
     */
    void schedule(final ClientSession session)
    {
        final long deadline = session.nextDeadlineNs();
        if (deadline == Long.MAX_VALUE || deadline >= session.timerDeadlineNs)
        {
            return;
        }
        cancelTimer(session);
        final long timerId = timers.scheduleTimer(Math.max(deadline, nowNs));
        session.timerId = timerId;
        session.timerDeadlineNs = deadline;
        byTimer.put(timerId, session);
    }

    /**
     * Send one datagram on a call's socket.
     *
     * @return true when the kernel took it.
     */
    boolean send(final DatagramChannel channel, final byte[] buffer, final int offset, final int length)
    {
        final ByteBuffer out = buffer == txArray ? txBuffer : ByteBuffer.wrap(buffer);
        out.limit(offset + length).position(offset);
        try
        {
            return channel.write(out) == length;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private void doWork()
    {
        final long timeoutMs = selectTimeoutMs();
        clockRead = false;
        try
        {
            if (timeoutMs <= 0)
            {
                selector.selectNow(keyHandler);
            }
            else
            {
                selector.select(keyHandler, timeoutMs);
            }
        }
        catch (final IOException ex)
        {
            Log.error(name, "selector failed", ex);
            running = false;
            return;
        }
        if (!clockRead)
        {
            nowNs = clock.nanoTime();
        }
        Runnable command;
        int count = 0;
        while (count++ < COMMAND_LIMIT && (command = commands.poll()) != null)
        {
            command.run();
        }
        for (int i = dtlsActive.size() - 1; i >= 0; i--)
        {
            if (i < dtlsActive.size())
            {
                dtlsActive.get(i).pollDtls(nowNs);
            }
        }
        int rounds = 0;
        while (timers.currentTickTime() <= nowNs && rounds++ < 64)
        {
            timers.poll(nowNs, timerHandler, TIMER_LIMIT);
        }
    }

    private long selectTimeoutMs()
    {
        if (!commands.isEmpty())
        {
            return 0;
        }
        if (!dtlsActive.isEmpty())
        {
            return 1;
        }
        if (timers.timerCount() > 0)
        {
            final long untilTickNs = timers.currentTickTime() - clock.nanoTime();
            return untilTickNs <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilTickNs + 999_999));
        }
        return IDLE_SELECT_MS;
    }

    private void onSelected(final SelectionKey key)
    {
        if (!clockRead)
        {
            nowNs = clock.nanoTime();
            clockRead = true;
        }
        if (key.isValid() && key.isReadable())
        {
            ((ClientSession)key.attachment()).onReadable(nowNs);
        }
    }

    private boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId)
    {
        final ClientSession session = byTimer.remove(timerId);
        if (session != null)
        {
            session.timerId = Long.MIN_VALUE;
            session.timerDeadlineNs = Long.MAX_VALUE;
            session.onTimer(nowNs);
            if (!session.isClosed())
            {
                schedule(session);
            }
        }
        return true;
    }

    private void cancelTimer(final ClientSession session)
    {
        if (session.timerId != Long.MIN_VALUE)
        {
            timers.cancelTimer(session.timerId);
            byTimer.remove(session.timerId);
            session.timerId = Long.MIN_VALUE;
            session.timerDeadlineNs = Long.MAX_VALUE;
        }
    }

    private void shutdown()
    {
        nowNs = clock.nanoTime();
        Runnable command;
        while ((command = commands.poll()) != null)
        {
            try
            {
                command.run();
            }
            catch (final RuntimeException ex)
            {
                Log.warn(name, "command failed while stopping: " + ex);
            }
        }
        for (final ClientSession session : sessions())
        {
            session.close(EndReason.CLIENT_CLOSED, "client closed", nowNs);
        }
        try
        {
            selector.close();
        }
        catch (final IOException ex)
        {
            Log.warn(name, "selector close failed: " + ex);
        }
    }
}
