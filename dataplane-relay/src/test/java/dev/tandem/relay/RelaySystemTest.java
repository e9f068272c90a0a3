package dev.tandem.relay;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.ClientAddress;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.common.StreamIds;
import dev.tandem.common.TandemCounters;
import dev.tandem.relay.RelayTestSupport.Ingress;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteTokenMinter;
import dev.tandem.sbe.AddressFamily;
import dev.tandem.sbe.FlowCloseEncoder;
import dev.tandem.sbe.IngressDecoder;
import dev.tandem.sbe.MessageHeaderDecoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import dev.tandem.sbe.PacketKind;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tandem.relay.RelayTestSupport.await;
import static dev.tandem.relay.RelayTestSupport.bindingIndication;
import static dev.tandem.relay.RelayTestSupport.bindingRequest;
import static dev.tandem.relay.RelayTestSupport.encodeEgress;
import static dev.tandem.relay.RelayTestSupport.newClient;
import static dev.tandem.relay.RelayTestSupport.offer;
import static dev.tandem.relay.RelayTestSupport.packet;
import static dev.tandem.relay.RelayTestSupport.poll;
import static dev.tandem.relay.RelayTestSupport.receive;
import static dev.tandem.relay.RelayTestSupport.receiveDatagram;
import static dev.tandem.relay.RelayTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The relay with a real media driver and real sockets, a test subscriber standing in for a transceiver. Written once,
 * run for every transport available on this machine (io_uring, epoll, nio), as Netty's testsuite does.
 */
class RelaySystemTest
{
    private static final int CLUSTER = 1;
    private static final int TRANSCEIVER = 2;
    private static final int SHARD = 0;
    private static final AtomicInteger RELAY_IDS = new AtomicInteger(10);

    private static MediaDriver driver;
    private static Aeron aeron;
    private static RouteKeyRing ring;
    private static RouteTokenMinter minter;

    static List<TransportKind> transports()
    {
        final List<TransportKind> available = new ArrayList<>();
        for (final TransportKind kind : TransportKind.values())
        {
            if (kind != TransportKind.AUTO && kind.isAvailable())
            {
                available.add(kind);
            }
        }
        return available;
    }

    @BeforeAll
    static void startDriver()
    {
        final String dir = AeronSupport.uniqueDirectory("relay-test");
        driver = AeronSupport.launchEmbeddedDriver(dir, ThreadingMode.SHARED, IdleMode.BACKOFF,
            (ex) -> Log.error("test", "driver", ex));
        aeron = AeronSupport.connect(dir, (ex) -> Log.error("test", "client", ex), "relay-test");
        ring = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);
        minter = new RouteTokenMinter(ring);
    }

    @AfterAll
    static void stopDriver()
    {
        aeron.close();
        driver.close();
    }

    private static RelayContext context(final TransportKind transport)
    {
        return new RelayContext()
            .relayId(RELAY_IDS.getAndIncrement())
            .transport(transport)
            .listen(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
            .aeron(aeron)
            .keyRing(ring)
            .maxDatagramBytes(1200)
            .socketWaitNs(TimeUnit.MICROSECONDS.toNanos(200))
            .directory(Directory.parse(CLUSTER + "." + TRANSCEIVER + "=aeron:ipc", null, ""));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void forwardsStunWithValidTokenThenDtlsAndRtpFollowTheFlow(final TransportKind transport) throws Exception
    {
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context(transport));
            DatagramSocket client = newClient())
        {
            assertEquals(transport, relay.transport());
            await(transceiver::isConnected, "the relay's publication connects");
            final byte[] stun = bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 42) + ":abcd");
            send(client, relay, stun);
            final Ingress first = receive(transceiver);
            assertEquals(0, first.high);
            assertEquals(ClientAddress.ipv4Low(0x7F000001), first.low);
            assertEquals(client.getLocalPort(), first.port);
            assertEquals(AddressFamily.IPV4, first.family);
            assertEquals(PacketKind.STUN, first.kind);
            assertEquals(relay.workerCount() - 1, first.workerId);
            assertArrayEquals(stun, first.payload);
            assertTrue(first.receiveTimeNs > 0);

            final byte[] dtls = packet(22, 120);
            send(client, relay, dtls);
            final Ingress second = receive(transceiver);
            assertEquals(PacketKind.DTLS, second.kind);
            assertArrayEquals(dtls, second.payload);

            final byte[] rtp = packet(0x80, 172);
            send(client, relay, rtp);
            final Ingress third = receive(transceiver);
            assertEquals(PacketKind.RTP, third.kind);
            assertEquals(client.getLocalPort(), third.port);
            assertArrayEquals(rtp, third.payload);

            final RelayCounters counters = relay.worker(0).counters();
            await(() -> counters.forwarded.get() == 3 && counters.flowsActive.get() == 1 &&
                counters.flowsCreated.get() == 1, "forwarded and flow counters");
            final Map<String, Long> snapshot = TandemCounters.snapshot(aeron.countersReader());
            assertEquals(3L, snapshot.get(
                "tandem_relay_forwarded_total{relay=\"" + first.relayId + "\",worker=\"0\"}"));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void dropsForgedTokenUnknownSourceOversizeAndUnknownKindWithTheirReasons(final TransportKind transport)
        throws Exception
    {
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context(transport));
            DatagramSocket client = newClient();
            DatagramSocket stranger = newClient())
        {
            await(transceiver::isConnected, "the relay's publication connects");
            final String token = minter.mint(CLUSTER, TRANSCEIVER, SHARD, 7);
            final char last = token.charAt(token.length() - 1);
            final String forged = token.substring(0, token.length() - 1) + (last == '0' ? '1' : '0');
            send(client, relay, bindingRequest(forged + ":abcd"));
            send(stranger, relay, packet(22, 100));
            send(stranger, relay, packet(0x80, 100));
            send(client, relay, packet(0x80, 1201));
            send(client, relay, packet(100, 50));
            final byte[] notStun = bindingRequest(token + ":abcd");
            notStun[7] ^= 1;
            send(client, relay, notStun);

            final RelayCounters counters = relay.worker(0).counters();
            await(() -> counters.packetsIn.get() == 6, "six datagrams received");
            assertEquals(1, counters.drops(DropReason.BAD_TOKEN));
            assertEquals(2, counters.drops(DropReason.NO_FLOW));
            assertEquals(1, counters.drops(DropReason.OVERSIZE));
            assertEquals(1, counters.drops(DropReason.UNKNOWN_KIND));
            assertEquals(1, counters.drops(DropReason.BAD_STUN));
            assertEquals(0, counters.forwarded.get());
            assertEquals(0, counters.flowsCreated.get());
            assertNull(poll(transceiver, TimeUnit.MILLISECONDS.toNanos(100)), "nothing reaches the transceiver");

            // the same client with a genuine token is forwarded: the drops did not poison anything
            send(client, relay, bindingRequest(token + ":abcd"));
            assertEquals(PacketKind.STUN, receive(transceiver).kind);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void egressReachesTheClientFromThePublicPortAndFlowCloseForgetsTheFlow(final TransportKind transport)
        throws Exception
    {
        final RelayContext context = context(transport);
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context);
            ExclusivePublication toRelay = aeron.addExclusivePublication(
                "aeron:ipc", StreamIds.relayReturn(context.relayId, 0));
            DatagramSocket client = newClient())
        {
            await(transceiver::isConnected, "the relay's publication connects");
            await(toRelay::isConnected, "the return stream connects");
            send(client, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 9) + ":abcd"));
            final Ingress ingress = receive(transceiver);

            final byte[] reply = packet(1, 96);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
            final int length = encodeEgress(message, ingress, reply);
            offer(toRelay, message, length);

            final DatagramPacket received = new DatagramPacket(new byte[2048], 2048);
            receiveDatagram(client, received);
            assertEquals(relay.localAddress(0).getPort(), received.getPort(), "sent from the public port");
            assertEquals(InetAddress.getLoopbackAddress(), received.getAddress());
            assertArrayEquals(reply, Arrays.copyOf(received.getData(), received.getLength()));
            final RelayCounters counters = relay.worker(0).counters();
            await(() -> counters.sent.get() == 1, "sent counter");

            final int closeLength = MessageHeaderEncoder.ENCODED_LENGTH + new FlowCloseEncoder()
                .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder())
                .addressHigh(ingress.high).addressLow(ingress.low).port(ingress.port).family(ingress.family)
                .encodedLength();
            offer(toRelay, message, closeLength);
            await(() -> counters.flowsClosed.get() == 1 && counters.flowsActive.get() == 0, "flow closed");
            send(client, relay, packet(0x80, 50));
            await(() -> counters.drops(DropReason.NO_FLOW) == 1, "RTP after FlowClose has no flow");

            final int againLength = encodeEgress(message, ingress, reply);
            offer(toRelay, message, againLength);
            await(() -> counters.drops(DropReason.EGRESS_NO_FLOW) == 1, "egress without a flow is dropped");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void idleFlowExpires(final TransportKind transport) throws Exception
    {
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context(transport).flowIdleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200)));
            DatagramSocket client = newClient())
        {
            await(transceiver::isConnected, "the relay's publication connects");
            send(client, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 11) + ":abcd"));
            receive(transceiver);
            final RelayCounters counters = relay.worker(0).counters();
            await(() -> counters.flowsExpired.get() == 1 && counters.flowsActive.get() == 0, "the flow expires");
            send(client, relay, packet(22, 50));
            await(() -> counters.drops(DropReason.NO_FLOW) == 1, "DTLS after expiry has no flow");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void twoWorkersOnOnePortBothCarryTraffic(final TransportKind transport) throws Exception
    {
        final List<DatagramSocket> clients = new ArrayList<>();
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context(transport).workers(2).newFlowLimit(10_000, 10_000)))
        {
            await(transceiver::isConnected, "the relay's publication connects");
            final RelayCounters first = relay.worker(0).counters();
            final RelayCounters second = relay.worker(1).counters();
            final long deadlineNs = System.nanoTime() + RelayTestSupport.DEADLINE_NS;
            int sentCount = 0;
            while ((first.forwarded.get() == 0 || second.forwarded.get() == 0) && clients.size() < 256)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    fail("both workers should forward: " + first.forwarded.get() + " / " + second.forwarded.get());
                }
                final DatagramSocket client = newClient();
                clients.add(client);
                send(client, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, clients.size()) + ":x"));
                sentCount++;
                final int expected = sentCount;
                await(() -> first.packetsIn.get() + second.packetsIn.get() == expected, "each datagram arrives");
                await(() -> first.forwarded.get() + second.forwarded.get() == expected, "each one is forwarded");
            }
            assertTrue(first.forwarded.get() > 0 && second.forwarded.get() > 0);
            int fromFirst = 0;
            int fromSecond = 0;
            for (int i = 0; i < sentCount; i++)
            {
                final Ingress ingress = receive(transceiver);
                if (ingress.workerId == 0)
                {
                    fromFirst++;
                }
                else
                {
                    assertEquals(1, ingress.workerId);
                    fromSecond++;
                }
            }
            assertEquals(first.forwarded.get(), fromFirst);
            assertEquals(second.forwarded.get(), fromSecond);
        }
        finally
        {
            for (final DatagramSocket client : clients)
            {
                client.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void stunWithoutUsernameFollowsAnExistingFlowOnly(final TransportKind transport) throws Exception
    {
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context(transport));
            DatagramSocket client = newClient();
            DatagramSocket stranger = newClient())
        {
            await(transceiver::isConnected, "the relay's publication connects");
            send(client, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 5) + ":abcd"));
            receive(transceiver);
            // RFC 8445 11: a Binding Indication keepalive carries no USERNAME
            final byte[] indication = bindingIndication();
            send(stranger, relay, indication);
            send(client, relay, indication);
            final Ingress keepalive = receive(transceiver);
            assertEquals(PacketKind.STUN, keepalive.kind);
            assertEquals(client.getLocalPort(), keepalive.port);
            assertArrayEquals(indication, keepalive.payload);
            final RelayCounters counters = relay.worker(0).counters();
            await(() -> counters.drops(DropReason.STUN_NO_USERNAME) == 1, "the stranger's indication is dropped");
            await(() -> counters.forwarded.get() == 2, "the request and the client's indication are forwarded");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void limitsNewFlowsPerSourceAndByTableCapacity(final TransportKind transport) throws Exception
    {
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context(transport).newFlowLimit(1, 2).maxFlows(3));
            DatagramSocket first = newClient();
            DatagramSocket second = newClient();
            DatagramSocket third = newClient())
        {
            await(transceiver::isConnected, "the relay's publication connects");
            final RelayCounters counters = relay.worker(0).counters();
            send(first, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 1) + ":a"));
            send(second, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 2) + ":b"));
            await(() -> counters.flowsCreated.get() == 2, "a burst of two flows from one source");
            send(third, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 3) + ":c"));
            await(() -> counters.drops(DropReason.RATE_LIMITED) == 1, "the third new flow within the second");
            // an existing flow is not limited
            send(first, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 1) + ":a"));
            await(() -> counters.forwarded.get() == 3, "existing flows keep forwarding");
        }
        try (Relay relay = Relay.launch(context(transport).newFlowLimit(1000, 1000).maxFlows(1));
            DatagramSocket first = newClient();
            DatagramSocket second = newClient())
        {
            final RelayCounters counters = relay.worker(0).counters();
            send(first, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 1) + ":a"));
            await(() -> counters.flowsCreated.get() == 1, "one flow");
            send(second, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 2) + ":b"));
            await(() -> counters.drops(DropReason.TABLE_FULL) == 1, "no room for a second flow");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void ipv6ClientIsForwardedAndAnsweredFromTheIpv6Socket(final TransportKind transport) throws Exception
    {
        final InetAddress v6 = InetAddress.getByName("::1");
        final RelayContext context = context(transport).listen(List.of(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new InetSocketAddress(v6, 0)));
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context);
            ExclusivePublication toRelay = aeron.addExclusivePublication(
                "aeron:ipc", StreamIds.relayReturn(context.relayId, 0));
            DatagramSocket client = new DatagramSocket(new InetSocketAddress(v6, 0)))
        {
            client.setSoTimeout(100);
            assertEquals(relay.localAddress(0).getPort(), relay.localAddress(1).getPort(), "one public port");
            await(transceiver::isConnected, "the relay's publication connects");
            await(toRelay::isConnected, "the return stream connects");
            final byte[] stun = bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 6) + ":v6");
            client.send(new DatagramPacket(stun, stun.length, relay.localAddress(1)));
            final Ingress ingress = receive(transceiver);
            assertEquals(AddressFamily.IPV6, ingress.family);
            assertEquals(0, ingress.high);
            assertEquals(1, ingress.low);
            assertEquals(client.getLocalPort(), ingress.port);

            final byte[] reply = packet(0x80, 60);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
            final int length = encodeEgress(message, ingress, reply);
            offer(toRelay, message, length);
            final DatagramPacket received = new DatagramPacket(new byte[2048], 2048);
            receiveDatagram(client, received);
            assertEquals(v6, received.getAddress());
            assertEquals(relay.localAddress(1).getPort(), received.getPort());
            assertArrayEquals(reply, Arrays.copyOf(received.getData(), received.getLength()));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void templateDestinationIsAddedWithoutBlockingAndDropsUntilReady(final TransportKind transport) throws Exception
    {
        final int shard = 3;
        final RelayContext context = context(transport)
            .directory(Directory.parse("", "aeron:ipc?alias=transceiver-{transceiver}-{shard}", ""));
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(shard));
            Relay relay = Relay.launch(context);
            DatagramSocket client = newClient())
        {
            final RelayCounters counters = relay.worker(0).counters();
            final byte[] stun = bindingRequest(minter.mint(CLUSTER, 9, shard, 3) + ":tpl");
            send(client, relay, stun);
            // the first packet finds the publication pending; the flow exists while it is added
            await(() -> counters.drops(DropReason.DESTINATION_PENDING) >= 1 && counters.flowsCreated.get() == 1,
                "the first request creates the flow and is dropped while the publication is pending");
            final long deadlineNs = System.nanoTime() + RelayTestSupport.DEADLINE_NS;
            Ingress ingress = null;
            while (ingress == null)
            {
                assertTrue(System.nanoTime() < deadlineNs, "the template's publication becomes ready");
                send(client, relay, stun);
                ingress = poll(transceiver, TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertArrayEquals(stun, ingress.payload);
            assertEquals(client.getLocalPort(), ingress.port);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void unknownDestinationIsDroppedWhenTheDirectoryHasNoEntryTemplateOrDefault(final TransportKind transport)
        throws Exception
    {
        try (Relay relay = Relay.launch(context(transport));
            DatagramSocket client = newClient())
        {
            send(client, relay, bindingRequest(minter.mint(CLUSTER, 4, SHARD, 3) + ":x"));
            final RelayCounters counters = relay.worker(0).counters();
            await(() -> counters.drops(DropReason.UNKNOWN_DESTINATION) == 1, "cluster 1 transceiver 4 is unknown");
            assertEquals(0, counters.flowsCreated.get());
        }
    }

    @Test
    void forwardsADatagramBiggerThanOneFrameByATwoPartOffer() throws Exception
    {
        // a publication with a 1408-byte MTU: 1400 bytes plus the Ingress header do not fit one tryClaim
        final RelayContext context = context(TransportKind.AUTO).maxDatagramBytes(1500)
            .directory(Directory.parse(CLUSTER + "." + TRANSCEIVER + "=aeron:ipc?mtu=1408", null, ""));
        try (Subscription transceiver = aeron.addSubscription("aeron:ipc", StreamIds.transceiverIngress(SHARD));
            Relay relay = Relay.launch(context);
            DatagramSocket client = newClient())
        {
            await(transceiver::isConnected, "the relay's publication connects");
            send(client, relay, bindingRequest(minter.mint(CLUSTER, TRANSCEIVER, SHARD, 77) + ":big"));
            receive(transceiver);
            final byte[] big = packet(23, 1400);
            send(client, relay, big);
            final AtomicInteger assembled = new AtomicInteger();
            final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
            {
                assembled.incrementAndGet();
                final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder().wrap(buffer, offset);
                final IngressDecoder decoder = new IngressDecoder().wrap(buffer,
                    offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
                assertEquals(PacketKind.DTLS, decoder.kind());
                final byte[] payload = new byte[decoder.payloadLength()];
                decoder.getPayload(payload, 0, payload.length);
                assertArrayEquals(big, payload);
                assertEquals(offset + length, decoder.limit());
            });
            final RelayCounters counters = relay.worker(0).counters();
            await(() -> counters.forwarded.get() == 2, "the big datagram is forwarded");
            await(() -> transceiver.poll(assembler, 10) >= 0 && assembled.get() == 1, "one reassembled Ingress");
        }
    }

    @Test
    void servesPrometheusTextWithEveryWorkerCounter() throws Exception
    {
        final RelayContext context = context(TransportKind.AUTO)
            .metricsListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (Relay relay = Relay.launch(context))
        {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + relay.metricsAddress().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            final String body = response.body();
            assertTrue(body.contains("# TYPE tandem_relay_packets_in_total counter"), body);
            assertTrue(body.contains("# TYPE tandem_relay_flows_active gauge"), body);
            assertTrue(body.contains("tandem_relay_drops_total{relay=\"" + context.relayId +
                "\",worker=\"0\",reason=\"bad_token\"} 0"), body);
        }
    }
}
