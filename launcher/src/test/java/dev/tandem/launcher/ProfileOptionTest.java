package dev.tandem.launcher;

import dev.tandem.config.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/tandem COMMAND --profile DIR}: any command runs without the option and leaves its flame graphs in DIR.
 */
class ProfileOptionTest
{
    @Test
    void anyCommandRunsWithoutTheOptionAndLeavesFlameGraphs(@TempDir final Path dir) throws Exception
    {
        assertEquals(Command.EXIT_OK, Tandem.run(new String[]{ "bench", "--profile", dir.toString(), "--help" }));
        final String prefix = "bench-" + ProcessHandle.current().pid();
        assertTrue(Files.size(dir.resolve(prefix + ".jfr")) > 0);
        assertTrue(Files.readString(dir.resolve(prefix + "-cpu.html")).contains("<html"));
        assertTrue(Files.readString(dir.resolve(prefix + "-alloc.html")).contains("<html"));
        assertTrue(Files.exists(dir.resolve(prefix + "-cpu.collapsed")));
    }
}
