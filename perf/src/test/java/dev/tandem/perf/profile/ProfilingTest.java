package dev.tandem.perf.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --profile DIR}: the option is taken out of a command's arguments, and a profile of a busy, allocating
 * thread ends as two flame graphs, with async-profiler and with the JFR fallback.
 */
class ProfilingTest
{
    @Test
    void takesTheOptionOutOfTheArguments()
    {
        assertEquals("/tmp/p", Profiling.option(new String[]{ "--listen", ":1", "--profile", "/tmp/p", "--x", "y" }));
        assertEquals("/tmp/q", Profiling.option(new String[]{ "--profile=/tmp/q" }));
        assertNull(Profiling.option(new String[]{ "--listen", ":1" }));
        assertArrayEquals(new String[]{ "--listen", ":1", "--x", "y" },
            Profiling.withoutOption(new String[]{ "--listen", ":1", "--profile", "/tmp/p", "--x", "y" }));
    }

    @Test
    void writesCpuAndAllocationFlameGraphsWithAsyncProfiler(@TempDir final Path dir) throws Exception
    {
        final Profiling profiling = Profiling.start(dir, "test");
        busy();
        profiling.close();
        assertFlameGraphs(profiling);
    }

    @Test
    void fallsBackToJfr(@TempDir final Path dir) throws Exception
    {
        System.setProperty(Profiling.ENGINE_PROPERTY, "jfr");
        final Profiling profiling;
        try
        {
            profiling = Profiling.start(dir, "jfr");
        }
        finally
        {
            System.clearProperty(Profiling.ENGINE_PROPERTY);
        }
        assertTrue(!profiling.isAsyncProfiler());
        busy();
        profiling.close();
        assertFlameGraphs(profiling);
    }

    private static void assertFlameGraphs(final Profiling profiling) throws Exception
    {
        for (final Path html : List.of(profiling.cpuFlameGraph(), profiling.allocFlameGraph()))
        {
            final String text = Files.readString(html);
            assertTrue(text.contains("<html") || text.contains("<!DOCTYPE"), html.toString());
        }
        assertTrue(Files.readString(profiling.cpuCollapsed()).contains("ProfilingTest.busy"),
            "the busy method was sampled");
    }

    private static void busy()
    {
        final List<byte[]> garbage = new ArrayList<>();
        final long untilNs = System.nanoTime() + 600_000_000L;
        long x = 0;
        while (System.nanoTime() < untilNs)
        {
            for (int i = 0; i < 1000; i++)
            {
                x += Long.bitCount(x * 31 + i);
            }
            garbage.add(new byte[4096]);
            if (garbage.size() > 1000)
            {
                garbage.clear();
            }
        }
        assertTrue(x != 42);
    }
}
