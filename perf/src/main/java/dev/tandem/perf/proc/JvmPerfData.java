package dev.tandem.perf.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads another HotSpot JVM's performance counters (the {@code hsperfdata} file that {@code jstat} reads) without
 * attaching to it: garbage collections and their time per collector, safepoints, JIT time. Read-only and
 * side-effect-free for the target; needs the target's default {@code -XX:+UsePerfData} and a file under
 * {@code /tmp/hsperfdata_USER/PID} (absent with {@code -XX:+PerfDisableSharedMem}).
 * <p>
 * The file is a prologue followed by self-describing entries (HotSpot's {@code perfMemory.hpp}):
 * <pre>
 *   prologue: magic 0xcafec0c0 (big endian) | byte order (1 = little) | major | minor | accessible |
 *             used | overflow | mod time stamp (8) | entry offset (4) | entry count (4)
 *   entry:    entry length (4) | name offset (4) | vector length (4, 0 = scalar) | type ('J' long, 'B' byte) |
 *             flags | units | variability | data offset (4) | name (NUL-terminated) ... data
 * </pre>
 * Values are read live from the mapped file: the target updates them in place.
 */
public final class JvmPerfData implements AutoCloseable
{
    private static final int MAGIC = 0xcafec0c0;
    private static final int ENTRY_OFFSET_AT = 24;
    private static final int ENTRY_COUNT_AT = 28;

    private final long pid;
    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer buffer;
    private final Map<String, Integer> longOffsets = new HashMap<>();
    private final Map<String, String> strings = new HashMap<>();
    private int indexedEntries = -1;

    private JvmPerfData(final long pid, final Path file) throws IOException
    {
        this.pid = pid;
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        boolean done = false;
        try
        {
            this.buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            if (buffer.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC)
            {
                throw new IOException(file + " is not a HotSpot perf data file");
            }
            buffer.order(buffer.get(4) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            index();
            done = true;
        }
        finally
        {
            if (!done)
            {
                channel.close();
            }
        }
    }

    /**
     * @param pid a HotSpot JVM's process id on this host.
     * @return its counters.
     * @throws IOException when the JVM has no perf data file here (not a HotSpot JVM, -XX:-UsePerfData, another
     *                     temporary directory) or the file is not readable.
     */
    public static JvmPerfData open(final long pid) throws IOException
    {
        final Path file = find(pid);
        if (file == null)
        {
            throw new IOException("no hsperfdata file for pid " + pid + " under " +
                System.getProperty("java.io.tmpdir") + "/hsperfdata_* (-XX:-UsePerfData?)");
        }
        return new JvmPerfData(pid, file);
    }

    /**
     * @param pid a process id.
     * @return its perf data file, or null.
     */
    static Path find(final long pid)
    {
        final Path tmp = Paths.get("/tmp");
        final String name = Long.toString(pid);
        try (var dirs = Files.newDirectoryStream(tmp, "hsperfdata_*"))
        {
            for (final Path dir : dirs)
            {
                final Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate))
                {
                    return candidate;
                }
            }
        }
        catch (final IOException ignored)
        {
            // no such directory: not found
        }
        return null;
    }

    /**
     * @return the process id.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * @return the file read.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @param name a counter, e.g. {@code sun.gc.collector.0.invocations}.
     * @return its current value, or -1 when the JVM has no such long counter.
     */
    public long longValue(final String name)
    {
        Integer offset = longOffsets.get(name);
        if (offset == null && entryCount() != indexedEntries)
        {
            index();
            offset = longOffsets.get(name);
        }
        return offset == null ? -1 : buffer.getLong(offset);
    }

    /**
     * @param name a string counter, e.g. {@code sun.gc.collector.0.name}.
     * @return its value, or null.
     */
    public String stringValue(final String name)
    {
        if (!strings.containsKey(name) && entryCount() != indexedEntries)
        {
            index();
        }
        return strings.get(name);
    }

    /**
     * @return ticks per second of the time counters ({@code sun.os.hrt.frequency}).
     */
    public long ticksPerSecond()
    {
        final long frequency = longValue("sun.os.hrt.frequency");
        return frequency > 0 ? frequency : 1_000_000_000L;
    }

    /**
     * @param ticks a time counter's value or difference.
     * @return the same in nanoseconds.
     */
    public long ticksToNs(final long ticks)
    {
        return (long)(ticks * (1e9 / ticksPerSecond()));
    }

    /**
     * @return seconds since the JVM started, as its GC log's {@code uptime} decorator counts them, or -1.
     */
    public double uptimeSeconds()
    {
        final long beginMs = longValue("sun.rt.createVmBeginTime");
        return beginMs > 0 ? (System.currentTimeMillis() - beginMs) / 1000.0 : -1;
    }

    /**
     * @return a snapshot of the garbage collectors' and safepoints' counters.
     */
    public GcSnapshot gc()
    {
        final GcSnapshot snapshot = new GcSnapshot();
        for (int i = 0; i < GcSnapshot.MAX_COLLECTORS; i++)
        {
            final String prefix = "sun.gc.collector." + i + ".";
            final long invocations = longValue(prefix + "invocations");
            if (invocations < 0)
            {
                break;
            }
            snapshot.collectors++;
            snapshot.names[i] = Objects.requireNonNullElse(stringValue(prefix + "name"), "collector " + i);
            snapshot.invocations[i] = invocations;
            snapshot.timeNs[i] = ticksToNs(longValue(prefix + "time"));
        }
        snapshot.safepoints = longValue("sun.rt.safepoints");
        snapshot.safepointTimeNs = ticksToNs(Math.max(0, longValue("sun.rt.safepointTime")));
        snapshot.jitTimeNs = ticksToNs(Math.max(0, longValue("java.ci.totalTime")));
        return snapshot;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }

    private int entryCount()
    {
        return buffer.getInt(ENTRY_COUNT_AT);
    }

    private void index()
    {
        final int count = entryCount();
        int position = buffer.getInt(ENTRY_OFFSET_AT);
        for (int i = 0; i < count && position > 0 && position + 20 <= buffer.limit(); i++)
        {
            final int length = buffer.getInt(position);
            final int nameOffset = buffer.getInt(position + 4);
            final int vectorLength = buffer.getInt(position + 8);
            final byte type = buffer.get(position + 12);
            final int dataOffset = buffer.getInt(position + 16);
            if (length <= 0 || position + length > buffer.limit())
            {
                break;
            }
            final String name = cString(position + nameOffset, position + length);
            if (type == 'J' && vectorLength == 0)
            {
                longOffsets.put(name, position + dataOffset);
            }
            else if (type == 'B' && vectorLength > 0)
            {
                strings.put(name, cString(position + dataOffset, Math.min(position + length,
                    position + dataOffset + vectorLength)));
            }
            position += length;
        }
        indexedEntries = count;
    }

    private String cString(final int from, final int limit)
    {
        int end = from;
        while (end < limit && buffer.get(end) != 0)
        {
            end++;
        }
        final byte[] bytes = new byte[end - from];
        final ByteBuffer view = buffer.duplicate();
        view.position(from);
        view.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
