package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cgledger.core.state.Refcounts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 at any moment loses no acknowledged command and leaves a ledger that opens and
 * recomputes its refcounts clean: a child JVM writes without end, is killed at a random moment,
 * many times over on the same ledger, alternating one write per command and group commits
 * across streams (where a kill can tear the tail).
 */
@DisplayName("kill -9 in the middle of a command stream")
class KillTest {

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedCommandIsLost() throws Exception {
        Random random = new Random(Long.getLong("cgledger.killSeed", 7));
        long acknowledgedTotal = 0;
        int rounds = Integer.getInteger("cgledger.killRounds", 8);
        for (int round = 0; round < rounds; round++) {
            String mode = round % 2 == 0 ? "window" : "one";
            WritingChild child = WritingChild.start(dir.toString(), mode, Integer.toString(round));
            long started = child.awaitAck(0);
            assertThat(started).as("the child acknowledged its start (round %d)", round).isGreaterThanOrEqualTo(0);
            Thread.sleep(300 + random.nextInt(1500));
            child.process.destroyForcibly();
            child.process.waitFor();
            long last = child.lastAck();
            // the ledger as the kill left it, kept when this round fails so it can be examined
            Path killed = copy(dir, dir.resolveSibling(dir.getFileName() + "-killed"));
            try (DurableLedger l = DurableLedger.open(dir)) {
                assertThat(l.state().lastEvent()).as("round %d (%s): acknowledged up to #%d; recovery %s; cuts %s;"
                        + " the killed ledger is kept in %s", round, mode, last, l.recovery(), l.recoveries(),
                        keep(killed)).isGreaterThanOrEqualTo(last);
                assertThat(Refcounts.violations(l.state())).isEmpty();
                acknowledgedTotal = Math.max(acknowledgedTotal, last);
            }
        }
        deleteTree(dir.resolveSibling(dir.getFileName() + "-killed"));
        assertThat(acknowledgedTotal).as("the children made progress").isGreaterThan(100);
        try (DurableLedger l = DurableLedger.open(dir)) {
            List<String> cuts = l.recoveries();
            System.out.println("kill test: " + rounds + " kills, " + l.state().lastEvent() + " events, torn tails cut: "
                    + cuts.size() + (cuts.isEmpty() ? "" : " " + cuts));
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        deleteTree(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    /** Lazily evaluated by the assertion's description: moves the copy where a failed build keeps it. */
    private static Object keep(Path killed) {
        return new Object() {
            @Override
            public String toString() {
                try {
                    Path kept = Path.of("target", "kill-failure-" + System.currentTimeMillis()).toAbsolutePath();
                    copy(killed, kept);
                    return kept + " (as the kill left it: " + rawTails(killed) + ")";
                } catch (IOException e) {
                    return "(not kept: " + e + ")";
                }
            }
        };
    }

    /** Each stream's last row in the journal file itself, read without the ledger's recovery. */
    private static String rawTails(Path ledger) {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(JournalStore.url(ledger), "sa", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT j.\"persistence_id\", j.\"sequence_number\", "
                     + "UTF8TOSTRING(j.\"event_payload\") FROM PUBLIC.\"event_journal\" j WHERE j.\"sequence_number\" = "
                     + "(SELECT MAX(k.\"sequence_number\") FROM PUBLIC.\"event_journal\" k "
                     + "WHERE k.\"persistence_id\" = j.\"persistence_id\")")) {
            while (rs.next()) {
                Matcher m = Pattern.compile("\"seq\":(\\d+)").matcher(rs.getString(3));
                out.append(rs.getString(1)).append(" ends at ").append(rs.getLong(2)).append(" = event #")
                        .append(m.find() ? m.group(1) : "?").append("; ");
            }
        } catch (SQLException e) {
            out.append("unreadable: ").append(e.getMessage());
        }
        return out.toString();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
