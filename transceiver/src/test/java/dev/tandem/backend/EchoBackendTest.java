package dev.tandem.backend;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.StreamIds;
import dev.tandem.common.TandemCounters;
import dev.tandem.sbe.CloseReason;
import dev.tandem.sbe.Codec;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The echo backend over a real embedded media driver (IPC), with the test playing the transceiver shard.
 */
class EchoBackendTest
{
    private static final String CHANNEL = "aeron:ipc";
    private static final int SHARD = 0;
    private static final long DELAY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Upper slack on the delay: generous, as ~7 builds share 2 cores. */
    private static final long TOLERANCE_NS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long SESSION = 77;
    private static final int FRAMES = 50;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private MediaDriver driver;
    private Aeron aeron;
    private AgentRunner echoRunner;
    private EchoBackend echo;
    private BackendCounters transceiverCounters;
    private ExclusivePublication toBackend;
    private Subscription fromBackend;
    private BackendProxy proxy;
    private BackendAdapter adapter;

    private final List<Long> sequences = new ArrayList<>();
    private final List<Long> receivedAtNs = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();
    private final List<String> control = new ArrayList<>();

    private final BackendHandler handler = new BackendHandler()
    {
        @Override
        public void onAudioFrame(
            final long sessionId,
            final long sequence,
            final long timeNs,
            final int frameDurationUs,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            assertEquals(SESSION, sessionId);
            assertEquals(20_000, frameDurationUs);
            receivedAtNs.add(System.nanoTime());
            sequences.add(sequence);
            final byte[] payload = new byte[length];
            buffer.getBytes(offset, payload);
            payloads.add(payload);
        }

        @Override
        public void onClearAudio(final long sessionId)
        {
            control.add("clear " + sessionId);
        }

        @Override
        public void onCloseSession(final long sessionId)
        {
            control.add("close " + sessionId);
        }

        @Override
        public void onEvent(
            final long sessionId, final long timeNs, final DirectBuffer body, final int offset, final int length)
        {
            control.add("event " + sessionId + " " + body.getStringWithoutLengthUtf8(offset, length));
        }
    };

    @BeforeEach
    void start()
    {
        final String dir = AeronSupport.uniqueDirectory("echo-test");
        driver = AeronSupport.launchEmbeddedDriver(dir, ThreadingMode.SHARED, IdleMode.BACKOFF, errors::add);
        aeron = AeronSupport.connect(dir, errors::add, "echo-test");
        echo = new EchoBackend(aeron, new EchoBackend.Context().delayNs(DELAY_NS).shards(SHARD).channel(CHANNEL));
        echoRunner = new AgentRunner(IdleMode.BACKOFF.newStrategy(), errors::add, null, echo);
        AgentRunner.startOnThread(echoRunner);

        transceiverCounters = BackendCounters.allocate(aeron, "side=\"transceiver\",shard=\"0\"");
        toBackend = aeron.addExclusivePublication(CHANNEL, StreamIds.toBackend(SHARD));
        fromBackend = aeron.addSubscription(CHANNEL, StreamIds.fromBackend(SHARD));
        proxy = new BackendProxy(toBackend, transceiverCounters);
        adapter = new BackendAdapter(fromBackend, handler, 16, transceiverCounters);
        awaitPolling(() -> toBackend.isConnected() && fromBackend.isConnected(), "streams connect");
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(echoRunner, transceiverCounters, toBackend, fromBackend, aeron, driver);
        assertTrue(errors.isEmpty(), () -> "errors: " + errors);
    }

    private void awaitPolling(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (adapter.poll() == 0)
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
            assertTrue(System.nanoTime() < deadlineNs, () -> "timed out waiting until " + what);
        }
    }

    private static byte[] payload(final int index)
    {
        final byte[] payload = new byte[20 + index % 7];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(index * 31 + i);
        }
        return payload;
    }

    @Test
    void echoesFramesInOrderAfterTheDelayThenDropsAClosedSessionsFrames()
    {
        assertTrue(proxy.sessionOpened(SESSION, System.nanoTime(), Codec.OPUS, 111, 48_000, 2, 20_000, "test"));
        final long[] sentAtNs = new long[FRAMES];
        for (int i = 0; i < FRAMES; i++)
        {
            final byte[] frame = payload(i);
            sentAtNs[i] = System.nanoTime();
            assertTrue(proxy.audioFrame(SESSION, 1000 + i, 960L * i, sentAtNs[i], 20_000, frame, 0, frame.length));
            final long nextNs = sentAtNs[i] + TimeUnit.MILLISECONDS.toNanos(2);
            while (System.nanoTime() < nextNs)
            {
                adapter.poll();
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
        awaitPolling(() -> sequences.size() >= FRAMES, "all frames echoed");

        long maxDelayNs = 0;
        for (int i = 0; i < FRAMES; i++)
        {
            assertEquals(1000L + i, (long)sequences.get(i), "in order");
            assertArrayEquals(payload(i), payloads.get(i), "identical payload");
            final long delayNs = receivedAtNs.get(i) - sentAtNs[i];
            assertTrue(delayNs >= DELAY_NS, "frame " + i + " came back early: " + delayNs + " ns");
            assertTrue(delayNs <= DELAY_NS + TOLERANCE_NS, "frame " + i + " came back late: " + delayNs + " ns");
            maxDelayNs = Math.max(maxDelayNs, delayNs);
        }

        // frames still inside the delay when the session closes are never echoed
        for (int i = 0; i < 5; i++)
        {
            final byte[] frame = payload(i);
            assertTrue(proxy.audioFrame(SESSION, 2000 + i, 0, System.nanoTime(), 20_000, frame, 0, frame.length));
        }
        assertTrue(proxy.sessionClosed(SESSION, System.nanoTime(), CloseReason.HANGUP));
        final BackendCounters echoCounters = echo.counters(0);
        awaitPolling(() -> echoCounters.dropsSessionClosed().get() == 5, "the closed session's frames are dropped");
        final long quietUntilNs = System.nanoTime() + DELAY_NS + TimeUnit.MILLISECONDS.toNanos(50);
        awaitPolling(() -> System.nanoTime() > quietUntilNs, "the delay passes");
        assertEquals(FRAMES, sequences.size());

        assertEquals(FRAMES + 5, echoCounters.framesReceived().get());
        assertEquals(FRAMES, echoCounters.framesSent().get());
        assertEquals(2, echoCounters.messagesReceived().get());
        assertEquals(FRAMES + 5, transceiverCounters.framesSent().get());
        assertEquals(FRAMES, transceiverCounters.framesReceived().get());
        assertEquals(0, echo.queuedFrames());

        final Map<String, Long> snapshot = TandemCounters.snapshot(aeron.countersReader());
        assertEquals(FRAMES, snapshot.get("tandem_backend_frames_sent_total{side=\"echo\",shard=\"0\"}"));
        assertEquals(5,
            snapshot.get("tandem_backend_drops_total{side=\"echo\",shard=\"0\",reason=\"session_closed\"}"));
        assertEquals(FRAMES, snapshot.get("tandem_backend_frames_received_total{side=\"transceiver\",shard=\"0\"}"));
        System.out.println("echo delay " + DELAY_NS / 1_000_000 + " ms, worst observed " + maxDelayNs / 1_000 + " us");
    }

    @Test
    void decodesClearAudioCloseSessionAndEventsFromABackend()
    {
        try (ExclusivePublication backendSide = aeron.addExclusivePublication(CHANNEL, StreamIds.fromBackend(SHARD));
            BackendCounters backendCounters = BackendCounters.allocate(aeron, "side=\"test-backend\""))
        {
            final TransceiverProxy backend = new TransceiverProxy(backendSide, backendCounters);
            awaitPolling(backendSide::isConnected, "the backend's publication connects");
            final byte[] json = "{\"type\":\"response.done\"}".getBytes(StandardCharsets.UTF_8);
            assertTrue(backend.clearAudio(SESSION));
            assertTrue(backend.closeSession(SESSION + 1));
            assertTrue(backend.event(SESSION + 2, 5, new UnsafeBuffer(json), 0, json.length));
            awaitPolling(() -> control.size() >= 3, "control messages arrive");
            assertEquals(List.of(
                "clear " + SESSION,
                "close " + (SESSION + 1),
                "event " + (SESSION + 2) + " {\"type\":\"response.done\"}"), control);
            assertEquals(3, backendCounters.messagesSent().get());
            assertEquals(3, transceiverCounters.messagesReceived().get());
        }
    }
}
