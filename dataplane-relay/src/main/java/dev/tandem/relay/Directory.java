package dev.tandem.relay;

import dev.tandem.common.StreamIds;
import dev.tandem.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where (cluster, transceiver, shard) lives: an Aeron channel, with the stream id
 * {@link StreamIds#transceiverIngress(int)} of the shard. Looked up once per new destination per worker (cold
 * path; it builds strings).
 * <ol>
 *   <li>a static entry {@code cluster.transceiver=channel} ({@code relay.directory}),</li>
 *   <li>else the template ({@code relay.directory.template}) with {@code {cluster}}, {@code {transceiver}} and
 *       {@code {shard}} replaced, e.g. {@code aeron:udp?endpoint=transceiver-{transceiver}.tandem.svc:40{shard}},</li>
 *   <li>else the default channel ({@code relay.directory.default}, {@code aeron:ipc}), or none when it is empty.</li>
 * </ol>
 */
public final class Directory
{
    private final Map<Long, String> entries;
    private final String template;
    private final String defaultChannel;

    /**
     * @param entries        static entries by {@link #key(int, int)}.
     * @param template       name template, or null.
     * @param defaultChannel channel for everything else, or null for none.
     */
    public Directory(final Map<Long, String> entries, final String template, final String defaultChannel)
    {
        this.entries = Map.copyOf(entries);
        this.template = template == null || template.isBlank() ? null : template.trim();
        this.defaultChannel = defaultChannel == null || defaultChannel.isBlank() ? null : defaultChannel.trim();
    }

    /**
     * Parse {@code relay.directory}: entries {@code CLUSTER.TRANSCEIVER=CHANNEL} separated by {@code ;} or new
     * lines (Aeron channels contain {@code |} and {@code ,}).
     *
     * @param text           the setting's value.
     * @param template       name template, or null.
     * @param defaultChannel channel for everything else, or null.
     * @return the directory.
     */
    public static Directory parse(final String text, final String template, final String defaultChannel)
    {
        final Map<Long, String> entries = new LinkedHashMap<>();
        if (text != null)
        {
            for (final String raw : text.split("[;\n]"))
            {
                final String entry = raw.trim();
                if (entry.isEmpty())
                {
                    continue;
                }
                final int eq = entry.indexOf('=');
                final int dot = entry.indexOf('.');
                if (eq < 0 || dot < 0 || dot > eq || !entry.substring(eq + 1).trim().startsWith("aeron:"))
                {
                    throw new ConfigException(
                        "relay.directory: '" + entry + "' is not CLUSTER.TRANSCEIVER=aeron:...");
                }
                final int cluster = parseId(entry.substring(0, dot), entry);
                final int transceiver = parseId(entry.substring(dot + 1, eq), entry);
                entries.put(key(cluster, transceiver), entry.substring(eq + 1).trim());
            }
        }
        if (template != null && !template.isBlank() && !template.trim().startsWith("aeron:"))
        {
            throw new ConfigException("relay.directory.template: '" + template + "' is not an aeron: channel");
        }
        return new Directory(entries, template, defaultChannel);
    }

    private static int parseId(final String text, final String entry)
    {
        try
        {
            final int id = Integer.parseInt(text.trim());
            if (id < 0 || id > 0xFFFF)
            {
                throw new NumberFormatException();
            }
            return id;
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException("relay.directory: '" + entry + "': ids are 0..65535");
        }
    }

    /**
     * @param cluster     cluster id.
     * @param transceiver transceiver id.
     * @return the key of a static entry.
     */
    public static long key(final int cluster, final int transceiver)
    {
        return ((long)cluster << 16) | transceiver;
    }

    /**
     * @return true when a name template resolves destinations that have no static entry.
     */
    public boolean hasTemplate()
    {
        return template != null;
    }

    /**
     * @return static entries by {@link #key(int, int)}.
     */
    public Map<Long, String> entries()
    {
        return entries;
    }

    /**
     * @param cluster     cluster id.
     * @param transceiver transceiver id.
     * @param shard       shard id.
     * @return the channel, or null when the directory knows no such destination.
     */
    public String channel(final int cluster, final int transceiver, final int shard)
    {
        final String entry = entries.get(key(cluster, transceiver));
        if (entry != null)
        {
            return entry;
        }
        if (template != null)
        {
            return template.replace("{cluster}", Integer.toString(cluster))
                .replace("{transceiver}", Integer.toString(transceiver))
                .replace("{shard}", Integer.toString(shard));
        }
        return defaultChannel;
    }

    /**
     * @param shard shard id.
     * @return the stream id of the shard's ingress.
     */
    public static int streamId(final int shard)
    {
        return StreamIds.transceiverIngress(shard);
    }

    @Override
    public String toString()
    {
        return "static " + entries + ", template " + template + ", default " + defaultChannel;
    }
}
