package org.cgledger.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.bench.Workload;
import org.cgledger.core.command.Command;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history index build cut short by a crash: it writes in commits of its own with its meta row
 * gone meanwhile, so whatever a kill leaves is not taken as current, and the next {@code history}
 * builds it again.
 */
class HistoryIndexKillTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a build killed part-way is never current; the next ensure builds it again, equal to a whole build")
    void killedBuild() throws Exception {
        Workload w = new Workload(5);
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.executeAll(w.setup(300, 3_000));
            int[] kind = new int[1];
            List<Command> mix = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                mix.add(w.next(kind));
            }
            l.executeAll(mix);
        }
        // a whole build in a process of its own: the index every later one must equal, and how long it takes
        long whole = build(-1);
        assertThat(whole).as("a whole build finished").isNotNegative();
        List<String> expected;
        try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
            assertThat(HistoryIndex.isCurrent(j)).isTrue();
            expected = Fixtures.indexTables(j);
        }
        assertThat(expected).hasSizeGreaterThan(20_000);
        int cut = 0;
        // killed at these fractions of a whole build's time after the journal was read: the fold, the
        // emptying, the commits of the writes (here the writes' commits fell in 55-85%)
        int[] percents = {10, 25, 40, 55, 65, 75, 85, 95};
        for (int round = 0; round < percents.length; round++) {
            long at = whole * percents[round] / 100;
            build(at);
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                boolean current = HistoryIndex.isCurrent(j);
                List<String> left = Fixtures.indexTables(j);
                if (current) {
                    assertThat(left).as("round %d: current, so whole", round).isEqualTo(expected);
                } else if (!left.isEmpty()) {
                    cut++;
                    assertThat(left.size()).as("round %d: cut short", round).isLessThanOrEqualTo(expected.size());
                }
                assertThat(HistoryIndex.ensure(j)).as("round %d: built again only if not current", round)
                        .isEqualTo(!current);
                assertThat(Fixtures.indexTables(j)).as("round %d: after ensure", round).isEqualTo(expected);
                List<Journals.Stored> rows = j.readAll();
                for (String path : List.of("/sys/fs/cgroup/cpu/slice0", "/sys/fs/cgroup/memory/slice1/svc31")) {
                    assertThat(HistoryIndex.history(j, path)).as("round %d: %s", round, path)
                            .isEqualTo(History.replay(rows, path));
                }
            }
        }
        assertThat(cut).as("rounds killed between two of the build's commits (a whole build took %d ms)", whole)
                .isPositive();
    }

    /**
     * Builds the index in a new process; {@code killAfter} ms after it has read the journal it is
     * killed (kill -9), unless negative. Returns how long the build took, or -1 if it was killed.
     */
    private long build(long killAfter) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                HistoryBuildTarget.class.getName(), dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String read = out.readLine();
            assertThat(read).as("the child read the journal").startsWith("READ ");
            if (killAfter >= 0) {
                Thread.sleep(killAfter);
                child.destroyForcibly();
                child.waitFor();
                return -1;
            }
            String built = out.readLine();
            assertThat(built).as("the child built the index").startsWith("BUILT ");
            child.waitFor();
            return Long.parseLong(built.substring("BUILT ".length()));
        } finally {
            child.destroyForcibly();
        }
    }
}
