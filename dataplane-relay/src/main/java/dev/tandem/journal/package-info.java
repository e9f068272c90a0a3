/**
 * The relay's flow journal: every flow a relay worker opens, refreshes after a long gap, or closes is appended to a
 * Chronicle Queue on local disk, so a restarted relay, or a sibling relay process on the same port
 * ({@code SO_REUSEPORT}), knows the host's live flows and forwards DTLS and RTP of existing sessions before their
 * next STUN packet (DESIGN.md "Relay").
 * <p>
 * One queue per directory (one per host and relay port), shared by any number of relay processes. In a relay, the
 * workers never touch Chronicle (its appender blocks while a new cycle file is made, 9-23 ms in
 * docs/perf/journal-replay.md):
 * <pre>
 *   worker --JournalChannel outbound ring--> JournalAgent (own thread) --append--> Chronicle Queue on disk
 *   worker <--JournalChannel inbound ring--- JournalAgent <--one tailer per worker-- (entries of the host's other
 *                                                                                   workers and relay processes)
 * </pre>
 * Each excerpt is one SBE message, header then {@code FlowEvent} block, 48 bytes, little-endian (the schema's
 * byte order):
 * <pre>
 *   offset size  field           type    meaning
 *   +------+----+---------------+-------+-------------------------------------------------------------+
 *   |   0  |  2 | blockLength   | u16   | 40                                                          | SBE message
 *   |   2  |  2 | templateId    | u16   | 10 (FlowEvent)                                              | header
 *   |   4  |  2 | schemaId      | u16   | 7301                                                        |
 *   |   6  |  2 | version       | u16   | 1                                                           |
 *   +------+----+---------------+-------+-------------------------------------------------------------+
 *   |   8  |  8 | timeEpochNs   | i64   | wall clock of the event                                     | FlowEvent
 *   |  16  |  1 | eventType     | u8    | OPENED=1, REFRESHED=2, CLOSED=3                             | block
 *   |  17  |  8 | addressHigh   | u64   | client address bytes 0-7 (IPv4 as ::ffff:a.b.c.d)           |
 *   |  25  |  8 | addressLow    | u64   | client address bytes 8-15                                   |
 *   |  33  |  2 | port          | u16   | client port                                                 |
 *   |  35  |  1 | family        | u8    | 4 or 6                                                      |
 *   |  36  |  2 | relayId       | u16   | who wrote it: relay ...                                     |
 *   |  38  |  2 | workerId      | u16   | ... and worker                                              |
 *   |  40  |  2 | clusterId     | u16   | the flow's route: cluster, ...                              |
 *   |  42  |  2 | transceiverId | u16   | ... transceiver, ...                                        |
 *   |  44  |  2 | shardId       | u16   | ... shard ...                                               |
 *   |  46  |  1 | keyId         | u8    | ... and the key id of the token that made it                |
 *   |  47  |  1 | socketIndex   | u8    | which listen address of the relay the client talks to       |
 *   +------+----+---------------+-------+-------------------------------------------------------------+
 * </pre>
 * Every entry carries the whole flow, so any one entry restores it: replay needs only the entries of the last idle
 * timeout, whatever came before. Times are wall-clock (they must survive a restart); a reader turns them into its
 * own monotonic clock by their age.
 * <p>
 * {@link dev.tandem.journal.FlowJournal} opens a queue, {@link dev.tandem.journal.FlowJournalWriter} appends,
 * {@link dev.tandem.journal.FlowJournalReader} reads (replay and follow), skipping corrupt entries with a counter,
 * {@link dev.tandem.journal.JournalChannel} links a worker with the {@link dev.tandem.journal.JournalAgent}, which
 * appends, follows, deletes old cycles and measures lags, and {@link dev.tandem.journal.JournalDump} prints a
 * journal as text ({@code bin/tandem journal dump}).
 */
package dev.tandem.journal;
