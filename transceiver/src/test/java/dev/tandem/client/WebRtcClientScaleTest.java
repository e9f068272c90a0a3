package dev.tandem.client;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many calls from one client thread against the echo peer: every frame of every call comes back, in order.
 */
@Tag("slow")
class WebRtcClientScaleTest
{
    private static final int CALLS = 100;
    private static final int FRAMES = 100;

    @Test
    void hundredConcurrentCallsEachGetEveryFrameBack() throws Exception
    {
        try (EchoPeer peer = new EchoPeer();
            WebRtcClient client = WebRtcClient.start(new WebRtcClient.Context().name("scale-client")))
        {
            final CallOptions options = new CallOptions().baseUri(peer.baseUri()).frames(FRAMES)
                .drainTimeoutNs(TimeUnit.SECONDS.toNanos(10)).hangupWhenDone(true);
            final List<CompletableFuture<ClientCall>> answered = new ArrayList<>();
            for (int i = 0; i < CALLS; i++)
            {
                answered.add(client.call(options));
            }
            final Histogram setupUs = new Histogram(3);
            final Histogram rttUs = new Histogram(3);
            long frames = 0;
            for (final CompletableFuture<ClientCall> future : answered)
            {
                final CallStats stats = future.get(30, TimeUnit.SECONDS).ended().get(60, TimeUnit.SECONDS);
                assertEquals(EndReason.HANGUP, stats.endReason(), stats.toString());
                assertEquals(FRAMES, stats.framesUnique(), stats.toString());
                assertTrue(stats.inOrder(), stats.toString());
                setupUs.recordValue(stats.sinceOfferNs(CallStage.DTLS_CONNECTED) / 1000);
                rttUs.add(stats.rttUs());
                frames += stats.framesUnique();
            }
            assertEquals((long)CALLS * FRAMES, frames);
            System.out.printf(
                "%d calls: setup p50 %.1f ms p99 %.1f ms max %.1f ms; rtt p50 %d us p99 %d us max %d us%n", CALLS,
                setupUs.getValueAtPercentile(50) / 1e3, setupUs.getValueAtPercentile(99) / 1e3,
                setupUs.getMaxValue() / 1e3, rttUs.getValueAtPercentile(50), rttUs.getValueAtPercentile(99),
                rttUs.getMaxValue());
            WebRtcClientTest.awaitTrue(() -> client.activeCalls() == 0);
        }
    }
}
