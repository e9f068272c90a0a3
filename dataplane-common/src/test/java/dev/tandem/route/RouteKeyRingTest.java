package dev.tandem.route;

import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static dev.tandem.route.RouteTokenTest.KEY_1;
import static dev.tandem.route.RouteTokenTest.KEY_2;
import static dev.tandem.route.RouteTokenTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteKeyRingTest
{
    private static final String SECRET_1 = KEY_1.substring(2);

    @Test
    void parsesSeveralKeysWithWhitespaceAndWithoutPadding()
    {
        final String unpadded = "7:" + Base64.getEncoder().withoutPadding().encodeToString(bytes(32, 7));
        final RouteKeyRing ring = RouteKeyRing.parse(" " + KEY_2 + " , " + KEY_1 + ",\n" + unpadded + ",", 7);
        assertArrayEquals(new int[]{ 1, 2, 7 }, ring.keyIds());
        assertEquals(7, ring.currentKeyId());
        assertTrue(ring.contains(1));
        assertTrue(ring.contains(7));
        assertFalse(ring.contains(3));
        assertFalse(ring.contains(0));
        assertFalse(ring.contains(256));
        assertFalse(ring.contains(-1));
    }

    @Test
    void namesTheProblemWithoutShowingTheKey()
    {
        assertFails("", "route.keys: no keys given");
        assertFails(" , ", "route.keys: no keys given");
        assertFails(SECRET_1, "route.keys: entry 1 is not ID:BASE64");
        assertFails(KEY_1 + ",x" + SECRET_1.substring(1), "route.keys: entry 2 is not ID:BASE64");
        assertFails("one:" + SECRET_1, "route.keys: key id 'one' is not an integer 1..255");
        assertFails("0:" + SECRET_1, "route.keys: key id 0 is out of range 1..255");
        assertFails("256:" + SECRET_1, "route.keys: key id 256 is out of range 1..255");
        assertFails(KEY_1 + "," + KEY_1, "route.keys: key id 1 appears twice");
        assertFails("1:" + SECRET_1.substring(0, 20) + "!!" + SECRET_1.substring(22),
            "route.keys: key 1 is not valid base64");
        assertFails("1:" + base64(bytes(16, 1)), "route.keys: key 1 is 16 bytes, expected 32");
        assertFails("1:" + base64(bytes(33, 1)), "route.keys: key 1 is 33 bytes, expected 32");
        assertFails("1:" + Base64.getEncoder().encodeToString(new byte[32]), "route.keys: key 1 is all zeros");
    }

    @Test
    void requiresTheCurrentKeyToBeInTheRing()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> RouteKeyRing.parse(KEY_1 + "," + KEY_2, 3));
        assertEquals("route.key.current: key id 3 is not in route.keys (ids 1, 2)", ex.getMessage());
        assertThrows(ConfigException.class, () -> RouteKeyRing.parse(KEY_1, 0));
        assertThrows(ConfigException.class, () -> RouteKeyRing.parse(KEY_1, 300));
    }

    @Test
    void generatesKeySpecsThatParse()
    {
        final String spec = RouteKeyRing.generateKeySpec(9);
        assertTrue(spec.startsWith("9:"));
        assertEquals(32, Base64.getDecoder().decode(spec.substring(2)).length);
        final RouteKeyRing ring = RouteKeyRing.parse(spec, 9);
        final RouteTokenMinter minter = new RouteTokenMinter(ring);
        assertEquals(9, RouteToken.keyId(RouteTokenTest.verify(new RouteTokenVerifier(ring), minter.mint(1, 2, 3, 4))));
        assertFalse(spec.equals(RouteKeyRing.generateKeySpec(9)));
        assertThrows(IllegalArgumentException.class, () -> RouteKeyRing.generateKeySpec(0));
    }

    @Test
    void neverPrintsKeyMaterial()
    {
        final RouteKeyRing ring = RouteKeyRing.parse(KEY_1 + "," + KEY_2, 2);
        assertEquals("RouteKeyRing{current=2, ids=[1, 2]}", ring.toString());
    }

    @Test
    void buildsTheRingFromConfiguration()
    {
        final Config config = Config.parse(RouteSettings.ALL, new String[]{ "--route.key.current", "2" },
            Map.of("TANDEM_ROUTE_KEYS", KEY_1 + "," + KEY_2));
        final RouteKeyRing ring = RouteSettings.keyRing(config);
        assertEquals(2, ring.currentKeyId());
        assertArrayEquals(new int[]{ 1, 2 }, ring.keyIds());

        final Config missing = Config.parse(RouteSettings.ALL, new String[0], Map.of());
        final ConfigException ex = assertThrows(ConfigException.class, () -> RouteSettings.keyRing(missing));
        assertTrue(ex.getMessage().startsWith("route.keys is required"), ex.getMessage());
    }

    private static String base64(final byte[] bytes)
    {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void assertFails(final String keys, final String expectedStart)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> RouteKeyRing.parse(keys, 1));
        assertTrue(ex.getMessage().startsWith(expectedStart), ex.getMessage());
        assertFalse(ex.getMessage().contains(SECRET_1.substring(4, 20)), "leaks key material: " + ex.getMessage());
    }
}
