package org.cgledger.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cgledger.cli.ModelSide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison itself, without a kernel: planted divergences are caught, agreement is not flagged. */
@DisplayName("conformance comparison")
class ComparisonTest {

    static final Snapshot ONE = Snapshot.of(Map.of("h1", Map.of("/", List.of(1), "/foo", List.of())));

    @Test
    @DisplayName("a line with a different errno is a divergence; a listed one carries its reason")
    void plantedLineDivergence() {
        List<LineResult> lines = List.of(
                new LineResult(2, "mkdir /H1/foo", Outcome.ok(), Outcome.ok()),
                new LineResult(3, "rmdir /H1/foo", Outcome.failed("EBUSY", null), Outcome.ok()),
                new LineResult(4, "charge 1 A f", Outcome.ok(), Outcome.notRun("model only: charges")));
        ScriptReport r = Comparison.compare("s.sh", lines, ONE, ONE, Deviations.NONE, 0);
        assertThat(r.agrees()).isFalse();
        assertThat(r.onlyListed()).isFalse();
        assertThat(r.divergences()).singleElement().satisfies(d -> {
            assertThat(d.where()).isEqualTo("3");
            assertThat(d.model()).isEqualTo("EBUSY");
            assertThat(d.kernel()).isEqualTo("ok");
        });
        assertThat(r.linesCompared()).isEqualTo(2);
        assertThat(r.linesAgreeing()).isEqualTo(1);
        assertThat(r.linesModelOnly()).isEqualTo(1);

        Deviations listed = Deviations.parse(List.of("| s.sh | 3 | on purpose |"));
        ScriptReport again = Comparison.compare("s.sh", lines, ONE, ONE, listed, 0);
        assertThat(again.onlyListed()).isTrue();
        assertThat(again.divergences().get(0).listedReason()).isEqualTo("on purpose");
    }

    @Test
    @DisplayName("a different tree, a task in another group, or a missing hierarchy is a divergence")
    void plantedTreeDivergence() {
        Snapshot moved = Snapshot.of(Map.of("h1", Map.of("/", List.of(), "/foo", List.of(1))));
        Snapshot extra = Snapshot.of(Map.of("h1", Map.of("/", List.of(1), "/foo", List.of()), "h2",
                Map.of("/", List.of(1))));
        assertThat(Comparison.compare("s.sh", List.of(), ONE, moved, Deviations.NONE, 0).divergences())
                .singleElement().satisfies(d -> assertThat(d.where()).isEqualTo("tree"));
        assertThat(Comparison.compare("s.sh", List.of(), ONE, extra, Deviations.NONE, 0).divergences())
                .singleElement().satisfies(d -> assertThat(d.model()).isEqualTo("(no such hierarchy)"));
        assertThat(Comparison.compare("s.sh", List.of(), ONE, ONE, Deviations.NONE, 0).agrees()).isTrue();
    }

    @Test
    @DisplayName("the runner catches a planted divergence: a fake kernel that answers one line differently")
    void runnerCatchesPlantedDivergence(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("planted.sh");
        Files.writeString(script, "# planted\nmount -t cgroup -o none,name=h1 none /H1\nmkdir /H1/foo\n"
                + "mkdir /H1/foo\ncharge 1 A file:1\n");
        // a kernel that agrees with the model on every line but the second mkdir, and on the tree
        Side fake = new Side() {
            final ModelSide mirror = new ModelSide();
            final List<Integer> seen = new ArrayList<>();

            @Override
            public Outcome run(int number, String text, List<String> words) {
                seen.add(number);
                Outcome o = mirror.run(number, text, words);
                if (words.get(0).equals("charge")) {
                    return Outcome.notRun("model only: charges");
                }
                return number == 4 ? Outcome.ok() : o;
            }

            @Override
            public Snapshot snapshot(Set<String> expected) {
                return mirror.snapshot(expected);
            }

            @Override
            public void close() {
                mirror.close();
            }
        };
        ScriptReport r = Conformance.run(script, ModelSide::new, () -> fake, Deviations.NONE);
        assertThat(r.divergences()).singleElement().satisfies(d -> {
            assertThat(d.where()).isEqualTo("4");
            assertThat(d.model()).isEqualTo("EEXIST");
            assertThat(d.kernel()).isEqualTo("ok");
        });
        assertThat(r.linesModelOnly()).isEqualTo(1);
        assertThat(r.lines()).extracting(LineResult::number).containsExactly(2, 3, 4, 5);
    }

    @Test
    @DisplayName("a line that cannot be parsed is model only for that reason, not for a NUL byte (its marker holds one)")
    void unparsableLineNote() {
        assertThat(KernelSide.unsayable(List.of(Conformance.UNPARSABLE)))
                .isEqualTo("model only: the line cannot be parsed (an unterminated quote): no system call to make");
        assertThat(KernelSide.unsayable(List.of("mkdir", "/H1/a\u0000b"))).contains("a NUL byte");
        assertThat(KernelSide.unsayable(List.of("mkdir", "/H1/a"))).isNull();
    }

    @Test
    @DisplayName("a tasks write is read as kstrtoint(strstrip(buf), 0) reads it")
    void kernelPid() {
        assertThat(KernelSide.kernelPid("  12 \n")).isEqualTo(12L);
        assertThat(KernelSide.kernelPid("+0x1f\n")).isEqualTo(31L);
        assertThat(KernelSide.kernelPid("010")).isEqualTo(8L);
        assertThat(KernelSide.kernelPid("0\n")).isEqualTo(0L);
        assertThat(KernelSide.kernelPid("1 2")).isNull();
        assertThat(KernelSide.kernelPid("-1")).isEqualTo(-1L);
        assertThat(KernelSide.kernelPid("-0")).isEqualTo(0L);
        assertThat(KernelSide.kernelPid("4294967296")).isNull();
        assertThat(KernelSide.kernelPid("09")).isNull();
        assertThat(KernelSide.kernelPid("0".repeat(60) + "1")).isEqualTo(1L);
        assertThat(KernelSide.kernelPid("0x" + "0".repeat(60) + "1f")).isEqualTo(31L);
        assertThat(KernelSide.kernelPid("+-1")).isNull();
    }

    @Test
    @DisplayName("a pid put in a tasks write keeps the write's length: digits take the place of white space")
    void withPid() {
        assertThat(KernelSide.withPid("   1\n", 12345)).isEqualTo("12345\n");
        assertThat(KernelSide.withPid("1\n", 12345)).isEqualTo("12345\n");
        assertThat(KernelSide.withPid(" ".repeat(4094) + "1\n", 12345)).hasSize(4096).endsWith(" 12345\n");
        assertThat(KernelSide.withPid(" 0x0000000001\n", 12345)).isEqualTo(" ".repeat(8) + "12345\n");
        assertThat(KernelSide.withPid("1" + " ".repeat(4094) + "\n", 12345)).hasSize(4096).startsWith("12345 ");
        assertThat(KernelSide.withPid("1", 12345)).isEqualTo("12345");
    }
}
