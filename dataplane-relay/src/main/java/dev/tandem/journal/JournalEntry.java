package dev.tandem.journal;

import dev.tandem.common.ClientAddress;
import dev.tandem.route.RouteToken;

import java.time.Instant;

/**
 * One decoded journal entry, a mutable view the reader refills for every entry it hands out (no allocation).
 */
public final class JournalEntry
{
    /** A flow was created (or re-routed by a new token). */
    public static final int OPENED = 1;
    /** A flow carried packets again after a long gap since its last entry. */
    public static final int REFRESHED = 2;
    /** The session behind the flow ended ({@code FlowClose} from the transceiver). */
    public static final int CLOSED = 3;

    long index;
    int type;
    long timeEpochNs;
    long high;
    long low;
    int port;
    int relayId;
    int workerId;
    long route;
    int socketIndex;

    /**
     * @return the entry's Chronicle Queue index (cycle and sequence), for logs and dumps.
     */
    public long index()
    {
        return index;
    }

    /**
     * @return {@link #OPENED}, {@link #REFRESHED} or {@link #CLOSED}.
     */
    public int type()
    {
        return type;
    }

    /**
     * @return wall-clock time of the event, nanoseconds since the epoch.
     */
    public long timeEpochNs()
    {
        return timeEpochNs;
    }

    /**
     * @return client address, upper half (see {@link ClientAddress}).
     */
    public long high()
    {
        return high;
    }

    /**
     * @return client address, lower half.
     */
    public long low()
    {
        return low;
    }

    /**
     * @return client port.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return the relay that wrote the entry.
     */
    public int relayId()
    {
        return relayId;
    }

    /**
     * @return the worker of that relay that wrote the entry.
     */
    public int workerId()
    {
        return workerId;
    }

    /**
     * @return the flow's route (see {@link RouteToken}); 0 in a {@link #CLOSED} entry written without one.
     */
    public long route()
    {
        return route;
    }

    /**
     * @return which listen address of the relay the client talks to.
     */
    public int socketIndex()
    {
        return socketIndex;
    }

    /**
     * @param type an entry type.
     * @return its name, e.g. {@code OPENED}.
     */
    public static String typeName(final int type)
    {
        switch (type)
        {
            case OPENED:
                return "OPENED";
            case REFRESHED:
                return "REFRESHED";
            case CLOSED:
                return "CLOSED";
            default:
                return "TYPE_" + type;
        }
    }

    /**
     * Append one line of text describing the entry (cold path: allocates).
     *
     * @param out where to append.
     * @return {@code out}.
     */
    public StringBuilder appendTo(final StringBuilder out)
    {
        out.append(Instant.ofEpochSecond(0, timeEpochNs)).append(' ')
            .append(String.format("%-9s", typeName(type))).append(' ')
            .append(ClientAddress.toString(high, low, port))
            .append(" cluster=").append(RouteToken.clusterId(route))
            .append(" transceiver=").append(RouteToken.transceiverId(route))
            .append(" shard=").append(RouteToken.shardId(route))
            .append(" key=").append(RouteToken.keyId(route))
            .append(" socket=").append(socketIndex)
            .append(" by relay=").append(relayId)
            .append(" worker=").append(workerId)
            .append(" index=0x").append(Long.toHexString(index));
        return out;
    }

    @Override
    public String toString()
    {
        return appendTo(new StringBuilder()).toString();
    }
}
