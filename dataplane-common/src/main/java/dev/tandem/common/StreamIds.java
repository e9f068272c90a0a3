package dev.tandem.common;

/**
 * Aeron stream ids of the wire contract. Channels come from configuration (IPC by default); stream ids are derived
 * here so that relay, transceiver and backend agree without further configuration.
 */
public final class StreamIds
{
    /** Ingress to transceiver shard {@code s} is stream {@code TRANSCEIVER_INGRESS_BASE + s}. */
    public static final int TRANSCEIVER_INGRESS_BASE = 1000;
    /**
     * Worker {@code w} of relay {@code r} polls its return stream {@code RELAY_RETURN_BASE + r * 256 + w}, so
     * several relays may share one media driver.
     */
    public static final int RELAY_RETURN_BASE = 100_000;
    /** Transceiver shard {@code s} publishes to its backend on {@code TO_BACKEND_BASE + s}. */
    public static final int TO_BACKEND_BASE = 3000;
    /** The backend answers transceiver shard {@code s} on {@code FROM_BACKEND_BASE + s}. */
    public static final int FROM_BACKEND_BASE = 4000;
    /** Most workers one relay may run. */
    public static final int MAX_WORKERS_PER_RELAY = 256;

    private StreamIds()
    {
    }

    /**
     * @param shardId transceiver shard.
     * @return its ingress stream id.
     */
    public static int transceiverIngress(final int shardId)
    {
        return TRANSCEIVER_INGRESS_BASE + shardId;
    }

    /**
     * @param relayId  relay process id.
     * @param workerId worker within it.
     * @return the return stream id of that worker.
     */
    public static int relayReturn(final int relayId, final int workerId)
    {
        return RELAY_RETURN_BASE + relayId * MAX_WORKERS_PER_RELAY + workerId;
    }

    /**
     * @param shardId transceiver shard.
     * @return the stream id the shard publishes to its backend on.
     */
    public static int toBackend(final int shardId)
    {
        return TO_BACKEND_BASE + shardId;
    }

    /**
     * @param shardId transceiver shard.
     * @return the stream id the backend answers the shard on.
     */
    public static int fromBackend(final int shardId)
    {
        return FROM_BACKEND_BASE + shardId;
    }
}
