package org.cgledger.core.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two or more builds of core, measured side by side in one JVM: {@link CoreBench#run} of each build,
 * loaded in a class loader of its own, round after round, the order reversed every other round
 * (A B, B A, A B...) so that neither build always runs on a heap or a JIT the other left, and on the
 * same seed within a round, so that both decide the same commands. The first round warms up and is
 * not counted. Separate runs on a shared machine differ by more than most changes to core do (one
 * round of one build ranged from 90,000 to 230,000 commands/s in session 17); side by side, each
 * round's ratio compares two runs under the same load.
 *
 * <p>Usage: {@code SideBySide [--rounds N] [--commands C] [--groups G] [--tasks T] BUILD BUILD...},
 * each BUILD a core jar or classes directory; defaults 7 rounds of 1,000,000 commands over 10,000
 * cgroups and 100,000 tasks. Prints each build's median, its range, and against the first build the
 * median of the per-round ratios. A benchmark to run by hand, never a timed test.
 */
public final class SideBySide {

    private SideBySide() {
    }

    /** What to run: the workload's size and the rounds. */
    public record Plan(int rounds, int commands, int groups, int tasks, List<Path> builds) {

        public Plan {
            if (rounds < 2) {
                throw new IllegalArgumentException("at least 2 rounds: the first one only warms up");
            }
            if (commands < 1 || groups < 1 || tasks < 2) {
                throw new IllegalArgumentException("commands and groups must be at least 1, tasks at least 2");
            }
            if (builds.isEmpty()) {
                throw new IllegalArgumentException("no build to run");
            }
            builds = List.copyOf(builds);
        }
    }

    /** One build's rates, round by round (round 0 the warm-up), and the commands it accepted in each. */
    public record Runs(Path build, double[] rates, long[] accepted) {
    }

    public static void main(String[] args) {
        Plan plan;
        try {
            plan = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("SideBySide: " + e.getMessage());
            System.err.println("usage: SideBySide [--rounds N] [--commands C] [--groups G] [--tasks T] BUILD BUILD...");
            System.exit(2);
            return;
        }
        List<Runs> runs = run(plan, System.out);
        report(runs, System.out);
    }

    /** The plan {@code args} ask for. */
    public static Plan parse(String[] args) {
        int rounds = 7;
        int commands = 1_000_000;
        int groups = 10_000;
        int tasks = 100_000;
        List<Path> builds = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                int v = number(a, args[++i]);
                switch (a) {
                    case "--rounds" -> rounds = v;
                    case "--commands" -> commands = v;
                    case "--groups" -> groups = v;
                    case "--tasks" -> tasks = v;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } else {
                Path p = Path.of(a);
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("no such build: " + a);
                }
                builds.add(p);
            }
        }
        return new Plan(rounds, commands, groups, tasks, builds);
    }

    private static int number(String option, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not '" + text + "'");
        }
    }

    /** Runs the plan, printing each round as it ends; each build's rates by round. */
    public static List<Runs> run(Plan plan, PrintStream out) {
        int n = plan.builds().size();
        List<URLClassLoader> loaders = new ArrayList<>();
        List<Method> benches = new ArrayList<>();
        List<Runs> runs = new ArrayList<>();
        try {
            for (Path build : plan.builds()) {
                URLClassLoader l = new URLClassLoader(new URL[] {url(build)}, ClassLoader.getPlatformClassLoader());
                loaders.add(l);
                benches.add(benchOf(l, build));
                runs.add(new Runs(build, new double[plan.rounds()], new long[plan.rounds()]));
            }
            for (int r = 0; r < plan.rounds(); r++) {
                for (int j = 0; j < n; j++) {
                    int b = r % 2 == 0 ? j : n - 1 - j;
                    Object result = invoke(benches.get(b), plan, 42L + r);
                    runs.get(b).rates()[r] = (double) accessor(result, "commandsPerSecond");
                    runs.get(b).accepted()[r] = (long) accessor(result, "accepted");
                    result = null;
                    CoreBench.usedAfterGc(); // the next run starts on a collected heap
                    out.printf(Locale.ROOT, "round %d%s  %-40s %,.0f commands/s%n", r + 1, r == 0 ? " (warm-up)" : "",
                            plan.builds().get(b), runs.get(b).rates()[r]);
                }
            }
        } finally {
            for (URLClassLoader l : loaders) {
                try {
                    l.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return runs;
    }

    /** Each build's median and range over the counted rounds, and its per-round ratio to the first build's. */
    public static void report(List<Runs> runs, PrintStream out) {
        Runs first = runs.get(0);
        for (Runs x : runs) {
            double[] counted = Arrays.copyOfRange(x.rates(), 1, x.rates().length);
            double[] sorted = counted.clone();
            Arrays.sort(sorted);
            out.printf(Locale.ROOT, "%-40s median %,.0f commands/s (%,.0f to %,.0f over %d rounds)", x.build(),
                    median(counted), sorted[0], sorted[sorted.length - 1], counted.length);
            if (x != first) {
                out.printf(Locale.ROOT, "; against the first: %.3f (median of the rounds' ratios)", ratio(x, first));
            }
            out.println();
            for (int r = 0; r < x.accepted().length; r++) {
                if (x.accepted()[r] != first.accepted()[r]) {
                    out.printf(Locale.ROOT, "  decides otherwise than the first build: round %d accepted %,d commands "
                            + "against %,d%n", r + 1, x.accepted()[r], first.accepted()[r]);
                    break;
                }
            }
        }
    }

    /** The median of {@code x}'s rate over {@code base}'s, round by round, the warm-up left out. */
    public static double ratio(Runs x, Runs base) {
        double[] ratios = new double[x.rates().length - 1];
        for (int r = 1; r < x.rates().length; r++) {
            ratios[r - 1] = x.rates()[r] / base.rates()[r];
        }
        return median(ratios);
    }

    /** The median: the middle value, or the mean of the two middle ones. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static URL url(Path build) {
        try {
            return build.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable path: " + build, e);
        }
    }

    private static Method benchOf(ClassLoader l, Path build) {
        try {
            return l.loadClass(CoreBench.class.getName())
                    .getMethod("run", int.class, int.class, int.class, long.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IllegalArgumentException(build + " holds no core build with " + CoreBench.class.getName()
                    + ".run(int, int, int, long)", e);
        }
    }

    private static Object invoke(Method bench, Plan plan, long seed) {
        try {
            return bench.invoke(null, plan.commands(), plan.groups(), plan.tasks(), seed);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("a build's run failed: " + e.getCause(), e.getCause());
        }
    }

    private static Object accessor(Object result, String name) {
        try {
            return result.getClass().getMethod(name).invoke(result);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a build's result has no " + name + "()", e);
        }
    }
}
