package dev.tandem.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Runs {@code bin/tandem} commands as separate processes for multi-process tests: the same JVM options as
 * {@code bin/tandem} ({@code config/jvm.options}) and the test's own classpath (the launcher and every module of
 * this checkout), each process's output in its own log file. Waits for readiness by log lines, stops with SIGTERM
 * or kills with SIGKILL ({@code kill -9}), prints the logs of every process when asked (a failed test), and always
 * cleans up on {@link #close()}: use it in try-with-resources.
 * <pre>
 * try (ProcessHarness harness = new ProcessHarness("restart"))
 * {
 *     ProcessHarness.Proc driver = harness.start("driver", "driver", "--aeron-dir", dir);
 *     driver.awaitLine("media driver running", 20_000);
 *     ...
 *     relay.kill();
 * }
 * catch (AssertionError | Exception ex) { harness.printLogs(System.err); throw ex; }
 * </pre>
 */
public final class ProcessHarness implements AutoCloseable
{
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final Path logDir;
    private final List<String> command;
    private final List<Proc> processes = new ArrayList<>();
    private final List<Path> deleteOnClose = new ArrayList<>();

    /**
     * @param name names the log directory, under {@code launcher/target/process-harness/}.
     */
    public ProcessHarness(final String name)
    {
        final String root = System.getProperty("tandem.root", ".");
        try
        {
            logDir = Files.createDirectories(Path.of(root, "launcher", "target", "process-harness",
                name + "-" + System.currentTimeMillis()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + Path.of(root, "config", "jvm.options"));
        command.add("-Dtandem.root=" + root);
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(classpath());
        command.add(Tandem.class.getName());
    }

    /**
     * A process started by the harness.
     */
    public final class Proc
    {
        private final String name;
        private final Process process;
        private final Path log;
        private final long startedMs;

        private Proc(final String name, final Process process, final Path log, final long startedMs)
        {
            this.name = name;
            this.process = process;
            this.log = log;
            this.startedMs = startedMs;
        }

        /**
         * @return its name in the logs.
         */
        public String name()
        {
            return name;
        }

        /**
         * @return its process id.
         */
        public long pid()
        {
            return process.pid();
        }

        /**
         * @return wall-clock milliseconds when it was spawned.
         */
        public long startedMs()
        {
            return startedMs;
        }

        /**
         * @return true while it runs.
         */
        public boolean isAlive()
        {
            return process.isAlive();
        }

        /**
         * @return its output so far.
         */
        public String output()
        {
            try
            {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            }
            catch (final IOException ex)
            {
                return "(cannot read " + log + ": " + ex + ")";
            }
        }

        /**
         * Wait for a line of its output containing a text.
         *
         * @param text      what the line contains.
         * @param timeoutMs longest wait.
         * @return the line.
         * @throws AssertionError when the process exits first or the time runs out (with its output).
         */
        public String awaitLine(final String text, final long timeoutMs)
        {
            final long deadlineMs = System.currentTimeMillis() + timeoutMs;
            while (true)
            {
                final String output = output();
                final int at = output.indexOf(text);
                if (at >= 0)
                {
                    final int start = output.lastIndexOf('\n', at) + 1;
                    final int end = output.indexOf('\n', at);
                    return output.substring(start, end < 0 ? output.length() : end);
                }
                if (!process.isAlive())
                {
                    throw new AssertionError(name + " exited with " + process.exitValue() + " before printing '" +
                        text + "':\n" + output);
                }
                if (System.currentTimeMillis() > deadlineMs)
                {
                    throw new AssertionError(name + " did not print '" + text + "' in " + timeoutMs + " ms:\n" +
                        output);
                }
                sleep(10);
            }
        }

        /**
         * {@code kill -9}: the process gets no chance to clean up.
         *
         * @return wall-clock milliseconds when it was gone.
         */
        public long kill()
        {
            process.destroyForcibly();
            waitGone();
            return System.currentTimeMillis();
        }

        /**
         * SIGTERM, without waiting: a server may drain before it exits.
         */
        public void terminate()
        {
            process.destroy();
        }

        /**
         * @param timeoutMs how long to wait.
         * @return its exit code, or -1 when it is still running after the time.
         * @throws InterruptedException when interrupted.
         */
        public int awaitExit(final long timeoutMs) throws InterruptedException
        {
            return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        }

        /**
         * SIGTERM, then SIGKILL if it is still there after {@link #STOP_TIMEOUT_MS}.
         *
         * @return its exit code.
         */
        public int stop()
        {
            process.destroy();
            try
            {
                if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                {
                    process.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            waitGone();
            return process.exitValue();
        }

        private void waitGone()
        {
            try
            {
                if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                {
                    throw new AssertionError(name + " (pid " + process.pid() + ") did not exit");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
        }
    }

    /**
     * Start {@code bin/tandem ARGS...} as a process.
     *
     * @param name names the process and its log file (a second start of a name gets its own log).
     * @param args the command and its options, e.g. {@code relay --listen 127.0.0.1:3478}.
     * @return the process.
     */
    public Proc start(final String name, final String... args)
    {
        final List<String> line = new ArrayList<>(command);
        line.addAll(List.of(args));
        final Path log = logDir.resolve(name + "-" + processes.size() + ".log");
        try
        {
            final long startedMs = System.currentTimeMillis();
            final Process process = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            final Proc proc = new Proc(name, process, log, startedMs);
            processes.add(proc);
            return proc;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + line, ex);
        }
    }

    /**
     * @return where the logs are.
     */
    public Path logDirectory()
    {
        return logDir;
    }

    /**
     * Print every process's output (call it when a test fails).
     *
     * @param out where to.
     */
    public void printLogs(final PrintStream out)
    {
        for (final Proc proc : processes)
        {
            out.println("===== " + proc.name + " (pid " + proc.pid() + ", " + proc.log + ")");
            out.println(proc.output());
        }
    }

    /**
     * @param path a file or directory to delete when the harness closes (e.g. the Aeron directory of a driver that
     *             may be killed, which then cannot delete it).
     */
    public void deleteOnClose(final Path path)
    {
        deleteOnClose.add(path);
    }

    /**
     * Stop every process still running, newest first (SIGTERM, so a driver deletes its directory; SIGKILL after
     * {@link #STOP_TIMEOUT_MS}): tests never leave processes behind. Logs are kept.
     */
    @Override
    public void close()
    {
        for (int i = processes.size() - 1; i >= 0; i--)
        {
            final Proc proc = processes.get(i);
            if (proc.process.isAlive())
            {
                try
                {
                    proc.stop();
                }
                catch (final AssertionError ex)
                {
                    proc.process.destroyForcibly();
                }
            }
        }
        for (final Path path : deleteOnClose)
        {
            deleteRecursively(path.toFile());
        }
    }

    private static void deleteRecursively(final File file)
    {
        final File[] children = file.listFiles();
        if (children != null)
        {
            for (final File child : children)
            {
                deleteRecursively(child);
            }
        }
        if (file.exists() && !file.delete())
        {
            System.err.println("cannot delete " + file);
        }
    }

    /**
     * @param line a line of {@code dev.tandem.common.Log} output (it starts with an ISO-8601 time).
     * @return the line's time in wall-clock milliseconds, or -1.
     */
    public static long timeOf(final String line)
    {
        final int space = line.indexOf(' ');
        try
        {
            return Instant.parse(space > 0 ? line.substring(0, space) : line).toEpochMilli();
        }
        catch (final DateTimeParseException ex)
        {
            return -1;
        }
    }

    /**
     * @return a UDP port free on loopback now.
     */
    public static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return a TCP port free on loopback now.
     */
    public static int freeTcpPort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The test JVM's classpath, expanded when surefire hid it in a manifest-only jar.
     */
    static String classpath()
    {
        final String classpath = System.getProperty("java.class.path");
        if (classpath.contains(File.pathSeparator) || !classpath.endsWith(".jar"))
        {
            return classpath;
        }
        try (JarFile jar = new JarFile(classpath))
        {
            final Manifest manifest = jar.getManifest();
            final String entries = manifest != null ? manifest.getMainAttributes().getValue("Class-Path") : null;
            if (entries == null)
            {
                return classpath;
            }
            final StringBuilder expanded = new StringBuilder();
            for (final String entry : entries.trim().split(" +"))
            {
                final String path = entry.startsWith("file:") ? Path.of(URI.create(entry)).toString() : entry;
                expanded.append(expanded.length() == 0 ? "" : File.pathSeparator).append(path);
            }
            return expanded.toString();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }
}
