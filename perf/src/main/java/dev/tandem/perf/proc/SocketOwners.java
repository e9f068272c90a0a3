package dev.tandem.perf.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the process that owns a local socket, so a benchmark can measure the relay that owns a UDP port and the
 * transceiver that listens on a signaling port without being told their pids: the socket's inode comes from
 * {@code /proc/net/{tcp,tcp6,udp,udp6}}, its owner from the {@code socket:[INODE]} links under {@code /proc/PID/fd}.
 * <pre>
 *   /proc/net/udp:  sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid  timeout inode
 *                   0: 0100007F:0D96 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12345
 * </pre>
 * Only sockets of this network namespace and processes this user may inspect are found.
 */
public final class SocketOwners
{
    private static final String TCP_LISTEN = "0A";

    private SocketOwners()
    {
    }

    /**
     * @param port a TCP port.
     * @return the pid listening on it (any local address), or -1 when none is found.
     */
    public static long tcpListener(final int port)
    {
        return owner(inodes(List.of("/proc/net/tcp", "/proc/net/tcp6"), port, true));
    }

    /**
     * @param port a UDP port.
     * @return the pid with a socket bound to it (any local address), or -1 when none is found.
     */
    public static long udpOwner(final int port)
    {
        return owner(inodes(List.of("/proc/net/udp", "/proc/net/udp6"), port, false));
    }

    static Set<String> inodes(final List<String> tables, final int port, final boolean listenOnly)
    {
        final Set<String> inodes = new HashSet<>();
        final String portHex = String.format(Locale.ROOT, ":%04X", port);
        for (final String table : tables)
        {
            final List<String> lines;
            try
            {
                lines = Files.readAllLines(Paths.get(table), StandardCharsets.ISO_8859_1);
            }
            catch (final IOException ex)
            {
                continue;
            }
            for (int i = 1; i < lines.size(); i++)
            {
                final String[] fields = lines.get(i).trim().split("\\s+");
                if (fields.length < 10 || !fields[1].endsWith(portHex))
                {
                    continue;
                }
                if (listenOnly && !TCP_LISTEN.equals(fields[3]))
                {
                    continue;
                }
                if (!"0".equals(fields[9]))
                {
                    inodes.add(fields[9]);
                }
            }
        }
        return inodes;
    }

    static long owner(final Set<String> inodes)
    {
        if (inodes.isEmpty())
        {
            return -1;
        }
        final Set<String> links = new HashSet<>();
        for (final String inode : inodes)
        {
            links.add("socket:[" + inode + "]");
        }
        try (var processes = Files.newDirectoryStream(Paths.get("/proc"), (path) ->
            path.getFileName().toString().chars().allMatch(Character::isDigit)))
        {
            for (final Path process : processes)
            {
                try (var fds = Files.newDirectoryStream(process.resolve("fd")))
                {
                    for (final Path fd : fds)
                    {
                        try
                        {
                            if (links.contains(Files.readSymbolicLink(fd).toString()))
                            {
                                return Long.parseLong(process.getFileName().toString());
                            }
                        }
                        catch (final IOException ignored)
                        {
                            // closed meanwhile
                        }
                    }
                }
                catch (final IOException ignored)
                {
                    // exited, or not ours to inspect
                }
            }
        }
        catch (final IOException ignored)
        {
            // no /proc: not found
        }
        return -1;
    }
}
