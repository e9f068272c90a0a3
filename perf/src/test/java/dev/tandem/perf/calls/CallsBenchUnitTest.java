package dev.tandem.perf.calls;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pieces of {@code bench calls} that need no deployment: masking secrets in command lines, the plot's axis,
 * integrating call-seconds.
 */
class CallsBenchUnitTest
{
    @Test
    void masksKeysAndTokensInTheCommandLinesItReports()
    {
        assertEquals("dev.tandem.launcher.Tandem relay --listen 127.0.0.1:1 --route.keys *** --workers 1",
            CallsBench.abbreviate("java @x -cp y dev.tandem.launcher.Tandem relay --listen 127.0.0.1:1 " +
            "--route.keys 1:gZhgqR2WvW0kIzk/ogEvaU5Db4s4P1GdNZZaXi8A3M4= --workers 1"));
        assertEquals("x --signaling.admin.token=*** --route.key.current 1",
            CallsBench.maskSecrets("x --signaling.admin.token=abc --route.key.current 1"));
    }

    @Test
    void labelsThePercentileAxisByNines()
    {
        assertEquals("0%", PercentilePlot.percentileLabel(0));
        assertEquals("90%", PercentilePlot.percentileLabel(1));
        assertEquals("99%", PercentilePlot.percentileLabel(2));
        assertEquals("99.9%", PercentilePlot.percentileLabel(3));
        assertEquals("99.999%", PercentilePlot.percentileLabel(5));
    }

    @Test
    void integratesConnectedCallsWithinTheWindowOnly()
    {
        final CallsBench.CallSeconds seconds = new CallsBench.CallSeconds();
        seconds.window(10_000_000_000L, 20_000_000_000L);
        seconds.change(5_000_000_000L, 2);   // two calls from 5 s: counted from 10 s
        seconds.change(12_000_000_000L, 1);  // a third at 12 s
        seconds.change(15_000_000_000L, -3); // all end at 15 s
        seconds.change(18_000_000_000L, 1);  // one more from 18 s, past the window's end at 20 s
        assertEquals(2 * 5 + 1 * 3 + 1 * 2, seconds.total(25_000_000_000L), 1e-9);
    }
}
