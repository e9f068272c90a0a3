package dev.tandem.backend;

import dev.tandem.common.TandemCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;

/**
 * Counters in a local counters manager, for tests that run without a media driver.
 */
final class LocalCounters
{
    private LocalCounters()
    {
    }

    static BackendCounters newBackendCounters(final String labels)
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
        return new BackendCounters(
            (name, seriesLabels) -> manager.newCounter(
                TandemCounters.series(name, seriesLabels), TandemCounters.BACKEND_TYPE_ID),
            labels);
    }
}
