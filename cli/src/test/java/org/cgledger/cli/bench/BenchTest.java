package org.cgledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cgledger.cli.conformance.KernelSide;
import org.cgledger.core.bench.Workload;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench end to end on a small workload: every measure is taken (no figure is judged here). */
class BenchTest {

    @Test
    @DisplayName("a small run measures every part, one-shots as new processes included, alone and through a server, "
            + "and core per kind beside the live kernel; the server stops after; the writers keep the history index "
            + "current")
    void everyMeasure(@TempDir Path scratch) throws Exception {
        List<Bench.Row> rows = new Bench(scratch, new Bench.Size(3_000, 20_000, 50, 100, 1_000), m -> { }).run();
        assertThat(rows).extracting(Bench.Row::what).anyMatch(w -> w.startsWith("core alone"))
                .anyMatch(w -> w.startsWith("durable writes")).anyMatch(w -> w.startsWith("recovery"))
                .contains("one-shot `cgledger mkdir` as a new process", "one-shot `cgledger mkdir` through `cgledger serve`",
                        "core: mean time per command, in dependent memory reads",
                        "the same commands on flat arrays changed in place (FlatFloor: a ceiling, not the model)")
                .anyMatch(w -> w.startsWith("closing the writing ledger")).anyMatch(w -> w.startsWith("history of one group"));
        assertThat(rows).allSatisfy(r -> assertThat(r.value()).as(r.what()).isFinite().isPositive());
        assertThat(rows).filteredOn(r -> !Double.isNaN(r.baseline()))
                .allSatisfy(r -> assertThat(r.baseline()).as(r.what()).isPositive());
        // the served one-shot processes kept the history index current: no rebuild (the row's
        // time is not checked: this machine is shared)
        assertThat(rows).filteredOn(r -> r.what().startsWith("history right after writes")).singleElement()
                .satisfies(r -> assertThat(r.what()).contains("index kept current by the writers"));
        assertThat(scratch.resolve("ledger").resolve("ledger.sock")).as("the server stopped and cleaned up")
                .doesNotExist();
        // the one-shot beside the same command on a small ledger, in the same run
        assertThat(rows).filteredOn(r -> r.what().equals("one-shot `cgledger mkdir` as a new process")).singleElement()
                .satisfies(r -> assertThat(r.baselineName()).startsWith("the same on a ledger of"));
        // core's cost per kind of command, each beside the live kernel's where it has one
        for (String kind : Workload.KINDS) {
            assertThat(rows).extracting(Bench.Row::what).contains("core: one " + kind + " in the mix (mean)");
        }
        List<Bench.Row> compared = rows.stream().filter(r -> r.target().equals("< the kernel's")).toList();
        assertThat(compared).extracting(Bench.Row::what).containsExactly("core: one attach in the mix (mean)",
                "core: one mkdir in the mix (mean)", "core: one rmdir in the mix (mean)");
        if (KernelSide.unavailable().isEmpty()) {
            assertThat(compared).allSatisfy(r -> assertThat(r.baseline()).as(r.what()).isFinite().isPositive());
            // the harness mounted a named hierarchy for it and left none behind
            assertThat(Files.readString(Path.of("/proc/self/cgroup"))).doesNotContain("_bench:");
        } else {
            assertThat(compared).allSatisfy(r -> assertThat(r.baselineName()).contains("not measured ("));
        }
    }
}
