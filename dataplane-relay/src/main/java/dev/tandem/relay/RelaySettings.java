package dev.tandem.relay;

import dev.tandem.common.IdleMode;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;
import dev.tandem.journal.JournalSettings;
import dev.tandem.route.RouteSettings;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The relay's settings ({@code bin/tandem relay --help} lists them).
 */
public final class RelaySettings
{
    /** Which relay this is: part of its return stream ids, so relays may share a media driver. */
    public static final Setting<Integer> ID = Settings.integer(
        "relay.id", "id", "0", 0, 255, "relay id: return stream ids and counter labels");
    /** Worker threads. */
    public static final Setting<Integer> WORKERS = Settings.integer(
        "relay.workers", "workers", "1", 1, 255, "worker threads, each with its own SO_REUSEPORT socket(s)");
    /** Public addresses. */
    public static final Setting<String> LISTEN = Settings.string(
        "relay.listen", "listen", "0.0.0.0:3478",
        "public UDP addresses, comma separated, e.g. 0.0.0.0:3478,[::]:3478");
    /** Netty transport. */
    public static final Setting<TransportKind> TRANSPORT = Settings.enumeration(
        "relay.transport", "transport", "auto", TransportKind.class,
        "socket I/O: auto (io_uring, else epoll, else nio), io_uring, epoll, nio");
    /** How workers wait. */
    public static final Setting<IdleMode> IDLE = Settings.enumeration(
        "relay.idle", "idle", "backoff", IdleMode.class,
        "how workers wait without work: busy-spin (tuned hosts), yield, backoff, sleep");
    /** Wait in the socket instead of parking. */
    public static final Setting<Long> SOCKET_WAIT = Settings.durationNs(
        "relay.socket-wait", "socket-wait", null,
        "with idle=backoff: wait in the socket (io_uring/epoll/select) up to this long instead of parking, so a " +
        "datagram wakes the worker at once; 0us parks instead. Default: 1ms when a transceiver or echo runs on the " +
        "worker's thread (bench relay-echo), else 0us (the return stream would wait for the timeout)");
    /** Longest park of the backoff idle strategy. */
    public static final Setting<Long> MAX_PARK = Settings.durationNs(
        "relay.max-park", null, "100us", "longest park of the backoff idle strategy (when socket-wait is 0)");
    /** CPU pinning. */
    public static final Setting<String> CPUS = Settings.string(
        "relay.cpus", "cpus", "",
        "pin workers: empty (no pinning), auto (a free CPU each, never CPU 0), or a list such as 1,3");
    /** Datagram size limit. */
    public static final Setting<Integer> MAX_DATAGRAM = Settings.integer(
        "relay.max-datagram", null, "1500", 64, 65507, "bigger datagrams are dropped (oversize)");
    /** Socket buffers. */
    public static final Setting<Long> SOCKET_BUFFER = Settings.sizeBytes(
        "relay.socket-buffer", null, "4m", "SO_RCVBUF and SO_SNDBUF of each socket; 0 keeps the kernel's default");
    /** Flow table capacity. */
    public static final Setting<Integer> MAX_FLOWS = Settings.integer(
        "relay.flows.max", null, "65536", 1, 1 << 24,
        "flows per worker; with the journal every worker holds every flow of the host's relays on this port");
    /** Flow idle expiry. */
    public static final Setting<Long> FLOW_IDLE_TIMEOUT = Settings.durationNs(
        "relay.flows.idle-timeout", null, "30s", "a flow without client packets for this long is forgotten " +
        "(RFC 7675 consent timeout)");
    /** New flows per second per source IP. */
    public static final Setting<Integer> NEW_FLOW_RATE = Settings.integer(
        "relay.new-flows.rate", null, "20", 1, 1_000_000,
        "new flows per second one source IPv4 address (or IPv6 /64) may create");
    /** Burst of new flows per source IP. */
    public static final Setting<Integer> NEW_FLOW_BURST = Settings.integer(
        "relay.new-flows.burst", null, "40", 1, 1_000_000,
        "new flows one source IPv4 address (or IPv6 /64) may create at once");
    /** Rate limiter table size. */
    public static final Setting<Integer> NEW_FLOW_SOURCES = Settings.integer(
        "relay.new-flows.sources", null, "65536", 8, 1 << 24, "source IPs tracked by the new-flow limit, per worker");
    /** Static directory. */
    public static final Setting<String> DIRECTORY = Settings.string(
        "relay.directory", "directory", "",
        "static destinations CLUSTER.TRANSCEIVER=aeron:... separated by ';'");
    /** Directory template. */
    public static final Setting<String> DIRECTORY_TEMPLATE = Settings.string(
        "relay.directory.template", null, "",
        "channel for destinations without a static entry, with {cluster} {transceiver} {shard}, e.g. " +
        "aeron:udp?endpoint=transceiver-{transceiver}.tandem.svc:40{shard}");
    /** Directory default. */
    public static final Setting<String> DIRECTORY_DEFAULT = Settings.string(
        "relay.directory.default", null, "aeron:ipc",
        "channel for destinations without a static entry when there is no template; empty: unknown");
    /** Shards preloaded per static entry. */
    public static final Setting<Integer> DIRECTORY_SHARDS = Settings.integer(
        "relay.directory.shards", null, "1", 0, 1024,
        "for each static entry, publications to shards 0..N-1 are added at start");
    /** Return channel. */
    public static final Setting<String> RETURN_CHANNEL = Settings.string(
        "relay.return.channel", null, "aeron:ipc",
        "channel of the workers' return streams (stream id 100000 + relay*256 + worker)");
    /** Prometheus endpoint. */
    public static final Setting<InetSocketAddress> METRICS_LISTEN = Settings.socketAddress(
        "relay.metrics.listen", "metrics", null, "serve Prometheus text at http://HOST:PORT/metrics");
    /** Aeron directory of a running driver. */
    public static final Setting<String> AERON_DIR = Settings.string(
        "aeron.dir", "aeron-dir", null, "Aeron directory of a running media driver; default: an embedded driver");

    /** Every setting of {@code bin/tandem relay}. */
    public static final List<Setting<?>> ALL = Settings.combine(List.of(
        ID, WORKERS, LISTEN, TRANSPORT, IDLE, SOCKET_WAIT, MAX_PARK, CPUS, MAX_DATAGRAM, SOCKET_BUFFER, MAX_FLOWS,
        FLOW_IDLE_TIMEOUT, NEW_FLOW_RATE, NEW_FLOW_BURST, NEW_FLOW_SOURCES, DIRECTORY, DIRECTORY_TEMPLATE,
        DIRECTORY_DEFAULT, DIRECTORY_SHARDS, RETURN_CHANNEL, METRICS_LISTEN, AERON_DIR, RouteSettings.KEYS,
        RouteSettings.CURRENT_KEY), JournalSettings.ALL);

    private RelaySettings()
    {
    }
}
