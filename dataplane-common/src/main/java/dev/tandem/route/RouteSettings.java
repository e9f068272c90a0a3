package dev.tandem.route;

import dev.tandem.config.Config;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

import java.util.List;

/**
 * The route token settings, shared so relay and transceiver read the same names. Every process of a deployment
 * needs the same {@link #KEYS}; {@link #CURRENT_KEY} matters only where tokens are minted (transceivers).
 */
public final class RouteSettings
{
    /** The key ring text, {@code ID:BASE64,ID:BASE64} (see {@link RouteKeyRing}); a secret. */
    public static final Setting<String> KEYS = Settings.secret(
        "route.keys", null, null,
        "route token keys shared by relays and transceivers: ID:BASE64 of 32 random bytes, comma-separated " +
        "(a secret; e.g. 1:$(openssl rand -base64 32))");

    /** The key id that mints new tokens. */
    public static final Setting<Integer> CURRENT_KEY = Settings.integer(
        "route.key.current", null, "1", RouteToken.MIN_KEY_ID, RouteToken.MAX_KEY_ID,
        "key id in route.keys that signs new route tokens");

    /** Both settings, for a command's settings list. */
    public static final List<Setting<?>> ALL = List.of(KEYS, CURRENT_KEY);

    private RouteSettings()
    {
    }

    /**
     * Build the key ring from a configuration that registered {@link #ALL} (cold path).
     *
     * @param config a parsed configuration.
     * @return the ring.
     * @throws dev.tandem.config.ConfigException when a key is missing or bad, naming the setting.
     */
    public static RouteKeyRing keyRing(final Config config)
    {
        return RouteKeyRing.parse(config.get(KEYS), config.get(CURRENT_KEY));
    }
}
