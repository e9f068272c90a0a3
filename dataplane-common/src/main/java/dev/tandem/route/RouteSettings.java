package dev.tandem.route;

import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

/**
 * TEMPORARY stand-in for the common engineer's route settings; replaced by main's at merge.
 */
public final class RouteSettings
{
    /** Keys. */
    public static final Setting<String> KEYS = Settings.string(
        "route.keys", null, null, "route token keys: KEYID:BASE64[,KEYID:BASE64...]");
    /** Current key. */
    public static final Setting<Integer> CURRENT_KEY = Settings.integer(
        "route.key.current", null, "1", 0, 255, "key id used to mint new route tokens");

    private RouteSettings()
    {
    }
}
