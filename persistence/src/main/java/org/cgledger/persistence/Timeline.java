package org.cgledger.persistence;

import java.lang.management.ManagementFactory;

/**
 * Where a process's start-up time goes. With {@code -Dcgledger.timeline=true} (for the launcher:
 * {@code CGLEDGER_JAVA_OPTS=-Dcgledger.timeline=true}) each phase prints, on stderr, the
 * milliseconds since the JVM started, the thread and the phase; otherwise a mark costs one
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
        }
    }
}
