package dev.tandem.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest
{
    private static final Setting<Integer> WORKERS =
        Settings.integer("relay.workers", "workers", "1", 1, 64, "worker threads");
    private static final Setting<Long> TIMEOUT =
        Settings.durationNs("relay.flow.idle-timeout", null, "30s", "idle flow expiry");
    private static final Setting<String> NAME = Settings.string("relay.name", null, null, "optional name");
    private static final List<Setting<?>> SETTINGS = List.of(WORKERS, TIMEOUT, NAME);

    @Test
    void defaultsApplyWhenNothingIsGiven()
    {
        final Config config = Config.parse(SETTINGS, new String[0], Map.of());
        assertEquals(1, config.get(WORKERS));
        assertEquals(30_000_000_000L, config.get(TIMEOUT));
        assertNull(config.getOrNull(NAME));
        assertFalse(config.isExplicit(WORKERS));
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverFile(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("relay.properties");
        Files.writeString(file, "relay.workers=2\nrelay.flow.idle-timeout=10s\nrelay.name=file\n");
        final Config config = Config.parse(
            SETTINGS,
            new String[]{ "--config", file.toString(), "--workers=4" },
            Map.of("TANDEM_RELAY_NAME", "env", "TANDEM_RELAY_WORKERS", "3"));
        assertEquals(4, config.get(WORKERS));
        assertEquals(10_000_000_000L, config.get(TIMEOUT));
        assertEquals("env", config.get(NAME));
        assertTrue(config.isExplicit(WORKERS));
    }

    @Test
    void badValueNamesTheSetting()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> Config.parse(SETTINGS, new String[]{ "--relay.workers", "many" }, Map.of()));
        assertEquals("relay.workers: 'many' is not an integer", ex.getMessage());

        final ConfigException range = assertThrows(ConfigException.class,
            () -> Config.parse(SETTINGS, new String[]{ "--workers", "65" }, Map.of()));
        assertEquals("relay.workers: 65 is out of range (expected 1..64)", range.getMessage());

        final ConfigException unit = assertThrows(ConfigException.class,
            () -> Config.parse(SETTINGS, new String[]{ "--relay.flow.idle-timeout", "30" }, Map.of()));
        assertTrue(unit.getMessage().startsWith("relay.flow.idle-timeout: '30' needs a unit"), unit.getMessage());
    }

    @Test
    void unknownOptionAndUnknownFileKeyAreRejected(@TempDir final Path dir) throws Exception
    {
        final ConfigException flag = assertThrows(ConfigException.class,
            () -> Config.parse(SETTINGS, new String[]{ "--wrokers", "2" }, Map.of()));
        assertEquals("unknown option --wrokers (see --help)", flag.getMessage());

        final Path file = dir.resolve("bad.properties");
        Files.writeString(file, "relay.wrokers=2\n");
        final ConfigException key = assertThrows(ConfigException.class,
            () -> Config.parse(SETTINGS, new String[]{ "--config", file.toString() }, Map.of()));
        assertEquals(file + ": unknown setting 'relay.wrokers' (see --help)", key.getMessage());
    }

    @Test
    void requiredSettingWithoutValueSaysHowToGiveIt()
    {
        final Config config = Config.parse(SETTINGS, new String[0], Map.of());
        final ConfigException ex = assertThrows(ConfigException.class, () -> config.get(NAME));
        assertEquals("relay.name is required (--relay.name or TANDEM_RELAY_NAME)", ex.getMessage());
    }

    @Test
    void combiningPartsKeepsTheFirstShortFlagAndEveryFullName()
    {
        final Setting<String> relayListen = Settings.string("relay.listen", "listen", ":3478", "relay");
        final Setting<String> httpListen = Settings.string("signaling.listen", "listen", ":8080", "http");
        final List<Setting<?>> combined = Settings.combine(List.of(relayListen), List.of(httpListen, relayListen));
        assertEquals(2, combined.size());
        final Config config = Config.parse(combined,
            new String[]{ "--listen", ":1", "--signaling.listen", ":2" }, Map.of());
        assertEquals(":1", config.get(relayListen));
        assertEquals(":2", config.get(httpListen));
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> Config.parse(List.of(relayListen, httpListen), new String[0], Map.of()));
        assertEquals("two settings named listen", ex.getMessage());
    }

    @Test
    void parsesSocketAddressesDurationsAndSizes()
    {
        assertEquals(3478, Settings.parseSocketAddress(":3478").getPort());
        assertTrue(Settings.parseSocketAddress(":3478").getAddress().isAnyLocalAddress());
        assertTrue(Settings.parseSocketAddress("[::1]:9").getAddress().isLoopbackAddress());
        assertEquals(250_000L, Settings.parseDurationNs("250us"));
        assertEquals(1_500_000_000L, Settings.parseDurationNs("1.5s"));
        assertEquals(64 * 1024L, Settings.parseSizeBytes("64k"));
        assertThrows(ConfigException.class, () -> Settings.parseSocketAddress("::1:9"));
        assertThrows(ConfigException.class, () -> Settings.parseSocketAddress("host:99999"));
    }
}
