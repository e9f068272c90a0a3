package dev.tandem.journal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Prints a journal as text, one entry a line ({@code bin/tandem journal dump}), oldest first; with follow, keeps
 * printing what is appended until told to stop. Opens the journal read-only: safe beside running relays.
 */
public final class JournalDump
{
    private JournalDump()
    {
    }

    /**
     * @param directory the journal's directory.
     * @param follow    keep printing new entries while {@code running} says so.
     * @param running   checked between polls when following.
     * @param out       where the lines go.
     * @return entries printed.
     * @throws InterruptedException when interrupted while following.
     */
    public static long dump(
        final Path directory, final boolean follow, final BooleanSupplier running, final PrintStream out)
        throws InterruptedException
    {
        final StringBuilder line = new StringBuilder(160);
        final long[] printed = new long[1];
        final JournalHandler printer = (entry) ->
        {
            line.setLength(0);
            out.println(entry.appendTo(line));
            printed[0]++;
        };
        try (FlowJournal journal = FlowJournal.openReadOnly(directory);
            FlowJournalReader reader = journal.newReader(null))
        {
            reader.toStart();
            long reportedCorrupt = 0;
            long reportedErrors = 0;
            do
            {
                while (reader.poll(printer, 1024) > 0)
                {
                    reportedCorrupt = reportSkipped(out, "corrupt entries skipped", reader.corrupt(), reportedCorrupt);
                    reportedErrors = reportSkipped(out, "unreadable positions skipped", reader.readErrors(),
                        reportedErrors);
                }
                out.flush();
                if (follow)
                {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            while (follow && running.getAsBoolean());
            out.println("# " + printed[0] + " entries in " + directory + ", " + reader.corrupt() +
                " corrupt skipped, " + reader.readErrors() + " unreadable");
        }
        return printed[0];
    }

    private static long reportSkipped(final PrintStream out, final String what, final long now, final long reported)
    {
        if (now > reported)
        {
            out.println("# " + (now - reported) + " " + what);
        }
        return now;
    }
}
