package org.cgledger.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.cgledger.core.command.Command;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CoreBench: what it times is the workload, whole and in order")
class CoreBenchTest {

    @Test
    @DisplayName("generating the commands a block at a time decides the same commands as one stream")
    void blocksDecideTheWholeStream() {
        int commands = 3 * CoreBench.BLOCK + 123;
        CoreBench.Result r = CoreBench.run(commands, 60, 600, 5);

        Workload w = new Workload(5);
        State s = State.EMPTY;
        for (Command c : w.setup(60, 600)) {
            if (Decider.decide(s, c) instanceof Decision.Accepted a) {
                s = a.state();
            }
        }
        int[] kind = new int[1];
        long[] counts = new long[Workload.KINDS.size()];
        long accepted = 0;
        for (int i = 0; i < commands; i++) {
            Command c = w.next(kind);
            counts[kind[0]]++;
            if (Decider.decide(s, c) instanceof Decision.Accepted a) {
                s = a.state();
                accepted++;
            }
        }

        assertThat(r.state()).isEqualTo(s);
        assertThat(r.accepted()).isEqualTo(accepted);
        assertThat(r.refused()).isEqualTo(commands - accepted);
        assertThat(r.counts()).isEqualTo(counts);
        assertThat(Arrays.stream(r.nanos()).allMatch(n -> n >= 0)).isTrue();
        assertThat(r.commandsPerSecond()).isPositive();
    }

    @Test
    @DisplayName("measure: core's measured rounds and FlatFloor's, every command of the measured rounds counted by "
            + "kind, the retained heap; the report reads back as printed, among lines of anything else")
    void measureReportsWhatItRan() {
        int commands = 2 * CoreBench.BLOCK + 7;
        CoreBench.Report r = CoreBench.measure(commands, 30, 300);
        assertThat(r.rates()).hasSize(CoreBench.ROUNDS);
        assertThat(Arrays.stream(r.rates()).min().orElseThrow()).isPositive();
        assertThat(r.flatRates()).hasSize(CoreBench.ROUNDS);
        assertThat(Arrays.stream(r.flatRates()).min().orElseThrow()).isPositive();
        assertThat(Arrays.stream(r.counts()).sum()).isEqualTo((long) CoreBench.ROUNDS * commands);
        // every kind of the mix ran in these rounds
        assertThat(Arrays.stream(r.counts()).min().orElseThrow()).isPositive();
        // (the retained heap is not checked here: a state this small is within what the test JVM's
        // collector leaves in a measurement of used heap, whose sign it can turn)

        List<String> printed = List.of(("OpenJDK 64-Bit Server VM warning: something\n" + r.format()).split("\n"));
        CoreBench.Report back = CoreBench.Report.parse(printed);
        assertThat(back.rates()).containsExactly(r.rates());
        assertThat(back.flatRates()).containsExactly(r.flatRates());
        assertThat(back.counts()).containsExactly(r.counts());
        assertThat(back.nanos()).containsExactly(r.nanos());
        assertThat(back.retainedBytes()).isEqualTo(r.retainedBytes());
    }

    @Test
    @DisplayName("measure hands each measured round of core's to its caller (CoreBench's printout), whose kinds add "
            + "up to the report's")
    void measureShowsEachRound() {
        List<CoreBench.Result> seen = new java.util.ArrayList<>();
        CoreBench.Report r = CoreBench.measure(100, 30, 300, 2, false, seen::add);
        assertThat(seen).hasSize(2);
        long[] sum = new long[Workload.KINDS.size()];
        for (CoreBench.Result x : seen) {
            for (int k = 0; k < sum.length; k++) {
                sum[k] += x.counts()[k];
            }
        }
        assertThat(r.counts()).containsExactly(sum);
        assertThat(r.rates()).containsExactly(seen.get(0).commandsPerSecond(), seen.get(1).commandsPerSecond());
    }

    @Test
    @DisplayName("a report cut short (the child died part-way) is refused, not read as zeros")
    void partialReportRefused() {
        CoreBench.Report r = new CoreBench.Report(new double[] {1, 2, 3}, new long[Workload.KINDS.size()],
                new long[Workload.KINDS.size()], new double[] {4, 5, 6}, 99);
        List<String> lines = List.of(r.format().split("\n"));
        assertThat(CoreBench.Report.parse(lines).retainedBytes()).isEqualTo(99);
        for (int cut = 0; cut < lines.size(); cut++) {
            List<String> part = lines.subList(0, cut);
            assertThatThrownBy(() -> CoreBench.Report.parse(part)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
