package org.cgledger.persistence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cgledger.core.model.HierarchyId;

/**
 * Reads a ledger's journal back as it is stored, for audit and history: every stream's records
 * merged into ledger-wide order, nothing checked, cut or written (a damaged journal is read as it
 * is, so the audit can say what is wrong). Takes the ledger's lock while reading.
 */
public final class Journals {

    private Journals() {
    }

    /** One stored record with where it is stored. */
    public record Stored(String persistenceId, long sequenceNr, Recorded record) {
    }

    /**
     * Every record of the ledger in {@code dir}, ordered by ledger-wide number (ties, which only a
     * damaged journal has, by stream and sequence number).
     *
     * @throws LedgerException if the ledger is locked past {@code lockTimeout}, missing or unreadable
     */
    public static List<Stored> readAll(Path dir, Duration lockTimeout) {
        try (JournalRows rows = JournalRows.open(dir, lockTimeout)) {
            return rows.readAll();
        }
    }

    /** The stream of a persistence id, or null for one that is not cgledger's. */
    public static HierarchyId streamOf(String persistenceId) {
        if (persistenceId.equals("cgledger-system")) {
            return HierarchyId.DEFAULT;
        }
        String prefix = "cgledger-hierarchy-";
        if (persistenceId.startsWith(prefix)) {
            try {
                return new HierarchyId(Integer.parseInt(persistenceId.substring(prefix.length())));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
