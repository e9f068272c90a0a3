package dev.tandem.perf.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of a Linux process and of its threads, from {@code /proc/PID/stat} and {@code /proc/PID/task/TID/stat}
 * (user and system time in clock ticks of 10 ms: the kernel's {@code USER_HZ}, 100 on every Linux this runs on).
 * <pre>
 *   /proc/PID/stat: pid (comm) state ppid ... utime(14) stime(15) ...   comm may hold spaces and ')'
 * </pre>
 */
public final class ProcessCpu
{
    /** Nanoseconds per clock tick ({@code USER_HZ} = 100). */
    public static final long NS_PER_TICK = 10_000_000L;

    private ProcessCpu()
    {
    }

    /**
     * @param pid a process id.
     * @return its user plus system CPU time over every thread, live or exited, in nanoseconds; -1 when it is gone.
     */
    public static long cpuNs(final long pid)
    {
        final long[] times = userSystemTicks(Paths.get("/proc", Long.toString(pid), "stat"));
        return times == null ? -1 : (times[0] + times[1]) * NS_PER_TICK;
    }

    /**
     * @param pid a process id.
     * @return {user, system} CPU time in nanoseconds, or null when it is gone.
     */
    public static long[] userSystemNs(final long pid)
    {
        final long[] times = userSystemTicks(Paths.get("/proc", Long.toString(pid), "stat"));
        return times == null ? null : new long[]{ times[0] * NS_PER_TICK, times[1] * NS_PER_TICK };
    }

    /**
     * @param pid a process id.
     * @return its command line with NULs as spaces, or "" when it is gone.
     */
    public static String commandLine(final long pid)
    {
        try
        {
            return new String(Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8).replace('\0', ' ').trim();
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /**
     * @param pid a process id.
     * @return every live thread's name and CPU time.
     */
    public static List<ThreadCpu> threads(final long pid)
    {
        final List<ThreadCpu> threads = new ArrayList<>();
        final Path tasks = Paths.get("/proc", Long.toString(pid), "task");
        try (var dirs = Files.newDirectoryStream(tasks))
        {
            for (final Path task : dirs)
            {
                final long[] times = userSystemTicks(task.resolve("stat"));
                if (times == null)
                {
                    continue;
                }
                String name;
                try
                {
                    name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
                }
                catch (final IOException ex)
                {
                    continue;
                }
                threads.add(new ThreadCpu(Long.parseLong(task.getFileName().toString()), name,
                    times[0] * NS_PER_TICK, times[1] * NS_PER_TICK));
            }
        }
        catch (final IOException ignored)
        {
            // gone: no threads
        }
        return threads;
    }

    /**
     * @param stat a {@code stat} file.
     * @return {utime, stime} in ticks, or null when unreadable.
     */
    static long[] userSystemTicks(final Path stat)
    {
        final String text;
        try
        {
            text = Files.readString(stat, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return null;
        }
        return parseUserSystemTicks(text);
    }

    /**
     * @param stat the text of a {@code stat} file.
     * @return {utime, stime} in ticks, or null when malformed.
     */
    static long[] parseUserSystemTicks(final String stat)
    {
        final int close = stat.lastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        // After "(comm) " come fields 3 (state) onwards; utime is field 14, stime 15.
        final String[] fields = stat.substring(close + 1).trim().split(" ");
        if (fields.length < 13)
        {
            return null;
        }
        try
        {
            return new long[]{ Long.parseLong(fields[11]), Long.parseLong(fields[12]) };
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    /**
     * One thread's CPU time at one moment.
     *
     * @param tid    thread id.
     * @param name   thread name ({@code comm}, at most 15 characters).
     * @param userNs user time, nanoseconds.
     * @param sysNs  system time, nanoseconds.
     */
    public record ThreadCpu(long tid, String name, long userNs, long sysNs)
    {
        /**
         * @return user plus system time.
         */
        public long cpuNs()
        {
            return userNs + sysNs;
        }
    }
}
