package org.cgledger.core.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
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
}
