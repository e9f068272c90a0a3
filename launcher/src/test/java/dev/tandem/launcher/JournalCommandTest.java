package dev.tandem.launcher;

import dev.tandem.common.ClientAddress;
import dev.tandem.config.Command;
import dev.tandem.journal.FlowJournal;
import dev.tandem.journal.FlowJournalWriter;
import dev.tandem.journal.JournalEntry;
import dev.tandem.journal.JournalRollCycle;
import dev.tandem.route.RouteToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalCommandTest
{
    @TempDir
    Path dir;

    @Test
    void dumpPrintsTheJournalOfADirectory() throws Exception
    {
        final long low = ClientAddress.ipv4Low(0xC0A80107);
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.FIVE_MINUTELY, null);
            FlowJournalWriter writer = journal.newWriter(2, 1, null))
        {
            writer.append(JournalEntry.OPENED, 1_795_000_000_000_000_000L, 0, low, 40_000,
                RouteToken.route(1, 3, 4, 5), 0);
            writer.append(JournalEntry.REFRESHED, 1_795_000_015_000_000_000L, 0, low, 40_000,
                RouteToken.route(1, 3, 4, 5), 0);
        }
        final String[] out = new String[1];
        final int exit = run(out, "journal", "dump", "--dir", dir.toString());
        assertEquals(Command.EXIT_OK, exit, out[0]);
        final String[] lines = out[0].split("\n");
        assertEquals(3, lines.length, out[0]);
        assertTrue(lines[0].matches("2026-11-18T\\S+Z OPENED +192\\.168\\.1\\.7:40000 cluster=3 transceiver=4 " +
            "shard=5 key=1 socket=0 by relay=2 worker=1 index=0x\\p{XDigit}+"), lines[0]);
        assertTrue(lines[1].contains(" REFRESHED 192.168.1.7:40000 "), lines[1]);
        assertEquals("# 2 entries in " + dir + ", 0 corrupt skipped, 0 unreadable", lines[2]);
    }

    @Test
    void withoutSubcommandOrJournalItSaysWhatIsWrong()
    {
        final String[] out = new String[1];
        assertEquals(Command.EXIT_USAGE, run(out, "journal"));
        assertTrue(out[0].contains("Usage: bin/tandem journal dump [--dir DIR] [--follow]"), out[0]);
        assertEquals(Command.EXIT_USAGE, run(out, "journal", "replay"));
        assertEquals(Command.EXIT_FAILURE, run(out, "journal", "dump", "--dir", dir.resolve("none").toString()));
    }

    @Test
    void aBareFollowFlagMeansTrue()
    {
        assertArrayEquals(new String[]{ "dump", "--follow=true", "--dir", "x" },
            JournalCommand.bareFlags(new String[]{ "dump", "--follow", "--dir", "x" }));
        assertArrayEquals(new String[]{ "dump", "--follow", "false" },
            JournalCommand.bareFlags(new String[]{ "dump", "--follow", "false" }));
    }

    private static int run(final String[] output, final String... args)
    {
        final PrintStream saved = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            return Tandem.run(args);
        }
        finally
        {
            System.setOut(saved);
            output[0] = bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
