package dev.tandem.journal;

import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

import java.nio.file.Path;
import java.util.List;

/**
 * The flow journal's settings, part of {@code bin/tandem relay}'s.
 */
public final class JournalSettings
{
    /** Journal on or off. */
    public static final Setting<Boolean> ENABLED = Settings.bool(
        "relay.journal.enabled", "journal", "true",
        "append flow events to a Chronicle Queue and replay them at start, so a restarted relay, or a sibling on " +
        "the same port, forwards existing sessions before their next STUN packet");
    /** Where the queue lives. */
    public static final Setting<String> DIR = Settings.string(
        "relay.journal.dir", "journal-dir", "",
        "journal directory, shared by every relay process on this host and port. Default: " +
        "$TMPDIR/tandem/relay-journal-PORT (a fresh temporary directory when the port is 0). In containers, a host " +
        "directory mounted into every relay on the host, e.g. /var/lib/tandem/journal/3478");
    /** How often a new file starts. */
    public static final Setting<JournalRollCycle> ROLL_CYCLE = Settings.enumeration(
        "relay.journal.roll-cycle", null, "five-minutely", JournalRollCycle.class,
        "a new journal file every: minutely, five-minutely, ten-minutely, twenty-minutely, half-hourly, hourly");
    /** How long files are kept. */
    public static final Setting<Long> RETENTION = Settings.durationNs(
        "relay.journal.retention", null, "10m",
        "files whose cycle ended longer ago than this are deleted; at least relay.flows.idle-timeout, since a " +
        "restart replays one idle timeout");
    /** Quiet time after which a flow's packets write a REFRESHED entry. */
    public static final Setting<Long> REFRESH_GAP = Settings.durationNs(
        "relay.journal.refresh-gap", null, null,
        "a flow with packets writes a REFRESHED entry when its last entry is this old, so a steady flow writes " +
        "rarely; shorter than relay.flows.idle-timeout. Default: half the idle timeout");

    /** Every journal setting. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, DIR, ROLL_CYCLE, RETENTION, REFRESH_GAP);

    private JournalSettings()
    {
    }

    /**
     * @param port a relay port.
     * @return the default journal directory of relays on that port: {@code $TMPDIR/tandem/relay-journal-PORT}. The
     *     journal only has to outlive a relay process, not the host (its flows expire within an idle timeout), and
     *     every relay process on the port must find the same directory without being told.
     */
    public static Path defaultDirectory(final int port)
    {
        return Path.of(System.getProperty("java.io.tmpdir"), "tandem", "relay-journal-" + port);
    }
}
