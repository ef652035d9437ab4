package org.cgledger.persistence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that imports many rows (copies of the first row of the ledger in {@code args[0]}, at
 * rising places in its stream) into {@code args[1]}, saying {@code IMPORTING} first, and is
 * signalled midway ({@link SigtermTest}).
 */
public final class ImportTarget {

    private ImportTarget() {
    }

    public static void main(String[] args) throws Exception {
        Journals.Stored first = Journals.readAll(Path.of(args[0]), Duration.ofSeconds(10)).get(0);
        List<Journals.Stored> rows = new ArrayList<>();
        for (int i = 1; i <= 2_000_000; i++) {
            rows.add(new Journals.Stored(first.persistenceId(), i, first.record()));
        }
        System.out.println("IMPORTING");
        System.out.flush();
        JournalRows.importInto(Path.of(args[1]), rows, Duration.ofSeconds(10));
    }
}
