package org.cgledger.persistence;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a process's start-up time goes. With {@code -Dcgledger.timeline=true} (for the launcher:
 * {@code CGLEDGER_JAVA_OPTS=-Dcgledger.timeline=true}) each phase prints, on stderr, the
 * milliseconds since the JVM started, the thread and the phase; at the {@code exit} mark, the CPU
 * time of each thread still running (from {@code /proc}, Linux only). Otherwise a mark costs one
 * field read.
 */
public final class Timeline {

    private static final boolean ON = Boolean.getBoolean("cgledger.timeline");
    private static final long JVM_START = ON ? ManagementFactory.getRuntimeMXBean().getStartTime() : 0;

    private Timeline() {
    }

    /** Whether marks print. */
    public static boolean on() {
        return ON;
    }

    /** Records that {@code phase} has just ended. */
    public static void mark(String phase) {
        if (ON) {
            long ms = System.currentTimeMillis() - JVM_START;
            System.err.printf("cgledger timeline: %5d ms  %-14s %s%n", ms, Thread.currentThread().getName(), phase);
            if (phase.startsWith("exit")) {
                threads();
            }
        }
    }

    /** The CPU time of each thread still running, most first: threads that ended are not listed. */
    private static void threads() {
        List<long[]> ticks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat = Files.readString(task.resolve("stat"));
                int close = stat.lastIndexOf(')');
                String[] fields = stat.substring(close + 2).split(" ");
                // utime and stime, fields 14 and 15 of stat, in clock ticks (10 ms here)
                ticks.add(new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12]), names.size()});
                names.add(stat.substring(stat.indexOf('(') + 1, close));
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        ticks.sort(Comparator.comparingLong((long[] t) -> t[0]).reversed());
        StringBuilder line = new StringBuilder("cgledger timeline: CPU ms by thread:");
        for (long[] t : ticks.subList(0, Math.min(8, ticks.size()))) {
            line.append("  ").append(names.get((int) t[1])).append(' ').append(t[0] * 10);
        }
        System.err.println(line);
    }
}
