package dev.tandem.transceiver;

import dev.tandem.common.IdleMode;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

import java.util.List;

/**
 * Settings of a transceiver process: identity in the route token, shards, the relay's public addresses that go
 * into SDP candidates, Aeron channels, timeouts and the optional in-process echo backend.
 */
public final class TransceiverSettings
{
    /** Cluster id minted into route tokens. */
    public static final Setting<Integer> CLUSTER_ID = Settings.integer(
        "transceiver.cluster-id", "cluster-id", "0", 0, 0xFFFF, "cluster id minted into route tokens");
    /** Transceiver id minted into route tokens. */
    public static final Setting<Integer> TRANSCEIVER_ID = Settings.integer(
        "transceiver.id", "id", "0", 0, 0xFFFF, "this transceiver's id, minted into route tokens");
    /** Number of media shards (agents). */
    public static final Setting<Integer> SHARDS = Settings.integer(
        "transceiver.shards", "shards", "1", 1, 64, "media shards, each an agent with its own sessions");
    /** Most sessions per shard. */
    public static final Setting<Integer> MAX_SESSIONS = Settings.integer(
        "transceiver.max-sessions", "max-sessions", "4096", 1, 1_000_000,
        "most concurrent sessions per shard; more get 503");
    /** Relay public addresses advertised as ICE candidates. */
    public static final Setting<String> CANDIDATES = Settings.string(
        "transceiver.candidates", "candidates", "auto",
        "relay public addresses for the SDP candidates, HOST:PORT,... ('auto': every non-loopback address of " +
        "this machine at --candidate-port, loopback only when there is no other)");
    /** Port used with automatic candidate addresses. */
    public static final Setting<Integer> CANDIDATE_PORT = Settings.integer(
        "transceiver.candidate-port", "candidate-port", "3478", 1, 65535,
        "the relay's public UDP port, for automatic candidates");
    /** Where relays send ingress to this transceiver. */
    public static final Setting<String> INGRESS_CHANNEL = Settings.string(
        "transceiver.ingress.channel", null, "aeron:ipc",
        "Aeron channel the relays forward client packets on (stream 1000 + shard), e.g. " +
        "aeron:udp?endpoint=0.0.0.0:40100");
    /** Channel template of relay return streams. */
    public static final Setting<String> RELAY_CHANNEL = Settings.string(
        "transceiver.relay.channel", null, "aeron:ipc",
        "Aeron channel of relay return streams; {relay} is replaced by the relay id, e.g. " +
        "aeron:udp?endpoint=relay-{relay}.tandem:40200");
    /** Relays whose return streams are added at start. */
    public static final Setting<String> RELAYS = Settings.string(
        "transceiver.relays", null, "",
        "relays known at start as RELAY_ID:WORKERS,... so the first answer to a client is not dropped while a " +
        "return publication is added (others are added on first sight)");
    /** Backend channel. */
    public static final Setting<String> BACKEND_CHANNEL = Settings.string(
        "transceiver.backend.channel", null, "aeron:ipc",
        "Aeron channel to and from the backend (streams 3000/4000 + shard)");
    /** Consent timeout. */
    public static final Setting<Long> CONSENT_TIMEOUT = Settings.durationNs(
        "transceiver.consent-timeout", null, "30s",
        "a session with no authenticated ICE check for this long ends (RFC 7675)");
    /** Setup timeout. */
    public static final Setting<Long> SETUP_TIMEOUT = Settings.durationNs(
        "transceiver.setup-timeout", null, "20s", "a session whose ICE and DTLS are not done by then ends");
    /** Idle strategy of media agents. */
    public static final Setting<IdleMode> IDLE = Settings.enumeration(
        "transceiver.idle", "idle", "backoff", IdleMode.class,
        "how media agents wait: busy-spin (tuned hosts), yield, backoff, sleep");
    /** How long a drain waits for calls to end. */
    public static final Setting<Long> DRAIN_DEADLINE = Settings.durationNs(
        "transceiver.drain.deadline", "drain-deadline", "10m",
        "while draining (SIGTERM or POST /admin/drain), calls still open after this long are ended");
    /** Drain on SIGTERM. */
    public static final Setting<Boolean> DRAIN_ON_SIGTERM = Settings.bool(
        "transceiver.drain.on-sigterm", null, "true",
        "SIGTERM drains (refuse new calls, wait for open ones up to the deadline) before exiting; " +
        "SIGINT stops at once");
    /** Run the echo backend in process. */
    public static final Setting<Boolean> ECHO = Settings.bool(
        "transceiver.echo", "echo", "false", "run the echo reference backend in this process");
    /** Aeron directory of an external driver. */
    public static final Setting<String> AERON_DIR = Settings.string(
        "aeron.dir", "aeron-dir", null,
        "Aeron directory of a running media driver (bin/tandem driver); default: an embedded driver");

    /** Every setting above. */
    public static final List<Setting<?>> ALL = List.of(
        CLUSTER_ID, TRANSCEIVER_ID, SHARDS, MAX_SESSIONS, CANDIDATES, CANDIDATE_PORT, INGRESS_CHANNEL, RELAY_CHANNEL,
        RELAYS, BACKEND_CHANNEL, CONSENT_TIMEOUT, SETUP_TIMEOUT, DRAIN_DEADLINE, DRAIN_ON_SIGTERM, IDLE, ECHO,
        AERON_DIR);

    private TransceiverSettings()
    {
    }
}
