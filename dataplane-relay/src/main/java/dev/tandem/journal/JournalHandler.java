package dev.tandem.journal;

/**
 * Receives the well-formed entries a {@link FlowJournalReader} reads.
 */
@FunctionalInterface
public interface JournalHandler
{
    /**
     * @param entry the entry; a view valid only during the call.
     */
    void onEntry(JournalEntry entry);
}
