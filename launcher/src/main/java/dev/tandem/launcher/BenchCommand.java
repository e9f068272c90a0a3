package dev.tandem.launcher;

import dev.tandem.config.Command;
import dev.tandem.perf.JournalReplayBench;
import dev.tandem.perf.RelayEcho;
import dev.tandem.perf.calls.CallsBench;

import java.util.Arrays;

/**
 * {@code bin/tandem bench NAME}: whole-process benchmarks that a load generator drives from outside.
 */
final class BenchCommand implements Command
{
    @Override
    public String name()
    {
        return "bench";
    }

    @Override
    public String summary()
    {
        return "benchmarks: calls (a load generator of real calls), relay-echo (a relay plus an echo, for udp-load), "
            + "journal-replay";
    }

    @Override
    public int run(final String[] args) throws Exception
    {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]))
        {
            System.out.print("Usage: bin/tandem bench NAME [OPTIONS]   (bin/tandem bench NAME --help)\n\n" +
                "Benchmarks:\n" +
                "  calls           real calls against a running deployment: setup times, media RTT, CPU and GC\n" +
                "  relay-echo      a relay plus an in-process echo transceiver over Aeron IPC\n" +
                "  journal-replay  a relay's time to ready on a flow journal of many live flows\n");
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        if ("calls".equals(args[0]))
        {
            return CallsBench.run(Arrays.copyOfRange(args, 1, args.length), System.out);
        }
        if ("relay-echo".equals(args[0]))
        {
            return RelayEcho.run(Arrays.copyOfRange(args, 1, args.length), System.out);
        }
        if ("journal-replay".equals(args[0]))
        {
            return JournalReplayBench.run(Arrays.copyOfRange(args, 1, args.length), System.out);
        }
        System.err.println("tandem bench: unknown benchmark '" + args[0] + "' (see bin/tandem bench --help)");
        return EXIT_USAGE;
    }
}
