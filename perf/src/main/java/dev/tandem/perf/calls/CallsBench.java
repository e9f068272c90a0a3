package dev.tandem.perf.calls;

import dev.tandem.client.CallFailedException;
import dev.tandem.client.CallOptions;
import dev.tandem.client.CallStage;
import dev.tandem.client.CallStats;
import dev.tandem.client.ClientCall;
import dev.tandem.client.EndReason;
import dev.tandem.client.WebRtcClient;
import dev.tandem.common.Log;
import dev.tandem.config.Config;
import dev.tandem.perf.proc.GcLog;
import dev.tandem.perf.proc.GcSnapshot;
import dev.tandem.perf.proc.JvmPerfData;
import dev.tandem.perf.proc.ProcessCpu;
import dev.tandem.perf.proc.SocketOwners;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bin/tandem bench calls}: a load generator of real calls against a running deployment. Each call does what
 * a browser does ({@link WebRtcClient}: HTTP offer, controlling ICE with consent checks, DTLS client, SRTP) and then
 * sends Opus-sized frames every 20 ms whose payload carries the send time, so every echoed frame gives a round-trip
 * time through relay, transceiver and echo backend.
 * <p>
 * Calls start at {@code --rate} per second while fewer than {@code --calls} are open; each sends for
 * {@code --call-duration} (or until the run ends), hangs up, and makes room for the next. After the warm-up it
 * records per call the setup time of each stage (answer, ICE, DTLS, first echo), every frame's round-trip time,
 * each call's jitter and lost frames, and per measured process (relay, transceiver, their media driver, this
 * load generator) the CPU time from {@code /proc} and the garbage collections from the JVM's own counters
 * ({@link JvmPerfData}) plus a GC log the JVM writes on request ({@link GcLog}). It writes the report
 * ({@link CallsReport}) and prints one summary line.
 */
public final class CallsBench
{
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long END_GRACE_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long HIGHEST_US = 3_600_000_000L;
    private static final String[] RECORDED = {
        CallsResult.SETUP_ANSWER, CallsResult.SETUP_ICE, CallsResult.SETUP_DTLS, CallsResult.SETUP_FIRST_ECHO,
        CallsResult.SETUP_DTLS_SCHEDULED };

    private final Config config;
    private final PrintStream out;
    private final CallsResult result = new CallsResult();
    private final Map<String, Recorder> recorders = new HashMap<>();
    private final Map<String, Histogram> progressWindow = new HashMap<>();
    private final List<WebRtcClient> clients = new ArrayList<>();
    private final List<Measured> measured = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger connectedNow = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final CallSeconds callSeconds = new CallSeconds();
    private volatile InetSocketAddress relayAddress;
    private boolean discovered;
    private Path reportDir;
    private HistogramLogWriter log;
    private long warmupEndNs;
    private long endNs;
    private long runStartNs;

    private CallsBench(final Config config, final PrintStream out)
    {
        this.config = config;
        this.out = out;
        for (final String name : RECORDED)
        {
            recorders.put(name, new Recorder(HIGHEST_US, 3));
        }
    }

    /**
     * @param args command-line arguments after {@code calls}.
     * @param out  where the help and the summary line go (progress goes to standard error).
     * @return the exit code: 0 when every call connected and the report was written, 1 when calls failed.
     * @throws Exception when the report cannot be written.
     */
    public static int run(final String[] args, final PrintStream out) throws Exception
    {
        final Config config = Config.parse(CallsSettings.ALL, args);
        if (config.helpRequested())
        {
            out.print("Usage: bin/tandem bench calls --url http://HOST:PORT [OPTIONS]\n\n" +
                "Real calls against a running deployment (signaling, ICE, DTLS, SRTP, 20 ms frames echoed back):\n" +
                "setup time per stage, media round trip, jitter and loss, CPU per call-second and GC of the relay\n" +
                "and the transceiver. Writes a report directory (report.html, *.hgrm, bench.hlog, summary.txt,\n" +
                "*.svg, GC logs) and prints one summary line. Against loopback the relay must allow the arrival\n" +
                "rate of new flows per source address (see --sources).\n\nOptions:\n" +
                Config.describe(CallsSettings.ALL));
            return 0;
        }
        return new CallsBench(config, out).run(String.join(" ", args));
    }

    private int run(final String argsText) throws Exception
    {
        reportDir = reportDirectory();
        Files.createDirectories(reportDir);
        result.command = "bin/tandem bench calls " + argsText;
        result.startedAt = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " UTC";
        result.settings.putAll(config.effective());
        result.machine.addAll(machine());
        result.loadBefore = loadAverage();
        result.warmupSeconds = config.get(CallsSettings.WARMUP) / 1e9;
        result.measuredSeconds = config.get(CallsSettings.DURATION) / 1e9;
        result.steady = config.get(CallsSettings.CALL_DURATION) == 0;

        for (int i = 0; i < config.get(CallsSettings.CLIENTS); i++)
        {
            clients.add(WebRtcClient.start(new WebRtcClient.Context()
                .name("bench-calls-" + i)
                .maxOffersInFlight(config.get(CallsSettings.MAX_OFFERS))
                .dtlsThreads(config.get(CallsSettings.DTLS_THREADS), 4096)));
        }
        try (PrintStream hlog = new PrintStream(Files.newOutputStream(reportDir.resolve("bench.hlog")), true,
            StandardCharsets.UTF_8))
        {
            log = new HistogramLogWriter(hlog);
            log.outputComment("Tandem bench calls: " + result.command);
            log.outputComment("tags: " + String.join(", ", RECORDED) + ", " + CallsResult.RTT +
                "; values in microseconds; intervals of 1 s");
            log.outputLogFormatVersion();
            final long startMs = System.currentTimeMillis();
            log.outputStartTime(startMs);
            log.setBaseTime(startMs);
            log.outputLegend();
            drive();
        }
        finally
        {
            for (final WebRtcClient client : clients)
            {
                client.close();
            }
        }
        result.callsStarted = started.get();
        result.files.add("bench.hlog");
        result.loadAfter = loadAverage();
        if (result.loadBefore > Runtime.getRuntime().availableProcessors() ||
            result.loadAfter > Runtime.getRuntime().availableProcessors())
        {
            result.notes.add(String.format(Locale.ROOT, "The host was busy: load average %.2f before and %.2f after " +
                "on %d CPUs; absolute times and CPU shares include other processes' interference.",
                result.loadBefore, result.loadAfter, Runtime.getRuntime().availableProcessors()));
        }
        final String line = CallsReport.write(result, reportDir);
        out.println(line);
        out.println("bench calls: report " + reportDir.resolve("report.html"));
        return result.callsFailed == 0 && result.callsConnected > 0 ? 0 : 1;
    }

    private void drive() throws IOException
    {
        final int maxCalls = config.get(CallsSettings.CALLS);
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / config.get(CallsSettings.RATE);
        final long progressNs = config.get(CallsSettings.PROGRESS);
        runStartNs = System.nanoTime();
        warmupEndNs = runStartNs + config.get(CallsSettings.WARMUP);
        endNs = warmupEndNs + config.get(CallsSettings.DURATION);
        callSeconds.window(warmupEndNs, endNs);
        long nextDueNs = runStartNs;
        long nextTickNs = runStartNs + TICK_NS;
        long nextProgressNs = progressNs > 0 ? runStartNs + progressNs : Long.MAX_VALUE;
        boolean measuring = false;
        long index = 0;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (!discovered && relayAddress != null && nowNs < warmupEndNs)
            {
                discover();
            }
            if (!measuring && nowNs >= warmupEndNs)
            {
                // close the warm-up's last interval first, so none of its samples reach the measured histograms
                tick(nowNs, false);
                nextTickNs = nowNs + TICK_NS;
                measuring = true;
                startMeasuring();
            }
            if (nowNs >= endNs)
            {
                break;
            }
            if (nowNs >= nextDueNs)
            {
                if (open.get() < maxCalls)
                {
                    startCall(index++, nextDueNs, nowNs);
                    nextDueNs += intervalNs;
                }
                else
                {
                    nextDueNs = nowNs + intervalNs; // at capacity: no backlog of arrivals builds up
                }
            }
            if (nowNs >= nextTickNs)
            {
                tick(nowNs, measuring);
                nextTickNs += TICK_NS;
            }
            if (nowNs >= nextProgressNs)
            {
                progress(nowNs, measuring);
                nextProgressNs += progressNs;
            }
            final long waitNs = Math.min(Math.min(nextDueNs, nextTickNs), Math.min(nextProgressNs, endNs)) - nowNs;
            if (waitNs > 0)
            {
                LockSupport.parkNanos(waitNs);
            }
        }
        stopMeasuring();
        // Every call's media stops at the end of the run; wait for the echoes to drain and the calls to hang up.
        final long deadlineNs = System.nanoTime() + DRAIN_NS + END_GRACE_NS;
        while (open.get() > 0 && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        if (open.get() > 0)
        {
            result.notes.add(open.get() + " call(s) had not ended " + (DRAIN_NS + END_GRACE_NS) / 1_000_000_000L +
                " s after the run; closing the client ended them");
        }
        for (final WebRtcClient client : clients)
        {
            client.close();
        }
        tick(System.nanoTime(), true);
        measureIdle(config.get(CallsSettings.IDLE));
    }

    /**
     * With every call ended, measure each process's CPU when idle (its idle strategy's wake-ups, timers), so the
     * report can split the cost under load into idle and per call: calls per core = (1 core - idle) / marginal.
     */
    private void measureIdle(final long idleNs)
    {
        if (idleNs <= 0 || result.processes.isEmpty())
        {
            return;
        }
        final long[] before = new long[result.processes.size()];
        final long[] backendBefore = new long[before.length];
        for (int i = 0; i < before.length; i++)
        {
            before[i] = ProcessCpu.cpuNs(result.processes.get(i).pid);
            backendBefore[i] = backendCpuNs(result.processes.get(i).pid);
        }
        final long startNs = System.nanoTime();
        LockSupport.parkNanos(idleNs);
        final long elapsedNs = System.nanoTime() - startNs;
        for (int i = 0; i < before.length; i++)
        {
            final CallsResult.ProcessResult process = result.processes.get(i);
            final long after = ProcessCpu.cpuNs(process.pid);
            if (before[i] < 0 || after < 0 || "bench".equals(process.role))
            {
                continue;
            }
            process.idleCores = (after - before[i]) / (double)elapsedNs;
            process.backendIdleCores = (backendCpuNs(process.pid) - backendBefore[i]) / (double)elapsedNs;
            if (result.callSeconds > 0)
            {
                // The echo backend is this benchmark's stand-in for an inference backend, which a deployment runs
                // elsewhere: capacity counts the transceiver's own threads only.
                final double idleCores = process.idleCores - process.backendIdleCores;
                final double loadNs = process.cpuNs - process.backendCpuNs - idleCores * process.windowNs;
                process.marginalUsPerCallSecond = Math.max(0, loadNs) / 1e3 / result.callSeconds;
                if (process.marginalUsPerCallSecond > 0)
                {
                    process.callsPerCore = (1 - idleCores) * 1e6 / process.marginalUsPerCallSecond;
                }
            }
        }
    }

    private void startCall(final long index, final long dueNs, final long nowNs)
    {
        final boolean measure = dueNs >= warmupEndNs;
        final long callDurationNs = config.get(CallsSettings.CALL_DURATION);
        final long frameIntervalNs = config.get(CallsSettings.FRAME_INTERVAL);
        final long untilEndNs = endNs - nowNs;
        final long mediaNs = Math.max(frameIntervalNs,
            callDurationNs > 0 ? Math.min(callDurationNs, untilEndNs) : untilEndNs);
        final CallOptions options = new CallOptions()
            .baseUri(config.get(CallsSettings.URL))
            .signaling(config.get(CallsSettings.SIGNALING))
            .frameBytes(config.get(CallsSettings.FRAME_BYTES))
            .frameIntervalNs(frameIntervalNs)
            .mediaDurationNs(mediaNs)
            .drainTimeoutNs(DRAIN_NS)
            .hangupWhenDone(true);
        final InetAddress source = sourceAddress(index);
        if (source != null)
        {
            options.bindAddress(source);
        }
        final WebRtcClient client = clients.get((int)(index % clients.size()));
        open.incrementAndGet();
        started.incrementAndGet();
        try
        {
            client.call(options).whenComplete((call, failure) ->
            {
                if (failure != null)
                {
                    onFailedBeforeAnswer(failure);
                    return;
                }
                synchronized (result)
                {
                    result.callsAnswered++;
                }
                call.connected().whenComplete((connected, notConnected) ->
                {
                    if (notConnected == null)
                    {
                        onConnected(call, dueNs, measure);
                    }
                });
                call.ended().whenComplete((stats, ignored) -> onEnded(call, stats, measure));
            });
        }
        catch (final RuntimeException ex)
        {
            onFailedBeforeAnswer(ex);
        }
    }

    private void onFailedBeforeAnswer(final Throwable failure)
    {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
            failure.getCause() : failure;
        String reason = cause.getClass().getSimpleName();
        if (cause instanceof CallFailedException)
        {
            final CallStats stats = ((CallFailedException)cause).stats();
            reason = reason(stats);
        }
        synchronized (result)
        {
            result.fail(reason);
        }
        open.decrementAndGet();
    }

    /**
     * Runs on a client's thread when DTLS completed: record the setup stages.
     */
    private void onConnected(final ClientCall call, final long dueNs, final boolean measure)
    {
        final long nowNs = System.nanoTime();
        callSeconds.change(nowNs, 1);
        final int now = connectedNow.incrementAndGet();
        final CallStats stats = call.stats();
        synchronized (result)
        {
            result.callsConnected++;
            result.peakConnected = Math.max(result.peakConnected, now);
            if (measure)
            {
                result.callsMeasured++;
            }
        }
        if (relayAddress == null && stats.remoteAddress() != null)
        {
            relayAddress = stats.remoteAddress();
        }
        if (measure)
        {
            record(CallsResult.SETUP_ANSWER, stats.sinceOfferNs(CallStage.ANSWER_RECEIVED));
            record(CallsResult.SETUP_ICE, stats.sinceOfferNs(CallStage.ICE_CONNECTED));
            record(CallsResult.SETUP_DTLS, stats.sinceOfferNs(CallStage.DTLS_CONNECTED));
            record(CallsResult.SETUP_DTLS_SCHEDULED, stats.timeNs(CallStage.DTLS_CONNECTED) - dueNs);
        }
    }

    /**
     * Runs on a client's thread when a call ended, for whatever reason.
     */
    private void onEnded(final ClientCall call, final CallStats stats, final boolean measure)
    {
        if (stats.reached(CallStage.DTLS_CONNECTED))
        {
            callSeconds.change(stats.reached(CallStage.ENDED) ? stats.timeNs(CallStage.ENDED) : System.nanoTime(), -1);
            connectedNow.decrementAndGet();
        }
        if (measure && stats.reached(CallStage.FIRST_ECHO))
        {
            record(CallsResult.SETUP_FIRST_ECHO, stats.sinceOfferNs(CallStage.FIRST_ECHO));
        }
        synchronized (result)
        {
            if (stats.endReason() != EndReason.HANGUP)
            {
                result.fail(reason(stats));
            }
            result.framesSent += stats.framesSent();
            result.framesReceived += stats.framesReceived();
            result.framesUnique += stats.framesUnique();
            result.framesMissing += stats.framesMissing();
            result.framesOutOfOrder += stats.framesOutOfOrder();
            result.framesDuplicate += stats.framesDuplicate();
            result.framesCorrupt += stats.framesCorrupt();
            result.srtpRefused += stats.srtpRefused();
            if (stats.framesReceived() > 1)
            {
                final Histogram jitter = result.histogram(CallsResult.JITTER);
                jitter.recordValue(Math.min(HIGHEST_US, Math.max(0, stats.jitterNs() / 1000)));
            }
        }
        open.decrementAndGet();
    }

    private static String reason(final CallStats stats)
    {
        final EndReason reason = stats.endReason();
        String text = reason == null ? "unknown" : reason.name().toLowerCase(Locale.ROOT);
        if (reason == EndReason.SIGNALING_FAILED && stats.httpStatus() != 0)
        {
            text += "_" + stats.httpStatus();
        }
        return text;
    }

    private void record(final String name, final long ns)
    {
        if (ns >= 0)
        {
            recorders.get(name).recordValue(Math.min(HIGHEST_US, Math.max(1, ns / 1000)));
        }
    }

    /**
     * Once a second: interval histograms into the log, and (once measuring) into the totals.
     */
    private void tick(final long nowNs, final boolean measuring)
    {
        final Histogram rtt = rttInterval();
        writeInterval(CallsResult.RTT, rtt, measuring);
        for (final String name : RECORDED)
        {
            writeInterval(name, recorders.get(name).getIntervalHistogram(), measuring);
        }
    }

    private Histogram rttInterval()
    {
        Histogram sum = null;
        for (final WebRtcClient client : clients)
        {
            final Histogram interval = client.rttRecorder().getIntervalHistogram();
            if (sum == null)
            {
                sum = interval;
            }
            else
            {
                sum.add(interval);
                sum.setStartTimeStamp(Math.min(sum.getStartTimeStamp(), interval.getStartTimeStamp()));
                sum.setEndTimeStamp(Math.max(sum.getEndTimeStamp(), interval.getEndTimeStamp()));
            }
        }
        return sum;
    }

    private void writeInterval(final String name, final Histogram interval, final boolean measuring)
    {
        if (interval == null)
        {
            return;
        }
        interval.setTag(name);
        if (interval.getTotalCount() > 0)
        {
            log.outputIntervalHistogram(interval);
        }
        progressWindow.computeIfAbsent(name, (key) -> new Histogram(HIGHEST_US, 3)).add(interval);
        if (measuring)
        {
            result.histogram(name).add(interval);
        }
    }

    private void progress(final long nowNs, final boolean measuring)
    {
        final StringBuilder line = new StringBuilder(256);
        line.append(String.format(Locale.ROOT, "bench calls [%4.0fs/%.0fs %s] open=%d connected=%d started=%d " +
            "failed=%d", (nowNs - runStartNs) / 1e9, (endNs - runStartNs) / 1e9, measuring ? "measuring" : "warm-up",
            open.get(), connectedNow.get(), started.get(), failedSoFar()));
        final Histogram setup = progressWindow.get(CallsResult.SETUP_DTLS);
        if (setup != null && setup.getTotalCount() > 0)
        {
            line.append(String.format(Locale.ROOT, " setup_ms p50=%.1f p99=%.1f", setup.getValueAtPercentile(50) /
                1e3, setup.getValueAtPercentile(99) / 1e3));
        }
        final Histogram rtt = progressWindow.get(CallsResult.RTT);
        if (rtt != null && rtt.getTotalCount() > 0)
        {
            line.append(String.format(Locale.ROOT, " rtt_ms p50=%.2f p99=%.2f max=%.1f", rtt.getValueAtPercentile(50) /
                1e3, rtt.getValueAtPercentile(99) / 1e3, rtt.getMaxValue() / 1e3));
        }
        for (final Measured process : measured)
        {
            final double percent = process.cpuSinceLastPercent(nowNs);
            if (nowNs - warmupEndNs > TICK_NS)
            {
                line.append(String.format(Locale.ROOT, " %s_cpu=%.0f%%", process.role, percent));
            }
        }
        progressWindow.values().forEach(Histogram::reset);
        System.err.println(line);
    }

    private long failedSoFar()
    {
        synchronized (result)
        {
            return result.callsFailed;
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Processes

    /**
     * Find the processes to measure and attach to them (JVM counters, GC logs): as soon as the first call connected
     * (its server candidate names the relay's port), or at the end of the warm-up at the latest.
     */
    private void discover()
    {
        discovered = true;
        final long self = ProcessHandle.current().pid();
        long transceiver = pid(config.get(CallsSettings.TRANSCEIVER_PID), () ->
            SocketOwners.tcpListener(URI.create(config.get(CallsSettings.URL)).getPort()));
        final InetSocketAddress relay = relayAddress;
        long relayPid = pid(config.get(CallsSettings.RELAY_PID), () ->
            relay == null ? -1 : SocketOwners.udpOwner(relay.getPort()));
        if ("auto".equals(config.get(CallsSettings.RELAY_PID)) && relayPid < 0)
        {
            result.notes.add("relay pid: no process found owning UDP port " + (relay == null ? "?" : relay.getPort()) +
                " (give --relay-pid)");
        }
        // Found by port in this very process (a test that runs everything in one JVM): measured as "bench" only,
        // unless a pid was given.
        if (transceiver == self && "auto".equals(config.get(CallsSettings.TRANSCEIVER_PID)))
        {
            transceiver = -1;
        }
        if (relayPid == self && "auto".equals(config.get(CallsSettings.RELAY_PID)))
        {
            relayPid = -1;
        }
        if (relayPid > 0 && relayPid == transceiver)
        {
            measured.add(new Measured("relay+transceiver", relayPid, CallsReport.COMBINED_CALLS_PER_CORE));
        }
        else
        {
            if (relayPid > 0)
            {
                measured.add(new Measured("relay", relayPid, CallsReport.RELAY_CALLS_PER_CORE));
            }
            if (transceiver > 0)
            {
                measured.add(new Measured("transceiver", transceiver, CallsReport.TRANSCEIVER_CALLS_PER_CORE));
            }
        }
        final long driver = pid(config.get(CallsSettings.DRIVER_PID), () -> -1);
        if (driver > 0 && driver != relayPid && driver != transceiver)
        {
            measured.add(new Measured("driver", driver, 0));
        }
        if (relayPid != self && transceiver != self)
        {
            measured.add(new Measured("bench", self, 0));
        }
        for (final Measured process : measured)
        {
            process.attach(config.get(CallsSettings.GC_LOG) ? reportDir.resolve("gc-" + process.role + ".log") : null);
        }
    }

    private void startMeasuring()
    {
        if (!discovered)
        {
            discover();
        }
        for (final Measured process : measured)
        {
            process.beginWindow();
        }
    }

    private void stopMeasuring()
    {
        final double seconds = callSeconds.total(System.nanoTime());
        result.callSeconds = seconds;
        for (final Measured process : measured)
        {
            result.processes.add(process.stop(seconds));
        }
    }

    private long pid(final String text, final java.util.function.LongSupplier auto)
    {
        if ("none".equalsIgnoreCase(text) || text.isEmpty())
        {
            return -1;
        }
        if ("auto".equalsIgnoreCase(text))
        {
            return auto.getAsLong();
        }
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new dev.tandem.config.ConfigException("not a pid, auto or none: '" + text + "'");
        }
    }

    /**
     * One process measured over the window: CPU from /proc, GC from its perf counters and a GC log.
     */
    private final class Measured
    {
        final String role;
        final long pid;
        final double targetCallsPerCore;
        long[] cpuStart;
        long lastCpuNs;
        long lastSampleNs;
        long windowStartNs;
        final Map<Long, Long> threadStart = new HashMap<>();
        JvmPerfData perf;
        GcSnapshot gcStart;
        double uptimeStartS = -1;
        GcLog gcLog;
        String note = "";

        Measured(final String role, final long pid, final double targetCallsPerCore)
        {
            this.role = role;
            this.pid = pid;
            this.targetCallsPerCore = targetCallsPerCore;
        }

        /**
         * Open the JVM counters and start the GC log: spawns jcmd, so it runs before the measured window (during
         * the warm-up), where its CPU does not disturb what is measured.
         */
        void attach(final Path gcLogFile)
        {
            try
            {
                perf = JvmPerfData.open(pid);
            }
            catch (final IOException ex)
            {
                note += "no JVM counters: " + ex.getMessage() + ". ";
            }
            if (gcLogFile != null)
            {
                try
                {
                    gcLog = GcLog.start(pid, gcLogFile);
                }
                catch (final IOException ex)
                {
                    note += "no GC log: " + ex.getMessage() + ". ";
                }
            }
        }

        /**
         * The measured window starts: read CPU times and counters (cheap reads of /proc and shared memory).
         */
        void beginWindow()
        {
            for (final ProcessCpu.ThreadCpu thread : ProcessCpu.threads(pid))
            {
                threadStart.put(thread.tid(), thread.cpuNs());
            }
            if (perf != null)
            {
                gcStart = perf.gc();
                uptimeStartS = perf.uptimeSeconds();
            }
            cpuStart = ProcessCpu.userSystemNs(pid);
            windowStartNs = System.nanoTime();
            lastCpuNs = cpuStart == null ? 0 : cpuStart[0] + cpuStart[1];
            lastSampleNs = System.nanoTime();
        }

        double cpuSinceLastPercent(final long nowNs)
        {
            final long cpuNs = ProcessCpu.cpuNs(pid);
            final double percent = nowNs > lastSampleNs ? 100.0 * (cpuNs - lastCpuNs) / (nowNs - lastSampleNs) : 0;
            lastCpuNs = cpuNs;
            lastSampleNs = nowNs;
            return percent;
        }

        CallsResult.ProcessResult stop(final double callSeconds)
        {
            final long[] cpuEnd = ProcessCpu.userSystemNs(pid);
            final CallsResult.ProcessResult process = new CallsResult.ProcessResult();
            process.windowNs = System.nanoTime() - windowStartNs;
            process.role = role;
            process.pid = pid;
            process.commandLine = abbreviate(ProcessCpu.commandLine(pid));
            process.targetCallsPerCore = targetCallsPerCore;
            if (cpuStart != null && cpuEnd != null)
            {
                process.userNs = cpuEnd[0] - cpuStart[0];
                process.sysNs = cpuEnd[1] - cpuStart[1];
                process.cpuNs = process.userNs + process.sysNs;
                if (callSeconds > 0)
                {
                    process.cpuUsPerCallSecond = process.cpuNs / 1e3 / callSeconds;
                    process.callsPerCore = process.cpuUsPerCallSecond > 0 ? 1e6 / process.cpuUsPerCallSecond : -1;
                }
            }
            else
            {
                note += "process gone before the end. ";
            }
            final List<ProcessCpu.ThreadCpu> threads = new ArrayList<>(ProcessCpu.threads(pid));
            for (final ProcessCpu.ThreadCpu thread : threads)
            {
                if (isBackendThread(thread))
                {
                    process.backendCpuNs += thread.cpuNs() - threadStart.getOrDefault(thread.tid(), 0L);
                }
            }
            threads.sort((a, b) -> Long.compare(b.cpuNs() - threadStart.getOrDefault(b.tid(), 0L),
                a.cpuNs() - threadStart.getOrDefault(a.tid(), 0L)));
            for (int i = 0; i < Math.min(6, threads.size()); i++)
            {
                final ProcessCpu.ThreadCpu thread = threads.get(i);
                final long deltaNs = thread.cpuNs() - threadStart.getOrDefault(thread.tid(), 0L);
                if (deltaNs > 0)
                {
                    process.topThreads.add(thread.name() + " " + String.format(Locale.ROOT, "%.2f", deltaNs / 1e9));
                }
            }
            if (perf != null && gcStart != null)
            {
                final GcSnapshot end = perf.gc();
                process.gcKnown = true;
                for (int i = 0; i < end.collectors(); i++)
                {
                    process.collectors.add(end.name(i));
                }
                // Concurrent cycles (G1's "G1 stop-the-world phases" are pauses, its concurrent marking is not) are
                // counted by their own collector entry; the GC log below lists the actual pauses.
                process.gcCollections = end.totalInvocations() - gcStart.totalInvocations();
                process.gcTimeNs = end.totalTimeNs() - gcStart.totalTimeNs();
                process.safepoints = end.safepoints() - gcStart.safepoints();
                process.safepointTimeNs = end.safepointTimeNs() - gcStart.safepointTimeNs();
                process.jitTimeNs = end.jitTimeNs() - gcStart.jitTimeNs();
            }
            if (gcLog != null)
            {
                try
                {
                    final double uptimeEndS = perf != null ? perf.uptimeSeconds() : -1;
                    gcLog.stop();
                    // the log also holds the warm-up's collections: keep those of the window
                    final List<Double> pauses = uptimeStartS >= 0 && uptimeEndS >= 0 ?
                        gcLog.pausesMs(uptimeStartS, uptimeEndS) : gcLog.pausesMs();
                    process.gcLogPauses = pauses.size();
                    process.gcLogMaxPauseMs = pauses.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                    process.gcLogTotalPauseMs = pauses.stream().mapToDouble(Double::doubleValue).sum();
                    process.gcLogFile = gcLog.file().getFileName().toString();
                    result.files.add(process.gcLogFile);
                }
                catch (final IOException ex)
                {
                    note += "GC log: " + ex.getMessage() + ". ";
                }
            }
            if (perf != null)
            {
                try
                {
                    perf.close();
                }
                catch (final IOException ignored)
                {
                    // read-only mapping
                }
            }
            process.note = note.trim();
            return process;
        }
    }

    static boolean isBackendThread(final ProcessCpu.ThreadCpu thread)
    {
        return thread.name().startsWith("echo");
    }

    private static long backendCpuNs(final long pid)
    {
        long sum = 0;
        for (final ProcessCpu.ThreadCpu thread : ProcessCpu.threads(pid))
        {
            if (isBackendThread(thread))
            {
                sum += thread.cpuNs();
            }
        }
        return sum;
    }

    static String abbreviate(final String commandLine)
    {
        // The JVM options file makes command lines long; keep the main class and what follows.
        final int main = commandLine.indexOf("dev.tandem.");
        final String tail = maskSecrets(main >= 0 ? commandLine.substring(main) : commandLine);
        return tail.length() > 300 ? tail.substring(0, 300) + " ..." : tail;
    }

    /**
     * @param commandLine a command line.
     * @return the same with the values of key, token, secret and password options replaced by {@code ***}.
     */
    static String maskSecrets(final String commandLine)
    {
        return commandLine.replaceAll("(--[\\w.-]*(?:keys?|token|secret|password))(=|\\s+)\\S+", "$1$2***");
    }

    // -------------------------------------------------------------------------------------------------------------
    // Environment

    private InetAddress sourceAddress(final long index)
    {
        final int sources = config.get(CallsSettings.SOURCES);
        if (sources <= 1)
        {
            return null;
        }
        final String host = URI.create(config.get(CallsSettings.URL)).getHost();
        try
        {
            if (host == null || !InetAddress.getByName(host).isLoopbackAddress())
            {
                return null;
            }
            return InetAddress.getByAddress(new byte[]{ 127, 0, 1, (byte)(1 + index % sources) });
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }

    private Path reportDirectory()
    {
        final String configured = config.get(CallsSettings.REPORT);
        if (!configured.isEmpty())
        {
            return Paths.get(configured).toAbsolutePath();
        }
        final String root = System.getProperty("tandem.root", ".");
        return Paths.get(root, "perf", "target", "bench-calls",
            LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    static double loadAverage()
    {
        try
        {
            return Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).split(" ")[0]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    static List<String> machine()
    {
        final List<String> lines = new ArrayList<>();
        lines.add("cpus: " + Runtime.getRuntime().availableProcessors());
        try
        {
            for (final String line : Files.readAllLines(Paths.get("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    lines.add("cpu model: " + line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
            lines.add("kernel: " + Files.readString(Paths.get("/proc/sys/kernel/osrelease")).trim());
        }
        catch (final IOException ex)
        {
            Log.debug("bench", "no /proc: " + ex);
        }
        lines.add("memory: " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap (load generator)");
        lines.add("jvm: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return lines;
    }

    /**
     * Integrates the number of connected calls over time, within the measured window: call-seconds.
     */
    static final class CallSeconds
    {
        private long windowStartNs;
        private long windowEndNs = Long.MAX_VALUE;
        private long lastNs = Long.MIN_VALUE;
        private long connected;
        private double seconds;

        synchronized void window(final long startNs, final long endNs)
        {
            this.windowStartNs = startNs;
            this.windowEndNs = endNs;
        }

        synchronized void change(final long nowNs, final int delta)
        {
            advance(nowNs);
            connected += delta;
        }

        synchronized double total(final long nowNs)
        {
            advance(nowNs);
            return seconds;
        }

        private void advance(final long nowNs)
        {
            if (lastNs != Long.MIN_VALUE)
            {
                final long from = Math.max(lastNs, windowStartNs);
                final long to = Math.min(nowNs, windowEndNs);
                if (to > from)
                {
                    seconds += connected * (to - from) / 1e9;
                }
            }
            lastNs = Math.max(lastNs, nowNs);
        }
    }
}
