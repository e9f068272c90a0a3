package dev.tandem.launcher;

import dev.tandem.config.Command;
import dev.tandem.config.Config;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;
import dev.tandem.journal.JournalDump;
import dev.tandem.journal.JournalSettings;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/tandem journal dump [--dir DIR] [--follow]}: print a relay's flow journal as text, one entry a line,
 * for debugging. Reads the Chronicle Queue read-only, so it is safe beside running relays.
 */
final class JournalCommand implements Command
{
    static final Setting<String> DIR = Settings.string(
        "journal.dir", "dir", JournalSettings.defaultDirectory(3478).toString(),
        "the journal's directory (the relays' relay.journal.dir; default: the default of relays on port 3478)");
    static final Setting<Boolean> FOLLOW = Settings.bool(
        "journal.follow", "follow", "false", "keep printing entries as relays append them, until interrupted");

    private static final List<Setting<?>> SETTINGS = List.of(DIR, FOLLOW);

    @Override
    public String name()
    {
        return "journal";
    }

    @Override
    public String summary()
    {
        return "print a relay flow journal as text: journal dump [--dir DIR] [--follow]";
    }

    @Override
    public int run(final String[] args) throws InterruptedException
    {
        final Config config = Config.parse(SETTINGS, bareFlags(args));
        if (config.helpRequested() || config.positional().isEmpty())
        {
            System.out.print("Usage: bin/tandem journal dump [--dir DIR] [--follow]\n\n" +
                "Print a relay flow journal (Chronicle Queue of FlowEvents), oldest entry first, one a line:\n" +
                "  TIME TYPE CLIENT cluster= transceiver= shard= key= socket= by relay= worker= index=\n" +
                "Corrupt entries are skipped and counted.\n\nOptions:\n" + Config.describe(SETTINGS));
            return config.helpRequested() ? EXIT_OK : EXIT_USAGE;
        }
        if (!"dump".equals(config.positional().get(0)) || config.positional().size() > 1)
        {
            System.err.println("tandem journal: unknown subcommand " + config.positional() + " (try: journal dump)");
            return EXIT_USAGE;
        }
        final Path dir = Path.of(config.get(DIR));
        try
        {
            JournalDump.dump(dir, config.get(FOLLOW), () -> true, System.out);
        }
        catch (final UncheckedIOException ex)
        {
            System.err.println("tandem journal: " + ex.getMessage() + " (--dir)");
            return EXIT_FAILURE;
        }
        return EXIT_OK;
    }

    /**
     * {@code --follow} alone means {@code --follow true}.
     */
    static String[] bareFlags(final String[] args)
    {
        final List<String> result = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final boolean valueFollows = i + 1 < args.length && !args[i + 1].startsWith("--") &&
                ("true".equalsIgnoreCase(args[i + 1]) || "false".equalsIgnoreCase(args[i + 1]));
            result.add(("--" + FOLLOW.flag()).equals(arg) && !valueFollows ? arg + "=true" : arg);
        }
        return result.toArray(new String[0]);
    }
}
