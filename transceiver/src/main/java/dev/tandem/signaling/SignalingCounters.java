package dev.tandem.signaling;

import dev.tandem.sdp.SdpRejectReason;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the signaling server: requests by route and status, offers rejected by reason, connections dropped
 * because every HTTP thread was busy and the queue full. Plain {@link LongAdder}s, updated from HTTP threads; the
 * session layer reads them with {@link #forEach} to publish them (e.g. as Aeron counters), and /metrics renders them.
 */
public final class SignalingCounters
{
    /** Prometheus name of the request counter. */
    public static final String REQUESTS = "tandem_signaling_requests_total";
    /** Prometheus name of the rejected-offer counter. */
    public static final String OFFERS_REJECTED = "tandem_signaling_offers_rejected_total";
    /** Prometheus name of the calls-created counter. */
    public static final String CALLS_CREATED = "tandem_signaling_calls_created_total";
    /** Prometheus name of the overload counter. */
    public static final String OVERLOAD_DROPS = "tandem_signaling_overload_drops_total";

    /** Statuses counted on their own; any other falls into the last slot, labelled {@code other}. */
    private static final int[] STATUSES = { 200, 201, 204, 400, 404, 405, 413, 415, 500, 501, 503 };
    private static final int MAX_REJECT_REASONS = 64;
    private static final String OTHER = "other";

    /**
     * The routes requests are counted by; {@link #label()} is the Prometheus label value.
     */
    public enum Route
    {
        /** POST /v1/realtime/calls. */
        REALTIME_CREATE("realtime_create"),
        /** DELETE /v1/realtime/calls/{id}. */
        REALTIME_DELETE("realtime_delete"),
        /** POST /whip. */
        WHIP_CREATE("whip_create"),
        /** DELETE or PATCH /whip/{id}. */
        WHIP_RESOURCE("whip_resource"),
        /** OPTIONS on any route (CORS preflight). */
        OPTIONS("options"),
        /** GET /healthz. */
        HEALTHZ("healthz"),
        /** GET /readyz. */
        READYZ("readyz"),
        /** GET /metrics. */
        METRICS("metrics"),
        /** POST /admin/drain. */
        ADMIN("admin"),
        /** A registered static resource. */
        STATIC("static"),
        /** Anything else (404). */
        UNKNOWN("unknown");

        private final String label;

        Route(final String label)
        {
            this.label = label;
        }

        /**
         * @return the label value, e.g. {@code whip_create}.
         */
        public String label()
        {
            return label;
        }
    }

    /**
     * Receives one series at a time.
     */
    @FunctionalInterface
    public interface SeriesConsumer
    {
        /**
         * @param name   Prometheus metric name.
         * @param labels labels without braces, e.g. {@code route="whip_create",status="201"}.
         * @param value  the current value.
         */
        void accept(String name, String labels, long value);
    }

    private final LongAdder[][] requests = new LongAdder[Route.values().length][STATUSES.length + 1];
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final LongAdder callsCreated = new LongAdder();
    private final LongAdder overloadDrops = new LongAdder();

    SignalingCounters()
    {
        for (final LongAdder[] byStatus : requests)
        {
            for (int i = 0; i < byStatus.length; i++)
            {
                byStatus[i] = new LongAdder();
            }
        }
        // Known reasons start at 0 so a dashboard sees the series before the first rejection.
        for (final SdpRejectReason reason : SdpRejectReason.values())
        {
            rejected.put(reason.code(), new LongAdder());
        }
        for (final String reason : new String[]{ "unsupported_media_type", "bad_multipart", "full", "draining" })
        {
            rejected.put(reason, new LongAdder());
        }
    }

    void request(final Route route, final int status)
    {
        requests[route.ordinal()][statusSlot(status)].increment();
    }

    void rejected(final String reason)
    {
        LongAdder adder = rejected.get(reason);
        if (adder == null)
        {
            // Reasons come from code (ours and the handler's), but bound the map all the same.
            adder = rejected.size() < MAX_REJECT_REASONS ?
                rejected.computeIfAbsent(reason, (key) -> new LongAdder()) :
                rejected.computeIfAbsent(OTHER, (key) -> new LongAdder());
        }
        adder.increment();
    }

    void callCreated()
    {
        callsCreated.increment();
    }

    void overloadDrop()
    {
        overloadDrops.increment();
    }

    /**
     * @param route  a route.
     * @param status an HTTP status; statuses not counted on their own read the {@code other} slot.
     * @return requests answered on that route with that status.
     */
    public long requests(final Route route, final int status)
    {
        return requests[route.ordinal()][statusSlot(status)].sum();
    }

    /**
     * @param reason a reason code, e.g. {@code no_audio} or {@code full}.
     * @return offers rejected for it.
     */
    public long offersRejected(final String reason)
    {
        final LongAdder adder = rejected.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    /**
     * @return calls the handler created.
     */
    public long callsCreated()
    {
        return callsCreated.sum();
    }

    /**
     * @return connections closed unanswered because every HTTP thread was busy and the queue was full.
     */
    public long overloadDrops()
    {
        return overloadDrops.sum();
    }

    /**
     * Visit every series (cold path: builds label strings).
     *
     * @param consumer receives name, labels and value.
     */
    public void forEach(final SeriesConsumer consumer)
    {
        forEachRequest(consumer);
        forEachRejected(consumer);
        consumer.accept(CALLS_CREATED, "", callsCreated.sum());
        consumer.accept(OVERLOAD_DROPS, "", overloadDrops.sum());
    }

    /**
     * Append every series as Prometheus text exposition format, each family grouped under its HELP and TYPE lines.
     *
     * @param out where to append.
     */
    public void renderPrometheus(final StringBuilder out)
    {
        final SeriesConsumer sample = (name, labels, value) ->
            out.append(name).append(labels.isEmpty() ? "" : "{" + labels + "}").append(' ').append(value).append('\n');
        header(out, REQUESTS, "HTTP requests answered by the signaling server, by route and status.");
        forEachRequest(sample);
        header(out, OFFERS_REJECTED, "Offers (POST of an SDP offer) that did not create a call, by reason.");
        forEachRejected(sample);
        header(out, CALLS_CREATED, "Calls created through signaling.");
        sample.accept(CALLS_CREATED, "", callsCreated.sum());
        header(out, OVERLOAD_DROPS, "Connections closed unanswered because every HTTP thread was busy.");
        sample.accept(OVERLOAD_DROPS, "", overloadDrops.sum());
    }

    private void forEachRequest(final SeriesConsumer consumer)
    {
        for (final Route route : Route.values())
        {
            for (int slot = 0; slot <= STATUSES.length; slot++)
            {
                final long value = requests[route.ordinal()][slot].sum();
                if (value != 0)
                {
                    final String status = slot < STATUSES.length ? Integer.toString(STATUSES[slot]) : OTHER;
                    consumer.accept(REQUESTS, "route=\"" + route.label + "\",status=\"" + status + '"', value);
                }
            }
        }
    }

    private void forEachRejected(final SeriesConsumer consumer)
    {
        for (final Map.Entry<String, LongAdder> entry : new TreeMap<>(rejected).entrySet())
        {
            consumer.accept(OFFERS_REJECTED, "reason=\"" + entry.getKey() + '"', entry.getValue().sum());
        }
    }

    private static void header(final StringBuilder out, final String name, final String help)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" counter\n");
    }

    private static int statusSlot(final int status)
    {
        for (int i = 0; i < STATUSES.length; i++)
        {
            if (STATUSES[i] == status)
            {
                return i;
            }
        }
        return STATUSES.length;
    }
}
