package org.cgledger.core.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.cgledger.core.command.Command;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.state.State;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FlatFloor: the bench's flat layout does what core does on the workload, command by command")
class FlatFloorTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName("accepts and refuses the same commands, keeps as many tasks, cgroups, css, css_sets and objects, "
            + "and the same sums of refcounts and usage")
    void agreesWithCore(long seed) {
        Workload w = new Workload(seed);
        FlatFloor flat = new FlatFloor();
        State s = State.EMPTY;
        for (Command c : w.setup(30, 200)) {
            boolean accepted = Decider.decide(s, c) instanceof Decision.Accepted a && (s = a.state()) != null;
            assertThat(flat.apply(c)).as("%s", c).isEqualTo(accepted);
        }
        int[] kind = new int[1];
        long refused = 0;
        for (int i = 0; i < 20_000; i++) {
            Command c = w.next(kind);
            Decision d = Decider.decide(s, c);
            boolean accepted = d instanceof Decision.Accepted;
            if (d instanceof Decision.Accepted a) {
                s = a.state();
            } else {
                refused++;
            }
            assertThat(flat.apply(c)).as("command %d: %s", i, c).isEqualTo(accepted);
            assertThat(new long[] {flat.tasks(), flat.cgroups(), flat.css(), flat.cssSets(), flat.objects()})
                    .as("after command %d: %s", i, c)
                    .containsExactly(s.tasks().size(), s.cgroups().size(), s.css().size(), s.cssSets().size(),
                            s.objects().size());
            assertThat(flat.sums()).as("refcount and usage sums after command %d: %s", i, c)
                    .containsExactly(FlatFloor.sums(s));
        }
        // the mix at this size refuses some of every kind the generator can make refusable
        assertThat(refused).isPositive();
    }

    @Test
    @DisplayName("the bench's own check tells a flat run that differs from core's")
    void differenceIsReported() {
        CoreBench.Result core = CoreBench.run(5_000, 30, 200, 9);
        CoreBench.FlatResult same = CoreBench.runFlat(5_000, 30, 200, 9);
        CoreBench.FlatResult other = CoreBench.runFlat(5_000, 30, 200, 10);

        assertThat(same.differenceFrom(core)).isNull();
        assertThat(other.differenceFrom(core)).startsWith("flat ").contains(", core ");
    }
}
