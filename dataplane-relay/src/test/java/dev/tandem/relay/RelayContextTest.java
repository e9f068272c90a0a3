package dev.tandem.relay;

import dev.tandem.common.IdleMode;
import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import dev.tandem.route.RouteKeyRing;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayContextTest
{
    @Test
    void readsEverySettingFromFlagsAndEnvironment()
    {
        final String keys = RouteKeyRing.generateKeySpec(3);
        final Config config = Config.parse(RelaySettings.ALL, new String[]{
            "--workers", "2", "--listen", "0.0.0.0:3478,[::]:3478", "--transport", "epoll", "--idle", "busy-spin",
            "--socket-wait", "250us", "--cpus", "1,3", "--relay.flows.idle-timeout", "5s",
            "--relay.new-flows.rate", "7", "--relay.new-flows.burst", "9", "--directory", "1.2=aeron:ipc",
            "--route.keys", keys, "--route.key.current", "3"},
            Map.of("TANDEM_RELAY_MAX_DATAGRAM", "1400"));
        final RelayContext context = RelayContext.from(config);
        assertEquals(2, context.workers);
        assertEquals(2, context.listen.size());
        assertEquals(3478, context.listen.get(1).getPort());
        assertEquals(TransportKind.EPOLL, context.transport);
        assertEquals(IdleMode.BUSY_SPIN, context.idleMode);
        assertEquals(250_000L, context.socketWaitNs);
        assertEquals(0L, context.effectiveSocketWaitNs(), "busy-spin never waits in the socket");
        assertArrayEquals(new int[]{1, 3}, context.cpus);
        assertEquals(5_000_000_000L, context.flowIdleTimeoutNs);
        assertEquals(7, context.newFlowRatePerSecond);
        assertEquals(9, context.newFlowBurst);
        assertEquals(1400, context.maxDatagramBytes);
        assertEquals("aeron:ipc", context.directory.channel(1, 2, 0));
        assertNotNull(context.keyRing);
        context.conclude();
    }

    @Test
    void badValuesFailAtStartNamingTheSetting()
    {
        final ConfigException cpus = assertThrows(ConfigException.class, () -> RelayContext.from(
            Config.parse(RelaySettings.ALL, new String[]{"--cpus", "one"}, Map.of())));
        assertTrue(cpus.getMessage().startsWith("relay.cpus"), cpus.getMessage());
        final ConfigException listen = assertThrows(ConfigException.class, () -> RelayContext.from(
            Config.parse(RelaySettings.ALL, new String[]{"--listen", "::1:3478"}, Map.of())));
        assertTrue(listen.getMessage().startsWith("relay.listen"), listen.getMessage());
        final ConfigException noKeys = assertThrows(ConfigException.class, () -> RelayContext.from(
            Config.parse(RelaySettings.ALL, new String[0], Map.of())).conclude());
        assertTrue(noKeys.getMessage().startsWith("route.keys"), noKeys.getMessage());
        final ConfigException tooFewCpus = assertThrows(ConfigException.class, () -> new RelayContext()
            .workers(3).cpuList("1,2").keyRing(RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1)).conclude());
        assertTrue(tooFewCpus.getMessage().startsWith("relay.cpus"), tooFewCpus.getMessage());
    }

    @Test
    void inet4AddressHashCodeIsTheAddressTheWorkerReadsWithoutAllocating() throws Exception
    {
        // RelayWorker relies on this to read an IPv4 sender without Inet4Address.getAddress()'s array copy.
        for (final String text : new String[]{"127.0.0.1", "10.1.2.3", "255.255.255.254", "192.168.0.200"})
        {
            final InetAddress address = InetAddress.getByName(text);
            assertTrue(address instanceof Inet4Address);
            final byte[] bytes = address.getAddress();
            final int expected = ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) |
                (bytes[3] & 0xFF);
            assertEquals(expected, address.hashCode(), text);
        }
    }
}
