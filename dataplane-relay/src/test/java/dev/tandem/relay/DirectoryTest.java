package dev.tandem.relay;

import dev.tandem.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryTest
{
    @Test
    void staticEntriesWinOverTheTemplateWhichWinsOverTheDefault()
    {
        final Directory directory = Directory.parse(
            "1.2=aeron:udp?endpoint=10.0.0.5:40000|mtu=1408; 1.3 = aeron:ipc\n",
            "aeron:udp?endpoint=transceiver-{transceiver}.tandem.svc:40{shard}|alias=c{cluster}",
            "aeron:ipc");
        assertEquals("aeron:udp?endpoint=10.0.0.5:40000|mtu=1408", directory.channel(1, 2, 7));
        assertEquals("aeron:ipc", directory.channel(1, 3, 0));
        assertEquals("aeron:udp?endpoint=transceiver-4.tandem.svc:401|alias=c1", directory.channel(1, 4, 1));
        assertEquals(1007, Directory.streamId(7));
    }

    @Test
    void defaultChannelServesEverythingWithoutTemplateAndEmptyDefaultMeansUnknown()
    {
        assertEquals("aeron:ipc", Directory.parse("", "", "aeron:ipc").channel(9, 9, 9));
        assertNull(Directory.parse("", null, "").channel(9, 9, 9));
    }

    @Test
    void badEntriesFailNamingTheSetting()
    {
        final ConfigException noChannel = assertThrows(ConfigException.class,
            () -> Directory.parse("1.2=udp://x", null, null));
        assertTrue(noChannel.getMessage().startsWith("relay.directory:"), noChannel.getMessage());
        assertThrows(ConfigException.class, () -> Directory.parse("1=aeron:ipc", null, null));
        assertThrows(ConfigException.class, () -> Directory.parse("1.70000=aeron:ipc", null, null));
        final ConfigException badTemplate = assertThrows(ConfigException.class,
            () -> Directory.parse("", "transceiver-{transceiver}:40000", null));
        assertTrue(badTemplate.getMessage().startsWith("relay.directory.template:"), badTemplate.getMessage());
    }
}
