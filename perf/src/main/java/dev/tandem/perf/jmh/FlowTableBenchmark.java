package dev.tandem.perf.jmh;

import dev.tandem.common.ClientAddress;
import dev.tandem.relay.FlowTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The relay's flow table: lookup of an existing flow (every DTLS/RTP datagram) and insert plus remove (a STUN
 * request from a new client, a FlowClose), at half the table's capacity in use.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowTableBenchmark
{
    private static final int FLOWS = 32_768;
    private final FlowTable table = new FlowTable(FLOWS * 2);
    private final long[] lows = new long[FLOWS];
    private final int[] ports = new int[FLOWS];
    private int next;

    /**
     * Fill the table with random IPv4 clients.
     */
    @Setup
    public void setUp()
    {
        final Random random = new Random(1);
        for (int i = 0; i < FLOWS; i++)
        {
            lows[i] = ClientAddress.ipv4Low(random.nextInt());
            ports[i] = 1024 + random.nextInt(60_000);
            if (table.find(0, lows[i], ports[i]) < 0)
            {
                table.insert(0, lows[i], ports[i], i, 0, 0, null, 0);
            }
        }
    }

    /**
     * @return the slot of an existing flow.
     */
    @Benchmark
    public int lookupHit()
    {
        final int i = next++ & (FLOWS - 1);
        return table.find(0, lows[i], ports[i]);
    }

    /**
     * @return the slot of a flow inserted and removed again.
     */
    @Benchmark
    public int insertRemove()
    {
        final int i = next++ & (FLOWS - 1);
        final int slot = table.insert(1, lows[i], ports[i], i, 0, 0, null, i);
        table.remove(1, lows[i], ports[i]);
        return slot;
    }
}
