package dev.tandem.relay;

import org.agrona.BitUtil;

/**
 * One worker's flows: client address and port to destination, over primitive arrays with open addressing (linear
 * probing, backward-shift deletion, so no tombstones), bounded capacity and incremental idle expiry. Single
 * writer (the worker thread); allocation-free after construction.
 * <pre>
 *   slot i: keyHigh[i] keyLow[i] keyPort[i] | destination[i] route[i] socket[i] lastSeenNs[i] journaledNs[i]
 *           endpoint[i]
 *   keyPort[i] == 0 marks an empty slot (ports are stored plus one)
 * </pre>
 * The table keeps at least half of its slots empty, so probes stay short.
 */
public final class FlowTable
{
    /** Returned when no flow matches. */
    public static final int NOT_FOUND = -1;
    /** Returned by {@link #insert} when {@link #capacity()} flows exist. */
    public static final int FULL = -2;

    private final int capacity;
    private final int mask;
    private final long[] keyHigh;
    private final long[] keyLow;
    private final int[] keyPort;
    private final int[] destination;
    private final int[] socket;
    private final long[] route;
    private final long[] lastSeenNs;
    private final long[] journaledNs;
    private final Object[] endpoint;
    private int size;
    private int expiryCursor;

    /**
     * @param capacity most flows the table holds.
     */
    public FlowTable(final int capacity)
    {
        if (capacity < 1 || capacity > (1 << 29))
        {
            throw new IllegalArgumentException("capacity out of range: " + capacity);
        }
        this.capacity = capacity;
        final int slots = BitUtil.findNextPositivePowerOfTwo(capacity * 2);
        this.mask = slots - 1;
        keyHigh = new long[slots];
        keyLow = new long[slots];
        keyPort = new int[slots];
        destination = new int[slots];
        socket = new int[slots];
        route = new long[slots];
        lastSeenNs = new long[slots];
        journaledNs = new long[slots];
        endpoint = new Object[slots];
    }

    /**
     * @return most flows the table holds.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return flows in the table.
     */
    public int size()
    {
        return size;
    }

    /**
     * @param high client address, upper half.
     * @param low  client address, lower half.
     * @param port client port.
     * @return the slot of the flow, or {@link #NOT_FOUND}.
     */
    public int find(final long high, final long low, final int port)
    {
        final int storedPort = port + 1;
        int i = hash(high, low, port) & mask;
        while (true)
        {
            final int p = keyPort[i];
            if (p == 0)
            {
                return NOT_FOUND;
            }
            if (p == storedPort && keyLow[i] == low && keyHigh[i] == high)
            {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Add a flow that {@link #find} did not find.
     *
     * @param high          client address, upper half.
     * @param low           client address, lower half.
     * @param port          client port.
     * @param routeValue    the verified route.
     * @param destinationId the worker's destination index.
     * @param socketIndex   which listen socket the client talks to.
     * @param endpointRef   the client's socket address object, reused to send to it, or null.
     * @param nowNs         now.
     * @return the new slot, or {@link #FULL}.
     */
    public int insert(
        final long high,
        final long low,
        final int port,
        final long routeValue,
        final int destinationId,
        final int socketIndex,
        final Object endpointRef,
        final long nowNs)
    {
        if (size >= capacity)
        {
            return FULL;
        }
        int i = hash(high, low, port) & mask;
        while (keyPort[i] != 0)
        {
            i = (i + 1) & mask;
        }
        keyHigh[i] = high;
        keyLow[i] = low;
        keyPort[i] = port + 1;
        route[i] = routeValue;
        destination[i] = destinationId;
        socket[i] = socketIndex;
        endpoint[i] = endpointRef;
        lastSeenNs[i] = nowNs;
        journaledNs[i] = nowNs;
        size++;
        return i;
    }

    /**
     * @param high client address, upper half.
     * @param low  client address, lower half.
     * @param port client port.
     * @return true when a flow was removed.
     */
    public boolean remove(final long high, final long low, final int port)
    {
        final int slot = find(high, low, port);
        if (slot < 0)
        {
            return false;
        }
        removeSlot(slot);
        return true;
    }

    /**
     * @param slot a flow's slot; the flows after it may move (find them again).
     */
    public void removeAt(final int slot)
    {
        removeSlot(slot);
    }

    /**
     * Remove flows idle for longer than the timeout, looking at no more than {@code maxSlots} slots from where the
     * last call stopped, so a duty cycle's work is bounded whatever the table's size.
     *
     * @param nowNs         now.
     * @param idleTimeoutNs idle time after which a flow goes.
     * @param maxSlots      slots to look at.
     * @return flows removed.
     */
    public int expire(final long nowNs, final long idleTimeoutNs, final int maxSlots)
    {
        if (size == 0)
        {
            return 0;
        }
        int removed = 0;
        int i = expiryCursor;
        for (int n = 0; n < maxSlots; n++)
        {
            if (keyPort[i] != 0 && nowNs - lastSeenNs[i] > idleTimeoutNs)
            {
                removeSlot(i);
                removed++;
                // a later entry may have shifted into slot i: look at it again on the next call
            }
            else
            {
                i = (i + 1) & mask;
            }
        }
        expiryCursor = i;
        return removed;
    }

    /**
     * @param slot a slot from {@link #find} or {@link #insert}.
     * @param nowNs now: the flow is not idle.
     */
    public void touch(final int slot, final long nowNs)
    {
        lastSeenNs[slot] = nowNs;
    }

    /**
     * Point a flow at another destination (a client re-routed by a new token, e.g. an ICE restart).
     *
     * @param slot          the flow.
     * @param routeValue    the verified route.
     * @param destinationId the worker's destination index.
     * @param socketIndex   which listen socket the client talks to.
     */
    public void update(final int slot, final long routeValue, final int destinationId, final int socketIndex)
    {
        route[slot] = routeValue;
        destination[slot] = destinationId;
        socket[slot] = socketIndex;
    }

    /**
     * @param slot a flow.
     * @return when the flow's last journal entry was written (or read), on the table's clock.
     */
    public long journaledNs(final int slot)
    {
        return journaledNs[slot];
    }

    /**
     * @param slot a flow.
     * @param nowNs when its last journal entry was written (or read).
     */
    public void journaled(final int slot, final long nowNs)
    {
        journaledNs[slot] = nowNs;
    }

    /**
     * @return slots to iterate over with {@link #isUsed(int)} (cold path: restoring or copying tables).
     */
    public int slotCount()
    {
        return keyPort.length;
    }

    /**
     * @param slot a slot.
     * @return true when it holds a flow.
     */
    public boolean isUsed(final int slot)
    {
        return keyPort[slot] != 0;
    }

    /**
     * @param slot a flow.
     * @return its client address, upper half.
     */
    public long high(final int slot)
    {
        return keyHigh[slot];
    }

    /**
     * @param slot a flow.
     * @return its client address, lower half.
     */
    public long low(final int slot)
    {
        return keyLow[slot];
    }

    /**
     * @param slot a flow.
     * @return its client port.
     */
    public int port(final int slot)
    {
        return keyPort[slot] - 1;
    }

    /**
     * @param slot a flow.
     * @return its destination index.
     */
    public int destination(final int slot)
    {
        return destination[slot];
    }

    /**
     * @param slot a flow.
     * @return its route.
     */
    public long route(final int slot)
    {
        return route[slot];
    }

    /**
     * @param slot a flow.
     * @return the listen socket its client talks to.
     */
    public int socket(final int slot)
    {
        return socket[slot];
    }

    /**
     * @param slot a flow.
     * @return the client's socket address object, or null.
     */
    public Object endpoint(final int slot)
    {
        return endpoint[slot];
    }

    /**
     * @param slot a flow.
     * @return when the client last sent.
     */
    public long lastSeenNs(final int slot)
    {
        return lastSeenNs[slot];
    }

    private void removeSlot(final int slot)
    {
        // Backward-shift deletion (Knuth 6.4 algorithm R): move later entries of the probe run into the hole when
        // their home slot does not lie cyclically in (hole, entry].
        int hole = slot;
        int i = (slot + 1) & mask;
        while (keyPort[i] != 0)
        {
            final int home = hash(keyHigh[i], keyLow[i], keyPort[i] - 1) & mask;
            final boolean homeInRange = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!homeInRange)
            {
                keyHigh[hole] = keyHigh[i];
                keyLow[hole] = keyLow[i];
                keyPort[hole] = keyPort[i];
                route[hole] = route[i];
                destination[hole] = destination[i];
                socket[hole] = socket[i];
                endpoint[hole] = endpoint[i];
                lastSeenNs[hole] = lastSeenNs[i];
                journaledNs[hole] = journaledNs[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        keyPort[hole] = 0;
        endpoint[hole] = null;
        size--;
    }

    static int hash(final long high, final long low, final int port)
    {
        long h = low * 0x9E3779B97F4A7C15L ^ high * 0xC2B2AE3D27D4EB4FL ^ port * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int)h;
    }
}
