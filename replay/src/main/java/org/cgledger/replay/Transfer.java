package org.cgledger.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.State;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Recorded;
import org.cgledger.persistence.StreamOrder;

/**
 * Export and import: a ledger's journal as JSON lines (one stored row each, with its stream and
 * sequence number: {@link JournalRows#toJson}) and back into a fresh ledger with every number
 * preserved. {@link #identical} checks two journals by replaying both.
 */
public final class Transfer {

    private Transfer() {
    }

    public static long export(List<Journals.Stored> rows, Writer out) throws IOException {
        return export(new Journal(rows), out);
    }

    /** Writes every row of {@code journal} as a JSON line, a stretch at a time; returns how many. */
    public static long export(TimeTravel journal, Writer out) throws IOException {
        long[] n = {0};
        try {
            journal.forEachRow(r -> {
                try {
                    out.write(JournalRows.toJson(r));
                    out.write('\n');
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                n[0]++;
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
        return n[0];
    }

    /** A row read and the line it was read from. */
    private record Line(int number, Journals.Stored row) {
    }

    /**
     * Reads a journal for import from JSON lines (blank lines skipped), in ledger-wide order.
     * Refuses, naming the line, what a ledger made from it would refuse to open or no command
     * could have written: a line that is not a journal row ({@link JournalRows#fromJson}); the same
     * event, or the same place in a stream, twice; a stream whose sequence numbers do not run
     * 1, 2, 3... with increasing event numbers (recovery's rule, {@link StreamOrder}); an event
     * that does not apply to the state the events before it give; a cgroup no mkdir makes
     * ({@link #unmade}). A journal it takes may still disagree with its recorded refcounts, or
     * miss events: the audit finds those.
     *
     * @throws IllegalArgumentException {@code "line N: "} and why
     */
    public static List<Journals.Stored> read(BufferedReader in) throws IOException {
        return readNumbered(in).rows();
    }

    /**
     * A journal read for import ({@link #read}) and the line each event was read from, so that what
     * is refused after reading (by the audit of the rows) can name its line too.
     *
     * @param lines event number to the line it was read from
     */
    public record Numbered(List<Journals.Stored> rows, Map<Long, Integer> lines) {
    }

    /** {@link #read}, with each event's line. */
    public static Numbered readNumbered(BufferedReader in) throws IOException {
        List<Line> lines = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                lines.add(new Line(n, JournalRows.fromJson(line)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage(), e);
            }
        }
        duplicates(lines);
        streams(lines);
        lines.sort(Comparator.comparing(Line::row, JournalRows.ORDER));
        replays(lines);
        List<Journals.Stored> out = new ArrayList<>(lines.size());
        Map<Long, Integer> numbers = new HashMap<>();
        for (Line l : lines) {
            out.add(l.row());
            numbers.put(l.row().record().seq(), l.number());
        }
        return new Numbered(out, numbers);
    }

    /** Refuses, at its second line, an event number or a stream's sequence number given twice. */
    private static void duplicates(List<Line> lines) {
        Map<Long, Integer> events = new HashMap<>();
        Map<JournalRows.Key, Integer> places = new HashMap<>();
        for (Line l : lines) {
            Journals.Stored s = l.row();
            Integer first = events.putIfAbsent(s.record().seq(), l.number());
            if (first != null) {
                throw refused(l, "a duplicate of line " + first + ": event #" + s.record().seq() + " twice");
            }
            first = places.putIfAbsent(new JournalRows.Key(s.persistenceId(), s.sequenceNr()), l.number());
            if (first != null) {
                throw refused(l, "a duplicate of line " + first + ": stream " + s.persistenceId() + ", sequence number "
                        + s.sequenceNr() + " twice");
            }
        }
    }

    /** Refuses the first row of a stream that breaks recovery's order ({@link StreamOrder}). */
    private static void streams(List<Line> lines) {
        Map<String, List<Line>> byStream = new TreeMap<>();
        for (Line l : lines) {
            byStream.computeIfAbsent(l.row().persistenceId(), k -> new ArrayList<>()).add(l);
        }
        for (Map.Entry<String, List<Line>> e : byStream.entrySet()) {
            List<Line> stream = e.getValue();
            stream.sort(Comparator.comparingLong(l -> l.row().sequenceNr()));
            StreamOrder order = new StreamOrder(e.getKey(), 0);
            for (Line l : stream) {
                String why = order.next(l.row().sequenceNr(), l.row().record().seq());
                if (why != null) {
                    throw refused(l, why);
                }
            }
        }
    }

    /** Folds the rows, in ledger-wide order, refusing one that does not apply or creates a cgroup no mkdir makes. */
    private static void replays(List<Line> lines) {
        State s = State.EMPTY;
        for (Line l : lines) {
            Recorded r = l.row().record();
            State after;
            try {
                after = Evolver.evolve(s, r.event());
            } catch (RuntimeException e) {
                throw refused(l, "event #" + r.seq() + " (" + Describe.type(r.event()) + ") does not apply: "
                        + e.getMessage());
            }
            if (r.event() instanceof CgroupCreated c) {
                String why = unmade(s, c);
                if (why != null) {
                    throw refused(l, "event #" + r.seq() + " (CgroupCreated): no mkdir makes a cgroup '" + c.name()
                            + "' under " + s.path(c.parent()) + ": " + why);
                }
            }
            s = after;
        }
    }

    /**
     * Why no mkdir makes the cgroup {@code e} creates in the state {@code before} it, or null when
     * one does: core's own mkdir ({@link Decider#decide}) of its path under a mount point of its
     * hierarchy must create it. So a name mkdir refuses is refused here for the same reason (with a
     * newline or a NUL byte, {@code .} or {@code ..}, empty, a file of its parent, a path of
     * PATH_MAX bytes), and one with a {@code /} names another cgroup.
     */
    static String unmade(State before, CgroupCreated e) {
        Cgroup parent = before.cgroup(e.parent());
        String rel = before.relativePath(parent.id()) + "/" + e.name();
        String why = "its hierarchy is mounted nowhere";
        for (String mountPoint : before.hierarchy(parent.hierarchy()).mountPoints()) {
            String path = State.under(mountPoint, rel);
            Decision d = Decider.decide(before, new Mkdir(path, false));
            if (d instanceof Decision.Rejected no) {
                why = "mkdir " + path + " is refused (" + no.errno().name() + ": " + no.reason() + ")";
                continue;
            }
            CgroupCreated made = (CgroupCreated) ((Decision.Accepted) d).events().get(0);
            if (made.parent().equals(e.parent()) && made.name().equals(e.name())) {
                return null;
            }
            why = "mkdir " + path + " makes '" + made.name() + "' under " + before.path(made.parent());
        }
        return why;
    }

    private static IllegalArgumentException refused(Line l, String why) {
        return new IllegalArgumentException("line " + l.number() + ": " + why);
    }

    /** Imports {@code rows} into a fresh ledger in {@code dir}. */
    public static void importInto(Path dir, List<Journals.Stored> rows) {
        JournalRows.importInto(dir, rows, Duration.ofSeconds(10));
    }

    /**
     * Whether two journals are the same ledger: the same rows (streams, numbers, times, events,
     * recorded refcounts) and the same state after replaying each with core's evolve.
     */
    public static boolean identical(List<Journals.Stored> a, List<Journals.Stored> b) {
        if (!a.equals(b)) {
            return false;
        }
        State sa = new Journal(a).finalState();
        State sb = new Journal(b).finalState();
        return sa.equals(sb);
    }
}
