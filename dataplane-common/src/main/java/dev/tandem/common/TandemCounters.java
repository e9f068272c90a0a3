package dev.tandem.common;

import io.aeron.Aeron;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tandem's counters live in the Aeron media driver's counters file, so they can be read from outside the process
 * ({@code bin/tandem stat}) and exported as Prometheus text. A counter's label is its Prometheus series, e.g.
 * {@code tandem_relay_drops_total{relay="1",worker="0",reason="bad_token"}}; names ending in {@code _total} are
 * counters, the rest gauges.
 */
public final class TandemCounters
{
    /** Type id of relay counters. */
    public static final int RELAY_TYPE_ID = 7301;
    /** Type id of flow journal counters. */
    public static final int JOURNAL_TYPE_ID = 7302;
    /** Type id of transceiver counters. */
    public static final int TRANSCEIVER_TYPE_ID = 7303;
    /** Type id of backend bridge and reference backend counters. */
    public static final int BACKEND_TYPE_ID = 7304;
    /** Type id of signaling counters. */
    public static final int SIGNALING_TYPE_ID = 7305;

    private static final int FIRST_TYPE_ID = RELAY_TYPE_ID;
    private static final int LAST_TYPE_ID = 7399;

    private TandemCounters()
    {
    }

    /**
     * Allocate a counter in the media driver (cold path: a round trip to the driver).
     *
     * @param aeron  a connected client.
     * @param typeId one of this class's type ids.
     * @param name   the Prometheus metric name, e.g. {@code tandem_relay_packets_in_total}.
     * @param labels Prometheus labels without braces, e.g. {@code relay="1",worker="0"}, or empty.
     * @return the counter; close it to free it.
     */
    public static AtomicCounter add(final Aeron aeron, final int typeId, final String name, final String labels)
    {
        if (typeId < FIRST_TYPE_ID || typeId > LAST_TYPE_ID)
        {
            throw new IllegalArgumentException("not a Tandem counter type id: " + typeId);
        }
        return aeron.addCounter(typeId, series(name, labels));
    }

    /**
     * @param name   metric name.
     * @param labels labels without braces, or empty.
     * @return the Prometheus series text.
     */
    public static String series(final String name, final String labels)
    {
        return labels == null || labels.isEmpty() ? name : name + "{" + labels + "}";
    }

    /**
     * @param typeId an Aeron counter type id.
     * @return true when the counter is one of Tandem's.
     */
    public static boolean isTandem(final int typeId)
    {
        return typeId >= FIRST_TYPE_ID && typeId <= LAST_TYPE_ID;
    }

    /**
     * Every allocated Tandem counter, by label, in counter id order.
     *
     * @param reader the counters of a media driver.
     * @return label to value.
     */
    public static Map<String, Long> snapshot(final CountersReader reader)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (isTandem(typeId))
            {
                values.merge(label, reader.getCounterValue(counterId), Long::sum);
            }
        });
        return values;
    }

    /**
     * Render Tandem's counters as Prometheus text exposition format (version 0.0.4).
     *
     * @param reader the counters of a media driver.
     * @param out    where to append.
     */
    public static void renderPrometheus(final CountersReader reader, final StringBuilder out)
    {
        final Map<String, Map<String, Long>> byName = new LinkedHashMap<>();
        for (final Map.Entry<String, Long> entry : snapshot(reader).entrySet())
        {
            final String series = entry.getKey();
            final int brace = series.indexOf('{');
            final String name = brace < 0 ? series : series.substring(0, brace);
            byName.computeIfAbsent(name, (k) -> new LinkedHashMap<>()).put(series, entry.getValue());
        }
        for (final Map.Entry<String, Map<String, Long>> metric : byName.entrySet())
        {
            final String name = metric.getKey();
            out.append("# TYPE ").append(name).append(name.endsWith("_total") ? " counter\n" : " gauge\n");
            for (final Map.Entry<String, Long> series : metric.getValue().entrySet())
            {
                out.append(series.getKey()).append(' ').append(series.getValue()).append('\n');
            }
        }
    }
}
