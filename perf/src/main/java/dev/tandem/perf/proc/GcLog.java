package dev.tandem.perf.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GC log that a running JVM is asked to write for the length of a measurement, with {@code jcmd PID VM.log}
 * (unified logging reconfigured at run time through the attach mechanism: no restart, no flag the target must have
 * been started with), and the pauses read back from it. Each pause is a line such as
 * <pre>
 *   [7.701s][info][gc] GC(11) Pause Young (Normal) (G1 Evacuation Pause) 1061M-&gt;218M(1424M) 4.234ms
 * </pre>
 * Uses the {@code jcmd} of the target's own JDK (from {@code /proc/PID/exe}), else the one beside this JVM.
 */
public final class GcLog
{
    private static final Pattern PAUSE =
        Pattern.compile("\\[gc\\s*\\].*\\bPause\\b.*?\\s([0-9]+(?:\\.[0-9]+)?)ms\\s*$");
    private static final Pattern UPTIME = Pattern.compile("^\\[([0-9]+(?:\\.[0-9]+)?)s\\]");
    private static final long JCMD_TIMEOUT_S = 20;

    private final long pid;
    private final Path file;

    private GcLog(final long pid, final Path file)
    {
        this.pid = pid;
        this.file = file;
    }

    /**
     * Ask a JVM to log its collections to a file from now on.
     *
     * @param pid  the JVM.
     * @param file where (absolute; the target writes it).
     * @return the log, to {@link #stop()} and read.
     * @throws IOException when jcmd is missing or the target refused (another user, -XX:+DisableAttachMechanism).
     */
    public static GcLog start(final long pid, final Path file) throws IOException
    {
        final Path absolute = file.toAbsolutePath();
        Files.deleteIfExists(absolute);
        jcmd(pid, "VM.log", "output=file=" + absolute, "what=gc", "decorators=uptime,level,tags");
        return new GcLog(pid, absolute);
    }

    /**
     * Turn the target's logging to the file off again (the file stays).
     *
     * @throws IOException when jcmd fails.
     */
    public void stop() throws IOException
    {
        jcmd(pid, "VM.log", "output=file=" + file, "what=all=off");
    }

    /**
     * @return the log file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return every pause in the log, in milliseconds, in order.
     * @throws IOException when the log cannot be read.
     */
    public List<Double> pausesMs() throws IOException
    {
        return Files.exists(file) ? parsePausesMs(Files.readAllLines(file, StandardCharsets.UTF_8)) : List.of();
    }

    /**
     * @param fromUptimeS the JVM's uptime at the start of a window, seconds.
     * @param toUptimeS   its uptime at the end.
     * @return the pauses that started in the window, in milliseconds.
     * @throws IOException when the log cannot be read.
     */
    public List<Double> pausesMs(final double fromUptimeS, final double toUptimeS) throws IOException
    {
        return Files.exists(file) ?
            parsePausesMs(Files.readAllLines(file, StandardCharsets.UTF_8), fromUptimeS, toUptimeS) : List.of();
    }

    /**
     * @param lines lines of a unified-logging GC log.
     * @return the pauses in milliseconds.
     */
    public static List<Double> parsePausesMs(final List<String> lines)
    {
        return parsePausesMs(lines, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * @param lines       lines of a unified-logging GC log with the {@code uptime} decorator first.
     * @param fromUptimeS keep pauses logged at or after this uptime (lines without an uptime are kept).
     * @param toUptimeS   and before this one.
     * @return the pauses in milliseconds.
     */
    public static List<Double> parsePausesMs(final List<String> lines, final double fromUptimeS, final double toUptimeS)
    {
        final List<Double> pauses = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher matcher = PAUSE.matcher(line);
            if (!matcher.find())
            {
                continue;
            }
            final Matcher uptime = UPTIME.matcher(line);
            if (uptime.find())
            {
                final double atS = Double.parseDouble(uptime.group(1));
                if (atS < fromUptimeS || atS >= toUptimeS)
                {
                    continue;
                }
            }
            pauses.add(Double.parseDouble(matcher.group(1)));
        }
        return pauses;
    }

    private static void jcmd(final long pid, final String... command) throws IOException
    {
        final List<String> args = new ArrayList<>();
        args.add(jcmdPath(pid));
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        // output to a file, so a jcmd that hangs cannot block a read past the timeout
        final Path outputFile = Files.createTempFile("tandem-jcmd-", ".txt");
        final Process process = new ProcessBuilder(args).redirectErrorStream(true)
            .redirectOutput(outputFile.toFile()).start();
        final String output;
        try
        {
            if (!process.waitFor(JCMD_TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("jcmd " + pid + " timed out");
            }
            output = Files.readString(outputFile, StandardCharsets.UTF_8);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", ex);
        }
        finally
        {
            Files.deleteIfExists(outputFile);
        }
        if (process.exitValue() != 0 || !output.contains("Command executed successfully"))
        {
            throw new IOException("jcmd " + pid + " " + String.join(" ", command) + ": " + output.trim());
        }
    }

    private static String jcmdPath(final long pid)
    {
        try
        {
            final Path exe = Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid), "exe"));
            final Path jcmd = exe.resolveSibling("jcmd");
            if (Files.isExecutable(jcmd))
            {
                return jcmd.toString();
            }
        }
        catch (final IOException | UnsupportedOperationException ignored)
        {
            // fall back to ours
        }
        return Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
    }
}
