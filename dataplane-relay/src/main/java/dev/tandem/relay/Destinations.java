package dev.tandem.relay;

import dev.tandem.common.Log;
import dev.tandem.route.RouteToken;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2LongHashMap;

/**
 * One worker's publications, one exclusive publication per destination (cluster, transceiver, shard), indexed
 * by a small int that flows store. A destination first seen on the packet path is added asynchronously so the
 * duty cycle never waits for the media driver: its packets are dropped ({@link DropReason#DESTINATION_PENDING})
 * until the publication exists. Static entries are added before the worker starts. A destination whose
 * publication failed (say, a host name that did not resolve yet) is tried again every {@link #RETRY_INTERVAL_NS},
 * so a transient failure does not drop its flows' packets for the worker's life.
 */
final class Destinations implements AutoCloseable
{
    static final int UNKNOWN = -1;
    static final int NO_ROOM = -2;
    private static final long NO_REGISTRATION = -1;
    /** How often a failed publication is asked for again. */
    static final long RETRY_INTERVAL_NS = 1_000_000_000L;

    private final Aeron aeron;
    private final Directory directory;
    private final int maxDestinations;
    private final Long2LongHashMap indexByKey = new Long2LongHashMap(-1);
    private final ExclusivePublication[] publications;
    private final long[] pendingRegistrationIds;
    private final String[] channels;
    private final int[] streamIds;
    private final boolean[] failed;
    private int count;
    private int pendingCount;
    private int failedCount;
    private long nextRetryNs;

    Destinations(final Aeron aeron, final Directory directory, final int maxDestinations)
    {
        this.aeron = aeron;
        this.directory = directory;
        this.maxDestinations = maxDestinations;
        publications = new ExclusivePublication[maxDestinations];
        pendingRegistrationIds = new long[maxDestinations];
        channels = new String[maxDestinations];
        streamIds = new int[maxDestinations];
        failed = new boolean[maxDestinations];
    }

    static long key(final int cluster, final int transceiver, final int shard)
    {
        return ((long)cluster << 32) | ((long)transceiver << 16) | shard;
    }

    /**
     * Add a destination now, waiting for the media driver (cold path, before the worker runs).
     *
     * @return its index.
     */
    int addNow(final int cluster, final int transceiver, final int shard)
    {
        final long key = key(cluster, transceiver, shard);
        final long existing = indexByKey.get(key);
        if (existing >= 0)
        {
            return (int)existing;
        }
        final String channel = directory.channel(cluster, transceiver, shard);
        if (channel == null || count >= maxDestinations)
        {
            throw new IllegalStateException("no channel for " + cluster + "." + transceiver + "." + shard);
        }
        final int index = count++;
        channels[index] = channel;
        pendingRegistrationIds[index] = NO_REGISTRATION;
        publications[index] = aeron.addExclusivePublication(channel, Directory.streamId(shard));
        indexByKey.put(key, index);
        return index;
    }

    /**
     * Add the destination of a route now, waiting for the media driver (cold path: restoring journaled flows
     * before the worker runs, so their first packets are forwarded at once).
     *
     * @param route a route.
     * @return its index, {@link #UNKNOWN} or {@link #NO_ROOM}.
     */
    int addNow(final long route)
    {
        final int cluster = RouteToken.clusterId(route);
        final int transceiver = RouteToken.transceiverId(route);
        final int shard = RouteToken.shardId(route);
        final long existing = indexByKey.get(key(cluster, transceiver, shard));
        if (existing >= 0)
        {
            return (int)existing;
        }
        if (count >= maxDestinations)
        {
            return NO_ROOM;
        }
        if (directory.channel(cluster, transceiver, shard) == null)
        {
            return UNKNOWN;
        }
        return addNow(cluster, transceiver, shard);
    }

    /**
     * @param route a verified route.
     * @return the destination's index (its publication may still be pending), {@link #UNKNOWN} or
     *     {@link #NO_ROOM}.
     */
    int indexOf(final long route)
    {
        final int cluster = RouteToken.clusterId(route);
        final int transceiver = RouteToken.transceiverId(route);
        final int shard = RouteToken.shardId(route);
        final long key = key(cluster, transceiver, shard);
        final long existing = indexByKey.get(key);
        if (existing >= 0)
        {
            return (int)existing;
        }
        return addAsync(key, cluster, transceiver, shard);
    }

    private int addAsync(final long key, final int cluster, final int transceiver, final int shard)
    {
        if (count >= maxDestinations)
        {
            return NO_ROOM;
        }
        final String channel = directory.channel(cluster, transceiver, shard);
        if (channel == null)
        {
            return UNKNOWN;
        }
        final int index = count++;
        channels[index] = channel;
        streamIds[index] = Directory.streamId(shard);
        requestPublication(index);
        indexByKey.put(key, index);
        return index;
    }

    private void requestPublication(final int index)
    {
        try
        {
            pendingRegistrationIds[index] = aeron.asyncAddExclusivePublication(channels[index], streamIds[index]);
            pendingCount++;
        }
        catch (final RuntimeException ex)
        {
            pendingRegistrationIds[index] = NO_REGISTRATION;
            markFailed(index);
            Log.warn("relay", "cannot add publication " + channels[index] + " stream " + streamIds[index] + ": " + ex);
        }
    }

    /**
     * @param index a destination index.
     * @return its publication, or null while it is pending (or failed).
     */
    ExclusivePublication publication(final int index)
    {
        return publications[index];
    }

    private void markFailed(final int index)
    {
        if (!failed[index])
        {
            failed[index] = true;
            failedCount++;
        }
    }

    /**
     * Complete pending additions (bounded: one look per pending destination) and, once a second, ask again for
     * publications that failed.
     *
     * @param nowNs the worker's clock.
     * @return work done.
     */
    int poll(final long nowNs)
    {
        if (failedCount > 0 && nowNs - nextRetryNs >= 0)
        {
            nextRetryNs = nowNs + RETRY_INTERVAL_NS;
            for (int i = 0; i < count; i++)
            {
                if (failed[i])
                {
                    failed[i] = false;
                    failedCount--;
                    requestPublication(i);
                }
            }
        }
        if (pendingCount == 0)
        {
            return 0;
        }
        int work = 0;
        for (int i = 0; i < count; i++)
        {
            final long registrationId = pendingRegistrationIds[i];
            if (registrationId != NO_REGISTRATION && publications[i] == null)
            {
                try
                {
                    final ExclusivePublication publication = aeron.getExclusivePublication(registrationId);
                    if (publication != null)
                    {
                        publications[i] = publication;
                        pendingRegistrationIds[i] = NO_REGISTRATION;
                        pendingCount--;
                        work++;
                        Log.info("relay", "publication ready: " + channels[i] + " stream " + publication.streamId());
                    }
                }
                catch (final RuntimeException ex)
                {
                    pendingRegistrationIds[i] = NO_REGISTRATION;
                    markFailed(i);
                    pendingCount--;
                    Log.warn("relay", "publication failed: " + channels[i] + " (asked for again every second): " + ex);
                }
            }
        }
        return work;
    }

    @Override
    public void close()
    {
        for (int i = 0; i < count; i++)
        {
            CloseHelper.quietClose(publications[i]);
        }
    }
}
