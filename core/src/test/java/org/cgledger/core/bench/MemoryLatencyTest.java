package org.cgledger.core.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MemoryLatency: its reads walk every cache line of the working set once, in a random order")
class MemoryLatencyTest {

    @Test
    @DisplayName("the walk from line 0 is one cycle through every line: no read lands where one already did")
    void oneCycleThroughEveryLine() {
        int ints = 16 * 1000;
        int[] next = MemoryLatency.cycle(ints, new SplittableRandom(3));
        BitSet seen = new BitSet();
        int at = 0;
        int sequential = 0;
        for (int i = 0; i < 1000; i++) {
            assertThat(at % 16).as("a read lands on the first int of a line").isZero();
            assertThat(seen.get(at / 16)).as("line %d read twice", at / 16).isFalse();
            seen.set(at / 16);
            if (next[at] == at + 16) {
                sequential++;
            }
            at = next[at];
        }
        assertThat(at).as("back at the start after every line").isZero();
        assertThat(seen.cardinality()).isEqualTo(1000);
        // a prefetcher follows a stride: a random cycle has almost no next-line steps
        assertThat(sequential).isLessThan(10);
    }

    @Test
    @DisplayName("a measurement is a positive time per read")
    void measures() {
        assertThat(MemoryLatency.measure(10_000, 3)).isPositive();
    }
}
