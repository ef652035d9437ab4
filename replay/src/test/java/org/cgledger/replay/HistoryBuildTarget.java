package org.cgledger.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;

/**
 * The process {@link HistoryIndexKillTest} kills: builds the history index of the ledger in
 * {@code args[0]} from scratch, printing {@code READ n} (flushed) once the journal is read and
 * {@code BUILT ms} when the build is done.
 */
public final class HistoryBuildTarget {

    private HistoryBuildTarget() {
    }

    public static void main(String[] args) {
        try (JournalRows j = JournalRows.open(Path.of(args[0]), Duration.ofSeconds(30))) {
            List<Journals.Stored> rows = j.readAll();
            System.out.println("READ " + rows.size());
            System.out.flush();
            long t0 = System.nanoTime();
            HistoryIndex.build(j, rows);
            System.out.println("BUILT " + (System.nanoTime() - t0) / 1_000_000);
            System.out.flush();
        }
    }
}
