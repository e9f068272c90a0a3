package dev.tandem.backend;

import dev.tandem.common.StreamIds;
import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;
import dev.tandem.rtp.FrameQueue;
import dev.tandem.sbe.CloseReason;
import dev.tandem.sbe.Codec;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.List;

/**
 * The reference backend: it sends every audio frame back to the session it came from after a fixed delay, in
 * order and with its duration, so a caller hears themselves. It subscribes to the to-backend stream of each
 * configured transceiver shard and answers on that shard's from-backend stream.
 *
 * <p>Delayed frames wait in one preallocated {@link FrameQueue} for all sessions: the delay is the same for every
 * frame, so due times rise in arrival order and the queue is a timer queue without per-frame allocation. A
 * SessionClosed marks that session's waiting frames dead; they are dropped (counted) when they reach the head.
 * With no delay and nothing waiting, a frame is copied straight from the subscription into the claimed reply.
 * Back-pressure on the reply drops and counts, like every publisher here.
 */
public final class EchoBackend implements Agent, TransceiverHandler
{
    /** How long each frame is held before it goes back. */
    public static final Setting<Long> DELAY = Settings.durationNs(
        "echo.delay", "delay", "0ms",
        "how long the echo backend holds each frame before sending it back (0 for benchmarks, ~300ms to hear it)");
    /** Which transceiver shards to serve. */
    public static final Setting<String> SHARDS = Settings.string(
        "echo.shards", "shards", "0", "transceiver shards the echo backend serves, comma separated (e.g. 0,1)");
    /** The Aeron channel between transceiver and backend. */
    public static final Setting<String> CHANNEL = Settings.string(
        "echo.channel", null, "aeron:ipc", "Aeron channel to and from the transceiver (IPC in one process)");
    /** Frames the delay queue holds. */
    public static final Setting<Integer> QUEUE_FRAMES = Settings.integer(
        "echo.queue-frames", null, "16384", 1, 1 << 22,
        "frames the echo delay queue holds for all sessions (300 ms x 50 frames/s = 15 per session)");
    /** Payload bytes the delay queue holds. */
    public static final Setting<Long> QUEUE_BYTES = Settings.sizeBytes(
        "echo.queue-bytes", null, "4m", "payload bytes the echo delay queue holds for all sessions");
    /** Fragments read per stream per duty cycle. */
    public static final Setting<Integer> FRAGMENT_LIMIT = Settings.integer(
        "echo.fragment-limit", null, "64", 1, 4096, "messages the echo backend reads per stream per duty cycle");

    /** Every echo setting, for a command's settings list. */
    public static final List<Setting<?>> SETTINGS =
        List.of(DELAY, SHARDS, CHANNEL, QUEUE_FRAMES, QUEUE_BYTES, FRAGMENT_LIMIT);

    /** Most delayed frames sent back per duty cycle, so one cycle stays short. */
    static final int MAX_RELEASES_PER_CYCLE = 256;

    /** Configuration of an {@link EchoBackend}; {@link #conclude()} validates it once. */
    public static final class Context
    {
        private long delayNs;
        private int[] shards = { 0 };
        private String channel = "aeron:ipc";
        private int queueFrames = 16384;
        private int queueBytes = 4 * 1024 * 1024;
        private int fragmentLimit = 64;
        private NanoClock nanoClock = SystemNanoClock.INSTANCE;
        private String counterLabels = "side=\"echo\"";
        private boolean concluded;

        /**
         * @param config a parsed configuration holding {@link #SETTINGS}.
         * @return a context from it.
         */
        public static Context fromConfig(final Config config)
        {
            final long queueBytes = config.get(QUEUE_BYTES);
            if (queueBytes <= 0 || queueBytes > Integer.MAX_VALUE)
            {
                throw new ConfigException(QUEUE_BYTES.name() + ": " + queueBytes + " is out of range (1..2g)");
            }
            return new Context()
                .delayNs(config.get(DELAY))
                .shards(parseShards(config.get(SHARDS)))
                .channel(config.get(CHANNEL))
                .queueFrames(config.get(QUEUE_FRAMES))
                .queueBytes((int)queueBytes)
                .fragmentLimit(config.get(FRAGMENT_LIMIT));
        }

        /**
         * @param text e.g. {@code 0,1}.
         * @return the shard ids.
         * @throws ConfigException naming {@link #SHARDS} when the text is not a list of shard ids.
         */
        public static int[] parseShards(final String text)
        {
            final String[] parts = text.split(",");
            final int[] shardIds = new int[parts.length];
            for (int i = 0; i < parts.length; i++)
            {
                try
                {
                    shardIds[i] = Integer.parseInt(parts[i].trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw new ConfigException(SHARDS.name() + ": '" + text + "' is not a list of shard ids");
                }
                if (shardIds[i] < 0 || shardIds[i] >= StreamIds.FROM_BACKEND_BASE - StreamIds.TO_BACKEND_BASE)
                {
                    throw new ConfigException(SHARDS.name() + ": shard " + shardIds[i] + " is out of range");
                }
            }
            return shardIds;
        }

        /**
         * Validate once.
         *
         * @return this.
         */
        public Context conclude()
        {
            if (concluded)
            {
                throw new IllegalStateException("context already concluded");
            }
            if (delayNs < 0)
            {
                throw new ConfigException(DELAY.name() + ": must not be negative");
            }
            if (shards.length == 0)
            {
                throw new ConfigException(SHARDS.name() + ": at least one shard");
            }
            if (queueFrames <= 0 || queueBytes <= 0 || fragmentLimit <= 0)
            {
                throw new ConfigException("echo queue sizes and fragment limit must be positive");
            }
            concluded = true;
            return this;
        }

        /**
         * @param delayNs how long each frame is held.
         * @return this.
         */
        public Context delayNs(final long delayNs)
        {
            this.delayNs = delayNs;
            return this;
        }

        /**
         * @return how long each frame is held.
         */
        public long delayNs()
        {
            return delayNs;
        }

        /**
         * @param shards transceiver shards served.
         * @return this.
         */
        public Context shards(final int... shards)
        {
            this.shards = shards.clone();
            return this;
        }

        /**
         * @return transceiver shards served.
         */
        public int[] shards()
        {
            return shards.clone();
        }

        /**
         * @param channel Aeron channel to and from the transceiver.
         * @return this.
         */
        public Context channel(final String channel)
        {
            this.channel = channel;
            return this;
        }

        /**
         * @return Aeron channel to and from the transceiver.
         */
        public String channel()
        {
            return channel;
        }

        /**
         * @param queueFrames frames the delay queue holds.
         * @return this.
         */
        public Context queueFrames(final int queueFrames)
        {
            this.queueFrames = queueFrames;
            return this;
        }

        /**
         * @param queueBytes payload bytes the delay queue holds.
         * @return this.
         */
        public Context queueBytes(final int queueBytes)
        {
            this.queueBytes = queueBytes;
            return this;
        }

        /**
         * @param fragmentLimit messages read per stream per duty cycle.
         * @return this.
         */
        public Context fragmentLimit(final int fragmentLimit)
        {
            this.fragmentLimit = fragmentLimit;
            return this;
        }

        /**
         * @param nanoClock the clock read once per duty cycle.
         * @return this.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        /**
         * @param counterLabels labels of the echo's counters (the shard label is added per shard).
         * @return this.
         */
        public Context counterLabels(final String counterLabels)
        {
            this.counterLabels = counterLabels;
            return this;
        }
    }

    private final Context context;
    private final long delayNs;
    private final NanoClock nanoClock;
    private final Subscription[] subscriptions;
    private final ExclusivePublication[] publications;
    private final TransceiverAdapter[] adapters;
    private final TransceiverProxy[] proxies;
    private final BackendCounters[] counters;
    private final FrameQueue queue;
    private final long[] queuedSessionIds;
    private final long[] queuedSequences;
    private final long[] queuedDueNs;
    private final int[] queuedDurationsUs;
    private final int[] queuedShards;
    private final boolean[] queuedDead;

    private long nowNs;
    private int currentShard;

    /**
     * Subscribe and publish on every configured shard (cold: round trips to the media driver).
     *
     * @param aeron   a connected client.
     * @param context configuration; concluded here if it was not.
     */
    public EchoBackend(final Aeron aeron, final Context context)
    {
        if (!context.concluded)
        {
            context.conclude();
        }
        this.context = context;
        this.delayNs = context.delayNs;
        this.nanoClock = context.nanoClock;
        final int shardCount = context.shards.length;
        subscriptions = new Subscription[shardCount];
        publications = new ExclusivePublication[shardCount];
        adapters = new TransceiverAdapter[shardCount];
        proxies = new TransceiverProxy[shardCount];
        counters = new BackendCounters[shardCount];
        for (int i = 0; i < shardCount; i++)
        {
            final int shard = context.shards[i];
            counters[i] = BackendCounters.allocate(aeron, shardLabels(context.counterLabels, shard));
            subscriptions[i] = aeron.addSubscription(context.channel, StreamIds.toBackend(shard));
            publications[i] = aeron.addExclusivePublication(context.channel, StreamIds.fromBackend(shard));
            adapters[i] = new TransceiverAdapter(subscriptions[i], this, context.fragmentLimit, counters[i]);
            proxies[i] = new TransceiverProxy(publications[i], counters[i]);
        }
        queue = new FrameQueue(context.queueFrames, context.queueBytes);
        final int slots = queue.capacityFrames();
        queuedSessionIds = new long[slots];
        queuedSequences = new long[slots];
        queuedDueNs = new long[slots];
        queuedDurationsUs = new int[slots];
        queuedShards = new int[slots];
        queuedDead = new boolean[slots];
    }

    private static String shardLabels(final String labels, final int shard)
    {
        final String shardLabel = "shard=\"" + shard + "\"";
        return labels == null || labels.isEmpty() ? shardLabel : labels + "," + shardLabel;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String roleName()
    {
        return "echo-backend";
    }

    /**
     * Read each shard's stream, then send back the frames whose delay has passed.
     *
     * @return messages read plus frames sent back.
     */
    @Override
    public int doWork()
    {
        nowNs = nanoClock.nanoTime();
        int work = 0;
        for (int i = 0; i < adapters.length; i++)
        {
            currentShard = i;
            work += adapters[i].poll();
        }
        return work + releaseDue();
    }

    private int releaseDue()
    {
        int released = 0;
        while (released < MAX_RELEASES_PER_CYCLE)
        {
            final int slot = queue.headSlot();
            if (slot < 0)
            {
                break;
            }
            final int shard = queuedShards[slot];
            if (queuedDead[slot])
            {
                counters[shard].dropsSessionClosed().incrementRelease();
            }
            else if (queuedDueNs[slot] - nowNs > 0)
            {
                break;
            }
            else
            {
                proxies[shard].audioFrame(
                    queuedSessionIds[slot],
                    queuedSequences[slot],
                    nowNs,
                    queuedDurationsUs[slot],
                    queue.buffer(),
                    queue.offset(slot),
                    queue.length(slot));
            }
            queue.removeHead();
            released++;
        }
        return released;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onSessionOpened(
        final long sessionId,
        final long timeNs,
        final Codec codec,
        final int payloadType,
        final int clockRate,
        final int channels,
        final int frameDurationUs,
        final DirectBuffer clientInfo,
        final int offset,
        final int length)
    {
        // nothing to set up: the echo keeps no per-session state
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onAudioFrame(
        final long sessionId,
        final long sequence,
        final long rtpTimestamp,
        final long timeNs,
        final int frameDurationUs,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (delayNs == 0 && queue.isEmpty())
        {
            proxies[currentShard].audioFrame(sessionId, sequence, nowNs, frameDurationUs, buffer, offset, length);
            return;
        }
        final int slot = queue.offer(buffer, offset, length);
        if (slot < 0)
        {
            counters[currentShard].dropsQueueFull().incrementRelease();
            return;
        }
        queuedSessionIds[slot] = sessionId;
        queuedSequences[slot] = sequence;
        // The frame may have arrived after this duty cycle read the clock: time the delay from now, never earlier.
        queuedDueNs[slot] = nanoClock.nanoTime() + delayNs;
        queuedDurationsUs[slot] = frameDurationUs;
        queuedShards[slot] = currentShard;
        queuedDead[slot] = false;
    }

    /**
     * Drop the session's waiting frames (cold: scans the queue once).
     */
    @Override
    public void onSessionClosed(final long sessionId, final long timeNs, final CloseReason reason)
    {
        for (int i = 0, size = queue.size(); i < size; i++)
        {
            final int slot = queue.slotAt(i);
            if (queuedSessionIds[slot] == sessionId && queuedShards[slot] == currentShard)
            {
                queuedDead[slot] = true;
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onEvent(
        final long sessionId, final long timeNs, final DirectBuffer buffer, final int offset, final int length)
    {
        // the echo has nothing to say about events
    }

    /**
     * @return frames waiting for their delay (dead ones included until they reach the head).
     */
    public int queuedFrames()
    {
        return queue.size();
    }

    /**
     * @param shardIndex index into the configured shards.
     * @return that shard's counters.
     */
    public BackendCounters counters(final int shardIndex)
    {
        return counters[shardIndex];
    }

    /**
     * @return the configuration.
     */
    public Context context()
    {
        return context;
    }

    /**
     * Close publications, subscriptions and counters.
     */
    @Override
    public void onClose()
    {
        CloseHelper.closeAll(publications);
        CloseHelper.closeAll(subscriptions);
        CloseHelper.closeAll(counters);
    }
}
