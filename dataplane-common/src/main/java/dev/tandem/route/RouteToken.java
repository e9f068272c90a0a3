package dev.tandem.route;

/**
 * TEMPORARY stand-in for the common engineer's route token layout; replaced by main's at merge.
 */
public final class RouteToken
{
    private RouteToken()
    {
    }

    /**
     * @param cluster     cluster id.
     * @param transceiver transceiver id.
     * @param shard       shard id.
     * @return the route value.
     */
    static long route(final int cluster, final int transceiver, final int shard)
    {
        return ((long)(cluster & 0xFFFF) << 32) | ((long)(transceiver & 0xFFFF) << 16) | (shard & 0xFFFF);
    }

    /**
     * @param route a verified route.
     * @return cluster id.
     */
    public static int clusterId(final long route)
    {
        return (int)(route >>> 32) & 0xFFFF;
    }

    /**
     * @param route a verified route.
     * @return transceiver id.
     */
    public static int transceiverId(final long route)
    {
        return (int)(route >>> 16) & 0xFFFF;
    }

    /**
     * @param route a verified route.
     * @return shard id.
     */
    public static int shardId(final long route)
    {
        return (int)route & 0xFFFF;
    }
}
