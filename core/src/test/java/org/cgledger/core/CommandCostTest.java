package org.cgledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.cgledger.core.bench.Workload;
import org.cgledger.core.command.Command;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A command costs O(path depth + objects it moves), never O(all cgroups) or O(all tasks): checked by
 * what a command allocates, which the JVM counts per thread exactly, not by time (a shared machine's
 * clock says little). The same mix ({@link Workload}: its cgroups two levels deep, about ten tasks a
 * cgroup, so a path and a cgroup's task list are as long at either size) runs on a state and on one
 * 100 times as large. A command that copied or listed a table of the state (every task of a
 * hierarchy's root, every cgroup, every css_set) allocates 100 times as much on the larger one; the
 * persistent maps' path copies grow by a level or two. What this cannot see is a scan that
 * allocates nothing; the bench's per-kind costs at two sizes ("What bounds core", session 21) are the
 * other half of the evidence.
 */
@DisplayName("the cost of a command does not grow with the state: bytes allocated per command, one state 100 "
        + "times the other")
class CommandCostTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Mean bytes a command of each kind of the mix allocates, over {@code commands} after a warm-up. */
    private static double[] bytesPerKind(int groups, int tasks, int commands) {
        Workload w = new Workload(11);
        State s = State.EMPTY;
        for (Command c : w.setup(groups, tasks)) {
            if (Decider.decide(s, c) instanceof Decision.Accepted a) {
                s = a.state();
            }
        }
        long self = THREADS.getCurrentThreadAllocatedBytes();
        self = THREADS.getCurrentThreadAllocatedBytes() - self; // what asking costs
        int[] kind = new int[1];
        long[] bytes = new long[Workload.KINDS.size()];
        long[] counts = new long[Workload.KINDS.size()];
        for (int i = 0; i < 2 * commands; i++) {
            Command c = w.next(kind);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            Decision d = Decider.decide(s, c);
            long used = THREADS.getCurrentThreadAllocatedBytes() - before - self;
            if (d instanceof Decision.Accepted a) {
                s = a.state();
            }
            if (i >= commands) { // the first half warms the code up (the JIT's escape analysis)
                bytes[kind[0]] += used;
                counts[kind[0]]++;
            }
        }
        double[] mean = new double[bytes.length];
        for (int k = 0; k < mean.length; k++) {
            assertThat(counts[k]).as("commands of kind %s", Workload.KINDS.get(k)).isPositive();
            mean[k] = (double) bytes[k] / counts[k];
        }
        return mean;
    }

    @Test
    @DisplayName("each kind of the mix (attach, fork, exit, charge, uncharge, mkdir, rmdir) allocates less than "
            + "twice as much on 10,000 cgroups and 100,000 tasks as on 100 and 1,000")
    void commandsDoNotGrowWithTheState() {
        double[] small = bytesPerKind(100, 1_000, 20_000);
        double[] large = bytesPerKind(10_000, 100_000, 20_000);
        StringBuilder figures = new StringBuilder();
        for (int k = 0; k < small.length; k++) {
            figures.append(String.format(Locale.ROOT, "%s %.0f -> %.0f bytes; ", Workload.KINDS.get(k), small[k],
                    large[k]));
        }
        for (int k = 0; k < small.length; k++) {
            assertThat(large[k]).as("%s: %s", Workload.KINDS.get(k), figures).isLessThan(2 * small[k]);
        }
    }
}
