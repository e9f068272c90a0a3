package dev.tandem.rtp;

import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

import java.util.List;

/**
 * Configuration of the per-session media pieces (jitter buffer, pacer, RTCP timer), for the transceiver command to
 * include in its settings. Defaults suit 20 ms Opus frames.
 */
public final class RtpSettings
{
    /** Sequence numbers the jitter buffer window holds. */
    public static final Setting<Integer> JITTER_FRAMES = Settings.integer(
        "rtp.jitter.frames", null, "16", 2, 1024,
        "jitter buffer window in frames (rounded up to a power of two)");
    /** Longest a frame waits for a missing one before it. */
    public static final Setting<Long> JITTER_MAX_WAIT = Settings.durationNs(
        "rtp.jitter.max-wait", null, "40ms",
        "longest an inbound frame waits for a missing earlier one before that one is skipped as lost");
    /** Frames that may wait behind a gap before it is given up. */
    public static final Setting<Integer> JITTER_MAX_WAIT_FRAMES = Settings.integer(
        "rtp.jitter.max-wait-frames", null, "3", 1, 1024,
        "inbound frames that may wait behind a missing one before it is skipped as lost");
    /** Largest RTP payload accepted, inbound and outbound. */
    public static final Setting<Long> MAX_PAYLOAD = Settings.sizeBytes(
        "rtp.max-payload", null, "1500", "largest audio payload in bytes a jitter buffer slot or the pacer holds");
    /** Frames the outbound pacer queues. */
    public static final Setting<Integer> PACER_FRAMES = Settings.integer(
        "rtp.pacer.frames", null, "512", 1, 65536,
        "outbound frames queued per session before overflow drops (512 x 20 ms = 10 s)");
    /** Payload bytes the outbound pacer queues. */
    public static final Setting<Long> PACER_BYTES = Settings.sizeBytes(
        "rtp.pacer.bytes", null, "64k", "outbound payload bytes queued per session before overflow drops");
    /** How much faster than real time the pacer sends a standing backlog. */
    public static final Setting<Integer> PACER_DRAIN = Settings.integer(
        "rtp.pacer.drain", null, String.valueOf(OutboundPacer.DEFAULT_DRAIN_PERCENT), 0,
        OutboundPacer.MAX_DRAIN_PERCENT,
        "percent faster than real time the pacer sends while frames have queued for a whole second (a backlog that a " +
        "real-time source would never drain); the client's jitter buffer absorbs it. 0: strict real time");
    /** Nominal interval between RTCP reports. */
    public static final Setting<Long> RTCP_INTERVAL = Settings.durationNs(
        "rtp.rtcp.interval", null, "1s", "nominal RTCP report interval, randomised by 0.5-1.5 (RFC 3550 6.3.1)");

    /** Every setting above, for a command's settings list. */
    public static final List<Setting<?>> SETTINGS = List.of(
        JITTER_FRAMES, JITTER_MAX_WAIT, JITTER_MAX_WAIT_FRAMES, MAX_PAYLOAD, PACER_FRAMES, PACER_BYTES, PACER_DRAIN,
        RTCP_INTERVAL);

    private RtpSettings()
    {
    }
}
