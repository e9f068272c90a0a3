package dev.tandem.rtp;

import dev.tandem.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RtpSettingsTest
{
    @Test
    void defaultsParseToTheDocumentedValues()
    {
        final Config config = Config.parse(RtpSettings.SETTINGS, new String[0], Map.of());
        assertEquals(16, config.get(RtpSettings.JITTER_FRAMES));
        assertEquals(40_000_000L, config.get(RtpSettings.JITTER_MAX_WAIT));
        assertEquals(3, config.get(RtpSettings.JITTER_MAX_WAIT_FRAMES));
        assertEquals(1500L, config.get(RtpSettings.MAX_PAYLOAD));
        assertEquals(512, config.get(RtpSettings.PACER_FRAMES));
        assertEquals(64L * 1024, config.get(RtpSettings.PACER_BYTES));
        assertEquals(1_000_000_000L, config.get(RtpSettings.RTCP_INTERVAL));
    }
}
