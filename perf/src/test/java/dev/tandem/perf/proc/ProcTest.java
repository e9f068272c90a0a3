package dev.tandem.perf.proc;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading processes from outside: /proc CPU times, socket owners, the JVM's perf counters, GC log lines.
 */
class ProcTest
{
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void parsesCpuTicksAfterACommandNameWithSpacesAndParentheses()
    {
        final String stat = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 4711 815 0 0 20 0 12 0";
        assertArrayEquals(new long[]{ 4711, 815 }, ProcessCpu.parseUserSystemTicks(stat));
        assertNull(ProcessCpu.parseUserSystemTicks("1234 (truncated"));
        assertNull(ProcessCpu.parseUserSystemTicks("1234 (x) S 1 2"));
    }

    @Test
    void measuresThisProcessCpuAndItsThreads()
    {
        final long before = ProcessCpu.cpuNs(SELF);
        long spin = 0;
        final long untilNs = System.nanoTime() + 150_000_000L;
        while (System.nanoTime() < untilNs)
        {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        assertTrue(spin >= 0);
        assertTrue(ProcessCpu.cpuNs(SELF) > before, "150 ms of spinning shows in /proc (10 ms ticks)");
        assertTrue(ProcessCpu.threads(SELF).stream().anyMatch((thread) -> thread.cpuNs() > 0));
        assertTrue(ProcessCpu.commandLine(SELF).contains("java"));
        assertEquals(-1, ProcessCpu.cpuNs(Long.MAX_VALUE));
    }

    @Test
    void findsTheOwnerOfAUdpSocketAndOfATcpListener() throws Exception
    {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            assertEquals(SELF, SocketOwners.udpOwner(udp.getLocalPort()));
            assertEquals(SELF, SocketOwners.tcpListener(tcp.getLocalPort()));
        }
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        assertEquals(-1, SocketOwners.tcpListener(port), "nobody listens on a closed port");
    }

    @Test
    void readsThisJvmsCollectionsFromItsPerfData() throws Exception
    {
        try (JvmPerfData perf = JvmPerfData.open(SELF))
        {
            final GcSnapshot before = perf.gc();
            assertTrue(before.collectors() >= 2, "young and old collectors");
            assertTrue(perf.ticksPerSecond() > 0);
            System.gc();
            final GcSnapshot after = perf.gc();
            assertTrue(after.totalInvocations() > before.totalInvocations(), "System.gc() is counted");
            assertTrue(after.totalTimeNs() >= before.totalTimeNs());
            assertTrue(after.safepoints() > before.safepoints());
            assertTrue(after.name(0) != null && !after.name(0).isEmpty());
            final double uptimeS = perf.uptimeSeconds();
            final double expectedS = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
            assertEquals(expectedS, uptimeS, 1.0, "uptime as the GC log's decorator counts it");
        }
    }

    @Test
    void parsesPausesFromAUnifiedGcLog()
    {
        final List<Double> pauses = GcLog.parsePausesMs(List.of(
            "[7.701s][info][gc] GC(11) Pause Young (Normal) (G1 Evacuation Pause) 1061M->218M(1424M) 4.234ms",
            "[8.001s][info][gc] GC(12) Concurrent Mark Cycle 12.500ms",
            "[9.100s][info][gc] GC(13) Pause Full (System.gc()) 40M->10M(64M) 31.5ms",
            "[9.2s][info][gc,heap] GC(14) Eden regions: 3->0(20)"));
        assertEquals(List.of(4.234, 31.5), pauses);
        assertEquals(List.of(31.5), GcLog.parsePausesMs(List.of(
            "[7.701s][info][gc] GC(11) Pause Young (Normal) (G1 Evacuation Pause) 1061M->218M(1424M) 4.234ms",
            "[9.100s][info][gc] GC(13) Pause Full (System.gc()) 40M->10M(64M) 31.5ms",
            "[12.000s][info][gc] GC(14) Pause Young (Normal) (G1 Evacuation Pause) 40M->10M(64M) 1.5ms"), 8.0, 12.0),
            "only the window's pauses");
    }

    @Test
    void asksAJvmForAGcLogAndReadsItsPauses() throws Exception
    {
        final java.nio.file.Path file = java.nio.file.Files.createTempFile("gc-log-test", ".log");
        final GcLog log = GcLog.start(SELF, file);
        System.gc();
        log.stop();
        final List<Double> pauses = log.pausesMs();
        assertTrue(pauses.size() >= 1, "the forced collection is in the log: " + pauses);
        java.nio.file.Files.deleteIfExists(file);
    }
}
