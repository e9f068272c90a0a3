package dev.tandem.journal;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.ClientAddress;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.route.RouteToken;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal agent driven by hand ({@code doWork()} on the test's thread), with workers' channels.
 */
class JournalAgentTest
{
    private static final long NOW_EPOCH_NS = Instant.parse("2026-11-21T11:00:00Z").toEpochMilli() * 1_000_000L;
    private static final long ROUTE = RouteToken.route(1, 1, 2, 0);
    private static MediaDriver driver;
    private static Aeron aeron;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDriver()
    {
        final String aeronDir = AeronSupport.uniqueDirectory("journal-agent-test");
        driver = AeronSupport.launchEmbeddedDriver(aeronDir, ThreadingMode.SHARED, IdleMode.BACKOFF,
            (ex) -> Log.error("test", "driver", ex));
        aeron = AeronSupport.connect(aeronDir, (ex) -> Log.error("test", "client", ex), "journal-agent-test");
    }

    @AfterAll
    static void stopDriver()
    {
        aeron.close();
        driver.close();
    }

    private static long v4(final int last)
    {
        return ClientAddress.ipv4Low(0x0A000000 | last);
    }

    @Test
    void appendsWhatWorkersHandOverAndForwardsToEachOnlyTheOthersEntries()
    {
        final ManualEpochClock clock = new ManualEpochClock(NOW_EPOCH_NS);
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            JournalCounters first = new JournalCounters(aeron, 41, 0);
            JournalCounters second = new JournalCounters(aeron, 41, 1))
        {
            final JournalChannel channel0 = new JournalChannel(41, 0, -1, first);
            final JournalChannel channel1 = new JournalChannel(41, 1, -1, second);
            final JournalAgent agent = new JournalAgent(journal, 41, Long.MAX_VALUE, clock, new SystemNanoClock(),
                aeron, List.of(channel0, channel1));
            agent.onStart();
            try
            {
                agent.doWork();
                assertTrue(channel0.isCaughtUp() && channel1.isCaughtUp(), "an empty journal: caught up at once");
                assertTrue(channel0.append(JournalEntry.OPENED, NOW_EPOCH_NS, 0, v4(1), 1001, ROUTE, 0));
                assertTrue(channel1.append(JournalEntry.OPENED, NOW_EPOCH_NS + 1, 0, v4(2), 1002, ROUTE, 0));
                try (FlowJournalWriter other = journal.newWriter(42, 3, null))
                {
                    other.append(JournalEntry.CLOSED, NOW_EPOCH_NS + 2, 0, v4(3), 1003, ROUTE, 0);
                }
                for (int i = 0; i < 4; i++)
                {
                    agent.doWork();
                }
                assertEquals(1, first.appended.get());
                assertEquals(1, second.appended.get());

                final List<Integer> to0 = new ArrayList<>();
                final List<Integer> to1 = new ArrayList<>();
                channel0.poll((entry) -> to0.add(entry.port()), 10);
                channel1.poll((entry) -> to1.add(entry.port()), 10);
                // journal order: the other relay's entry went in first, then the agent appended the workers'
                assertEquals(List.of(1003, 1002), to0, "worker 0 gets the other relay's and worker 1's entries");
                assertEquals(List.of(1003, 1001), to1, "worker 1 gets the other relay's and worker 0's entries");
            }
            finally
            {
                agent.onClose();
            }
        }
    }

    @Test
    void aFullInboundRingDelaysOneWorkerWithoutLosingItsEntries()
    {
        final ManualEpochClock clock = new ManualEpochClock(NOW_EPOCH_NS);
        final int entries = 10_000;
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            JournalCounters counters = new JournalCounters(aeron, 43, 0))
        {
            try (FlowJournalWriter other = journal.newWriter(44, 0, null))
            {
                for (int i = 0; i < entries; i++)
                {
                    other.append(JournalEntry.REFRESHED, NOW_EPOCH_NS + i, 0, v4(i & 0xFF), 1000 + i % 50_000, ROUTE,
                        0);
                }
            }
            final JournalChannel channel = new JournalChannel(43, 0, -1, counters);
            final JournalAgent agent = new JournalAgent(journal, 43, Long.MAX_VALUE, clock, new SystemNanoClock(),
                aeron, List.of(channel));
            agent.onStart();
            try
            {
                for (int i = 0; i < 100; i++)
                {
                    agent.doWork();
                }
                assertFalse(channel.isCaughtUp(), "the ring holds fewer than " + entries + " entries");
                int received = 0;
                for (int round = 0; round < 1000 && received < entries; round++)
                {
                    received += channel.poll((entry) -> assertEquals(44, entry.relayId()), 1000);
                    agent.doWork();
                }
                assertEquals(entries, received);
                agent.doWork();
                assertTrue(channel.isCaughtUp());
                assertEquals(0, counters.errors(JournalError.CORRUPT));
            }
            finally
            {
                agent.onClose();
            }
        }
    }

    @Test
    void entriesHandedOverBeforeTheAgentStopsAreStillAppended()
    {
        final ManualEpochClock clock = new ManualEpochClock(NOW_EPOCH_NS);
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            JournalCounters counters = new JournalCounters(aeron, 45, 0))
        {
            final JournalChannel channel = new JournalChannel(45, 0, -1, counters);
            final JournalAgent agent = new JournalAgent(journal, 45, Long.MAX_VALUE, clock, new SystemNanoClock(),
                aeron, List.of(channel));
            agent.onStart();
            for (int i = 0; i < 300; i++)
            {
                assertTrue(channel.append(JournalEntry.OPENED, NOW_EPOCH_NS + i, 0, v4(7), 2000 + i, ROUTE, 0));
            }
            agent.onClose();
            assertEquals(300, counters.appended.get());
            try (FlowJournalReader reader = journal.newReader(null))
            {
                assertEquals(300, reader.poll((entry) -> assertEquals(45, entry.relayId()), 1000));
            }
        }
    }

    @Test
    void aFullOutboundRingLosesTheEntryAndCountsIt()
    {
        try (JournalCounters counters = new JournalCounters(aeron, 46, 0))
        {
            final JournalChannel channel = new JournalChannel(46, 0, -1, counters);
            int accepted = 0;
            while (channel.append(JournalEntry.OPENED, NOW_EPOCH_NS, 0, v4(8), 3000, ROUTE, 0))
            {
                accepted++;
                assertTrue(accepted < 100_000);
            }
            assertEquals(JournalChannel.OUTBOUND_BYTES / 56, accepted, "a record: 8 bytes of header and the entry");
            assertEquals(1, counters.errors(JournalError.APPEND));
        }
    }
}
