package dev.tandem.dtls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

import dev.tandem.common.TandemCounters;
import io.aeron.Aeron;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The counters of a {@link DtlsEndpointFactory}, shared by all its endpoints (media threads and handshake threads
 * increment them concurrently). In production they live in the Aeron counters file as Prometheus series
 * ({@code tandem_dtls_*}); tests use an in-memory set.
 * <pre>
 *   tandem_dtls_handshakes_started_total
 *   tandem_dtls_handshakes_completed_total
 *   tandem_dtls_handshake_failures_total{reason="timeout"|"fingerprint_mismatch"|...}   one per DtlsFailure
 *   tandem_dtls_closed_total                              close_notify received after the handshake
 *   tandem_dtls_inbound_drops_total{reason="queue_full"|"oversize"|"closed"|"malformed"}
 *   tandem_dtls_outbound_drops_total                      outbound queue full (BC retransmits)
 *   tandem_dtls_application_data_drops_total              DTLS application data: no data channels here
 * </pre>
 */
public final class DtlsCounters implements AutoCloseable
{
    private final List<AtomicCounter> all = new ArrayList<>();
    final AtomicCounter handshakesStarted;
    final AtomicCounter handshakesCompleted;
    final AtomicCounter closed;
    final AtomicCounter[] failures;
    final AtomicCounter inboundQueueFull;
    final AtomicCounter inboundOversize;
    final AtomicCounter inboundClosed;
    final AtomicCounter inboundMalformed;
    final AtomicCounter outboundDropped;
    final AtomicCounter pumpRejected;
    final AtomicCounter applicationDataDropped;

    private DtlsCounters(final BiFunction<String, String, AtomicCounter> factory, final String labels)
    {
        final String prefix = labels == null || labels.isEmpty() ? "" : labels + ",";
        handshakesStarted = add(factory.apply("tandem_dtls_handshakes_started_total", labels));
        handshakesCompleted = add(factory.apply("tandem_dtls_handshakes_completed_total", labels));
        closed = add(factory.apply("tandem_dtls_closed_total", labels));
        final DtlsFailure[] reasons = DtlsFailure.values();
        failures = new AtomicCounter[reasons.length];
        for (final DtlsFailure reason : reasons)
        {
            final String label = prefix + "reason=\"" + reason.name().toLowerCase(Locale.ROOT) + "\"";
            failures[reason.ordinal()] = add(factory.apply("tandem_dtls_handshake_failures_total", label));
        }
        inboundQueueFull = add(factory.apply("tandem_dtls_inbound_drops_total", prefix + "reason=\"queue_full\""));
        inboundOversize = add(factory.apply("tandem_dtls_inbound_drops_total", prefix + "reason=\"oversize\""));
        inboundClosed = add(factory.apply("tandem_dtls_inbound_drops_total", prefix + "reason=\"closed\""));
        inboundMalformed = add(factory.apply("tandem_dtls_inbound_drops_total", prefix + "reason=\"malformed\""));
        outboundDropped = add(factory.apply("tandem_dtls_outbound_drops_total", labels));
        pumpRejected = add(factory.apply("tandem_dtls_pump_rejected_total", labels));
        applicationDataDropped = add(factory.apply("tandem_dtls_application_data_drops_total", labels));
    }

    /**
     * Counters in the media driver's counters file (cold path: one driver round trip per counter).
     *
     * @param aeron  a connected client.
     * @param labels Prometheus labels without braces, e.g. {@code transceiver="1"}, or empty.
     * @return the counters; close them to free them.
     */
    public static DtlsCounters create(final Aeron aeron, final String labels)
    {
        return new DtlsCounters(
            (name, lbl) -> TandemCounters.add(aeron, TandemCounters.TRANSCEIVER_TYPE_ID, name, lbl), labels);
    }

    /**
     * @return counters in a private buffer, readable only through this object: for tests, benchmarks and clients.
     */
    public static DtlsCounters inMemory()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * CountersManager.METADATA_LENGTH, 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * CountersManager.COUNTER_LENGTH, 64)));
        return new DtlsCounters(
            (name, lbl) -> manager.newCounter(TandemCounters.series(name, lbl), TandemCounters.TRANSCEIVER_TYPE_ID),
            "");
    }

    /**
     * @return handshakes that began (a server's first datagram, a client's start).
     */
    public long handshakesStarted()
    {
        return handshakesStarted.get();
    }

    /**
     * @return handshakes that completed with SRTP keys.
     */
    public long handshakesCompleted()
    {
        return handshakesCompleted.get();
    }

    /**
     * @param reason a failure reason.
     * @return endpoints that failed for it.
     */
    public long failures(final DtlsFailure reason)
    {
        return failures[reason.ordinal()].get();
    }

    /**
     * @return connections the peer closed with close_notify after the handshake.
     */
    public long closed()
    {
        return closed.get();
    }

    /**
     * @return inbound datagrams dropped because an endpoint's queue was full.
     */
    public long inboundQueueFull()
    {
        return inboundQueueFull.get();
    }

    /**
     * @return inbound datagrams dropped for being larger than the receive limit.
     */
    public long inboundOversize()
    {
        return inboundOversize.get();
    }

    /**
     * @return inbound datagrams dropped because the endpoint had closed or failed.
     */
    public long inboundClosed()
    {
        return inboundClosed.get();
    }

    /**
     * @return inbound datagrams dropped for not being DTLS records (or, before a server's handshake, a ClientHello).
     */
    public long inboundMalformed()
    {
        return inboundMalformed.get();
    }

    /**
     * @return outbound datagrams dropped because the media thread did not drain them in time.
     */
    public long outboundDropped()
    {
        return outboundDropped.get();
    }

    /**
     * @return DTLS application data records dropped (Tandem carries no data channel).
     */
    public long applicationDataDropped()
    {
        return applicationDataDropped.get();
    }

    /**
     * Free the counters.
     */
    @Override
    public void close()
    {
        CloseHelper.closeAll(all);
        all.clear();
    }

    private AtomicCounter add(final AtomicCounter counter)
    {
        all.add(counter);
        return counter;
    }
}
