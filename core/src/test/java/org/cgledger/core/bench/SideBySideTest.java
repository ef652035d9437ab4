package org.cgledger.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("SideBySide: builds of core measured in one JVM, alternating, on the same commands")
class SideBySideTest {

    private static Path thisBuild() throws URISyntaxException {
        return Path.of(CoreBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    @DisplayName("each round runs every build on the same seed, the order reversed every other round")
    void alternatesOnTheSameCommands() throws Exception {
        Path build = thisBuild();
        // the same build under another name (neither name contains the other): each is loaded
        // apart, and both must decide alike
        Path other = build.getParent().resolve(".").resolve(build.getFileName());
        SideBySide.Plan plan = new SideBySide.Plan(4, 2_000, 60, 600, List.of(build, other));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        List<SideBySide.Runs> runs = SideBySide.run(plan, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(runs).extracting(SideBySide.Runs::build).containsExactly(build, other);
        for (int r = 0; r < plan.rounds(); r++) {
            assertThat(runs.get(0).rates()[r]).isPositive();
            assertThat(runs.get(1).rates()[r]).isPositive();
            // the same seed within a round: the same commands, so the same ones accepted
            assertThat(runs.get(1).accepted()[r]).isEqualTo(runs.get(0).accepted()[r]);
            CoreBench.Result direct = CoreBench.run(2_000, 60, 600, 42 + r);
            assertThat(runs.get(0).accepted()[r]).isEqualTo(direct.accepted());
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(8);
        String first = build.toString();
        String second = other.toString();
        assertThat(lines.get(0)).startsWith("round 1 (warm-up)").contains(first);
        assertThat(lines.get(1)).startsWith("round 1 (warm-up)").contains(second);
        assertThat(lines.get(2)).startsWith("round 2 ").contains(second);
        assertThat(lines.get(3)).startsWith("round 2 ").contains(first);
        assertThat(lines.get(4)).contains(first);
        assertThat(lines.get(6)).contains(second);
    }

    @Test
    @DisplayName("the ratio is the median of the rounds' ratios, the warm-up left out")
    void ratioOfRounds() {
        SideBySide.Runs base = new SideBySide.Runs(Path.of("a"), new double[] {1, 100, 100, 200}, new long[4]);
        SideBySide.Runs x = new SideBySide.Runs(Path.of("b"), new double[] {900, 200, 300, 400}, new long[4]);

        // rounds 2-4: 2, 3 and 2; the warm-up's 900 would make it 3
        assertThat(SideBySide.ratio(x, base)).isEqualTo(2.0);
        assertThat(SideBySide.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(SideBySide.median(new double[] {5, 1, 3})).isEqualTo(3.0);
    }

    @Test
    @DisplayName("the report gives each build's median and range, and says when builds decide otherwise")
    void reportsMediansAndDisagreement() {
        SideBySide.Runs base = new SideBySide.Runs(Path.of("old"), new double[] {1, 100, 120, 110},
                new long[] {7, 7, 7, 7});
        SideBySide.Runs x = new SideBySide.Runs(Path.of("new"), new double[] {1, 220, 240, 210},
                new long[] {7, 7, 8, 7});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        SideBySide.report(List.of(base, x), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("old", "median 110 commands/s (100 to 120 over 3 rounds)")
                .contains("new", "median 220 commands/s (210 to 240 over 3 rounds); against the first: 2.000")
                .contains("decides otherwise than the first build: round 3 accepted 8 commands against 7");
        assertThat(text.lines().filter(l -> l.startsWith("old")).findFirst().orElseThrow())
                .doesNotContain("against the first");
    }

    @Test
    @DisplayName("bad arguments are refused with a reason")
    void refusesBadArguments(@TempDir Path dir) throws Exception {
        String build = thisBuild().toString();
        assertThat(SideBySide.parse(new String[] {"--rounds", "3", "--commands", "10", build}))
                .isEqualTo(new SideBySide.Plan(3, 10, 10_000, 100_000, List.of(Path.of(build))));
        assertThatThrownBy(() -> SideBySide.parse(new String[] {"--rounds", "1", build}))
                .hasMessageContaining("at least 2 rounds");
        assertThatThrownBy(() -> SideBySide.parse(new String[] {"--laps", "3", build}))
                .hasMessage("unknown option --laps");
        assertThatThrownBy(() -> SideBySide.parse(new String[] {"--rounds", "many", build}))
                .hasMessage("--rounds takes a number, not 'many'");
        assertThatThrownBy(() -> SideBySide.parse(new String[] {build, "--tasks"}))
                .hasMessage("--tasks needs a value");
        assertThatThrownBy(() -> SideBySide.parse(new String[] {dir.resolve("missing.jar").toString()}))
                .hasMessageStartingWith("no such build: ");
        assertThatThrownBy(() -> SideBySide.parse(new String[0])).hasMessage("no build to run");
        SideBySide.Plan empty = new SideBySide.Plan(2, 10, 10, 10, List.of(dir));
        assertThatThrownBy(() -> SideBySide.run(empty, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8))).hasMessageContaining("holds no core build");
    }
}
