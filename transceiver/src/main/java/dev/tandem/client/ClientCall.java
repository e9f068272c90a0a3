package dev.tandem.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call of a {@link WebRtcClient}, answered by the server: the thread-safe face of a session that lives on the
 * client's selector thread. Futures say when it connected, when its media is done and when it ended; every method
 * may be called from any thread.
 * <p>
 * The futures complete on the client's selector thread, so dependent actions attached with {@code thenApply} and
 * friends run there, in front of every call's packets: keep them short, or use the {@code *Async} variants.
 */
public final class ClientCall
{
    private static final long STATS_TIMEOUT_MS = 5_000;

    final CompletableFuture<ClientCall> connected = new CompletableFuture<>();
    final CompletableFuture<CallStats> mediaDone = new CompletableFuture<>();
    final CompletableFuture<CallStats> ended = new CompletableFuture<>();
    volatile CallState state = CallState.SIGNALING;
    private final ClientLoop loop;
    private final ClientSession session;
    private volatile CallStats finalStats;

    ClientCall(final ClientLoop loop, final ClientSession session)
    {
        this.loop = loop;
        this.session = session;
    }

    /**
     * @return where the call is in its life.
     */
    public CallState state()
    {
        return state;
    }

    /**
     * @return the call's options (a copy taken when it started; do not change it).
     */
    public CallOptions options()
    {
        return session.options;
    }

    /**
     * @return our SSRC, which every frame we send carries.
     */
    public long ssrc()
    {
        return session.ssrc;
    }

    /**
     * @return completes with this call when DTLS completed and media may flow; fails with
     *     {@link CallFailedException} when the call ended first.
     */
    public CompletableFuture<ClientCall> connected()
    {
        return connected;
    }

    /**
     * Wait until media may flow.
     *
     * @param timeout how long to wait.
     * @return true when connected; false when the call ended first or the time ran out (see {@link #stats()}).
     * @throws InterruptedException when interrupted.
     */
    public boolean awaitConnected(final Duration timeout) throws InterruptedException
    {
        try
        {
            connected.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            return false;
        }
    }

    /**
     * @return completes when the configured frames are sent and every one came back (or the drain timeout passed
     *     after the last one), with the statistics at that moment; also completes, early, when the call ends. Never
     *     completes for a call that sends until hangup.
     */
    public CompletableFuture<CallStats> mediaDone()
    {
        return mediaDone;
    }

    /**
     * @return completes with the final statistics when the call ended, for whatever reason.
     */
    public CompletableFuture<CallStats> ended()
    {
        return ended;
    }

    /**
     * Hang up: stop media, {@code DELETE} the call's Location, end.
     *
     * @return completes with the final statistics ({@link CallStats#deleteStatus()} is the DELETE's status).
     */
    public CompletableFuture<CallStats> hangup()
    {
        if (!loop.execute(() -> session.hangup(loop.nowNs())))
        {
            finish(finalStatsOrEmpty());
        }
        return ended;
    }

    /**
     * A fresh snapshot, taken on the client's thread (waits for it up to 5 s; the final one once the call ended).
     *
     * @return the statistics.
     */
    public CallStats stats()
    {
        final CallStats last = finalStats;
        if (last != null)
        {
            return last;
        }
        if (loop.inLoop())
        {
            return session.snapshot(loop.nowNs());
        }
        try
        {
            return statsAsync().get(STATS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking call statistics", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("call statistics not available: " + ex, ex);
        }
    }

    /**
     * @return a snapshot taken on the client's thread.
     */
    public CompletableFuture<CallStats> statsAsync()
    {
        final CompletableFuture<CallStats> result = new CompletableFuture<>();
        final CallStats last = finalStats;
        if (last != null)
        {
            result.complete(last);
        }
        else if (!loop.execute(() -> result.complete(
            finalStats != null ? finalStats : session.snapshot(loop.nowNs()))))
        {
            result.complete(finalStatsOrEmpty());
        }
        return result;
    }

    /**
     * Test hook: send a datagram as is from the call's socket (garbage, a crafted DTLS record, ...).
     *
     * @param datagram the bytes; copied before this returns.
     */
    public void sendRaw(final byte[] datagram)
    {
        final byte[] copy = datagram.clone();
        loop.execute(() -> session.sendRaw(copy));
    }

    /**
     * Test hook: send the last SRTP packet again, byte for byte, as an attacker replaying a capture would.
     *
     * @return completes with false when no packet was sent yet.
     */
    public CompletableFuture<Boolean> replayLastRtp()
    {
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        if (!loop.execute(() -> result.complete(session.replayLastRtp())))
        {
            result.complete(false);
        }
        return result;
    }

    @Override
    public String toString()
    {
        final CallStats last = finalStats;
        return "ClientCall{" + state + (last != null ? ", " + last : "") + "}";
    }

    /**
     * The session ended (loop thread): publish the final statistics and settle every future.
     */
    void finish(final CallStats last)
    {
        finalStats = last;
        state = CallState.ENDED;
        if (!connected.isDone())
        {
            connected.completeExceptionally(new CallFailedException(last));
        }
        mediaDone.complete(last);
        ended.complete(last);
    }

    private CallStats finalStatsOrEmpty()
    {
        final CallStats last = finalStats;
        if (last != null)
        {
            return last;
        }
        final CallStats empty = new CallStats();
        empty.state = CallState.ENDED;
        empty.endReason = EndReason.CLIENT_CLOSED;
        empty.endDetail = "client closed";
        return empty;
    }
}
