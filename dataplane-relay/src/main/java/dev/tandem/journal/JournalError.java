package dev.tandem.journal;

/**
 * Why a journal entry was not written or not applied: each is a counter
 * {@code tandem_journal_errors_total{reason="..."}}.
 */
public enum JournalError
{
    /** An entry that is not a well-formed FlowEvent (truncated, another template, bad values): skipped. */
    CORRUPT("corrupt"),
    /** Chronicle failed to read at the reader's position: the reader skipped ahead. */
    READ("read"),
    /** Chronicle failed to append (disk full, lock timeout): the event is lost, the packet still forwarded. */
    APPEND("append"),
    /** A flow could not be restored or followed: the worker's table is full. */
    TABLE_FULL("table_full"),
    /** A flow could not be restored or followed: its route names no destination this relay knows. */
    UNKNOWN_DESTINATION("unknown_destination"),
    /** A flow could not be restored or followed: its listen socket index does not exist in this relay. */
    BAD_SOCKET("bad_socket");

    final String label;

    JournalError(final String label)
    {
        this.label = label;
    }
}
