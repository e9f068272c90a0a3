package dev.tandem.journal;

import dev.tandem.common.ClientAddress;
import dev.tandem.route.RouteToken;
import dev.tandem.sbe.FlowEventEncoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowJournalTest
{
    private static final long START_EPOCH_NS = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli() * 1_000_000L;
    private static final long ROUTE = RouteToken.route(3, 1, 2, 7);
    private static final long LOW = ClientAddress.ipv4Low(0x0A000001);

    @TempDir
    Path dir;

    private final ManualEpochClock clock = new ManualEpochClock(START_EPOCH_NS);

    static final class Entry
    {
        final int type;
        final long timeEpochNs;
        final long high;
        final long low;
        final int port;
        final long route;
        final int socketIndex;
        final int relayId;
        final int workerId;

        Entry(final JournalEntry entry)
        {
            type = entry.type();
            timeEpochNs = entry.timeEpochNs();
            high = entry.high();
            low = entry.low();
            port = entry.port();
            route = entry.route();
            socketIndex = entry.socketIndex();
            relayId = entry.relayId();
            workerId = entry.workerId();
        }
    }

    private static List<Entry> readAll(final FlowJournalReader reader)
    {
        final List<Entry> entries = new ArrayList<>();
        while (reader.poll((entry) -> entries.add(new Entry(entry)), 100) > 0)
        {
            assertTrue(entries.size() < 1_000_000);
        }
        return entries;
    }

    @Test
    void appendsAndReadsBackEveryFieldOfEveryEntryType()
    {
        final long ipv6High = 0x2001_0db8_0000_0001L;
        final long ipv6Low = 0x0000_0000_0000_00ffL;
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(9, 3, null);
            FlowJournalReader reader = journal.newReader(null))
        {
            assertTrue(writer.append(JournalEntry.OPENED, START_EPOCH_NS + 1, 0, LOW, 5000, ROUTE, 0));
            assertTrue(writer.append(JournalEntry.REFRESHED, START_EPOCH_NS + 2, ipv6High, ipv6Low, 65535, ROUTE, 1));
            assertTrue(writer.append(JournalEntry.CLOSED, START_EPOCH_NS + 3, 0, LOW, 5000, 0, 0));
            assertEquals(3, writer.appended());

            final List<Entry> entries = readAll(reader);
            assertEquals(3, entries.size());
            final Entry opened = entries.get(0);
            assertEquals(JournalEntry.OPENED, opened.type);
            assertEquals(START_EPOCH_NS + 1, opened.timeEpochNs);
            assertEquals(0, opened.high);
            assertEquals(LOW, opened.low);
            assertEquals(5000, opened.port);
            assertEquals(ROUTE, opened.route);
            assertEquals(0, opened.socketIndex);
            assertEquals(9, opened.relayId);
            assertEquals(3, opened.workerId);
            final Entry refreshed = entries.get(1);
            assertEquals(JournalEntry.REFRESHED, refreshed.type);
            assertEquals(ipv6High, refreshed.high);
            assertEquals(ipv6Low, refreshed.low);
            assertEquals(65535, refreshed.port);
            assertEquals(1, refreshed.socketIndex);
            assertEquals(JournalEntry.CLOSED, entries.get(2).type);
            assertEquals(0, entries.get(2).route);
            assertEquals(0, reader.corrupt());
        }
    }

    @Test
    void writesTheDocumentedLayout()
    {
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(0x0102, 0x0304, null))
        {
            writer.append(JournalEntry.REFRESHED, 0x1122334455667788L, 0, LOW, 0x1388, ROUTE, 1);
            final byte[][] bytes = new byte[1][];
            try (net.openhft.chronicle.queue.ExcerptTailer tailer = journal.queue().createTailer();
                net.openhft.chronicle.wire.DocumentContext context = tailer.readingDocument())
            {
                assertTrue(context.isPresent());
                bytes[0] = context.wire().bytes().toByteArray();
            }
            final byte[] expected = {
                40, 0, 10, 0, (byte)0x85, 0x1C, 1, 0,             // header: blockLength, template, schema 7301, version
                (byte)0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, // timeEpochNs
                2,                                                 // REFRESHED
                0, 0, 0, 0, 0, 0, 0, 0,                            // addressHigh
                1, 0, 0, 10, (byte)0xFF, (byte)0xFF, 0, 0,         // addressLow ::ffff:10.0.0.1, little-endian
                (byte)0x88, 0x13,                                  // port 5000
                4,                                                 // IPv4
                2, 1, 4, 3,                                        // relay 0x0102, worker 0x0304
                1, 0, 2, 0, 7, 0,                                  // cluster 1, transceiver 2, shard 7
                3,                                                 // key 3
                1 };                                               // socket 1
            assertEquals(FlowJournalWriter.ENTRY_LENGTH, bytes[0].length);
            assertEquals(Arrays.toString(expected), Arrays.toString(bytes[0]));
        }
    }

    @Test
    void skipsCorruptAndTruncatedEntriesWithACounterAndReadsTheRest()
    {
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(1, 0, null);
            FlowJournalReader reader = journal.newReader(null))
        {
            final byte[] good = encode(JournalEntry.OPENED, START_EPOCH_NS, 0, LOW, 5000);
            writer.appendRaw(good, 0, 3);                                  // shorter than a header
            writer.appendRaw(good, 0, MessageHeaderEncoder.ENCODED_LENGTH); // a header and no block
            writer.appendRaw(good, 0, good.length - 1);                    // the block cut short
            writer.appendRaw(withByte(good, 2, 11), 0, good.length);       // another template
            writer.appendRaw(withByte(good, 4, 0), 0, good.length);        // another schema
            writer.appendRaw(withByte(good, 0, 20), 0, good.length);       // block length below FlowEvent's
            writer.appendRaw(withByte(good, 16, 9), 0, good.length);       // no such event type
            writer.appendRaw(withByte(good, 35, 6), 0, good.length);       // IPv4 address said to be IPv6
            writer.appendRaw(withLong(good, 8, 0), 0, good.length);        // no time
            writer.appendRaw(new byte[FlowJournalReader.MAX_ENTRY_BYTES + 1], 0,
                FlowJournalReader.MAX_ENTRY_BYTES + 1);                    // far too long
            writer.appendRaw(good, 0, good.length);
            final byte[] longer = Arrays.copyOf(good, good.length + 8);    // a later schema's longer block
            longer[0] = 48;
            writer.appendRaw(longer, 0, longer.length);

            final List<Entry> entries = readAll(reader);
            assertEquals(2, entries.size(), "the well-formed entries");
            assertEquals(5000, entries.get(0).port);
            assertEquals(5000, entries.get(1).port);
            assertEquals(10, reader.corrupt());
            assertEquals(0, reader.readErrors());
        }
    }

    @Test
    void survivesGarbageOverwritingTheQueueFileAndReadsWhatFollowsInTheNextCycle() throws IOException
    {
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(1, 0, null))
        {
            for (int i = 0; i < 100; i++)
            {
                writer.append(JournalEntry.OPENED, START_EPOCH_NS + i, 0, LOW, 1000 + i, ROUTE, 0);
            }
        }
        final Path file = cycleFiles(dir).get(0);
        final byte[] content = Files.readAllBytes(file);
        final int firstEntry = indexOf(content, encode(JournalEntry.OPENED, START_EPOCH_NS + 10, 0, LOW, 1010));
        assertTrue(firstEntry > 0, "the 11th entry is in the file");
        final byte[] garbage = new byte[48 * 5];
        Arrays.fill(garbage, (byte)0xA5);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(firstEntry - 4); // Chronicle's length header of the 11th entry, and four entries after it
            raf.write(garbage);
        }
        clock.advance(1, TimeUnit.MINUTES);
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(1, 0, null);
            FlowJournalReader reader = journal.newReader(null))
        {
            writer.append(JournalEntry.OPENED, clock.nanoTime(), 0, LOW, 2000, ROUTE, 0);
            final List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < 50; i++)
            {
                if (reader.poll((entry) -> entries.add(new Entry(entry)), 100) == 0)
                {
                    reader.skipDamagedCycle();
                }
            }
            assertTrue(entries.size() >= 10, "the entries before the damage: " + entries.size());
            assertEquals(1000, entries.get(0).port);
            assertEquals(2000, entries.get(entries.size() - 1).port, "the next cycle's entry is read");
            assertTrue(reader.corrupt() + reader.readErrors() > 0, "the damage is counted");
        }
    }

    @Test
    void seekToTimeStartsAtTheFirstEntryAtOrAfterATimeAcrossCycles()
    {
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(1, 0, null);
            FlowJournalReader reader = journal.newReader(null))
        {
            // one entry every 7 s for 5 minutes: 43 entries over 5 or 6 cycles
            for (int i = 0; i <= 42; i++)
            {
                writer.append(JournalEntry.OPENED, clock.nanoTime(), 0, LOW, 1000 + i, ROUTE, 0);
                clock.advance(7, TimeUnit.SECONDS);
            }
            assertTrue(journal.cycleFiles().size() >= 5);
            for (final int i : new int[]{ 0, 1, 8, 9, 17, 30, 42 })
            {
                reader.seekToTime(START_EPOCH_NS + TimeUnit.SECONDS.toNanos(7L * i) - 1);
                final List<Entry> entries = readAll(reader);
                assertEquals(43 - i, entries.size(), "entries from #" + i);
                assertEquals(1000 + i, entries.get(0).port);
            }
            reader.seekToTime(START_EPOCH_NS - TimeUnit.HOURS.toNanos(1));
            assertEquals(43, readAll(reader).size(), "a time before the journal: everything");
            reader.seekToTime(clock.nanoTime());
            assertEquals(0, readAll(reader).size(), "a time after the journal: nothing yet");
            writer.append(JournalEntry.CLOSED, clock.nanoTime(), 0, LOW, 1000, ROUTE, 0);
            assertEquals(1, readAll(reader).size(), "then what is appended");
        }
    }

    @Test
    void aReaderMovedToAnotherReadersPositionReadsWhatFollowsEvenAcrossARoll()
    {
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(1, 0, null);
            FlowJournalReader first = journal.newReader(null);
            FlowJournalReader second = journal.newReader(null))
        {
            for (int i = 0; i < 5; i++)
            {
                writer.append(JournalEntry.OPENED, clock.nanoTime(), 0, LOW, 1000 + i, ROUTE, 0);
            }
            assertEquals(5, readAll(first).size());
            final long end = first.position();
            clock.advance(2, TimeUnit.MINUTES);
            writer.append(JournalEntry.OPENED, clock.nanoTime(), 0, LOW, 2000, ROUTE, 0);
            second.moveTo(end);
            final List<Entry> entries = readAll(second);
            assertEquals(1, entries.size());
            assertEquals(2000, entries.get(0).port);
        }
    }

    @Test
    void retentionDeletesOldCyclesSoDiskUseStaysBounded() throws IOException
    {
        final long retentionNs = TimeUnit.MINUTES.toNanos(5);
        final long[] sizes = new long[2];
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(1, 0, null);
            FlowJournalReader follower = journal.newReader(null))
        {
            int followed = 0;
            int maxFiles = 0;
            // 40 minutes, an entry every 2 s, retention applied every simulated 10 s as the journal agent does
            for (int second = 0; second < 40 * 60; second += 2)
            {
                writer.append(JournalEntry.REFRESHED, clock.nanoTime(), 0, LOW, 1000 + second % 1000, ROUTE, 0);
                if (second % 10 == 0)
                {
                    journal.deleteCyclesEndedBefore((clock.nanoTime() - retentionNs) / 1_000_000);
                    maxFiles = Math.max(maxFiles, journal.cycleFiles().size());
                }
                followed += follower.poll((entry) -> assertEquals(JournalEntry.REFRESHED, entry.type()), 100);
                clock.advance(2, TimeUnit.SECONDS);
            }
            assertEquals(1200, followed, "a reader following the head loses nothing to retention");
            assertTrue(maxFiles <= 7, "at most retention / cycle + 2 files: " + maxFiles);
            final List<Path> files = journal.cycleFiles();
            for (final Path file : files)
            {
                sizes[0] += Files.size(file);
            }
            sizes[1] = files.size();
            try (FlowJournalReader fromStart = journal.newReader(null))
            {
                fromStart.toStart();
                final List<Entry> kept = readAll(fromStart);
                assertTrue(kept.size() <= 7 * 30 && kept.size() >= 5 * 30, "entries kept: " + kept.size());
                assertTrue(kept.get(0).timeEpochNs >= clock.nanoTime() - retentionNs - TimeUnit.MINUTES.toNanos(1));
            }
        }
        assertTrue(sizes[0] <= sizes[1] * (FlowJournal.BLOCK_SIZE_BYTES * 2),
            "each file's logical size is bounded: " + sizes[0] + " bytes in " + sizes[1] + " files");
    }

    @Test
    void dumpPrintsOneLinePerEntry() throws Exception
    {
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(4, 1, null))
        {
            writer.append(JournalEntry.OPENED, START_EPOCH_NS, 0, LOW, 5000, ROUTE, 0);
            writer.append(JournalEntry.CLOSED, START_EPOCH_NS + 1_000_000, 0, LOW, 5000, ROUTE, 0);
            writer.appendRaw(new byte[5], 0, 5);
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long printed = JournalDump.dump(dir, false, () -> false,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, printed);
        final String[] lines = text.split("\n");
        assertTrue(lines[0].startsWith("2026-11-21T10:00:00Z OPENED    10.0.0.1:5000 cluster=1 transceiver=2 shard=7 " +
            "key=3 socket=0 by relay=4 worker=1 index=0x"), text);
        assertTrue(lines[1].startsWith("2026-11-21T10:00:00.001Z CLOSED    10.0.0.1:5000"), text);
        assertTrue(text.contains("# 1 corrupt entries skipped"), text);
        assertTrue(lines[lines.length - 1].startsWith("# 2 entries in " + dir + ", 1 corrupt skipped"), text);
    }

    @Test
    void dumpOfADirectoryWithoutAJournalFailsWithoutCreatingOne(@TempDir final Path empty)
    {
        final java.io.UncheckedIOException error = org.junit.jupiter.api.Assertions.assertThrows(
            java.io.UncheckedIOException.class, () -> JournalDump.dump(empty.resolve("none"), false, () -> false,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(error.getMessage().contains("no journal in"), error.getMessage());
        assertFalse(Files.exists(empty.resolve("none")));
    }

    static byte[] encode(final int type, final long timeEpochNs, final long high, final long low, final int port)
    {
        final byte[] bytes = new byte[FlowJournalWriter.ENTRY_LENGTH];
        new FlowEventEncoder().wrapAndApplyHeader(new UnsafeBuffer(bytes), 0, new MessageHeaderEncoder())
            .timeEpochNs(timeEpochNs)
            .eventType(type == JournalEntry.OPENED ? dev.tandem.sbe.FlowEventType.OPENED :
                type == JournalEntry.REFRESHED ? dev.tandem.sbe.FlowEventType.REFRESHED :
                dev.tandem.sbe.FlowEventType.CLOSED)
            .addressHigh(high).addressLow(low).port(port)
            .family(ClientAddress.isIpv4(high, low) ? dev.tandem.sbe.AddressFamily.IPV4 :
                dev.tandem.sbe.AddressFamily.IPV6)
            .relayId(1).workerId(0)
            .clusterId(RouteToken.clusterId(ROUTE)).transceiverId(RouteToken.transceiverId(ROUTE))
            .shardId(RouteToken.shardId(ROUTE)).keyId((short)RouteToken.keyId(ROUTE)).socketIndex((short)0);
        return bytes;
    }

    private static byte[] withByte(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        copy[offset] = (byte)value;
        return copy;
    }

    private static byte[] withLong(final byte[] bytes, final int offset, final long value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putLong(offset, value, java.nio.ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    private static List<Path> cycleFiles(final Path dir) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (java.util.stream.Stream<Path> stream = Files.list(dir))
        {
            stream.filter((p) -> p.toString().endsWith(".cq4")).sorted().forEach(files::add);
        }
        return files;
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
