package dev.tandem.backend;

import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EchoBackendContextTest
{
    @Test
    void readsSettingsFromFlagsAndEnvironment()
    {
        final Config config = Config.parse(
            EchoBackend.SETTINGS,
            new String[]{ "--delay", "300ms", "--shards=0, 2" },
            Map.of("TANDEM_ECHO_CHANNEL", "aeron:udp?endpoint=localhost:40123"));
        final EchoBackend.Context context = EchoBackend.Context.fromConfig(config).conclude();
        assertEquals(300_000_000L, context.delayNs());
        assertArrayEquals(new int[]{ 0, 2 }, context.shards());
        assertEquals("aeron:udp?endpoint=localhost:40123", context.channel());
    }

    @Test
    void defaultsToNoDelayOnShardZeroOverIpc()
    {
        final EchoBackend.Context context =
            EchoBackend.Context.fromConfig(Config.parse(EchoBackend.SETTINGS, new String[0], Map.of()));
        assertEquals(0, context.delayNs());
        assertArrayEquals(new int[]{ 0 }, context.shards());
        assertEquals("aeron:ipc", context.channel());
    }

    @Test
    void badValuesFailNamingTheSetting()
    {
        final ConfigException shards = assertThrows(ConfigException.class, () -> EchoBackend.Context.fromConfig(
            Config.parse(EchoBackend.SETTINGS, new String[]{ "--shards", "0,x" }, Map.of())));
        assertEquals("echo.shards: '0,x' is not a list of shard ids", shards.getMessage());

        final ConfigException delay = assertThrows(ConfigException.class,
            () -> Config.parse(EchoBackend.SETTINGS, new String[]{ "--delay", "300" }, Map.of()));
        assertTrue(delay.getMessage().startsWith("echo.delay: "), delay.getMessage());

        final ConfigException negative = assertThrows(ConfigException.class,
            () -> new EchoBackend.Context().delayNs(-1).conclude());
        assertEquals("echo.delay: must not be negative", negative.getMessage());
    }
}
