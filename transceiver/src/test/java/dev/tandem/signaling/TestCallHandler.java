package dev.tandem.signaling;

import dev.tandem.sdp.SdpFixtures;
import dev.tandem.sdp.SdpOffer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small session layer for tests: it keeps calls in a map, answers with {@link SdpFixtures#answerBuilder()}, has a
 * capacity, and can be put into draining.
 */
final class TestCallHandler implements CallHandler
{
    final Map<String, SdpOffer> calls = new ConcurrentHashMap<>();
    final AtomicBoolean ready = new AtomicBoolean(true);
    final AtomicInteger capacity = new AtomicInteger(Integer.MAX_VALUE);
    final AtomicReference<CallRequest> lastRequest = new AtomicReference<>();
    final AtomicReference<String> lastAnswer = new AtomicReference<>();
    final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    final List<String> endCalls = new CopyOnWriteArrayList<>();
    /** When set, createCall counts down {@link #entered} and waits (at most 10 s) for this gate to open. */
    volatile CountDownLatch gate;
    final CountDownLatch entered = new CountDownLatch(1);
    private final AtomicInteger nextId = new AtomicInteger();

    @Override
    public CallAnswer createCall(final SdpOffer offer, final CallRequest request) throws CallRejectedException
    {
        lastRequest.set(request);
        final CountDownLatch gate = this.gate;
        if (gate != null)
        {
            entered.countDown();
            try
            {
                gate.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null)
        {
            throw failure.get();
        }
        if (calls.size() >= capacity.get())
        {
            throw CallRejectedException.full(7);
        }
        final String callId = "call-" + nextId.incrementAndGet();
        final String answer = SdpFixtures.answerBuilder().sessionId(nextId.get()).build(offer).sdp();
        calls.put(callId, offer);
        lastAnswer.set(answer);
        return new CallAnswer(callId, answer);
    }

    @Override
    public boolean endCall(final String callId)
    {
        endCalls.add(callId);
        return calls.remove(callId) != null;
    }

    @Override
    public boolean isReady()
    {
        return ready.get();
    }

    @Override
    public void renderMetrics(final StringBuilder out)
    {
        out.append("# TYPE tandem_sessions_active gauge\n").append("tandem_sessions_active ").append(calls.size())
            .append('\n');
    }
}
