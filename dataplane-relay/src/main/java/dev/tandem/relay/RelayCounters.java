package dev.tandem.relay;

import dev.tandem.common.TandemCounters;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One worker's counters in the media driver's counters file ({@code bin/tandem stat}, Prometheus). Written by the
 * worker thread only, with ordered writes ({@link AtomicCounter#incrementRelease()}), read from anywhere.
 */
final class RelayCounters implements AutoCloseable
{
    final AtomicCounter packetsIn;
    final AtomicCounter bytesIn;
    final AtomicCounter forwarded;
    final AtomicCounter forwardedBytes;
    final AtomicCounter sent;
    final AtomicCounter sentBytes;
    final AtomicCounter flowsActive;
    final AtomicCounter flowsCreated;
    final AtomicCounter flowsExpired;
    final AtomicCounter flowsClosed;
    final AtomicCounter[] drops;

    RelayCounters(final Aeron aeron, final int relayId, final int workerId)
    {
        final String labels = "relay=\"" + relayId + "\",worker=\"" + workerId + "\"";
        packetsIn = add(aeron, "tandem_relay_packets_in_total", labels);
        bytesIn = add(aeron, "tandem_relay_bytes_in_total", labels);
        forwarded = add(aeron, "tandem_relay_forwarded_total", labels);
        forwardedBytes = add(aeron, "tandem_relay_forwarded_bytes_total", labels);
        sent = add(aeron, "tandem_relay_sent_total", labels);
        sentBytes = add(aeron, "tandem_relay_sent_bytes_total", labels);
        flowsActive = add(aeron, "tandem_relay_flows_active", labels);
        flowsCreated = add(aeron, "tandem_relay_flows_created_total", labels);
        flowsExpired = add(aeron, "tandem_relay_flows_expired_total", labels);
        flowsClosed = add(aeron, "tandem_relay_flows_closed_total", labels);
        final DropReason[] reasons = DropReason.values();
        drops = new AtomicCounter[reasons.length];
        for (int i = 0; i < reasons.length; i++)
        {
            drops[i] = add(aeron, "tandem_relay_drops_total", labels + ",reason=\"" + reasons[i].label + "\"");
        }
    }

    private static AtomicCounter add(final Aeron aeron, final String name, final String labels)
    {
        return TandemCounters.add(aeron, TandemCounters.RELAY_TYPE_ID, name, labels);
    }

    void drop(final DropReason reason)
    {
        drops[reason.ordinal()].incrementRelease();
    }

    long drops(final DropReason reason)
    {
        return drops[reason.ordinal()].get();
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(packetsIn, bytesIn, forwarded, forwardedBytes, sent, sentBytes, flowsActive,
            flowsCreated, flowsExpired, flowsClosed);
        CloseHelper.closeAll(drops);
    }
}
