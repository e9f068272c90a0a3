package dev.tandem.perf.calls;

import dev.tandem.client.CallOptions;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

import java.util.List;

/**
 * Settings of {@code bin/tandem bench calls}.
 */
public final class CallsSettings
{
    /** Signaling base URL of the deployment under test. */
    public static final Setting<String> URL = Settings.string(
        "bench.url", "url", "http://127.0.0.1:8080", "signaling base URL of the deployment under test");
    /** Concurrent calls at most. */
    public static final Setting<Integer> CALLS = Settings.integer(
        "bench.calls", "calls", "10", 1, 100_000, "concurrent calls at most (ramped up at --rate)");
    /** New calls per second. */
    public static final Setting<Integer> RATE = Settings.integer(
        "bench.rate", "rate", "50", 1, 10_000, "new calls per second (arrival rate) while below --calls");
    /** Measured time after the warm-up. */
    public static final Setting<Long> DURATION = Settings.durationNs(
        "bench.duration", "duration", "30s", "measured time after the warm-up");
    /** Warm-up: calls run, nothing is recorded. */
    public static final Setting<Long> WARMUP = Settings.durationNs(
        "bench.warmup", "warmup", "10s",
        "warm-up before measuring: calls start and run, but setup times, RTTs, CPU and GC are not recorded");
    /** Media time of one call. */
    public static final Setting<Long> CALL_DURATION = Settings.durationNs(
        "bench.call-duration", "call-duration", "0s",
        "media time of each call, then it hangs up and a new one may start; 0s: calls last until the run ends");
    /** Frame payload bytes. */
    public static final Setting<Integer> FRAME_BYTES = Settings.integer(
        "bench.frame-bytes", "frame-bytes", Integer.toString(CallOptions.FRAME_BYTES_DEFAULT), 20, 1200,
        "RTP payload bytes per frame (120: a 20 ms Opus frame at ~48 kbit/s)");
    /** Frame interval. */
    public static final Setting<Long> FRAME_INTERVAL = Settings.durationNs(
        "bench.frame-interval", "frame-interval", "20ms", "time between frames of a call");
    /** Report directory. */
    public static final Setting<String> REPORT = Settings.string(
        "bench.report", "report", "",
        "report directory (default: perf/target/bench-calls/DATE-TIME under the Tandem root)");
    /** Relay process. */
    public static final Setting<String> RELAY_PID = Settings.string(
        "bench.relay-pid", "relay-pid", "auto",
        "relay process to measure: a pid, auto (the owner of the UDP port the calls reach), or none");
    /** Transceiver process. */
    public static final Setting<String> TRANSCEIVER_PID = Settings.string(
        "bench.transceiver-pid", "transceiver-pid", "auto",
        "transceiver process to measure: a pid, auto (the process listening on the URL's port), or none");
    /** Media driver process. */
    public static final Setting<String> DRIVER_PID = Settings.string(
        "bench.driver-pid", "driver-pid", "none", "standalone media driver process to measure too: a pid, or none");
    /** GC logs of the measured processes. */
    public static final Setting<Boolean> GC_LOG = Settings.bool(
        "bench.gc-log", "gc-log", "true",
        "ask each measured JVM (jcmd PID VM.log) to write a GC log into the report for the measured window");
    /** Loopback source addresses. */
    public static final Setting<Integer> SOURCES = Settings.integer(
        "bench.sources", "sources", "64", 1, 254,
        "with a loopback URL, spread calls over this many source addresses 127.0.1.N, as distinct clients " +
        "(the relay limits new flows per source address); 1: the default address");
    /** Signaling API. */
    public static final Setting<CallOptions.Signaling> SIGNALING = Settings.enumeration(
        "bench.signaling", "signaling", "realtime", CallOptions.Signaling.class,
        "signaling API: realtime (POST /v1/realtime/calls) or whip (POST /whip)");
    /** Client instances. */
    public static final Setting<Integer> CLIENTS = Settings.integer(
        "bench.clients", "clients", "1", 1, 64, "WebRTC clients (each one selector thread), calls spread over them");
    /** Offers in flight per client. */
    public static final Setting<Integer> MAX_OFFERS = Settings.integer(
        "bench.max-offers", "max-offers", "16", 1, 4096, "offers posted and not yet answered at most, per client");
    /** DTLS threads per client. */
    public static final Setting<Integer> DTLS_THREADS = Settings.integer(
        "bench.dtls-threads", "dtls-threads", "4", 1, 256, "DTLS handshake threads per client");
    /** Idle measurement after the calls. */
    public static final Setting<Long> IDLE = Settings.durationNs(
        "bench.idle", "idle", "3s",
        "after the calls ended, measure each process's idle CPU this long, to split its cost into idle and per " +
        "call; 0s: skip (calls per core then come from the total)");
    /** Progress line interval. */
    public static final Setting<Long> PROGRESS = Settings.durationNs(
        "bench.progress", "progress", "5s", "interval of the progress line on standard error; 0s: none");

    /** Every setting, in --help order. */
    public static final List<Setting<?>> ALL = List.of(
        URL, CALLS, RATE, DURATION, WARMUP, CALL_DURATION, FRAME_BYTES, FRAME_INTERVAL, REPORT, RELAY_PID,
        TRANSCEIVER_PID, DRIVER_PID, GC_LOG, SOURCES, SIGNALING, CLIENTS, MAX_OFFERS, DTLS_THREADS, IDLE, PROGRESS);

    private CallsSettings()
    {
    }
}
