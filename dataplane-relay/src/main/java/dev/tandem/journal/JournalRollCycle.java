package dev.tandem.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;

/**
 * How often the journal starts a new file (a Chronicle Queue cycle). Retention deletes whole cycles, so a shorter
 * cycle bounds the disk closer to the retention; each cycle is one file.
 */
public enum JournalRollCycle
{
    /** A file a minute. */
    MINUTELY(LegacyRollCycles.MINUTELY),
    /** A file every five minutes (the default). */
    FIVE_MINUTELY(RollCycles.FIVE_MINUTELY),
    /** A file every ten minutes. */
    TEN_MINUTELY(RollCycles.TEN_MINUTELY),
    /** A file every twenty minutes. */
    TWENTY_MINUTELY(RollCycles.TWENTY_MINUTELY),
    /** A file every half hour. */
    HALF_HOURLY(RollCycles.HALF_HOURLY),
    /** A file an hour. */
    HOURLY(RollCycles.FAST_HOURLY);

    final RollCycle chronicle;

    JournalRollCycle(final RollCycle chronicle)
    {
        this.chronicle = chronicle;
    }
}
