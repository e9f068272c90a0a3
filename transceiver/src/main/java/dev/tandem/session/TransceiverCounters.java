package dev.tandem.session;

import dev.tandem.common.TandemCounters;
import dev.tandem.ice.IceStatus;
import dev.tandem.sbe.CloseReason;
import dev.tandem.srtp.SrtpStatus;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * The counters of one media shard, in Aeron's counters file (readable by {@code bin/tandem stat} and exported on
 * {@code /metrics}). Series are {@code tandem_transceiver_*{transceiver="T",shard="S"...}}.
 */
final class TransceiverCounters implements AutoCloseable
{
    final AtomicCounter sessionsActive;
    final AtomicCounter sessionsCreated;
    final AtomicCounter sessionsConnected;
    final AtomicCounter packetsIn;
    final AtomicCounter bytesIn;
    final AtomicCounter packetsOut;
    final AtomicCounter bytesOut;
    final AtomicCounter stunChecks;
    final AtomicCounter framesToBackend;
    final AtomicCounter framesFromBackend;
    final AtomicCounter rtcpIn;
    final AtomicCounter rtcpOut;
    final AtomicCounter dtlsHandshakes;
    final AtomicCounter egressDropped;
    final AtomicCounter dropNoSession;
    final AtomicCounter dropBadStun;
    final AtomicCounter dropNotValidated;
    final AtomicCounter dropNotConnected;
    final AtomicCounter dropDtlsQueueFull;
    final AtomicCounter dropBadRtp;
    final AtomicCounter dropBadRtcp;
    final AtomicCounter dropPayloadType;
    final AtomicCounter dropMalformedIngress;
    final AtomicCounter dropJitter;
    final AtomicCounter dropPacerOverflow;
    final AtomicCounter setupNsTotal;
    final AtomicCounter pacerDrainedNs;

    private final AtomicCounter[] iceByStatus = new AtomicCounter[16];
    private final AtomicCounter[] srtpByStatus = new AtomicCounter[32];
    private final AtomicCounter[] endedByReason = new AtomicCounter[CloseReason.values().length + 1];
    private final List<AtomicCounter> all = new ArrayList<>();
    private final Aeron aeron;
    private final String labels;

    TransceiverCounters(final Aeron aeron, final int transceiverId, final int shardId)
    {
        this.aeron = aeron;
        this.labels = "transceiver=\"" + transceiverId + "\",shard=\"" + shardId + "\"";
        sessionsActive = add("tandem_transceiver_sessions", "");
        sessionsCreated = add("tandem_transceiver_sessions_created_total", "");
        sessionsConnected = add("tandem_transceiver_sessions_connected_total", "");
        packetsIn = add("tandem_transceiver_packets_in_total", "");
        bytesIn = add("tandem_transceiver_bytes_in_total", "");
        packetsOut = add("tandem_transceiver_packets_out_total", "");
        bytesOut = add("tandem_transceiver_bytes_out_total", "");
        stunChecks = add("tandem_transceiver_ice_checks_total", "");
        framesToBackend = add("tandem_transceiver_frames_to_backend_total", "");
        framesFromBackend = add("tandem_transceiver_frames_from_backend_total", "");
        rtcpIn = add("tandem_transceiver_rtcp_in_total", "");
        rtcpOut = add("tandem_transceiver_rtcp_out_total", "");
        dtlsHandshakes = add("tandem_transceiver_dtls_handshakes_total", "");
        egressDropped = add("tandem_transceiver_drops_total", ",reason=\"egress\"");
        dropNoSession = add("tandem_transceiver_drops_total", ",reason=\"no_session\"");
        dropBadStun = add("tandem_transceiver_drops_total", ",reason=\"bad_stun\"");
        dropNotValidated = add("tandem_transceiver_drops_total", ",reason=\"not_validated\"");
        dropNotConnected = add("tandem_transceiver_drops_total", ",reason=\"not_connected\"");
        dropDtlsQueueFull = add("tandem_transceiver_drops_total", ",reason=\"dtls_queue_full\"");
        dropBadRtp = add("tandem_transceiver_drops_total", ",reason=\"bad_rtp\"");
        dropBadRtcp = add("tandem_transceiver_drops_total", ",reason=\"bad_rtcp\"");
        dropPayloadType = add("tandem_transceiver_drops_total", ",reason=\"payload_type\"");
        dropMalformedIngress = add("tandem_transceiver_drops_total", ",reason=\"malformed_ingress\"");
        dropJitter = add("tandem_transceiver_drops_total", ",reason=\"jitter_buffer\"");
        dropPacerOverflow = add("tandem_transceiver_drops_total", ",reason=\"pacer_overflow\"");
        setupNsTotal = add("tandem_transceiver_setup_ns_total", "");
        pacerDrainedNs = add("tandem_transceiver_pacer_drained_ns_total", "");
        for (final int status : new int[]{
            IceStatus.IGNORED, IceStatus.BAD_FINGERPRINT, IceStatus.MISSING_CREDENTIALS, IceStatus.BAD_USERNAME,
            IceStatus.BAD_INTEGRITY, IceStatus.ROLE_CONFLICT, IceStatus.UNKNOWN_ATTRIBUTE })
        {
            iceByStatus[-status] = add("tandem_transceiver_ice_refused_total",
                ",reason=\"" + IceStatus.reason(status) + "\"");
        }
        for (int status = -1; status > -SrtpStatus.CODE_COUNT; status--)
        {
            srtpByStatus[-status] =
                add("tandem_transceiver_srtp_refused_total", ",reason=\"" + srtpLabel(status) + "\"");
        }
        for (final CloseReason reason : CloseReason.values())
        {
            if (reason != CloseReason.NULL_VAL)
            {
                endedByReason[reason.ordinal()] = add("tandem_transceiver_sessions_ended_total",
                    ",reason=\"" + reason.name().toLowerCase(java.util.Locale.ROOT) + "\"");
            }
        }
    }

    /**
     * @param status a negative {@link IceStatus}.
     */
    void iceRefused(final int status)
    {
        final int index = -status;
        if (index > 0 && index < iceByStatus.length && iceByStatus[index] != null)
        {
            iceByStatus[index].incrementRelease();
        }
    }

    /**
     * @param status a negative {@link SrtpStatus}.
     */
    void srtpRefused(final int status)
    {
        final int index = -status;
        if (index > 0 && index < srtpByStatus.length && srtpByStatus[index] != null)
        {
            srtpByStatus[index].incrementRelease();
        }
    }

    /**
     * @param reason why a session ended.
     */
    void ended(final CloseReason reason)
    {
        endedByReason[reason.ordinal()].incrementRelease();
    }

    static String srtpLabel(final int status)
    {
        switch (status)
        {
            case SrtpStatus.TOO_SHORT:
                return "too_short";
            case SrtpStatus.BAD_VERSION:
                return "bad_version";
            case SrtpStatus.AUTH_FAILED:
                return "auth_failed";
            case SrtpStatus.REPLAYED:
                return "replayed";
            case SrtpStatus.TOO_OLD:
                return "too_old";
            case SrtpStatus.UNKNOWN_SSRC_LIMIT:
                return "ssrc_limit";
            case SrtpStatus.NO_TAILROOM:
                return "no_tailroom";
            case SrtpStatus.BAD_ARGUMENT:
                return "bad_argument";
            case SrtpStatus.KEY_EXPIRED:
                return "key_expired";
            default:
                return "status_" + (-status);
        }
    }

    @Override
    public void close()
    {
        all.forEach(CloseHelper::quietClose);
        all.clear();
    }

    private AtomicCounter add(final String name, final String extraLabels)
    {
        final AtomicCounter counter =
            TandemCounters.add(aeron, TandemCounters.TRANSCEIVER_TYPE_ID, name, labels + extraLabels);
        all.add(counter);
        return counter;
    }
}
