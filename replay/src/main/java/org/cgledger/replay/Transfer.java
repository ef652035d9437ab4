package org.cgledger.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.state.State;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;

/**
 * Export and import: a ledger's journal as JSON lines (one stored row each, with its stream and
 * sequence number: {@link JournalRows#toJson}) and back into a fresh ledger with every number
 * preserved. {@link #identical} checks two journals by replaying both.
 */
public final class Transfer {

    private Transfer() {
    }

    public static long export(List<Journals.Stored> rows, Writer out) throws IOException {
        for (Journals.Stored r : rows) {
            out.write(JournalRows.toJson(r));
            out.write('\n');
        }
        out.flush();
        return rows.size();
    }

    /**
     * Reads JSON lines (blank lines skipped).
     *
     * @throws IllegalArgumentException naming the line number, for a line that is not a journal row
     */
    public static List<Journals.Stored> read(BufferedReader in) throws IOException {
        List<Journals.Stored> out = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JournalRows.fromJson(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage(), e);
            }
        }
        out.sort(JournalRows.ORDER);
        return out;
    }

    /** Imports {@code rows} into a fresh ledger in {@code dir}. */
    public static void importInto(Path dir, List<Journals.Stored> rows) {
        JournalRows.importInto(dir, rows, Duration.ofSeconds(10));
    }

    /**
     * Whether two journals are the same ledger: the same rows (streams, numbers, times, events,
     * recorded refcounts) and the same state after replaying each with core's evolve.
     */
    public static boolean identical(List<Journals.Stored> a, List<Journals.Stored> b) {
        if (!a.equals(b)) {
            return false;
        }
        State sa = new Journal(a).finalState();
        State sb = new Journal(b).finalState();
        return sa.equals(sb);
    }
}
