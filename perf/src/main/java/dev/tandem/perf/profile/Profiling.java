package dev.tandem.perf.profile;

import dev.tandem.common.Log;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import one.profiler.AsyncProfiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * CPU and allocation profiles of this JVM from start to {@link #close()}, written as flame graphs:
 * {@code DIR/NAME-cpu.html}, {@code DIR/NAME-alloc.html}, the CPU samples as collapsed stacks
 * ({@code DIR/NAME-cpu.collapsed}) and the recording {@code DIR/NAME.jfr} they come from.
 * <p>
 * async-profiler (its native library comes inside the {@code tools.profiler:async-profiler} jar and is extracted at
 * start) samples CPU with perf events (or a CPU timer where perf events are not allowed) and allocations from TLAB
 * refills, both into one JFR file. Where it cannot load (another OS or architecture, a JVM that refuses native
 * agents), the JDK's own Flight Recorder records execution samples and allocation samples instead. Either file
 * is turned into flame graphs by async-profiler's converter ({@code tools.profiler:jfr-converter}).
 * <p>
 * {@code bin/tandem COMMAND --profile DIR} wraps any command in one.
 */
public final class Profiling implements AutoCloseable
{
    /** The command-line option every {@code bin/tandem} command accepts. */
    public static final String OPTION = "--profile";
    /** System property: {@code jfr} skips async-profiler and records with the JDK's Flight Recorder. */
    public static final String ENGINE_PROPERTY = "tandem.profile.engine";

    private final Path dir;
    private final String name;
    private final Path jfr;
    private final AsyncProfiler asyncProfiler;
    private final jdk.jfr.Recording recording;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private Profiling(
        final Path dir, final String name, final AsyncProfiler asyncProfiler, final jdk.jfr.Recording recording)
    {
        this.dir = dir;
        this.name = name;
        this.jfr = dir.resolve(name + ".jfr");
        this.asyncProfiler = asyncProfiler;
        this.recording = recording;
        // A command stopped by a signal may be cut short by the JVM's exit once the other shutdown hooks are done
        // (the relay's ShutdownSignalBarrier); writing the profile in a hook of its own makes the JVM wait for it.
        this.shutdownHook = new Thread(this::close, "profile-writer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Start profiling this JVM.
     *
     * @param dir  where the recording and the flame graphs go (created).
     * @param name file name prefix, e.g. {@code relay-1234}.
     * @return the running profile; close it to stop and write the flame graphs.
     * @throws IOException when the directory cannot be created or neither profiler starts.
     */
    public static Profiling start(final Path dir, final String name) throws IOException
    {
        Files.createDirectories(dir);
        final Path jfr = dir.resolve(name + ".jfr").toAbsolutePath();
        if (!"jfr".equals(System.getProperty(ENGINE_PROPERTY)))
        {
            try
            {
                final AsyncProfiler profiler = AsyncProfiler.getInstance();
                final String answer = profiler.execute("start,event=cpu,alloc,jfr,file=" + jfr);
                Log.info("profile", "async-profiler " + profiler.getVersion() + ": " + answer.trim() + " -> " + jfr);
                return new Profiling(dir, name, profiler, null);
            }
            catch (final UnsatisfiedLinkError | RuntimeException | IOException ex)
            {
                Log.warn("profile", "async-profiler cannot run here (" + ex + "); recording with JFR instead");
            }
        }
        try
        {
            final jdk.jfr.Recording recording = new jdk.jfr.Recording(
                jdk.jfr.Configuration.getConfiguration("profile"));
            recording.setName("tandem-profile");
            recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
            recording.enable("jdk.ObjectAllocationInNewTLAB");
            recording.enable("jdk.ObjectAllocationOutsideTLAB");
            recording.setToDisk(true);
            recording.setDestination(jfr);
            recording.start();
            Log.info("profile", "JFR recording -> " + jfr);
            return new Profiling(dir, name, null, recording);
        }
        catch (final ParseException | RuntimeException ex)
        {
            throw new IOException("neither async-profiler nor JFR could start: " + ex, ex);
        }
    }

    /**
     * @param args command-line arguments.
     * @return the value of {@code --profile DIR} or {@code --profile=DIR}, or null when absent.
     */
    public static String option(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            if (OPTION.equals(args[i]) && i + 1 < args.length)
            {
                return args[i + 1];
            }
            if (args[i].startsWith(OPTION + "="))
            {
                return args[i].substring(OPTION.length() + 1);
            }
        }
        return null;
    }

    /**
     * @param args command-line arguments.
     * @return them without {@code --profile DIR}.
     */
    public static String[] withoutOption(final String[] args)
    {
        final List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            if (OPTION.equals(args[i]) && i + 1 < args.length)
            {
                i++;
            }
            else if (!args[i].startsWith(OPTION + "="))
            {
                rest.add(args[i]);
            }
        }
        return rest.toArray(new String[0]);
    }

    /**
     * @return true when async-profiler records, false when JFR does.
     */
    public boolean isAsyncProfiler()
    {
        return asyncProfiler != null;
    }

    /**
     * @return the CPU flame graph's path (written on close).
     */
    public Path cpuFlameGraph()
    {
        return dir.resolve(name + "-cpu.html");
    }

    /**
     * @return the CPU profile as collapsed stacks, one line per stack with its sample count (written on close).
     */
    public Path cpuCollapsed()
    {
        return dir.resolve(name + "-cpu.collapsed");
    }

    /**
     * @return the allocation flame graph's path (written on close).
     */
    public Path allocFlameGraph()
    {
        return dir.resolve(name + "-alloc.html");
    }

    /**
     * Stop recording and write the flame graphs.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        if (Thread.currentThread() != shutdownHook)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ignored)
            {
                // the JVM is shutting down: the hook runs and finds the profile closed
            }
        }
        try
        {
            if (asyncProfiler != null)
            {
                asyncProfiler.execute("stop");
            }
            else
            {
                recording.stop();
                recording.close();
            }
            // execution samples are the converter's default: its --cpu picks async-profiler's own events only
            convert(jfr, cpuFlameGraph(), name + ": CPU");
            convert(jfr, cpuCollapsed(), name + ": CPU", "-o", "collapsed");
            convert(jfr, allocFlameGraph(), name + ": allocation (bytes)", "--alloc");
            Log.info("profile", "flame graphs " + cpuFlameGraph() + " and " + allocFlameGraph());
        }
        catch (final IOException | RuntimeException ex)
        {
            Log.error("profile", "could not write the profile", ex);
        }
    }

    /**
     * @param jfr     a JFR file from async-profiler or the JDK's Flight Recorder.
     * @param output  the flame graph (or other format) to write.
     * @param title   the graph's title.
     * @param options converter options: none for CPU samples, {@code --alloc} for allocations,
     *                {@code -o collapsed} for collapsed stacks.
     * @throws IOException when the file cannot be read or written.
     */
    public static void convert(final Path jfr, final Path output, final String title, final String... options)
        throws IOException
    {
        final List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--title", title, "--total"));
        JfrToFlame.convert(jfr.toString(), output.toString(), new Arguments(args.toArray(new String[0])));
    }
}
