package dev.tandem.perf.calls;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@code bench calls} run measured, filled in by {@link CallsBench} and written by {@link CallsReport}.
 * Histograms hold microseconds.
 */
final class CallsResult
{
    /** Setup: POST sent to the 201 answer. */
    static final String SETUP_ANSWER = "setup-answer";
    /** Setup: POST sent to the first ICE success. */
    static final String SETUP_ICE = "setup-ice";
    /** Setup: POST sent to DTLS done (SRTP keys out): the setup target's measure. */
    static final String SETUP_DTLS = "setup-dtls";
    /** Setup: POST sent to the first echoed frame. */
    static final String SETUP_FIRST_ECHO = "setup-first-echo";
    /** Setup: the call's scheduled start to DTLS done (includes waiting for an offer slot: no coordinated omission). */
    static final String SETUP_DTLS_SCHEDULED = "setup-dtls-from-schedule";
    /** Media round-trip time of every echoed frame. */
    static final String RTT = "rtt";
    /** RFC 3550 interarrival jitter of each call's echoed stream, one value per call. */
    static final String JITTER = "jitter";

    final Map<String, String> settings = new LinkedHashMap<>();
    final List<String> machine = new ArrayList<>();
    String command = "";
    String startedAt = "";
    double loadBefore = -1;
    double loadAfter = -1;
    double warmupSeconds;
    double measuredSeconds;
    double callSeconds;
    int peakConnected;
    /** Calls last the whole run (no --call-duration): a steady state, where the capacity targets apply. */
    boolean steady = true;

    long callsStarted;
    long callsAnswered;
    long callsConnected;
    long callsMeasured;
    long callsFailed;
    final Map<String, Long> failures = new TreeMap<>();

    long framesSent;
    long framesReceived;
    long framesUnique;
    long framesMissing;
    long framesOutOfOrder;
    long framesDuplicate;
    long framesCorrupt;
    long srtpRefused;

    final Map<String, Histogram> histograms = new LinkedHashMap<>();
    final List<ProcessResult> processes = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<String> files = new ArrayList<>();

    CallsResult()
    {
        for (final String name : List.of(SETUP_ANSWER, SETUP_ICE, SETUP_DTLS, SETUP_FIRST_ECHO, SETUP_DTLS_SCHEDULED,
            RTT, JITTER))
        {
            histograms.put(name, new Histogram(3_600_000_000L, 3));
        }
    }

    Histogram histogram(final String name)
    {
        return histograms.get(name);
    }

    /**
     * @return frames lost: missing over sent, in percent.
     */
    double lossPercent()
    {
        return framesSent == 0 ? 0 : 100.0 * framesMissing / framesSent;
    }

    void fail(final String reason)
    {
        callsFailed++;
        failures.merge(reason, 1L, Long::sum);
    }

    /**
     * CPU and GC of one measured process over the measurement window.
     */
    static final class ProcessResult
    {
        String role;
        long pid;
        String commandLine = "";
        long cpuNs;
        long userNs;
        long sysNs;
        /** CPU microseconds per call-second, or -1 when no call-seconds were measured. */
        double cpuUsPerCallSecond = -1;
        /** CPU of the in-process echo backend's threads over the window (excluded from capacity). */
        long backendCpuNs;
        /** The echo backend's threads' idle CPU in cores, or 0. */
        double backendIdleCores;
        /** Length of the measured window for this process. */
        long windowNs;
        /** CPU when idle (no calls), in cores, measured after the run; -1 when not measured. */
        double idleCores = -1;
        /** CPU microseconds per call-second above the idle CPU, or -1 when not measured. */
        double marginalUsPerCallSecond = -1;
        /** Calls one core of this process would carry: (1 - idle) / marginal, or 1 / total without idle. */
        double callsPerCore = -1;
        /** The capacity target in calls per core, or 0 when there is none (the load generator). */
        double targetCallsPerCore;
        final List<String> topThreads = new ArrayList<>();
        boolean gcKnown;
        final List<String> collectors = new ArrayList<>();
        long gcCollections;
        long gcTimeNs;
        long safepoints;
        long safepointTimeNs;
        long jitTimeNs;
        /** Pauses from the GC log written during the window, or -1 without a log. */
        long gcLogPauses = -1;
        double gcLogMaxPauseMs = -1;
        double gcLogTotalPauseMs = -1;
        String gcLogFile;
        String note = "";
    }
}
