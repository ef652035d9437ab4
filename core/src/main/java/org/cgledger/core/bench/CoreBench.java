package org.cgledger.core.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cgledger.core.command.Command;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.state.State;

/**
 * Core alone: decide + evolve of the {@link Workload} mix, with no journal. Prints commands/s (the
 * median of several rounds), the per-kind cost, and the heap the final state retains.
 *
 * <p>Usage: {@code CoreBench [commands] [groups] [tasks] [rounds]}, defaults 1,000,000 / 10,000 /
 * 100,000 / 3. A benchmark to run by hand, never a timed test. {@code CoreBench --report commands
 * groups tasks} runs {@link #measure} and prints its {@link Report} for {@code cgledger bench}, which
 * runs core alone so, in a JVM of its own with the flags that suit it.
 */
public final class CoreBench {

    private CoreBench() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--report")) {
            if (args.length != 4) {
                System.err.println("usage: CoreBench --report COMMANDS GROUPS TASKS");
                System.exit(2);
            }
            Report r = measure(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            System.out.print(r.format());
            return;
        }
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int[] round = {0};
        Report report = measure(commands, groups, tasks, rounds, false, r -> {
            System.out.printf(Locale.ROOT, "round %d: %,.0f commands/s (%,d accepted, %,d refused)%n", ++round[0],
                    r.commandsPerSecond(), r.accepted(), r.refused());
            if (round[0] == rounds) {
                State s = r.state();
                System.out.printf(Locale.ROOT, "final state: %,d tasks, %,d cgroups, %,d css, %,d css_sets, %,d objects%n",
                        s.tasks().size(), s.cgroups().size(), s.css().size(), s.cssSets().size(), s.objects().size());
            }
        });
        double median = SideBySide.median(report.rates());
        System.out.printf(Locale.ROOT, "median: %,.0f commands/s over %d rounds%n", median, rounds);
        System.out.printf(Locale.ROOT, "the same commands on flat mutable arrays (FlatFloor, a ceiling, not the model): "
                + "%,.0f commands/s%n", SideBySide.median(report.flatRates()));
        double latency = MemoryLatency.measure();
        System.out.printf(Locale.ROOT, "memory latency: %.1f ns per dependent read; a command costs %.1f of them%n",
                latency, 1e9 / median / latency);
        System.out.println("per kind (mean ns per command, all rounds):");
        for (int k = 0; k < Workload.KINDS.size(); k++) {
            System.out.printf(Locale.ROOT, "  %-9s %,8.0f ns  (%,d commands)%n", Workload.KINDS.get(k),
                    report.nanos()[k] / Math.max(1.0, report.counts()[k]), report.counts()[k]);
        }
        System.out.printf(Locale.ROOT, "heap retained by the final state: %,.1f MiB%n", report.retainedBytes() / 1048576.0);
    }

    /**
     * The JVM flags core alone runs best with: the parallel collector, the heap sized at the start
     * (the JVM's default maximum), a quarter of it young, survivor spaces the collector does not
     * shrink. The newest state changes its maps in place and leaves each older one a chain of
     * differences to it; on the collector's own sizing, older versions promoted and dead in the old
     * generation kept every later one alive through young collections (docs/MEASUREMENTS.md, "Other figures",
     * session 19). {@code cgledger bench} runs {@code --report} with these (and huge pages).
     */
    public static final String JVM_FLAGS =
            "-XX:+UseParallelGC -XX:InitialRAMPercentage=25 -XX:NewRatio=3 -XX:-UseAdaptiveSizePolicy";

    /** The rounds {@link #measure} makes of each, after a warm-up round that is not counted. */
    public static final int ROUNDS = 3;

    /**
     * Core alone as {@code cgledger bench} measures it: a warm-up round (the JIT compiles the hot
     * paths; it runs at about half the later rate) and {@link #ROUNDS} measured, on seeds 41, 42...;
     * the same on {@link FlatFloor}, whose last round must accept what core's last did and end with as
     * many of everything; and the heap core's last state retains.
     *
     * @throws IllegalStateException if the flat layout did not do what core did
     */
    public static Report measure(int commands, int groups, int tasks) {
        return measure(commands, groups, tasks, ROUNDS, true, r -> { });
    }

    /**
     * {@link #measure(int, int, int)} with {@code rounds} measured rounds, after a warm-up round of
     * each on seed 41 if {@code warmUp}; {@code eachRound} sees each measured round of core's.
     */
    public static Report measure(int commands, int groups, int tasks, int rounds, boolean warmUp,
                                 java.util.function.Consumer<Result> eachRound) {
        if (warmUp) {
            run(commands, groups, tasks, 41);
        }
        Result last = null;
        double[] rates = new double[rounds];
        long[] counts = new long[Workload.KINDS.size()];
        long[] nanos = new long[Workload.KINDS.size()];
        for (int i = 0; i < rounds; i++) {
            last = run(commands, groups, tasks, 42 + i);
            eachRound.accept(last);
            rates[i] = last.commandsPerSecond();
            for (int k = 0; k < counts.length; k++) {
                counts[k] += last.counts()[k];
                nanos[k] += last.nanos()[k];
            }
        }
        if (warmUp) {
            runFlat(commands, groups, tasks, 41);
        }
        double[] flatRates = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            FlatResult f = runFlat(commands, groups, tasks, 42 + i);
            flatRates[i] = f.commandsPerSecond();
            String differs = i == rounds - 1 ? f.differenceFrom(last) : null;
            if (differs != null) {
                throw new IllegalStateException("the flat layout does not do what core does: " + differs);
            }
        }
        long with = usedAfterGc();
        State[] hold = {last.state()};
        last = null;
        hold[0] = null;
        long without = usedAfterGc();
        return new Report(rates, counts, nanos, flatRates, with - without);
    }

    /**
     * What {@link #measure} found: core's rate in each measured round, its commands and nanoseconds
     * of each kind ({@link Workload#KINDS}) over them, FlatFloor's rate in each round, and the bytes
     * core's last state retains. {@link #format} and {@link #parse} carry it between processes.
     */
    public record Report(double[] rates, long[] counts, long[] nanos, double[] flatRates, long retainedBytes) {

        /** One line per figure: {@code rates}, {@code flat}, {@code retained}, and {@code kind NAME COUNT NANOS}. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append("rates");
            for (double r : rates) {
                sb.append(' ').append(r);
            }
            sb.append("\nflat");
            for (double r : flatRates) {
                sb.append(' ').append(r);
            }
            sb.append("\nretained ").append(retainedBytes).append('\n');
            for (int k = 0; k < counts.length; k++) {
                sb.append("kind ").append(Workload.KINDS.get(k)).append(' ').append(counts[k]).append(' ')
                        .append(nanos[k]).append('\n');
            }
            return sb.toString();
        }

        /** The report {@link #format} printed; lines of anything else are skipped (a JVM's warnings). */
        public static Report parse(List<String> lines) {
            double[] rates = null;
            double[] flat = null;
            Long retained = null;
            long[] counts = new long[Workload.KINDS.size()];
            long[] nanos = new long[Workload.KINDS.size()];
            int kinds = 0;
            for (String line : lines) {
                String[] f = line.trim().split(" ");
                switch (f[0]) {
                    case "rates" -> rates = doubles(f);
                    case "flat" -> flat = doubles(f);
                    case "retained" -> retained = Long.parseLong(f[1]);
                    case "kind" -> {
                        int k = Workload.KINDS.indexOf(f[1]);
                        if (k < 0 || f.length != 4) {
                            throw new IllegalArgumentException("not a report line: " + line);
                        }
                        counts[k] = Long.parseLong(f[2]);
                        nanos[k] = Long.parseLong(f[3]);
                        kinds++;
                    }
                    default -> {
                    }
                }
            }
            if (rates == null || flat == null || retained == null || kinds != counts.length) {
                throw new IllegalArgumentException("not a whole report: " + lines);
            }
            return new Report(rates, counts, nanos, flat, retained);
        }

        private static double[] doubles(String[] fields) {
            return Arrays.stream(fields, 1, fields.length).mapToDouble(Double::parseDouble).toArray();
        }
    }

    /** One measured run. */
    public record Result(double commandsPerSecond, long accepted, long refused, long[] counts, long[] nanos,
                         State state) {
    }

    /**
     * Commands are generated a block at a time, untimed, and each block is then decided under the
     * clock. Generating all of them first kept a million commands alive through the measured run:
     * the collector copied them into the old generation and later collected it whole (pauses of
     * 0.25-0.56 s, then a 0.5 s full collection, measured with -Xlog:gc), and each pause was charged
     * to whichever command it fell in (one in an rmdir of the mix added 10 µs to the 50,000 rmdirs'
     * mean). The model's own garbage is still collected under the clock: it allocates some twenty
     * times what the generator does, so nearly every collection starts inside a timed block. A
     * block is small enough that its commands are still in the cache when they are decided, as a
     * command just parsed is: 4,096 at a time, the model's 12 MB of allocation between a command's
     * making and its turn pushed it out, and reading the pid and the path back from memory showed
     * in profiles (about 4% of the mix, measured side by side).
     */
    public static Result run(int commands, int groups, int tasks, long seed) {
        Workload w = new Workload(seed);
        State s = State.EMPTY;
        for (Command c : w.setup(groups, tasks)) {
            if (Decider.decide(s, c) instanceof Decision.Accepted a) {
                s = a.state();
            }
        }
        int[] kind = new int[1];
        Command[] block = new Command[Math.min(commands, BLOCK)];
        int[] kinds = new int[block.length];
        long[] counts = new long[Workload.KINDS.size()];
        long[] nanos = new long[Workload.KINDS.size()];
        long accepted = 0;
        long timed = 0;
        for (int done = 0; done < commands; ) {
            int n = Math.min(block.length, commands - done);
            for (int i = 0; i < n; i++) {
                block[i] = w.next(kind);
                kinds[i] = kind[0];
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                Decision d = Decider.decide(s, block[i]);
                if (d instanceof Decision.Accepted a) {
                    s = a.state();
                    accepted++;
                }
                nanos[kinds[i]] += System.nanoTime() - t0;
                counts[kinds[i]]++;
            }
            timed += System.nanoTime() - start;
            done += n;
        }
        return new Result(commands / (timed / 1e9), accepted, commands - accepted, counts, nanos, s);
    }

    /** The same commands as {@link #run} with the same seed, on {@link FlatFloor}. */
    public static FlatResult runFlat(int commands, int groups, int tasks, long seed) {
        Workload w = new Workload(seed);
        FlatFloor f = new FlatFloor();
        for (Command c : w.setup(groups, tasks)) {
            f.apply(c);
        }
        int[] kind = new int[1];
        Command[] block = new Command[Math.min(commands, BLOCK)];
        long accepted = 0;
        long timed = 0;
        for (int done = 0; done < commands; ) {
            int n = Math.min(block.length, commands - done);
            for (int i = 0; i < n; i++) {
                block[i] = w.next(kind);
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (f.apply(block[i])) {
                    accepted++;
                }
            }
            timed += System.nanoTime() - start;
            done += n;
        }
        return new FlatResult(commands / (timed / 1e9), accepted, f);
    }

    /** One measured run of {@link FlatFloor}. */
    public record FlatResult(double commandsPerSecond, long accepted, FlatFloor floor) {

        /** Whether it accepted what core accepted and ends with as many of everything; null if so, else what differs. */
        public String differenceFrom(Result core) {
            State s = core.state();
            String flat = counts(accepted, floor.tasks(), floor.cgroups(), floor.css(), floor.cssSets(), floor.objects())
                    + sums(floor.sums());
            String model = counts(core.accepted(), s.tasks().size(), s.cgroups().size(), s.css().size(),
                    s.cssSets().size(), s.objects().size()) + sums(FlatFloor.sums(s));
            return flat.equals(model) ? null : "flat " + flat + ", core " + model;
        }

        private static String sums(long[] sums) {
            return String.format(Locale.ROOT, "; refcounts: css %d, css_sets %d; usage %d", sums[0], sums[1], sums[2]);
        }

        private static String counts(long accepted, long tasks, long cgroups, long css, long sets, long objects) {
            return String.format(Locale.ROOT, "%d accepted, %d tasks, %d cgroups, %d css, %d css_sets, %d objects",
                    accepted, tasks, cgroups, css, sets, objects);
        }
    }

    /** Commands generated at a time by {@link #run}: few enough to die young and to stay in the cache. */
    static final int BLOCK = 64;

    /** Heap in use after a few collections: what a measurement of retained heap subtracts. */
    public static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
