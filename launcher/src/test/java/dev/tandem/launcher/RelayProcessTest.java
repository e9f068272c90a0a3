package dev.tandem.launcher;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.Log;
import dev.tandem.common.StreamIds;
import dev.tandem.relay.RelayTestSupport;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteTokenMinter;
import dev.tandem.sbe.IngressDecoder;
import dev.tandem.sbe.MessageHeaderDecoder;
import dev.tandem.sbe.PacketKind;
import io.aeron.Aeron;
import io.aeron.Subscription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relays as separate processes ({@code bin/tandem driver} and {@code bin/tandem relay}) killed with SIGKILL
 * mid-stream, with this test standing in for the clients (UDP sockets sending an RTP-like datagram every 20 ms
 * and a STUN check every {@link #STUN_INTERVAL_MS}) and for the transceiver (a subscription on the driver). Gaps are
 * measured where the transceiver would see them: between Ingress arrivals of a client.
 */
@Tag("slow")
class RelayProcessTest
{
    private static final int CLUSTER = 1;
    private static final int TRANSCEIVER = 2;
    private static final long PACKET_INTERVAL_MS = 20;
    private static final long STUN_INTERVAL_MS = 2_000;
    private static final long READY_TIMEOUT_MS = 60_000;

    @TempDir
    Path journalDir;

    /**
     * Clients sending RTP-like datagrams every 20 ms and a STUN check now and then, on their own thread.
     */
    static final class Clients implements AutoCloseable
    {
        final List<DatagramSocket> sockets = new ArrayList<>();
        final List<String> tokens = new ArrayList<>();
        final List<Long> stunSentMs = new CopyOnWriteArrayList<>();
        final InetSocketAddress relay;
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        Clients(final int count, final RouteTokenMinter minter, final InetSocketAddress relay) throws IOException
        {
            this.relay = relay;
            for (int i = 0; i < count; i++)
            {
                sockets.add(RelayTestSupport.newClient());
                tokens.add(minter.mint(CLUSTER, TRANSCEIVER, 0, 1000 + i));
            }
            thread = new Thread(this::run, "clients");
        }

        void stun(final int client) throws IOException
        {
            RelayTestSupport.send(sockets.get(client), relay,
                RelayTestSupport.bindingRequest(tokens.get(client) + ":cli" + client));
        }

        void start()
        {
            thread.start();
        }

        private void run()
        {
            long nextStunMs = System.currentTimeMillis() + STUN_INTERVAL_MS;
            int sequence = 0;
            while (running.get())
            {
                try
                {
                    final long nowMs = System.currentTimeMillis();
                    final boolean stunNow = nowMs >= nextStunMs;
                    for (int i = 0; i < sockets.size(); i++)
                    {
                        if (stunNow)
                        {
                            stun(i);
                        }
                        final byte[] rtp = RelayTestSupport.packet(0x80, 120);
                        rtp[2] = (byte)(sequence >>> 8);
                        rtp[3] = (byte)sequence;
                        RelayTestSupport.send(sockets.get(i), relay, rtp);
                    }
                    if (stunNow)
                    {
                        stunSentMs.add(nowMs);
                        nextStunMs = nowMs + STUN_INTERVAL_MS;
                    }
                    sequence++;
                    TimeUnit.MILLISECONDS.sleep(PACKET_INTERVAL_MS);
                }
                catch (final IOException ex)
                {
                    Log.warn("test", "client send: " + ex);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }

        int port(final int client)
        {
            return sockets.get(client).getLocalPort();
        }

        @Override
        public void close()
        {
            running.set(false);
            thread.interrupt();
            join(thread);
            for (final DatagramSocket socket : sockets)
            {
                socket.close();
            }
        }
    }

    /**
     * The transceiver stand-in: records when each client's RTP arrives and through which relay.
     */
    static final class Arrivals implements AutoCloseable
    {
        final Map<Integer, List<long[]>> rtpByPort = new ConcurrentHashMap<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        Arrivals(final Subscription subscription)
        {
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final IngressDecoder ingress = new IngressDecoder();
            thread = new Thread(() ->
            {
                while (running.get())
                {
                    final int fragments = subscription.poll((buffer, offset, length, h) ->
                    {
                        header.wrap(buffer, offset);
                        ingress.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                            header.version());
                        if (ingress.kind() == PacketKind.RTP)
                        {
                            rtpByPort.computeIfAbsent(ingress.port(), (p) -> new CopyOnWriteArrayList<>())
                                .add(new long[]{ System.currentTimeMillis(), ingress.relayId() });
                        }
                    }, 64);
                    if (fragments == 0)
                    {
                        RelayTestSupport.sleepMs(1);
                    }
                }
            }, "arrivals");
            thread.start();
        }

        List<long[]> of(final int port)
        {
            return rtpByPort.getOrDefault(port, List.of());
        }

        /**
         * @return the longest time between two arrivals of a client from {@code fromMs}, or -1 before two.
         */
        long longestGapMs(final int port, final long fromMs)
        {
            long previous = -1;
            long longest = -1;
            for (final long[] arrival : of(port))
            {
                if (arrival[0] < fromMs)
                {
                    previous = arrival[0];
                    continue;
                }
                if (previous >= 0)
                {
                    longest = Math.max(longest, arrival[0] - previous);
                }
                previous = arrival[0];
            }
            return longest;
        }

        long lastBefore(final int port, final long timeMs)
        {
            long last = -1;
            for (final long[] arrival : of(port))
            {
                if (arrival[0] <= timeMs)
                {
                    last = arrival[0];
                }
            }
            return last;
        }

        long firstAfter(final int port, final long timeMs)
        {
            for (final long[] arrival : of(port))
            {
                if (arrival[0] > timeMs)
                {
                    return arrival[0];
                }
            }
            return -1;
        }

        long relayOfLast(final int port)
        {
            final List<long[]> arrivals = of(port);
            return arrivals.isEmpty() ? -1 : arrivals.get(arrivals.size() - 1)[1];
        }

        @Override
        public void close()
        {
            running.set(false);
            join(thread);
        }
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static String[] relayArgs(
        final String aeronDir, final int relayId, final int port, final String keys, final Path journal,
        final boolean journalOn, final int workers)
    {
        return new String[]{
            "relay", "--aeron-dir", aeronDir, "--id", Integer.toString(relayId), "--workers", Integer.toString(workers),
            "--listen", "127.0.0.1:" + port, "--route.keys", keys, "--route.key.current", "1",
            "--directory", CLUSTER + "." + TRANSCEIVER + "=aeron:ipc", "--journal", Boolean.toString(journalOn),
            "--journal-dir", journal.toString()};
    }

    /**
     * Kill -9 a relay in mid-stream, start it again at once, and measure the media gap: with the journal the
     * restarted relay forwards the client's RTP as soon as it runs; without, only after the client's next STUN check.
     */
    @Test
    void killedRelayRestartsOnItsJournalWithAGapOfItsStartTimeOnly() throws Exception
    {
        final long[] withJournal = restartGap(true);
        final long[] withoutJournal = restartGap(false);
        System.out.printf("relay kill -9 and restart: media gap %d ms with the journal (restart took %d ms), " +
            "%d ms without (restart took %d ms, recovered by the next STUN)%n",
            withJournal[0], withJournal[1], withoutJournal[0], withoutJournal[1]);
        assertTrue(withJournal[0] <= withJournal[1] + 100,
            "with the journal, the gap is at most the relay's start time + 100 ms: " + withJournal[0] + " ms vs " +
            withJournal[1] + " ms");
        assertTrue(withoutJournal[2] >= 0, "without the journal, RTP resumed only after a STUN check");
    }

    /**
     * @return the gap, the restart time (from the old process gone to the new one's "running" line), and for
     *     the run without the journal the time from the first STUN after the restart to the first RTP (else -1).
     */
    private long[] restartGap(final boolean journalOn) throws Exception
    {
        final String keys = RouteKeyRing.generateKeySpec(1);
        final RouteKeyRing ring = RouteKeyRing.parse(keys, 1);
        final String aeronDir = AeronSupport.uniqueDirectory("process-test");
        final int port = ProcessHarness.freeUdpPort();
        final Path journal = journalDir.resolve(journalOn ? "with" : "without");
        try (ProcessHarness harness = new ProcessHarness("relay-restart-" + (journalOn ? "journal" : "no-journal")))
        {
            harness.deleteOnClose(Path.of(aeronDir));
            try
            {
                final ProcessHarness.Proc driver = harness.start("driver", "driver", "--aeron-dir", aeronDir);
                driver.awaitLine("media driver running", READY_TIMEOUT_MS);
                ProcessHarness.Proc relay = harness.start(
                    "relay", relayArgs(aeronDir, 1, port, keys, journal, journalOn, 1));
                relay.awaitLine("running on", READY_TIMEOUT_MS);
                try (Aeron aeron = AeronSupport.connect(aeronDir, (ex) -> Log.error("test", "aeron", ex), "test");
                    Subscription subscription = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(0));
                    Arrivals arrivals = new Arrivals(subscription);
                    Clients clients = new Clients(1, new RouteTokenMinter(ring),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
                {
                    clients.stun(0);
                    clients.start();
                    RelayTestSupport.await(() -> arrivals.of(clients.port(0)).size() >= 25, "a second of RTP");
                    final long goneMs = relay.kill();
                    relay = harness.start("relay", relayArgs(aeronDir, 1, port, keys, journal, journalOn, 1));
                    final long readyMs = ProcessHarness.timeOf(relay.awaitLine("running on", READY_TIMEOUT_MS));
                    RelayTestSupport.await(() -> arrivals.firstAfter(clients.port(0), goneMs) > 0,
                        "RTP flows again after the restart");
                    final long last = arrivals.lastBefore(clients.port(0), goneMs);
                    final long first = arrivals.firstAfter(clients.port(0), goneMs);
                    long stunToRtp = -1;
                    if (!journalOn)
                    {
                        for (final long stunMs : clients.stunSentMs)
                        {
                            if (stunMs >= readyMs && stunMs <= first)
                            {
                                stunToRtp = first - stunMs;
                                break;
                            }
                        }
                    }
                    return new long[]{ first - last, readyMs - goneMs, stunToRtp };
                }
            }
            catch (final AssertionError | RuntimeException ex)
            {
                harness.printLogs(System.err);
                throw ex;
            }
        }
    }

    /**
     * Two relay processes on one port and one journal; the clients spread over both; one relay is killed with
     * SIGKILL: the kernel moves its clients to the other, which already knows their flows.
     */
    @Test
    void twoRelayProcessesOnOnePortLoseOnlyThePacketsInFlightWhenOneIsKilled() throws Exception
    {
        final String keys = RouteKeyRing.generateKeySpec(1);
        final RouteKeyRing ring = RouteKeyRing.parse(keys, 1);
        final String aeronDir = AeronSupport.uniqueDirectory("process-test");
        final int port = ProcessHarness.freeUdpPort();
        try (ProcessHarness harness = new ProcessHarness("relay-siblings"))
        {
            harness.deleteOnClose(Path.of(aeronDir));
            try
            {
                final ProcessHarness.Proc driver = harness.start("driver", "driver", "--aeron-dir", aeronDir);
                driver.awaitLine("media driver running", READY_TIMEOUT_MS);
                final ProcessHarness.Proc first = harness.start(
                    "relay-1", relayArgs(aeronDir, 1, port, keys, journalDir, true, 2));
                final ProcessHarness.Proc second = harness.start(
                    "relay-2", relayArgs(aeronDir, 2, port, keys, journalDir, true, 2));
                first.awaitLine("running on", READY_TIMEOUT_MS);
                second.awaitLine("running on", READY_TIMEOUT_MS);
                try (Aeron aeron = AeronSupport.connect(aeronDir, (ex) -> Log.error("test", "aeron", ex), "test");
                    Subscription subscription = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(0));
                    Arrivals arrivals = new Arrivals(subscription);
                    Clients clients = new Clients(12, new RouteTokenMinter(ring),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
                {
                    for (int i = 0; i < 12; i++)
                    {
                        clients.stun(i);
                    }
                    clients.start();
                    RelayTestSupport.await(() ->
                    {
                        for (int i = 0; i < 12; i++)
                        {
                            if (arrivals.of(clients.port(i)).size() < 50)
                            {
                                return false;
                            }
                        }
                        return true;
                    }, "a second of RTP from every client");
                    int onFirst = 0;
                    for (int i = 0; i < 12; i++)
                    {
                        onFirst += arrivals.relayOfLast(clients.port(i)) == 1 ? 1 : 0;
                    }
                    assertTrue(onFirst > 0 && onFirst < 12, "the kernel spread the clients: " + onFirst + " of 12 " +
                        "on relay 1");

                    final long goneMs = first.kill();
                    RelayTestSupport.sleepMs(1_500);
                    final StringBuilder report = new StringBuilder();
                    long worst = 0;
                    for (int i = 0; i < 12; i++)
                    {
                        final int clientPort = clients.port(i);
                        final long gap = arrivals.longestGapMs(clientPort, goneMs - 200);
                        worst = Math.max(worst, gap);
                        report.append(' ').append(gap);
                        assertTrue(arrivals.firstAfter(clientPort, goneMs + 500) > 0, "client " + i + " flows on");
                        assertTrue(arrivals.relayOfLast(clientPort) == 2, "client " + i + " is on relay 2 now");
                    }
                    System.out.println("two relays, one killed: " + onFirst + " of 12 clients moved; longest gap " +
                        "per client (ms):" + report);
                    assertTrue(worst <= 50, "at most the packets in flight are lost (gap <= 50 ms): " + report);
                }
            }
            catch (final AssertionError | RuntimeException ex)
            {
                harness.printLogs(System.err);
                throw ex;
            }
        }
    }
}
