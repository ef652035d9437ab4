package org.cgledger.persistence;

import java.nio.file.Path;
import java.time.Duration;

/** A process that opens a ledger's journal to read, writes a table as the history index does, says {@code OPEN}, and waits to be signalled ({@link SigtermTest}). */
public final class ReaderTarget {

    private ReaderTarget() {
    }

    public static void main(String[] args) throws Exception {
        JournalRows rows = JournalRows.open(Path.of(args[0]), Duration.ofSeconds(10));
        // as a reader building the history index writes its tables
        try (java.sql.Statement st = rows.connection().createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS PUBLIC.\"reader_target\" (\"x\" INT)");
            st.execute("INSERT INTO PUBLIC.\"reader_target\" VALUES (1)");
        }
        System.out.println("OPEN " + rows.count());
        System.out.flush();
        if (args.length > 1 && args[1].equals("reading")) {
            // as a long export or audit reads on while the signal comes
            while (true) {
                rows.count();
            }
        }
        Thread.sleep(60_000);
        rows.close();
    }
}
