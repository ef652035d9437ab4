package org.cgledger.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.decide.Touched;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.CgroupRemoved;
import org.cgledger.core.event.CssReleased;
import org.cgledger.core.event.CssSetFreed;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyDestroyed;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.event.HoldDropped;
import org.cgledger.core.event.LedgerInitialized;
import org.cgledger.core.event.LimitSet;
import org.cgledger.core.event.MountPointAdded;
import org.cgledger.core.event.MountPointRemoved;
import org.cgledger.core.event.MoveChargeSet;
import org.cgledger.core.event.NotifyOnReleaseSet;
import org.cgledger.core.event.ObjectCharged;
import org.cgledger.core.event.ObjectReleased;
import org.cgledger.core.event.RmdirRefused;
import org.cgledger.core.event.TaskAttached;
import org.cgledger.core.event.TaskExited;
import org.cgledger.core.event.TaskForked;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Refcounts;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Recorded;

/**
 * The refcount audit. Replays a stored journal with core's {@code Evolver.evolve} and, after every
 * event, recomputes from first principles (DESIGN.md §1) each counter the event touches (the names
 * {@code Touched} gives, and those the record carries):
 * <ul>
 * <li>css_set refcount = tasks using it + cgroup directories holding it + objects pinning it;</li>
 * <li>css refcount = live css_sets containing it + objects pinning it.</li>
 * </ul>
 * The holders are kept in the audit's own indexes (task → css_set, directory → css_set, object →
 * pin, css_set → its css), refreshed from the state's facts ({@code Task.cssSet},
 * {@code Cgroup.ownSet}, {@code ChargedObject.pinnedSet}/{@code css}, {@code CssSet.key}) for the
 * holders each event can change, never from core's incremental counts; so a check costs O(touched),
 * not O(model). Each recomputed value is compared with what the event recorded and with core's
 * incremental count; at the end the whole model is recomputed once ({@code Refcounts.violations}).
 *
 * <p>It also checks the journal's shape (numbers dense and unique, each event in the stream its
 * type belongs to, each stream in ledger order) and reports the policies' leftovers: css
 * unreachable (policy unchecked), css dying past a limit or at the end (offline), objects still
 * charged with no holder, css_sets pinned by nothing but objects. Every finding names the event
 * that caused it; a discrepancy carries the counter's whole get/put timeline.
 */
public final class Audit {

    private Audit() {
    }

    /** @param dyingLimit a css dying longer than this many events is reported (still dying at the end: always) */
    public record Options(long dyingLimit) {
        public static Options defaults() {
            return new Options(10_000);
        }
    }

    /** Told every {@value #PROGRESS_EVERY} events and at the end. */
    public interface Progress {
        void at(long done, long total);

        Progress NONE = (done, total) -> {
        };
    }

    static final int PROGRESS_EVERY = 10_000;

    /** One step of a counter's timeline: a get (+) or put (-) by one event, and the value after it. */
    public record Step(long seq, String stream, int delta, int after, Integer recorded, String cause) {
        @Override
        public String toString() {
            return "#" + seq + " " + (delta > 0 ? "+" + delta : delta == 0 ? " 0" : Integer.toString(delta)) + " -> "
                    + after + (recorded != null && recorded != after ? " (recorded " + recorded + ")" : "") + "  "
                    + cause;
        }
    }

    /** What the audit found. Each names the event that caused it. */
    public sealed interface Finding {
        /** The event the finding points at. */
        long seq();

        /** One line for a person. */
        String summary();
    }

    /**
     * A counter whose value disagrees with its definition after event {@code seq}, the first such
     * event for this counter. {@code recorded} is null when the record does not carry the counter.
     *
     * @param laterEvents how many later events disagreed on it too
     */
    public record Discrepancy(long seq, String event, String counter, int expected, Integer recorded,
                              int incremental, long laterEvents, List<Step> timeline) implements Finding {
        public Discrepancy {
            timeline = List.copyOf(timeline);
        }

        @Override
        public String summary() {
            return "event #" + seq + " (" + event + "): " + counter + " is " + expected + " by definition, recorded "
                    + (recorded == null ? "nothing" : recorded) + ", counted " + incremental + " by replay"
                    + (laterEvents > 0 ? "; " + laterEvents + (laterEvents == 1 ? " later event disagrees"
                    : " later events disagree") + " on it too" : "");
        }
    }

    /** Events numbered {@code from..to} are missing from the journal. */
    public record Gap(long from, long to, long seq) implements Finding {
        @Override
        public String summary() {
            return (to > from ? "events #" + from + "..#" + to : "event #" + from) + " missing (the next stored is #"
                    + seq + ")";
        }
    }

    /**
     * Event number {@code seq} is stored more than once; {@code applied} says whether the later row
     * folded. {@code other}: null when both rows hold the same event (a copy), else the type of the
     * earlier one, {@code event} being the later one's.
     */
    public record Duplicate(long seq, String event, String original, String copy, List<String> counters,
                            String applied, String other) implements Finding {
        @Override
        public String summary() {
            String changes = counters.isEmpty() ? "they record no refcount"
                    : (other == null ? "it changes " : "they change ") + String.join(", ", counters);
            if (other == null) {
                return "event #" + seq + " (" + event + ") stored twice: " + original + " and " + copy + "; "
                        + changes + "; the copy " + applied;
            }
            return "event #" + seq + " numbers two different events: " + other + " at " + original + " and " + event
                    + " at " + copy + "; " + changes + "; the later " + applied;
        }
    }

    /** An event stored in a stream other than the one its type belongs to. */
    public record Misplaced(long seq, String event, String storedIn, String belongsTo, List<String> counters)
            implements Finding {
        @Override
        public String summary() {
            return "event #" + seq + " (" + event + ") is stored in " + storedIn + " but belongs to " + belongsTo
                    + "; a replay of one stream would miss its changes to " + String.join(", ", counters);
        }
    }

    /** Within one stream, a row stored after another carries an earlier ledger number. */
    public record OutOfOrder(long seq, String stored, long after) implements Finding {
        @Override
        public String summary() {
            return "event #" + seq + " is stored at " + stored + ", after event #" + after + " of the same stream";
        }
    }

    /** The event could not apply to the state the journal gives before it (it was skipped). */
    public record Unapplicable(long seq, String event, String reason) implements Finding {
        @Override
        public String summary() {
            return "event #" + seq + " (" + event + ") cannot apply: " + reason;
        }
    }

    /** A pin: an object pinning a css or css_set, with who charged it and when. */
    public record Pin(ObjectName object, Pid chargedBy, long chargedAt) {
        @Override
        public String toString() {
            return object + " (charged by task " + chargedBy + " at event #" + chargedAt + ")";
        }
    }

    /**
     * A css left unreachable by an rmdir (policy unchecked) and never released: what holds it at the
     * end, its pins, the css_sets that hold it, and its unreleased child css (a css is released
     * after its children, whatever its refcount).
     */
    public record Unreachable(long seq, String css, String path, List<Pin> pins, List<String> sets,
                              List<String> children) implements Finding {
        public Unreachable {
            pins = List.copyOf(pins);
            sets = List.copyOf(sets);
            children = List.copyOf(children);
        }

        @Override
        public String summary() {
            List<String> why = new ArrayList<>();
            if (!pins.isEmpty()) {
                why.add("pinned by " + pins);
            }
            if (!sets.isEmpty()) {
                why.add("held by css_sets " + sets);
            }
            if (!children.isEmpty()) {
                why.add("kept by its child css " + children);
            }
            return css + " of " + path + " unreachable since rmdir at event #" + seq + ", "
                    + (why.isEmpty() ? "held by nothing" : String.join(" and ", why));
        }
    }

    /**
     * A css that stayed dying longer than the limit: from {@code seq} (its rmdir) to
     * {@code releasedAt} (0: still dying at the end); {@code lastPut} is the event that dropped its
     * last reference (0 while it has one). {@code children}: the child css that kept it dying after
     * its last reference went (a css is released after its children, whatever its refcount): for a
     * css still dying, those unreleased at the end; for one released, those released after that.
     */
    public record Dying(long seq, String css, String path, long releasedAt, long lastPut, List<Pin> pins,
                        List<String> children) implements Finding {
        public Dying {
            pins = List.copyOf(pins);
            children = List.copyOf(children);
        }

        @Override
        public String summary() {
            return css + " of " + path + " dying since rmdir at event #" + seq + (releasedAt == 0
                    ? ", still dying at the end" + (pins.isEmpty() ? "" : ", pinned by " + pins)
                            + (children.isEmpty() ? "" : (pins.isEmpty() ? ", kept" : " and kept") + " by its child css "
                            + children)
                    : " until event #" + lastPut + (children.isEmpty() ? "" : ", then kept by its child css " + children)
                            + ", released at event #" + releasedAt);
        }
    }

    /** An object still charged though every holder let go; {@code seq} is the charge. */
    public record Unheld(long seq, String object, String css, Pid chargedBy, long lastHolderGone)
            implements Finding {
        @Override
        public String summary() {
            return object + " still charged to " + css + " (charged by task " + chargedBy + " at event #" + seq
                    + ") though its last holder let go at event #" + lastHolderGone;
        }
    }

    /** A css_set held by no task and no directory, only by objects (policy cssset). */
    public record PinnedByObjectsOnly(long seq, String cssSet, List<Pin> pins) implements Finding {
        @Override
        public String summary() {
            return cssSet + " is used by no task and held by no directory, only pinned by " + pins;
        }
    }

    /** The model at the end breaks an invariant that the per-event checks do not cover. */
    public record Invariant(long seq, String violation) implements Finding {
        @Override
        public String summary() {
            return "at the end (event #" + seq + "): " + violation;
        }
    }

    /** The audit's result. */
    public record Report(long events, String policies, List<Finding> findings, Map<String, List<Step>> timelines) {
        public Report {
            findings = List.copyOf(findings);
        }

        public boolean clean() {
            return findings.isEmpty();
        }

        /** The first discrepancy on {@code counter}, if any. */
        public Optional<Discrepancy> discrepancy(String counter) {
            return findings.stream().filter(f -> f instanceof Discrepancy d && d.counter().equals(counter))
                    .map(Discrepancy.class::cast).findFirst();
        }
    }

    /** Audits {@code rows} (ledger order, as {@code Journals.readAll} gives them) with default options. */
    public static Report run(List<Journals.Stored> rows) {
        return run(rows, Options.defaults(), Progress.NONE);
    }

    /** Audits {@code rows}, in ledger order as {@code Journals.readAll} gives them. */
    public static Report run(List<Journals.Stored> rows, Options options, Progress progress) {
        return audit(rows, options, progress).report();
    }

    /**
     * {@link #run(List, Options, Progress)}, kept for the timelines of counters its report does not
     * give (a leftover css): asked of the same run, they cost no second fold of the journal.
     */
    public static Audited audit(List<Journals.Stored> rows, Options options, Progress progress) {
        Run r = new Run(rows, options, progress);
        return new Audited(r, r.run());
    }

    /** An audit's report, and the run it came from, for the timelines of more counters. */
    public static final class Audited {
        private final Run run;
        private final Report report;

        private Audited(Run run, Report report) {
            this.run = run;
            this.report = report;
        }

        public Report report() {
            return report;
        }

        /** The get/put timelines of {@code counters} (one never touched: empty), as {@link Audit#timelines} gives them. */
        public Map<String, List<Step>> timelines(java.util.Collection<String> counters) {
            Map<String, List<Step>> out = new TreeMap<>();
            for (String c : counters) {
                out.put(c, run.timeline(c));
            }
            return out;
        }
    }

    /** A counter's get/put timeline over a journal, with the values each event recorded. */
    public static List<Step> timeline(List<Journals.Stored> rows, String counter) {
        return timelines(rows, List.of(counter)).get(counter);
    }

    /** The get/put timelines of several counters over a journal, from one run (counters never touched: empty). */
    public static Map<String, List<Step>> timelines(List<Journals.Stored> rows, java.util.Collection<String> counters) {
        return audit(rows, Options.defaults(), Progress.NONE).timelines(counters);
    }

    /**
     * The audit's checks of one row at a time, for a journal read as it is written (an import):
     * holding the state and the holders so far, not the rows, the timelines or the names a report
     * needs. Rows are taken in ledger order, each the next event (1, 2, 3...), each stream's the
     * next of its stream: its gaps, duplicates and order are its caller's to check.
     */
    public static final class RowCheck {
        private final Run run = new Run(List.of(), Options.defaults(), Progress.NONE);

        public RowCheck() {
            run.forget = true;
        }

        /**
         * Takes {@code row}: false if the audit of a journal of the rows taken so far finds
         * something at it that could be a refusal of an import (an event that does not apply, a
         * counter it names that is none, a row stored in another stream than its command's, a
         * counter whose recorded value, value by replay or value by definition disagree, or one not
         * recorded), and then it is not taken; true if it finds none of these.
         */
        public boolean take(Journals.Stored row) {
            return run.clean(row);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static final class Run {
        final List<Journals.Stored> rows;
        final Options options;
        final Progress progress;
        final Names names = new Names();
        final List<Finding> findings = new ArrayList<>();

        // first-principles holder indexes
        final Map<Pid, CssSetId> taskSet = new HashMap<>();
        final Map<CgroupId, CssSetId> dirSet = new HashMap<>();
        final Map<ObjectName, Object> objectPin = new HashMap<>();
        final Map<CssSetId, List<CssId>> setCss = new HashMap<>();
        final Map<CssSetId, int[]> setHolders = new HashMap<>(); // tasks, dirs, objects
        final Map<CssId, Integer> cssHolders = new HashMap<>();
        /**
         * Whether a css or css_set whose holders come to none is forgotten ({@link RowCheck}: a long
         * journal's dead ones had been kept, some 40 bytes an event). The report keeps them: its
         * leftovers walk the css_sets' holders in the map's order.
         */
        boolean forget;

        // timelines: per counter, (row index << 20 | delta & 0xFFFFF)
        final Map<String, long[]> timelines = new HashMap<>();
        final Map<String, Integer> timelineSize = new HashMap<>();

        final Map<String, Integer> discrepancyAt = new HashMap<>();
        final Map<String, Long> laterDisagreements = new HashMap<>();
        final Map<CssId, Long> dyingSince = new HashMap<>();
        final Map<CssId, Long> unreachableSince = new HashMap<>();
        final Map<CssId, Long> lastPut = new HashMap<>();
        /** For a dying css whose refcount is 0: its child css released since, each having kept it dying. */
        final Map<CssId, List<String>> keptByChildren = new HashMap<>();
        final Map<ObjectName, Long> lastHolderGone = new HashMap<>();
        final Map<String, Long> streamLastNr = new HashMap<>();
        final Map<String, Long> streamLastSeq = new HashMap<>();
        final Map<String, StreamRows> streamRows = new HashMap<>();

        // before and after are read at every event: path copies suit that better than rerooting
        State state = State.EMPTY_SHARED;

        Run(List<Journals.Stored> rows, Options options, Progress progress) {
            this.rows = rows;
            this.options = options;
            this.progress = progress;
        }

        Report run() {
            long prevSeq = 0;
            Journals.Stored prevRow = null;
            for (int i = 0; i < rows.size(); i++) {
                Journals.Stored row = rows.get(i);
                Recorded r = row.record();
                if (r.seq() > prevSeq + 1) {
                    findings.add(new Gap(prevSeq + 1, r.seq() - 1, r.seq()));
                }
                streamOrder(row);
                State before = state;
                State after;
                try {
                    after = Evolver.evolve(before, r.event());
                } catch (RuntimeException e) {
                    if (prevRow != null && r.seq() == prevSeq) {
                        findings.add(duplicate(prevRow, row, before, "cannot apply (" + e.getMessage() + ")"));
                    } else {
                        findings.add(new Unapplicable(r.seq(), Describe.type(r.event()), e.getMessage()));
                    }
                    prevSeq = Math.max(prevSeq, r.seq());
                    prevRow = row;
                    continue;
                }
                if (prevRow != null && r.seq() == prevSeq) {
                    findings.add(duplicate(prevRow, row, before, "applies again"));
                }
                names.learn(r.event(), after);
                misplaced(row, before, after);
                syncHolders(before, r.event(), after);
                check(i, row, before, after);
                lifecycle(r, before, after);
                state = after;
                prevSeq = Math.max(prevSeq, r.seq());
                prevRow = row;
                if ((i + 1) % PROGRESS_EVERY == 0) {
                    progress.at(i + 1, rows.size());
                }
            }
            progress.at(rows.size(), rows.size());
            leftovers(prevSeq);
            List<Finding> sorted = new ArrayList<>(findings);
            sorted.sort(Comparator.comparingLong(Finding::seq));
            for (int k = 0; k < sorted.size(); k++) {
                if (sorted.get(k) instanceof Discrepancy d) {
                    sorted.set(k, new Discrepancy(d.seq(), d.event(), d.counter(), d.expected(), d.recorded(),
                            d.incremental(), laterDisagreements.getOrDefault(d.counter(), 0L), timeline(d.counter())));
                }
            }
            String policies = state.initialized() ? "pin=" + state.pin().name().toLowerCase() + " rmdir="
                    + state.rmdir().name().toLowerCase() : "(not initialized)";
            Map<String, List<Step>> tl = new TreeMap<>();
            for (Finding f : sorted) {
                if (f instanceof Discrepancy d) {
                    tl.put(d.counter(), d.timeline());
                }
            }
            return new Report(rows.size(), policies, sorted, tl);
        }

        /** {@link RowCheck#take}: the per-row checks of {@link #run}, without a finding, a name or a step kept. */
        boolean clean(Journals.Stored row) {
            Recorded r = row.record();
            State before = state;
            State after;
            try {
                after = Evolver.evolve(before, r.event());
            } catch (RuntimeException e) {
                return false;
            }
            HierarchyId want = streamOf(before, r.event(), after);
            if (want != null && !want.equals(r.stream())) {
                return false;
            }
            syncHolders(before, r.event(), after);
            Set<String> names = new LinkedHashSet<>(Touched.refcounts(before, r.event(), after).keySet());
            names.addAll(r.refcounts().keySet());
            for (String name : names) {
                Object counter = parse(after, name);
                if (counter == null) {
                    return false;
                }
                int exp = expected(counter);
                Integer rec = r.refcounts().get(name);
                if (incremental(after, counter) != exp || rec == null || rec != exp) {
                    return false;
                }
            }
            state = after;
            return true;
        }

        Duplicate duplicate(Journals.Stored original, Journals.Stored copy, State before, String applied) {
            TreeSet<String> counters = new TreeSet<>(original.record().refcounts().keySet());
            counters.addAll(copy.record().refcounts().keySet());
            return new Duplicate(copy.record().seq(), Describe.type(copy.record().event()),
                    original.persistenceId() + " #" + original.sequenceNr(), copy.persistenceId() + " #"
                    + copy.sequenceNr(), List.copyOf(counters), applied,
                    original.record().event().equals(copy.record().event()) ? null
                            : Describe.type(original.record().event()));
        }

        void streamOrder(Journals.Stored row) {
            streamRows.computeIfAbsent(row.persistenceId(), k -> new StreamRows()).add(row.sequenceNr(), row.record().seq());
            Long lastNr = streamLastNr.get(row.persistenceId());
            if (lastNr != null && row.sequenceNr() < lastNr) {
                // an earlier ledger number stored later in the stream: blame the later-stored row
                return;
            }
            streamLastNr.put(row.persistenceId(), row.sequenceNr());
            streamLastSeq.put(row.persistenceId(), row.record().seq());
        }

        /**
         * Per stream, rows sorted by sequence number must carry increasing ledger numbers. From the
         * numbers {@link #streamOrder} kept, not the rows again: a journal kept encoded
         * decodes each row it is asked for.
         */
        void streamOrderAtEnd() {
            for (Map.Entry<String, StreamRows> e : streamRows.entrySet()) {
                StreamRows list = e.getValue();
                Integer[] byNr = new Integer[list.size];
                for (int k = 0; k < byNr.length; k++) {
                    byNr[k] = k;
                }
                // stable: rows stored under one number twice keep their ledger order
                Arrays.sort(byNr, Comparator.comparingLong(k -> list.nrs[k]));
                long maxSeq = 0;
                for (int k : byNr) {
                    long seq = list.seqs[k];
                    if (seq < maxSeq) {
                        findings.add(new OutOfOrder(seq, e.getKey() + " #" + list.nrs[k], maxSeq));
                    }
                    maxSeq = Math.max(maxSeq, seq);
                }
            }
        }

        /** One stream's rows as the fold met them: sequence and ledger-wide numbers. */
        static final class StreamRows {
            long[] nrs = new long[16];
            long[] seqs = new long[16];
            int size;

            void add(long nr, long seq) {
                if (size == nrs.length) {
                    nrs = Arrays.copyOf(nrs, size * 2);
                    seqs = Arrays.copyOf(seqs, size * 2);
                }
                nrs[size] = nr;
                seqs[size++] = seq;
            }
        }

        void misplaced(Journals.Stored row, State before, State after) {
            HierarchyId want = streamOf(before, row.record().event(), after);
            if (want != null && !want.equals(row.record().stream())) {
                List<String> counters = new ArrayList<>(Touched.refcounts(before, row.record().event(), after).keySet());
                findings.add(new Misplaced(row.record().seq(), Describe.type(row.record().event()),
                        row.persistenceId() + " #" + row.sequenceNr(), persistenceId(want), counters));
            }
        }

        static String persistenceId(HierarchyId h) {
            return h.isDefault() ? "cgledger-system" : "cgledger-hierarchy-" + h.value();
        }

        /** The stream a command's primary event is written to; null for consequences, which follow their command. */
        static HierarchyId streamOf(State before, Event event, State after) {
            if (event instanceof LedgerInitialized || event instanceof HierarchyMounted
                    || event instanceof MountPointAdded || event instanceof MountPointRemoved
                    || event instanceof TaskForked || event instanceof TaskExited) {
                return HierarchyId.DEFAULT;
            } else if (event instanceof CgroupCreated e) {
                return e.hierarchy();
            } else if (event instanceof TaskAttached e) {
                return e.hierarchy();
            } else if (event instanceof CgroupRemoved e) {
                return hierarchyOf(before, e.cgroup());
            } else if (event instanceof LimitSet e) {
                return hierarchyOf(before, e.cgroup());
            } else if (event instanceof MoveChargeSet e) {
                return hierarchyOf(before, e.cgroup());
            } else if (event instanceof NotifyOnReleaseSet e) {
                return hierarchyOf(before, e.cgroup());
            } else if (event instanceof RmdirRefused e) {
                return hierarchyOf(before, e.cgroup());
            } else if (event instanceof ObjectCharged e) {
                return before.hierarchyOf(e.subsys()).id();
            } else if (event instanceof HoldDropped e) {
                ChargedObject o = before.object(e.object());
                return o == null ? null : before.hierarchyOf(o.subsys()).id();
            }
            return null;
        }

        static HierarchyId hierarchyOf(State s, CgroupId id) {
            Cgroup c = s.cgroup(id);
            return c == null ? null : c.hierarchy();
        }

        // ---- first principles ---------------------------------------------------------------

        void syncHolders(State before, Event event, State after) {
            if (event instanceof LedgerInitialized) {
                syncTask(after, Pid.INIT);
                syncSet(after, CssSetId.INITIAL);
            } else if (event instanceof HierarchyMounted e) {
                syncDir(after, e.root());
                syncSet(after, e.rootSet());
            } else if (event instanceof HierarchyDestroyed e) {
                syncDir(after, before.hierarchy(e.hierarchy()).root());
            } else if (event instanceof CgroupCreated e) {
                syncDir(after, e.cgroup());
                syncSet(after, e.ownSet());
            } else if (event instanceof CgroupRemoved e) {
                syncDir(after, e.cgroup());
            } else if (event instanceof TaskAttached e) {
                syncTask(after, e.pid());
                syncSet(after, e.toSet());
                for (ObjectName o : e.moved()) {
                    syncObject(after, o);
                }
            } else if (event instanceof TaskForked e) {
                syncTask(after, e.child());
            } else if (event instanceof TaskExited e) {
                syncTask(after, e.pid());
            } else if (event instanceof ObjectCharged e) {
                syncObject(after, e.object());
            } else if (event instanceof ObjectReleased e) {
                syncObject(after, e.object());
            } else if (event instanceof CssSetFreed e) {
                syncSet(after, e.cssSet());
            }
        }

        int[] holders(CssSetId id) {
            return setHolders.computeIfAbsent(id, k -> new int[3]);
        }

        void syncTask(State after, Pid pid) {
            Task t = after.task(pid);
            CssSetId now = t == null ? null : t.cssSet();
            CssSetId was = now == null ? taskSet.remove(pid) : taskSet.put(pid, now);
            move(was, now, 0);
        }

        void syncDir(State after, CgroupId id) {
            Cgroup c = after.cgroup(id);
            CssSetId now = c == null || c.removed() ? null : c.ownSet();
            CssSetId was = now == null ? dirSet.remove(id) : dirSet.put(id, now);
            move(was, now, 1);
        }

        void move(CssSetId was, CssSetId now, int kind) {
            if (was != null && !was.equals(now)) {
                holders(was)[kind]--;
                forgetIfNone(was);
            }
            if (now != null && !now.equals(was)) {
                holders(now)[kind]++;
            }
        }

        void syncObject(State after, ObjectName name) {
            ChargedObject o = after.object(name);
            Object now = o == null ? null : o.pinnedSet() != null ? o.pinnedSet() : o.css();
            Object was = now == null ? objectPin.remove(name) : objectPin.put(name, now);
            if (was != null && !was.equals(now)) {
                pinDelta(was, -1);
            }
            if (now != null && !now.equals(was)) {
                pinDelta(now, +1);
            }
        }

        void pinDelta(Object pin, int d) {
            if (pin instanceof CssSetId s) {
                holders(s)[2] += d;
                forgetIfNone(s);
            } else {
                cssDelta((CssId) pin, d);
            }
        }

        /** Adds {@code d} to css {@code c}'s holders; with {@link #forget}, forgets it at none. */
        void cssDelta(CssId c, int d) {
            if (cssHolders.merge(c, d, Integer::sum) == 0 && forget) {
                cssHolders.remove(c);
            }
        }

        /** With {@link #forget}, forgets css_set {@code id}'s holders when it has none (as {@link #expected} reads a missing one). */
        void forgetIfNone(CssSetId id) {
            int[] h = forget ? setHolders.get(id) : null;
            if (h != null && h[0] == 0 && h[1] == 0 && h[2] == 0) {
                setHolders.remove(id);
            }
        }

        void syncSet(State after, CssSetId id) {
            CssSet s = after.cssSet(id);
            List<CssId> now = s == null ? null : s.key().css();
            List<CssId> was = now == null ? setCss.remove(id) : setCss.put(id, now);
            if (was != null && !was.equals(now)) {
                for (CssId c : was) {
                    cssDelta(c, -1);
                }
            }
            if (now != null && !now.equals(was)) {
                for (CssId c : now) {
                    cssDelta(c, +1);
                }
            }
        }

        int expected(Object counter) {
            if (counter instanceof CssSetId s) {
                int[] h = setHolders.get(s);
                return h == null ? 0 : h[0] + h[1] + h[2];
            }
            return cssHolders.getOrDefault((CssId) counter, 0);
        }

        static int incremental(State s, Object counter) {
            if (counter instanceof CssSetId id) {
                CssSet x = s.cssSet(id);
                return x == null ? 0 : x.refcount();
            }
            Css c = s.css((CssId) counter);
            return c == null ? 0 : c.refcount();
        }

        Object parse(State s, String name) {
            Optional<CssSetId> set = CssSetId.parse(name);
            if (set.isPresent()) {
                return set.get();
            }
            if (s.initialized()) {
                return CssId.parse(name, s.catalog().subsystems()).orElse(null);
            }
            return null;
        }

        void check(int index, Journals.Stored row, State before, State after) {
            Recorded r = row.record();
            Set<String> names = new LinkedHashSet<>(Touched.refcounts(before, r.event(), after).keySet());
            names.addAll(r.refcounts().keySet());
            for (String name : names) {
                Object counter = parse(after, name);
                if (counter == null) {
                    findings.add(new Unapplicable(r.seq(), Describe.type(r.event()), "records unknown counter " + name));
                    continue;
                }
                int exp = expected(counter);
                int inc = incremental(after, counter);
                int delta = inc - incremental(before, counter);
                Integer rec = r.refcounts().get(name);
                step(name, index, delta);
                if (delta < 0 && counter instanceof CssId c) {
                    lastPut.put(c, r.seq());
                }
                boolean bad = inc != exp || rec == null || rec != exp;
                if (!bad) {
                    continue;
                }
                if (discrepancyAt.containsKey(name)) {
                    laterDisagreements.merge(name, 1L, Long::sum);
                } else {
                    discrepancyAt.put(name, index);
                    findings.add(new Discrepancy(r.seq(), Describe.type(r.event()), name, exp, rec, inc, 0, List.of()));
                }
            }
        }

        void step(String name, int index, int delta) {
            long[] a = timelines.get(name);
            int n = timelineSize.getOrDefault(name, 0);
            if (a == null) {
                a = new long[2];
            } else if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n] = ((long) index << 20) | (delta & 0xFFFFF);
            timelines.put(name, a);
            timelineSize.put(name, n + 1);
        }

        List<Step> timeline(String name) {
            long[] a = timelines.get(name);
            List<Step> out = new ArrayList<>();
            if (a == null) {
                return out;
            }
            int n = timelineSize.get(name);
            int value = 0;
            for (int k = 0; k < n; k++) {
                int index = (int) (a[k] >>> 20);
                int delta = (int) (a[k] & 0xFFFFF);
                if ((delta & 0x80000) != 0) {
                    delta |= ~0xFFFFF;
                }
                value += delta;
                Journals.Stored row = rows.get(index);
                out.add(new Step(row.record().seq(), row.persistenceId() + " #" + row.sequenceNr(), delta, value,
                        row.record().refcounts().get(name), Describe.event(row.record().event(), names)));
            }
            return out;
        }

        // ---- lifecycles ---------------------------------------------------------------------

        void lifecycle(Recorded r, State before, State after) {
            Event event = r.event();
            if (event instanceof CgroupRemoved e) {
                Cgroup c = after.cgroup(e.cgroup());
                if (c != null) {
                    for (CssId id : c.css()) {
                        Css css = after.css(id);
                        if (css == null) {
                            continue;
                        }
                        if (css.state() == CssState.DYING) {
                            dyingSince.put(id, r.seq());
                        } else if (css.state() == CssState.UNREACHABLE) {
                            unreachableSince.put(id, r.seq());
                        }
                    }
                }
            } else if (event instanceof CssReleased e) {
                Css c = before.css(e.css());
                if (c != null && c.parent() != null && dyingSince.containsKey(c.parent())) {
                    Css parent = before.css(c.parent());
                    if (parent != null && parent.refcount() == 0) {
                        // its parent's last reference went before it: it kept its parent dying until now
                        keptByChildren.computeIfAbsent(c.parent(), k -> new ArrayList<>()).add(e.css().toString());
                    }
                }
                Long since = dyingSince.remove(e.css());
                unreachableSince.remove(e.css());
                List<String> children = keptByChildren.remove(e.css());
                if (since != null && r.seq() - since > options.dyingLimit()) {
                    findings.add(new Dying(since, e.css().toString(), c == null ? "?" : names.path(c.cgroup()),
                            r.seq(), lastPut.getOrDefault(e.css(), r.seq()), List.of(),
                            children == null ? List.of() : children));
                }
            } else if (event instanceof TaskExited e) {
                Task t = before.task(e.pid());
                if (t != null) {
                    for (ObjectName o : t.holds()) {
                        ChargedObject obj = after.object(o);
                        if (obj != null && obj.holders().isEmpty()) {
                            lastHolderGone.put(o, r.seq());
                        }
                    }
                }
            } else if (event instanceof HoldDropped e) {
                ChargedObject obj = after.object(e.object());
                if (obj != null && obj.holders().isEmpty()) {
                    lastHolderGone.put(e.object(), r.seq());
                }
            }
        }

        List<Pin> pins(Iterable<ObjectName> objects) {
            List<Pin> out = new ArrayList<>();
            for (ObjectName o : objects) {
                ChargedObject obj = state.object(o);
                if (obj != null) {
                    out.add(new Pin(o, obj.chargedBy(), obj.chargedAt()));
                }
            }
            out.sort(Comparator.comparing(Pin::object));
            return out;
        }

        /**
         * The objects that keep css {@code c} referenced: those charged to it that pin it (pin=css),
         * and those that pin a css_set holding it (pin=cssset: an object charged to another
         * subsystem keeps it as well, and one charged to it pins it only through its css_set).
         */
        List<Pin> pinsOf(Css c) {
            java.util.Set<ObjectName> objects = new java.util.TreeSet<>();
            for (ObjectName o : c.charged()) {
                ChargedObject obj = state.object(o);
                if (obj != null && obj.pinnedSet() == null) {
                    objects.add(o);
                }
            }
            for (org.cgledger.core.query.Holder h : org.cgledger.core.query.Holders.ofCss(state, c.id())) {
                if (h instanceof org.cgledger.core.query.Holder.OfCssSet set && state.cssSet(set.id()) != null) {
                    state.cssSet(set.id()).pinnedBy().forEach(objects::add);
                }
            }
            return pins(objects);
        }

        void leftovers(long last) {
            streamOrderAtEnd();
            unreachableSince.forEach((id, since) -> {
                Css c = state.css(id);
                if (c == null) {
                    return;
                }
                List<String> sets = new ArrayList<>();
                for (org.cgledger.core.query.Holder h : org.cgledger.core.query.Holders.ofCss(state, id)) {
                    if (h instanceof org.cgledger.core.query.Holder.OfCssSet set) {
                        sets.add(set.id().toString());
                    }
                }
                findings.add(new Unreachable(since, id.toString(), names.path(c.cgroup()), pinsOf(c), sets,
                        WhoHolds.children(state, c)));
            });
            dyingSince.forEach((id, since) -> {
                Css c = state.css(id);
                if (c != null) {
                    // kept only by its children, its last reference went at its last put
                    long put = c.refcount() == 0 ? lastPut.getOrDefault(id, 0L) : 0;
                    findings.add(new Dying(since, id.toString(), names.path(c.cgroup()), 0, put, pinsOf(c),
                            WhoHolds.children(state, c)));
                }
            });
            state.objects().forEach((name, o) -> {
                if (o.holders().isEmpty()) {
                    findings.add(new Unheld(o.chargedAt(), name.toString(), o.css().toString(), o.chargedBy(),
                            lastHolderGone.getOrDefault(name, 0L)));
                }
            });
            setHolders.forEach((id, h) -> {
                if (h[0] == 0 && h[1] == 0 && h[2] > 0) {
                    CssSet s = state.cssSet(id);
                    List<Pin> pins = s == null ? List.of() : pins(s.pinnedBy());
                    long seq = pins.stream().mapToLong(Pin::chargedAt).max().orElse(last);
                    findings.add(new PinnedByObjectsOnly(seq, id.toString(), pins));
                }
            });
            boolean discrepant = findings.stream().anyMatch(f -> f instanceof Discrepancy || f instanceof Unapplicable);
            if (!discrepant) {
                for (String v : Refcounts.violations(state)) {
                    findings.add(new Invariant(last, v));
                }
            }
        }
    }
}
