package dev.tandem.config;

/**
 * A {@code bin/tandem} command. It parses its own arguments with {@link Config}, prints its help for
 * {@code --help}, and returns the process exit code: 0 on success, 1 on a runtime failure, 2 on bad usage or
 * configuration.
 */
public interface Command
{
    /** Exit code for success. */
    int EXIT_OK = 0;
    /** Exit code for a failure while running. */
    int EXIT_FAILURE = 1;
    /** Exit code for bad usage or configuration. */
    int EXIT_USAGE = 2;

    /**
     * @return the command's name, e.g. {@code relay}.
     */
    String name();

    /**
     * @return one line for the list of commands.
     */
    String summary();

    /**
     * Run the command until it ends (for a server: until it is told to stop).
     *
     * @param args arguments after the command name.
     * @return the exit code.
     * @throws Exception on an unexpected failure; the launcher reports it and exits 1.
     */
    int run(String[] args) throws Exception;
}
