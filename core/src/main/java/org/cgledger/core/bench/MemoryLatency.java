package org.cgledger.core.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The machine's memory latency: the time of one read whose address depends on the read before it,
 * over a working set larger than the caches (a random cycle through 64 MB, one read per cache line,
 * so neither the caches nor the prefetcher can help). Core on the benchmark's population is bound by
 * such reads (a random task's css_set, tuple, css and cgroups were last touched long before), so its
 * time per command, divided by this, counts the cold reads a command costs, in this machine's own
 * unit.
 */
public final class MemoryLatency {

    /** The working set: larger than the caches of the machines the bench runs on. */
    static final int BYTES = 64 << 20;
    private static final int LINE_INTS = 64 / Integer.BYTES;

    private MemoryLatency() {
    }

    /** Nanoseconds per dependent read: the median of {@code rounds} rounds of {@code reads} reads each, after one untimed. */
    public static double measure(int reads, int rounds) {
        int[] next = cycle(BYTES / Integer.BYTES, new SplittableRandom(7));
        double[] ns = new double[rounds];
        int at = 0;
        for (int r = -1; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < reads; i++) {
                at = next[at];
            }
            long took = System.nanoTime() - start;
            if (r >= 0) {
                ns[r] = took / (double) reads;
            }
        }
        if (at < 0) {
            throw new AssertionError(); // keeps the reads: their last result is used
        }
        Arrays.sort(ns);
        return ns[rounds / 2];
    }

    /** 5,000,000 reads a round, 3 rounds: about 3 s on a machine with 150 ns reads. */
    public static double measure() {
        return measure(5_000_000, 3);
    }

    /**
     * An array whose first int of each cache line holds the index of the next line to read: one
     * random cycle through every line (Sattolo's shuffle), so a walk from 0 visits them all.
     */
    static int[] cycle(int ints, SplittableRandom random) {
        int lines = ints / LINE_INTS;
        int[] order = new int[lines];
        for (int i = 0; i < lines; i++) {
            order[i] = i;
        }
        for (int i = lines - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] next = new int[ints];
        for (int i = 0; i < lines; i++) {
            next[order[i] * LINE_INTS] = order[(i + 1) % lines] * LINE_INTS;
        }
        return next;
    }
}
