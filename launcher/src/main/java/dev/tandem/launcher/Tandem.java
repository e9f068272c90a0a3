package dev.tandem.launcher;

import dev.tandem.common.Log;
import dev.tandem.config.Command;
import dev.tandem.config.ConfigException;
import dev.tandem.perf.profile.Profiling;

import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bin/tandem}: dispatches to a command by name.
 */
public final class Tandem
{
    private Tandem()
    {
    }

    /**
     * @return every command, in the order {@code --help} lists them.
     */
    static List<Command> commands()
    {
        return List.of(
            new DemoCommand(),
            new TransceiverCommand(),
            new DriverCommand(),
            new StatCommand(),
            new RelayCommand(),
            new JournalCommand(),
            new BenchCommand());
    }

    /**
     * @param args the command name, then its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * @param args the command name, then its arguments.
     * @return the exit code.
     */
    static int run(final String[] args)
    {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) || "help".equals(args[0]))
        {
            System.out.print(usage());
            return args.length == 0 ? Command.EXIT_USAGE : Command.EXIT_OK;
        }
        for (final Command command : commands())
        {
            if (command.name().equals(args[0]))
            {
                final String[] commandArgs = Arrays.copyOfRange(args, 1, args.length);
                final String profileDir = Profiling.option(commandArgs);
                try (Profiling profiling = profileDir == null ? null : Profiling.start(
                    Paths.get(profileDir), command.name() + "-" + ProcessHandle.current().pid()))
                {
                    return command.run(profiling == null ? commandArgs : Profiling.withoutOption(commandArgs));
                }
                catch (final ConfigException ex)
                {
                    System.err.println("tandem " + command.name() + ": " + ex.getMessage());
                    return Command.EXIT_USAGE;
                }
                catch (final Exception ex)
                {
                    Log.error(command.name(), "failed", ex);
                    return Command.EXIT_FAILURE;
                }
            }
        }
        System.err.println("tandem: unknown command '" + args[0] + "'\n");
        System.err.print(usage());
        return Command.EXIT_USAGE;
    }

    static String usage()
    {
        final StringBuilder out = new StringBuilder()
            .append("Usage: bin/tandem COMMAND [OPTIONS]   (bin/tandem COMMAND --help for its options)\n")
            .append("       bin/tandem COMMAND --profile DIR [OPTIONS]   (flame graphs of the run into DIR)\n\n")
            .append("Tandem, a WebRTC edge for real-time voice AI.\n\nCommands:\n");
        int width = 0;
        for (final Command command : commands())
        {
            width = Math.max(width, command.name().length());
        }
        for (final Command command : commands())
        {
            out.append("  ").append(command.name()).append(" ".repeat(width - command.name().length() + 2))
                .append(command.summary()).append('\n');
        }
        return out.toString();
    }
}
