package dev.tandem.client;

import dev.tandem.common.Log;
import dev.tandem.dtls.DtlsCertificate;
import dev.tandem.dtls.DtlsCounters;
import dev.tandem.dtls.DtlsEndpointFactory;
import dev.tandem.dtls.DtlsHandshakeExecutor;
import dev.tandem.dtls.DtlsSrtpProfile;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebRTC client that behaves like a browser toward Tandem and runs many calls from one process: one selector
 * thread for every call's UDP socket and protocol state, one {@link HttpClient} for signaling, one DTLS certificate
 * and a small DTLS handshake executor (Bouncy Castle blocks, so handshakes run there and hand flights back through
 * queues).
 * <pre>{@code
 * try (WebRtcClient client = WebRtcClient.start(new WebRtcClient.Context()))
 * {
 *     ClientCall call = client.call(new CallOptions().baseUri("http://127.0.0.1:8080").frames(100)).get();
 *     CallStats media = call.mediaDone().get();      // 100 frames sent, echoes in
 *     CallStats last = call.hangup().get();          // DELETE, final statistics
 * }
 * }</pre>
 */
public final class WebRtcClient implements AutoCloseable
{
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final long THREAD_JOIN_MS = 5_000;

    private final Context context;
    private final SecureRandom random;
    private final DtlsCertificate certificate;
    private final DtlsHandshakeExecutor executor;
    private final DtlsEndpointFactory dtlsFactory;
    private final SignalingClient signaling;
    private final ClientLoop loop;
    private final Thread thread;
    private final Recorder rttRecorder = new Recorder(ClientSession.HIGHEST_RTT_US, 2);
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final Set<CompletableFuture<Integer>> pendingDeletes = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Runnable> waitingOffers = new ConcurrentLinkedQueue<>();
    private final Semaphore offerPermits;
    private volatile boolean closed;

    private WebRtcClient(final Context context) throws IOException
    {
        this.context = context;
        this.random = context.random != null ? context.random : new SecureRandom();
        this.certificate = context.certificate != null ? context.certificate : DtlsCertificate.generate(random);
        this.executor = new DtlsHandshakeExecutor(context.dtlsThreads, context.dtlsQueue, context.name + "-dtls");
        this.offerPermits = new Semaphore(context.maxOffersInFlight);
        boolean started = false;
        try
        {
            this.dtlsFactory = new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
                .certificate(certificate)
                .executor(executor)
                .random(random)
                .counters(DtlsCounters.inMemory())
                .handshakeTimeoutNs(context.dtlsHandshakeTimeoutNs)
                .srtpProfiles(context.srtpProfiles));
            final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofNanos(context.httpTimeoutNs))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
            this.signaling = new SignalingClient(http, Duration.ofNanos(context.httpTimeoutNs));
            this.loop = new ClientLoop(context.name, context.clock);
            this.thread = new Thread(loop, context.name);
            thread.setDaemon(true);
            thread.start();
            started = true;
        }
        finally
        {
            if (!started)
            {
                executor.close();
            }
        }
    }

    /**
     * Start a client: generate (or take) its certificate and start its thread.
     *
     * @param context the configuration.
     * @return the running client; close it to end every call and stop.
     */
    public static WebRtcClient start(final Context context)
    {
        try
        {
            return new WebRtcClient(context);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a selector", ex);
        }
    }

    /**
     * Place a call: post the offer, and once answered start ICE, DTLS and media.
     *
     * @param options what the call does (copied).
     * @return completes with the call when the server answered with 201 and a usable answer; fails with
     *     {@link CallFailedException} (HTTP status, reason, stage times) otherwise.
     * @throws IllegalArgumentException when the options are invalid.
     * @throws IllegalStateException    when the client is closed.
     */
    public CompletableFuture<ClientCall> call(final CallOptions options)
    {
        if (closed)
        {
            throw new IllegalStateException("client closed");
        }
        final CallOptions copy = options.copy();
        copy.validate();
        final ClientSession session = new ClientSession(this, loop, copy, random.nextLong());
        final CompletableFuture<ClientCall> answered = new CompletableFuture<>();
        activeCalls.incrementAndGet();
        waitingOffers.add(() ->
        {
            if (closed)
            {
                offerPermits.release();
                failClosed(session, answered);
                return;
            }
            session.onOfferSent(context.clock.nanoTime(), answered);
            signaling.postOffer(copy.endpoint(), session.offer, copy.sessionJson, copy.headers)
                .whenComplete((response, failure) ->
            {
                offerPermits.release();
                postWaitingOffers();
                if (!loop.execute(() -> session.onAnswer(response, failure)))
                {
                    failClosed(session, answered);
                }
            });
        });
        postWaitingOffers();
        return answered;
    }

    private void failClosed(final ClientSession session, final CompletableFuture<ClientCall> answered)
    {
        activeCalls.decrementAndGet();
        final CallStats stats = new CallStats();
        stats.state = CallState.ENDED;
        stats.endReason = EndReason.CLIENT_CLOSED;
        stats.endDetail = "client closed";
        answered.completeExceptionally(new CallFailedException(stats));
        session.call.finish(stats);
    }

    /**
     * Post waiting offers while fewer than {@code maxOffersInFlight} are in flight (any thread; called after every
     * new offer and every answer, so none is stranded).
     */
    private void postWaitingOffers()
    {
        while (!waitingOffers.isEmpty() && offerPermits.tryAcquire())
        {
            final Runnable post = waitingOffers.poll();
            if (post == null)
            {
                offerPermits.release();
                continue;
            }
            post.run();
        }
    }

    /**
     * @return calls started and not yet ended and released.
     */
    public int activeCalls()
    {
        return activeCalls.get();
    }

    /**
     * @return round-trip times in microseconds of every echoed frame of every call; take interval histograms with
     *     {@link Recorder#getIntervalHistogram()} from any thread.
     */
    public Recorder rttRecorder()
    {
        return rttRecorder;
    }

    /**
     * @return the certificate whose fingerprint every offer carries.
     */
    public DtlsCertificate certificate()
    {
        return certificate;
    }

    /**
     * @return DTLS counters of this client's handshakes.
     */
    public DtlsCounters dtlsCounters()
    {
        return dtlsFactory.counters();
    }

    /**
     * End every call (with a DELETE each, waited for up to the HTTP timeout) and stop the thread. Not from the
     * client's own thread (a future's dependent action): it waits for that thread.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        postWaitingOffers(); // offers not yet posted fail at once
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        if (loop.execute(() ->
        {
            for (final ClientSession session : loop.sessions())
            {
                session.end(EndReason.CLIENT_CLOSED, "client closed", loop.nowNs());
            }
            ended.complete(null);
        }))
        {
            awaitQuietly(ended, THREAD_JOIN_MS);
        }
        awaitQuietly(CompletableFuture.allOf(pendingDeletes.toArray(new CompletableFuture<?>[0])),
            TimeUnit.NANOSECONDS.toMillis(context.httpTimeoutNs));
        loop.stop();
        try
        {
            thread.join(THREAD_JOIN_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        executor.close();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // For sessions

    DtlsEndpointFactory dtlsFactory()
    {
        return dtlsFactory;
    }

    SignalingClient signaling()
    {
        return signaling;
    }

    /**
     * @return the selector thread (tests measure its allocation).
     */
    Thread loopThread()
    {
        return thread;
    }

    void recordRtt(final long rttUs)
    {
        rttRecorder.recordValue(rttUs);
    }

    void trackDelete(final CompletableFuture<Integer> delete)
    {
        pendingDeletes.add(delete);
        delete.whenComplete((status, failure) -> pendingDeletes.remove(delete));
    }

    void onClosed(final ClientSession session)
    {
        activeCalls.decrementAndGet();
    }

    String iceString(final int length)
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length()));
        }
        return new String(chars);
    }

    private void awaitQuietly(final CompletableFuture<?> future, final long timeoutMs)
    {
        try
        {
            future.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final TimeoutException | java.util.concurrent.ExecutionException ex)
        {
            Log.warn(context.name, "close: " + ex);
        }
    }

    /**
     * Histogram helper: a copy of {@code histogram} with values in milliseconds is rarely needed; percentiles in
     * microseconds convert with {@code / 1000.0}.
     *
     * @param histogram an RTT histogram from {@link CallStats#rttUs()} or {@link #rttRecorder()}.
     * @param percentile e.g. 99.0.
     * @return the value at the percentile in microseconds, or -1 when empty.
     */
    public static long percentileUs(final Histogram histogram, final double percentile)
    {
        return histogram == null || histogram.getTotalCount() == 0 ? -1 : histogram.getValueAtPercentile(percentile);
    }

    /**
     * Configuration of a {@link WebRtcClient}, with defaults for a test or a load generator on one host.
     */
    public static final class Context
    {
        String name = "webrtc-client";
        DtlsCertificate certificate;
        SecureRandom random;
        NanoClock clock = SystemNanoClock.INSTANCE;
        int dtlsThreads = 4;
        int dtlsQueue = DtlsHandshakeExecutor.QUEUE_DEFAULT;
        long dtlsHandshakeTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        long httpTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        int maxOffersInFlight = 16;
        int[] srtpProfiles = { DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80, DtlsSrtpProfile.AEAD_AES_128_GCM };

        /**
         * @param name thread name prefix.
         * @return this.
         */
        public Context name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * @param certificate the DTLS certificate of every call (default: a fresh ECDSA P-256 one).
         * @return this.
         */
        public Context certificate(final DtlsCertificate certificate)
        {
            this.certificate = certificate;
            return this;
        }

        /**
         * @param random randomness for credentials, SSRCs and handshakes (default: a new {@link SecureRandom}).
         * @return this.
         */
        public Context random(final SecureRandom random)
        {
            this.random = random;
            return this;
        }

        /**
         * @param clock the monotonic clock of stage times and media timing.
         * @return this.
         */
        public Context clock(final NanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        /**
         * @param threads DTLS handshake threads (a handshake holds one for about a round trip).
         * @param queue   handshakes that may wait for a thread.
         * @return this.
         */
        public Context dtlsThreads(final int threads, final int queue)
        {
            this.dtlsThreads = threads;
            this.dtlsQueue = queue;
            return this;
        }

        /**
         * @param timeoutNs a DTLS handshake fails after this long.
         * @return this.
         */
        public Context dtlsHandshakeTimeoutNs(final long timeoutNs)
        {
            this.dtlsHandshakeTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param timeoutNs connect and request timeout of signaling requests.
         * @return this.
         */
        public Context httpTimeoutNs(final long timeoutNs)
        {
            this.httpTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param maxOffersInFlight offers posted and not yet answered at most; more wait in the client (the stage
         *                          time {@link CallStage#OFFER_SENT} is when one is actually posted). The server
         *                          drops requests beyond its HTTP queue, so a burst of calls needs this.
         * @return this.
         */
        public Context maxOffersInFlight(final int maxOffersInFlight)
        {
            if (maxOffersInFlight < 1)
            {
                throw new IllegalArgumentException("maxOffersInFlight must be positive: " + maxOffersInFlight);
            }
            this.maxOffersInFlight = maxOffersInFlight;
            return this;
        }

        /**
         * @param profiles {@link DtlsSrtpProfile} ids offered in this order (default: AES-CM first, as Chromium;
         *                 put GCM first to behave like Firefox).
         * @return this.
         */
        public Context srtpProfiles(final int... profiles)
        {
            this.srtpProfiles = profiles.clone();
            return this;
        }
    }
}
