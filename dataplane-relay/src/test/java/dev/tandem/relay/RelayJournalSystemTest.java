package dev.tandem.relay;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.ClientAddress;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.common.StreamIds;
import dev.tandem.common.TandemCounters;
import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import dev.tandem.journal.FlowJournal;
import dev.tandem.journal.FlowJournalWriter;
import dev.tandem.journal.JournalEntry;
import dev.tandem.journal.JournalError;
import dev.tandem.journal.JournalRollCycle;
import dev.tandem.journal.ManualEpochClock;
import dev.tandem.relay.RelayTestSupport.Ingress;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteToken;
import dev.tandem.route.RouteTokenMinter;
import dev.tandem.sbe.FlowCloseEncoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import dev.tandem.sbe.PacketKind;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tandem.relay.RelayTestSupport.await;
import static dev.tandem.relay.RelayTestSupport.bindingRequest;
import static dev.tandem.relay.RelayTestSupport.encodeEgress;
import static dev.tandem.relay.RelayTestSupport.newClient;
import static dev.tandem.relay.RelayTestSupport.offer;
import static dev.tandem.relay.RelayTestSupport.packet;
import static dev.tandem.relay.RelayTestSupport.poll;
import static dev.tandem.relay.RelayTestSupport.receive;
import static dev.tandem.relay.RelayTestSupport.receiveDatagram;
import static dev.tandem.relay.RelayTestSupport.send;
import static dev.tandem.relay.RelayTestSupport.sleepMs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flow journal in running relays: real sockets, a real media driver, a test subscriber standing in for the
 * transceiver, and Chronicle Queues in temporary directories.
 */
class RelayJournalSystemTest
{
    private static final int CLUSTER = 1;
    private static final int TRANSCEIVER = 2;
    private static final int SHARD = 0;
    private static final AtomicInteger RELAY_IDS = new AtomicInteger(100);

    private static MediaDriver driver;
    private static Aeron aeron;
    private static RouteKeyRing ring;
    private static RouteTokenMinter minter;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDriver()
    {
        final String aeronDir = AeronSupport.uniqueDirectory("journal-test");
        driver = AeronSupport.launchEmbeddedDriver(aeronDir, ThreadingMode.SHARED, IdleMode.BACKOFF,
            (ex) -> Log.error("test", "driver", ex));
        aeron = AeronSupport.connect(aeronDir, (ex) -> Log.error("test", "client", ex), "journal-test");
        ring = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);
        minter = new RouteTokenMinter(ring);
    }

    @AfterAll
    static void stopDriver()
    {
        aeron.close();
        driver.close();
    }

    private RelayContext context(final int relayId, final int port)
    {
        return new RelayContext()
            .relayId(relayId)
            .listen(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
            .aeron(aeron)
            .keyRing(ring)
            .socketWaitNs(TimeUnit.MICROSECONDS.toNanos(200))
            .directory(Directory.parse(CLUSTER + "." + TRANSCEIVER + "=aeron:ipc", null, ""))
            .journalDir(dir.toString())
            .journalRollCycle(JournalRollCycle.MINUTELY);
    }

    private static byte[] stun(final long nonce)
    {
        return bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, nonce) + ":abcd");
    }

    @Test
    void restartedRelayForwardsRtpAndEgressOfAKnownClientBeforeAnyStun() throws Exception
    {
        final int relayId = RELAY_IDS.getAndIncrement();
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            DatagramSocket client = newClient())
        {
            final int port;
            try (Relay first = Relay.launch(context(relayId, 0)))
            {
                port = first.localAddress(0).getPort();
                await(transceiver::isConnected, "the relay's publication connects");
                send(client, first, stun(1));
                assertEquals(PacketKind.STUN, receive(transceiver).kind);
                await(() -> first.worker(0).journal().counters().appended.get() == 1, "OPENED appended");
            }
            try (Relay second = Relay.launch(context(relayId, port));
                ExclusivePublication toRelay = aeron.addExclusivePublication(
                    "aeron:ipc", StreamIds.relayReturn(relayId, 0)))
            {
                assertEquals(1, second.journalReplayedTotal(), "the flow is restored before the sockets open");
                assertEquals(1, second.flowsActive());
                final byte[] rtp = packet(0x80, 172);
                send(client, second, rtp);
                final Ingress ingress = receive(transceiver);
                assertEquals(PacketKind.RTP, ingress.kind, "RTP forwarded with no STUN since the restart");
                assertArrayEquals(rtp, ingress.payload);
                assertEquals(client.getLocalPort(), ingress.port);
                assertEquals(0, second.worker(0).counters().drops(DropReason.NO_FLOW));

                await(toRelay::isConnected, "the return stream connects");
                final byte[] reply = packet(0x80, 100);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
                offer(toRelay, message, encodeEgress(message, ingress, reply));
                final DatagramPacket received = new DatagramPacket(new byte[2048], 2048);
                receiveDatagram(client, received);
                assertEquals(port, received.getPort(), "the restored flow answers from the public port");
                assertArrayEquals(reply, Arrays.copyOf(received.getData(), received.getLength()));
            }
        }
    }

    @Test
    void withoutTheJournalARestartedRelayDropsRtpUntilTheNextStun() throws Exception
    {
        final int relayId = RELAY_IDS.getAndIncrement();
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            DatagramSocket client = newClient())
        {
            final int port;
            try (Relay first = Relay.launch(context(relayId, 0).journalEnabled(false)))
            {
                assertNull(first.journalDirectory());
                port = first.localAddress(0).getPort();
                await(transceiver::isConnected, "the relay's publication connects");
                send(client, first, stun(2));
                receive(transceiver);
            }
            try (Relay second = Relay.launch(context(relayId, port).journalEnabled(false)))
            {
                send(client, second, packet(0x80, 172));
                await(() -> second.worker(0).counters().drops(DropReason.NO_FLOW) == 1, "RTP has no flow");
                assertNull(poll(transceiver, TimeUnit.MILLISECONDS.toNanos(50)));
                send(client, second, stun(2));
                assertEquals(PacketKind.STUN, receive(transceiver).kind);
                send(client, second, packet(0x80, 172));
                assertEquals(PacketKind.RTP, receive(transceiver).kind, "after the next STUN it flows again");
            }
        }
    }

    @Test
    void replayRestoresOnlyFlowsSeenWithinTheIdleTimeoutWithTheirNewestRoute() throws Exception
    {
        final long nowEpochNs = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli() * 1_000_000L;
        final ManualEpochClock clock = new ManualEpochClock(nowEpochNs);
        final long first = RouteToken.route(1, CLUSTER, TRANSCEIVER, 0);
        final long second = RouteToken.route(1, CLUSTER, TRANSCEIVER, 1);
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, clock);
            FlowJournalWriter writer = journal.newWriter(7, 0, null))
        {
            clock.set(nowEpochNs - TimeUnit.SECONDS.toNanos(45));
            writer.append(JournalEntry.OPENED, ago(nowEpochNs, 45), 0, v4(1), 1001, first, 0); // expired
            writer.append(JournalEntry.OPENED, ago(nowEpochNs, 40), 0, v4(2), 1002, first, 0); // refreshed later
            clock.set(nowEpochNs - TimeUnit.SECONDS.toNanos(20));
            writer.append(JournalEntry.REFRESHED, ago(nowEpochNs, 20), 0, v4(2), 1002, first, 0);
            writer.append(JournalEntry.OPENED, ago(nowEpochNs, 10), 0, v4(3), 1003, first, 0); // re-routed
            writer.append(JournalEntry.OPENED, ago(nowEpochNs, 9), 0, v4(4), 1004, first, 0);  // closed
            writer.append(JournalEntry.OPENED, ago(nowEpochNs, 29), 0, v4(5), 1005, first, 0); // just alive
            clock.set(nowEpochNs - TimeUnit.SECONDS.toNanos(5));
            writer.append(JournalEntry.OPENED, ago(nowEpochNs, 5), 0, v4(3), 1003, second, 0);
            writer.append(JournalEntry.CLOSED, ago(nowEpochNs, 4), 0, v4(4), 1004, first, 0);
            writer.append(JournalEntry.OPENED, ago(nowEpochNs, 3), 0, v4(6), 1006, first, 7); // no such socket
        }
        clock.set(nowEpochNs);
        final RelayContext context = context(RELAY_IDS.getAndIncrement(), 0)
            .wallClock(clock)
            .flowIdleTimeoutNs(TimeUnit.SECONDS.toNanos(30))
            .directory(Directory.parse(CLUSTER + "." + TRANSCEIVER + "=aeron:ipc", null, ""));
        try (Relay relay = Relay.launch(context))
        {
            final FlowTable flows = relay.worker(0).flows();
            assertEquals(3, relay.journalReplayedTotal());
            assertTrue(flows.find(0, v4(1), 1001) < 0, "idle for longer than the timeout: expired while down");
            assertTrue(flows.find(0, v4(2), 1002) >= 0, "refreshed 20 s ago");
            assertEquals(second, flows.route(flows.find(0, v4(3), 1003)), "the newest route wins");
            assertTrue(flows.find(0, v4(4), 1004) < 0, "closed");
            assertTrue(flows.find(0, v4(5), 1005) >= 0, "29 s idle of 30");
            assertTrue(flows.find(0, v4(6), 1006) < 0, "socket 7 does not exist here");
            assertEquals(1, relay.worker(0).journal().counters().errors(JournalError.BAD_SOCKET));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tandem.relay.RelaySystemTest#transports")
    void twoRelaysOnOnePortKnowEachOthersFlowsAndTheSurvivorCarriesTheClient(final TransportKind transport)
        throws Exception
    {
        final int relayA = RELAY_IDS.getAndIncrement();
        final int relayB = RELAY_IDS.getAndIncrement();
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            DatagramSocket client = newClient();
            Relay a = Relay.launch(context(relayA, 0).workers(2).transport(transport));
            Relay b = Relay.launch(context(relayB, a.localAddress(0).getPort()).workers(2).transport(transport)))
        {
            final InetSocketAddress port = a.localAddress(0);
            await(transceiver::isConnected, "the relays' publications connect");
            send(client, port, stun(3));
            final Ingress first = receive(transceiver);
            final long sentNs = System.nanoTime();
            await(() -> a.flowsActive() == 2 && b.flowsActive() == 2,
                "every worker of both relays knows the flow", TimeUnit.SECONDS.toNanos(2));
            final long learntMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNs);
            assertTrue(learntMs < 1000, "known everywhere within a second: " + learntMs + " ms");

            final Relay owner = first.relayId == relayA ? a : b;
            final Relay survivor = owner == a ? b : a;
            final int survivorId = owner == a ? relayB : relayA;
            assertTrue(survivor.journalFollowedTotal() >= 2, "both workers of the survivor followed");
            owner.close();

            final byte[] rtp = packet(0x80, 160);
            send(client, port, rtp);
            final Ingress moved = poll(transceiver, TimeUnit.SECONDS.toNanos(5));
            assertNotNull(moved, "the survivor forwards: it received " + survivor.packetsInTotal() + " and dropped " +
                survivor.dropsTotal() + " (a socket of the closed relay still open would take the datagram)");
            assertEquals(survivorId, moved.relayId, "the kernel moved the client to the sibling");
            assertEquals(PacketKind.RTP, moved.kind);
            assertArrayEquals(rtp, moved.payload);

            try (ExclusivePublication toSurvivor = aeron.addExclusivePublication(
                "aeron:ipc", StreamIds.relayReturn(survivorId, moved.workerId)))
            {
                await(toSurvivor::isConnected, "the survivor's return stream connects");
                final byte[] reply = packet(0x80, 90);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
                offer(toSurvivor, message, encodeEgress(message, moved, reply));
                final DatagramPacket received = new DatagramPacket(new byte[2048], 2048);
                receiveDatagram(client, received);
                assertEquals(port.getPort(), received.getPort());
                assertArrayEquals(reply, Arrays.copyOf(received.getData(), received.getLength()));
            }
        }
    }

    @Test
    void flowCloseOnOneWorkerRemovesTheFlowFromEveryOther() throws Exception
    {
        final int relayId = RELAY_IDS.getAndIncrement();
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context(relayId, 0).workers(2));
            DatagramSocket client = newClient())
        {
            await(transceiver::isConnected, "the relay's publication connects");
            send(client, relay, stun(4));
            final Ingress ingress = receive(transceiver);
            await(() -> relay.flowsActive() == 2, "both workers know the flow");
            try (ExclusivePublication toRelay = aeron.addExclusivePublication(
                "aeron:ipc", StreamIds.relayReturn(relayId, ingress.workerId)))
            {
                await(toRelay::isConnected, "the return stream connects");
                final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + new FlowCloseEncoder()
                    .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder())
                    .addressHigh(ingress.high).addressLow(ingress.low).port(ingress.port).family(ingress.family)
                    .encodedLength();
                offer(toRelay, message, length);
                await(() -> relay.flowsActive() == 0, "the CLOSED entry reaches the other worker");
            }
        }
    }

    @Test
    void aSteadyFlowWritesRarelyAndItsCopiesLiveAsLongAsIt() throws Exception
    {
        final int relayId = RELAY_IDS.getAndIncrement();
        final RelayContext context = context(relayId, 0).workers(2)
            .flowIdleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(600))
            .journalRetentionNs(TimeUnit.SECONDS.toNanos(1))
            .journalRefreshGapNs(TimeUnit.MILLISECONDS.toNanos(200));
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context);
            DatagramSocket client = newClient())
        {
            await(transceiver::isConnected, "the relay's publication connects");
            send(client, relay, stun(5));
            final Ingress ingress = receive(transceiver);
            await(() -> relay.flowsActive() == 2, "both workers know the flow");
            final long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            int packets = 0;
            while (System.nanoTime() < endNs)
            {
                send(client, relay, packet(0x80, 100));
                packets++;
                sleepMs(20);
                assertEquals(2, relay.flowsActive(), "the other worker's copy stays alive");
            }
            final long appended = relay.worker(ingress.workerId).journal().counters().appended.get();
            assertTrue(appended >= 1 + 4 && appended <= 1 + 9,
                "one OPENED and a REFRESHED per 200 ms, not one per packet: " + appended + " for " + packets);
            await(() -> relay.flowsActive() == 0, "both copies expire once the client stops");
        }
    }

    @Test
    void corruptEntriesAreSkippedWithACounterAndTheRelayStillStarts() throws Exception
    {
        final long nowEpochNs = System.currentTimeMillis() * 1_000_000L;
        try (FlowJournal journal = FlowJournal.open(dir, JournalRollCycle.MINUTELY, null);
            FlowJournalWriter writer = journal.newWriter(9, 0, null))
        {
            writer.appendRaw(new byte[]{ 1, 2, 3 }, 0, 3);
            writer.append(JournalEntry.OPENED, nowEpochNs, 0, v4(9), 999, RouteToken.route(1, CLUSTER, TRANSCEIVER,
                SHARD), 0);
            final byte[] garbage = new byte[FlowJournalWriter.ENTRY_LENGTH];
            Arrays.fill(garbage, (byte)0x5A);
            writer.appendRaw(garbage, 0, garbage.length);
        }
        final int relayId = RELAY_IDS.getAndIncrement();
        try (Relay relay = Relay.launch(context(relayId, 0)))
        {
            assertEquals(1, relay.journalReplayedTotal());
            assertEquals(2, relay.worker(0).journal().counters().errors(JournalError.CORRUPT));
            final Map<String, Long> snapshot = TandemCounters.snapshot(aeron.countersReader());
            assertEquals(2L, snapshot.get(
                "tandem_journal_errors_total{relay=\"" + relayId + "\",worker=\"0\",reason=\"corrupt\"}"));
            assertEquals(1L, snapshot.get("tandem_journal_replayed_total{relay=\"" + relayId + "\",worker=\"0\"}"));
            assertNotEquals(null, snapshot.get("tandem_journal_lag{relay=\"" + relayId + "\",worker=\"0\"}"));
            assertEquals(2L, snapshot.get("tandem_journal_replay_entries{relay=\"" + relayId + "\"}") + 1);
        }
    }

    @Test
    void badJournalSettingsFailAtStartNamingTheSetting() throws Exception
    {
        final ConfigException retention = assertThrows(ConfigException.class, () -> RelayContext.from(Config.parse(
            RelaySettings.ALL, new String[]{"--relay.journal.retention", "10s"}, Map.of())).keyRing(ring).conclude());
        assertTrue(retention.getMessage().startsWith("relay.journal.retention"), retention.getMessage());
        final ConfigException gap = assertThrows(ConfigException.class, () -> RelayContext.from(Config.parse(
            RelaySettings.ALL, new String[]{"--relay.journal.refresh-gap", "30s"}, Map.of())).keyRing(ring).conclude());
        assertTrue(gap.getMessage().startsWith("relay.journal.refresh-gap"), gap.getMessage());
        final ConfigException cycle = assertThrows(ConfigException.class, () -> RelayContext.from(Config.parse(
            RelaySettings.ALL, new String[]{"--relay.journal.roll-cycle", "daily"}, Map.of())));
        assertTrue(cycle.getMessage().contains("relay.journal.roll-cycle"), cycle.getMessage());

        final Path file = Files.createFile(dir.resolve("not-a-directory"));
        final ConfigException notADirectory = assertThrows(ConfigException.class,
            () -> Relay.launch(context(RELAY_IDS.getAndIncrement(), 0).journalDir(file.toString())));
        assertTrue(notADirectory.getMessage().startsWith("relay.journal.dir"), notADirectory.getMessage());

        final RelayContext parsed = RelayContext.from(Config.parse(RelaySettings.ALL, new String[]{
            "--journal", "false", "--journal-dir", "/var/lib/tandem/journal/3478",
            "--relay.journal.roll-cycle", "minutely", "--relay.journal.retention", "2m"}, Map.of()));
        assertFalse(parsed.journalEnabled);
        assertEquals(Path.of("/var/lib/tandem/journal/3478"), parsed.journalDirectory(3478));
        assertEquals(JournalRollCycle.MINUTELY, parsed.journalRollCycle);
        assertEquals(TimeUnit.MINUTES.toNanos(2), parsed.journalRetentionNs);
        final RelayContext defaults = new RelayContext().keyRing(ring);
        defaults.conclude();
        assertEquals(TimeUnit.SECONDS.toNanos(15), defaults.journalRefreshGapNs, "half the idle timeout");
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "tandem", "relay-journal-3478"),
            defaults.journalDirectory(3478));
        assertNull(defaults.journalDirectory(0), "port 0: a temporary journal");
    }

    private static long ago(final long nowEpochNs, final int seconds)
    {
        return nowEpochNs - TimeUnit.SECONDS.toNanos(seconds);
    }

    private static long v4(final int last)
    {
        return ClientAddress.ipv4Low(0x0A000000 | last);
    }
}
