package dev.tandem.client;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.common.Log;
import dev.tandem.common.TandemCounters;
import dev.tandem.config.Config;
import dev.tandem.relay.Directory;
import dev.tandem.relay.Relay;
import dev.tandem.relay.RelayContext;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.transceiver.Transceiver;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay and the transceiver as they run on different hosts: each with its own media driver, the relay forwarding
 * into an Aeron UDP channel (a static directory entry) and the transceiver answering on the relay's return streams
 * over UDP, never over shared memory. A call through them gets every frame back.
 */
class AeronUdpCallSystemTest
{
    private static final long TIMEOUT_S = 15;
    private static final int FRAMES = 50;

    @Test
    void aCallCrossesAeronUdpBothWays() throws Exception
    {
        final ErrorHandler errors = (ex) -> Log.error("udp-system-test", "agent error", ex);
        final String ingressChannel = "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort();
        final String returnEndpoint = "127.0.0.1:" + freeUdpPort();
        MediaDriver relayDriver = null;
        MediaDriver transceiverDriver = null;
        Aeron relayAeron = null;
        Aeron transceiverAeron = null;
        Relay relay = null;
        Transceiver transceiver = null;
        WebRtcClient client = null;
        try
        {
            final String relayDir = AeronSupport.uniqueDirectory("udp-test-relay");
            final String transceiverDir = AeronSupport.uniqueDirectory("udp-test-transceiver");
            relayDriver = AeronSupport.launchEmbeddedDriver(relayDir, ThreadingMode.SHARED, IdleMode.BACKOFF, errors);
            transceiverDriver =
                AeronSupport.launchEmbeddedDriver(transceiverDir, ThreadingMode.SHARED, IdleMode.BACKOFF, errors);
            relayAeron = AeronSupport.connect(relayDir, errors, "udp-test-relay");
            transceiverAeron = AeronSupport.connect(transceiverDir, errors, "udp-test-transceiver");
            final RouteKeyRing keys = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);

            relay = Relay.launch(new RelayContext()
                .relayId(0)
                .workers(1)
                .listen(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
                .directory(Directory.parse("0.0=" + ingressChannel, "", ""))
                .returnChannel("aeron:udp?endpoint=" + returnEndpoint)
                .aeron(relayAeron)
                .keyRing(keys));
            transceiver = Transceiver.launch(Config.parse(Transceiver.settings(), new String[]{
                "--echo", "true",
                "--candidates", "127.0.0.1:" + relay.localAddress(0).getPort(),
                "--listen", "127.0.0.1:0",
                "--transceiver.ingress.channel", ingressChannel,
                "--transceiver.relay.channel", "aeron:udp?endpoint=" + returnEndpoint,
                "--transceiver.relays", "0:1" }, Map.of()),
                new Transceiver.Hooks().aeron(transceiverAeron).keyRing(keys));
            client = WebRtcClient.start(new WebRtcClient.Context().name("udp-system-test-client"));

            final ClientCall call = client.call(new CallOptions()
                .baseUri("http://127.0.0.1:" + transceiver.httpAddress().getPort())
                .drainTimeoutNs(TimeUnit.SECONDS.toNanos(TIMEOUT_S))
                .frames(FRAMES)).get(TIMEOUT_S, TimeUnit.SECONDS);
            assertTrue(call.awaitConnected(Duration.ofSeconds(TIMEOUT_S)), call.toString());
            final CallStats media = call.mediaDone().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertEquals(FRAMES, media.framesSent(), media.toString());
            assertEquals(FRAMES, media.framesUnique(), media.toString());
            assertTrue(media.inOrder(), media.toString());
            assertEquals(0, media.srtpRefused(), media.toString());

            // the packets really crossed the two drivers: the relay forwarded them, the transceiver received them
            final Map<String, Long> relayCounters = TandemCounters.snapshot(relayAeron.countersReader());
            final Map<String, Long> transceiverCounters = TandemCounters.snapshot(transceiverAeron.countersReader());
            assertTrue(sum(relayCounters, "tandem_relay_forwarded_total") >= FRAMES, relayCounters::toString);
            assertTrue(sum(relayCounters, "tandem_relay_sent_total") >= FRAMES, relayCounters::toString);
            assertEquals(0, sum(relayCounters, "tandem_transceiver_"), "no transceiver counter in the relay's driver");
            assertTrue(sum(transceiverCounters, "tandem_transceiver_packets_in_total") >= FRAMES,
                transceiverCounters::toString);
        }
        finally
        {
            CloseHelper.quietCloseAll(client, transceiver, relay, transceiverAeron, relayAeron, transceiverDriver,
                relayDriver);
        }
    }

    private static long sum(final Map<String, Long> counters, final String prefix)
    {
        return counters.entrySet().stream().filter((e) -> e.getKey().startsWith(prefix))
            .mapToLong(Map.Entry::getValue).sum();
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
