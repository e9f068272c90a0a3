package dev.tandem.perf.proc;

/**
 * Garbage-collection and safepoint counters of a JVM at one moment, from {@link JvmPerfData#gc()}. Differences of
 * two snapshots give the collections, GC time and safepoint time over an interval.
 */
public final class GcSnapshot
{
    /** Collectors read at most (HotSpot has 2-4: young, old or full, concurrent phases). */
    public static final int MAX_COLLECTORS = 8;

    int collectors;
    final String[] names = new String[MAX_COLLECTORS];
    final long[] invocations = new long[MAX_COLLECTORS];
    final long[] timeNs = new long[MAX_COLLECTORS];
    long safepoints;
    long safepointTimeNs;
    long jitTimeNs;

    /**
     * @return how many collectors the JVM reports.
     */
    public int collectors()
    {
        return collectors;
    }

    /**
     * @param i a collector index.
     * @return its name, e.g. {@code G1 young collection pauses} or {@code Serial copying collector}.
     */
    public String name(final int i)
    {
        return names[i];
    }

    /**
     * @param i a collector index.
     * @return its accumulated time since the JVM started, in nanoseconds.
     */
    public long timeNs(final int i)
    {
        return timeNs[i];
    }

    /**
     * @return every collector's collections.
     */
    public long totalInvocations()
    {
        long sum = 0;
        for (int i = 0; i < collectors; i++)
        {
            sum += invocations[i];
        }
        return sum;
    }

    /**
     * @return every collector's time, nanoseconds.
     */
    public long totalTimeNs()
    {
        long sum = 0;
        for (int i = 0; i < collectors; i++)
        {
            sum += timeNs[i];
        }
        return sum;
    }

    /**
     * @return safepoints (every stop-the-world pause: GC, deoptimisation, biased locking, cleanup).
     */
    public long safepoints()
    {
        return safepoints;
    }

    /**
     * @return time at safepoints, nanoseconds.
     */
    public long safepointTimeNs()
    {
        return safepointTimeNs;
    }

    /**
     * @return JIT compilation time, nanoseconds.
     */
    public long jitTimeNs()
    {
        return jitTimeNs;
    }
}
