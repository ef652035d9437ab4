package org.cgledger.replay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.SetFile;
import org.cgledger.core.command.Umount;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.CgroupRemoved;
import org.cgledger.core.event.Event;
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
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Hierarchy;
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

    /**
     * Writes every row of {@code journal} as a JSON line, a stretch at a time; returns how many.
     *
     * @throws org.cgledger.persistence.LedgerException at a row that is not the next event (one missing, or recorded twice),
     *                         as every reader fails there: an export of it would not import
     */
    public static long export(TimeTravel journal, Writer out) throws IOException {
        try {
            long n = forEachInSequence(journal, r -> {
                try {
                    out.write(JournalRows.toJson(r));
                    out.write('\n');
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            out.flush();
            return n;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Gives every row of {@code journal} to {@code action}, in ledger order, as an export takes
     * them; returns how many.
     *
     * @throws org.cgledger.persistence.LedgerException at a row that is not the next event (one
     *                                                  missing, or recorded twice), before giving it
     */
    public static long forEachInSequence(TimeTravel journal, java.util.function.Consumer<Journals.Stored> action) {
        long[] n = {0};
        journal.forEachRow(r -> {
            if (r.record().seq() != n[0] + 1) {
                throw Journal.outOfSequence(r, n[0]);
            }
            action.accept(r);
            n[0]++;
        });
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
    public static List<Journals.Stored> read(InputStream in) throws IOException {
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
    public static Numbered readNumbered(InputStream in) throws IOException {
        InputStream buffered = in instanceof BufferedInputStream ? in : new BufferedInputStream(in);
        List<Line> lines = new ArrayList<>();
        String line;
        int n = 0;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        while ((line = nextLine(buffered, n + 1, bytes, utf8)) != null) {
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

    /**
     * Reads a journal for import from JSON lines as it is written ({@link JournalRows#importInto}
     * takes its rows one at a time), holding the state the rows so far give, not the rows. It takes
     * a journal whose lines are in ledger order, each the next event (1, 2, 3...) and its stream's
     * next row, each command's events what core's decide answers it, with nothing the audit of the
     * rows so far finds at them that an import refuses ({@link Audit.RowCheck}): what an export
     * writes. At a line {@link #read} refuses as a line (not JSON, not a journal row, not UTF-8, too
     * long) it fails as {@link #read} does, with {@code "line N: "} and why: a line is refused so
     * before any check of the rows. At the first row that it does not take so, or at an end with no
     * row or within a command, it fails with {@link Unstreamable}, having checked no line after it:
     * the journal is then {@link #read} whole, which names the refusal (it may be a line after that
     * one), or takes a journal in another order.
     */
    public static final class Streamed implements Iterable<Journals.Stored> {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final Map<String, StreamOrder> streams = new HashMap<>();
        private final Audit.RowCheck audit = new Audit.RowCheck();
        private int line;
        private long events;
        /** The state after the last whole command; the events of the command being read, and the state after it. */
        private State state = State.EMPTY;
        private List<Event> command = List.of();
        private State after;
        private int at;
        private Journals.Stored next;
        private boolean ended;
        private RuntimeException failure;
        private boolean iterated;

        private Streamed(InputStream in) {
            this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in);
        }

        /** The rows, once. */
        @Override
        public java.util.Iterator<Journals.Stored> iterator() {
            if (iterated) {
                throw new IllegalStateException("a journal read as it is written is read once");
            }
            iterated = true;
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    if (next == null && !ended) {
                        next = read();
                    }
                    return next != null;
                }

                @Override
                public Journals.Stored next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    Journals.Stored row = next;
                    next = null;
                    return row;
                }
            };
        }

        /**
         * Reads and checks the lines not read yet, keeping none (what was refused before any write,
         * when the journal was read whole, is refused so when the write was refused first).
         *
         * @throws RuntimeException {@link #failure}, if any
         */
        public void drain() {
            if (failure != null) {
                throw failure;
            }
            next = null;
            while (!ended) {
                read();
            }
        }

        /** How many events were read; all of them once the rows are read to their end. */
        public long events() {
            return events;
        }

        /**
         * What reading failed with: an {@link IllegalArgumentException} ({@code "line N: "} and why),
         * an {@link java.io.UncheckedIOException} (the input cannot be read), {@link Unstreamable};
         * null if nothing failed.
         */
        public RuntimeException failure() {
            return failure;
        }

        /** The next row, checked, or null at the end. */
        private Journals.Stored read() {
            if (failure != null) {
                throw failure;
            }
            try {
                String text;
                while ((text = nextLine(in, line + 1, bytes, utf8)) != null) {
                    line++;
                    if (text.isBlank()) {
                        continue;
                    }
                    Journals.Stored row;
                    try {
                        row = JournalRows.fromJson(text);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
                    }
                    take(row);
                    events++;
                    return row;
                }
                if (events == 0 || at < command.size()) {
                    throw new Unstreamable();
                }
                ended = true;
                return null;
            } catch (IOException e) {
                failure = new java.io.UncheckedIOException(e);
                throw failure;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        /** Checks {@code row}, the next one read, as {@link #readNumbered} checks it (and the audit after it). */
        private void take(Journals.Stored row) {
            Recorded r = row.record();
            if (r.seq() != events + 1) {
                throw new Unstreamable();
            }
            if (streams.computeIfAbsent(row.persistenceId(), k -> new StreamOrder(k, 0))
                    .next(row.sequenceNr(), r.seq()) != null) {
                throw new Unstreamable();
            }
            if (at == command.size()) {
                // the row begins a command ({@link #replays})
                if (r.seq() != state.lastEvent() + 1) {
                    throw new Unstreamable();
                }
                Decision d;
                try {
                    Command c = witness(state, r.event());
                    d = c == null ? null : Decider.decide(state, c);
                } catch (RuntimeException e) {
                    throw new Unstreamable();
                }
                if (d == null) {
                    throw new Unstreamable();
                }
                List<Event> made = d instanceof Decision.Accepted a ? a.events() : ((Decision.Rejected) d).recorded();
                if (made.isEmpty() || r.event() instanceof CgroupCreated c && !made.equals(List.of(c))
                        && unmade(state, c) != null) {
                    throw new Unstreamable();
                }
                command = made;
                at = 0;
                after = d instanceof Decision.Accepted a ? a.state() : ((Decision.Rejected) d).state();
            }
            if (!command.get(at).equals(r.event())) {
                throw new Unstreamable();
            }
            if (++at == command.size()) {
                state = after;
                after = null;
            }
            boolean clean;
            try {
                clean = audit.take(row);
            } catch (RuntimeException e) {
                // (the whole read's audit meets it too, and says what it says)
                clean = false;
            }
            if (!clean) {
                throw new Unstreamable();
            }
        }
    }

    /**
     * A journal {@link Streamed} does not take as it reads it: read whole, it may be refused
     * (naming a line after the one met) or taken. No stack trace: it is caught, not shown.
     */
    public static final class Unstreamable extends RuntimeException {
        Unstreamable() {
            super("a journal to read whole", null, false, false);
        }
    }

    /** {@link Streamed}: the journal in {@code in}, read as it is written. */
    public static Streamed stream(InputStream in) {
        return new Streamed(in);
    }

    /** The longest journal line read: a row is a few hundred bytes, its longest (a refusal's reason naming a long path) some kilobytes. */
    static final int MAX_LINE = 1 << 20;

    /**
     * Line {@code number} of {@code in} (its end: a newline, a carriage return and a newline, or the
     * input's end), decoded as UTF-8 on its own, or null at the end. A byte that is not UTF-8 is
     * refused at its line (a reader decodes ahead, and had said only "Input length = 1", at no
     * line); a line longer than {@link #MAX_LINE} characters before the rest of it is read
     * ({@code import /dev/zero} had read until the heap ran out). {@code bytes} and {@code utf8} are
     * the caller's, kept from line to line (a new buffer and decoder for each line were a twentieth
     * of what an import allocated).
     */
    private static String nextLine(InputStream in, int number, ByteArrayOutputStream bytes, CharsetDecoder utf8)
            throws IOException {
        bytes.reset();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        for (; b >= 0 && b != '\n'; b = in.read()) {
            // a character is at most 4 bytes: past that many, it is past MAX_LINE characters too
            if (bytes.size() == 4 * MAX_LINE) {
                throw tooLong(number);
            }
            bytes.write(b);
        }
        String line;
        try {
            line = utf8.decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("line " + number + ": not UTF-8 text (a byte no character is made of, "
                    + "or a character cut short)");
        }
        if (line.length() > MAX_LINE) {
            throw tooLong(number);
        }
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static IllegalArgumentException tooLong(int number) {
        return new IllegalArgumentException("line " + number + ": longer than " + MAX_LINE
                + " characters: no journal line is");
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
    /**
     * Refuses a journal that no sequence of commands writes. Each command's events are what core's
     * decide answers it: the journal's next event names the command (an attach, a charge...: its
     * {@link #witness}), decide runs it on the state so far, and the events it answers must be the
     * journal's next ones, exactly (ids, amounts, paths, and what follows: freed css_sets,
     * released css, notifications). An event that applies but no command writes (a negative or
     * overflowing charge, pid 1 exiting, an attach from another hierarchy's group, an id no counter
     * gives, a mount point mount refuses) had been imported, and left a ledger that audit called
     * clean, or that later failed. A gap in the event numbers stops the check here: audit names it.
     */
    private static void replays(List<Line> lines) {
        State s = State.EMPTY;
        for (int i = 0; i < lines.size(); ) {
            Line l = lines.get(i);
            Recorded r = l.row().record();
            if (r.seq() != s.lastEvent() + 1) {
                return; // a gap or a duplicate: the audit's to say
            }
            Command command;
            Decision d;
            try {
                command = witness(s, r.event());
                d = command == null ? null : Decider.decide(s, command);
            } catch (RuntimeException e) {
                // (a field missing, an id or name no command takes)
                throw refused(l, "event #" + r.seq() + " (" + Describe.type(r.event()) + ") does not apply: "
                        + (e instanceof NullPointerException ? "a field it needs is missing" : e.getMessage()));
            }
            if (command == null) {
                throw refused(l, "event #" + r.seq() + " (" + Describe.type(r.event()) + ") begins no command: it "
                        + "comes only after another event of its command");
            }
            List<Event> made = d instanceof Decision.Accepted a ? a.events() : ((Decision.Rejected) d).recorded();
            if (r.event() instanceof CgroupCreated c && !made.equals(List.of(c))) {
                // why, tried under every mount point (the witness tried the first): asked only when it failed
                String why = unmade(s, c);
                if (why != null) {
                    throw refused(l, "event #" + r.seq() + " (CgroupCreated): no mkdir makes a cgroup '" + c.name()
                            + "' under " + s.path(c.parent()) + ": " + why);
                }
            }
            if (made.isEmpty()) {
                throw refused(l, "event #" + r.seq() + " (" + Describe.type(r.event()) + ") is no command's: "
                        + describe(command) + (d instanceof Decision.Rejected no ? " is refused (" + no.errno().name()
                        + ": " + no.reason() + ")" : " records nothing"));
            }
            for (int k = 0; k < made.size(); k++) {
                Line at = lines.get(Math.min(i + k, lines.size() - 1));
                Event stored = i + k < lines.size() ? at.row().record().event() : null;
                if (!made.get(k).equals(stored)) {
                    throw refused(at, (stored == null ? "the journal ends" : "event #" + at.row().record().seq() + " ("
                            + Describe.type(stored) + ") is not") + " what " + describe(command) + " records there: "
                            + describe(made.get(k), s, d instanceof Decision.Accepted a ? a.state()
                            : ((Decision.Rejected) d).state()));
                }
            }
            s = d instanceof Decision.Accepted a ? a.state() : ((Decision.Rejected) d).state();
            i += made.size();
        }
    }

    /**
     * The command whose events begin with {@code e} in state {@code s}: the one the event records
     * (a mount, an attach, a charge...); null for an event that only follows another of its
     * command (a css_set freed, a css released, a notification, a hierarchy destroyed).
     */
    static Command witness(State s, Event e) {
        if (e instanceof LedgerInitialized x) {
            return new Init(x.subsystems().stream().map(Subsystem::name).toList(), x.pin(), x.rmdir());
        } else if (e instanceof HierarchyMounted x) {
            return new Mount(options(x.subsystems(), x.name()), x.mountPoint());
        } else if (e instanceof MountPointAdded x) {
            Hierarchy h = s.initialized() ? s.hierarchy(x.hierarchy()) : null;
            return h == null ? null : new Mount(options(h.subsystems(), h.name()), x.mountPoint());
        } else if (e instanceof MountPointRemoved x) {
            return new Umount(x.mountPoint());
        } else if (e instanceof CgroupCreated x) {
            return s.cgroup(x.parent()) == null ? null : new Mkdir(State.under(s.path(x.parent()), "/" + x.name()), false);
        } else if (e instanceof CgroupRemoved x) {
            return s.cgroup(x.cgroup()) == null ? null : new Rmdir(s.path(x.cgroup()));
        } else if (e instanceof RmdirRefused x) {
            return s.cgroup(x.cgroup()) == null ? null : new Rmdir(s.path(x.cgroup()));
        } else if (e instanceof TaskAttached x) {
            return s.cgroup(x.to()) == null ? null : new Attach(x.pid().toString(), s.path(x.to()));
        } else if (e instanceof TaskForked x) {
            return new Fork(x.parent(), x.child());
        } else if (e instanceof TaskExited x) {
            return new Exit(x.pid());
        } else if (e instanceof ObjectCharged x) {
            return new Charge(x.pid(), x.subsys().name(), x.object().toString(), x.amount(), x.cache());
        } else if (e instanceof HoldDropped x) {
            return new Uncharge(x.object().toString(), x.pid());
        } else if (e instanceof ObjectReleased x) {
            return new Uncharge(x.object().toString(), null);
        } else if (e instanceof LimitSet x) {
            return s.cgroup(x.cgroup()) == null ? null
                    : new SetFile(s.path(x.cgroup()), x.css().subsys().name() + ".limit", x.limit().toString());
        } else if (e instanceof MoveChargeSet x) {
            return s.cgroup(x.cgroup()) == null ? null : new SetFile(s.path(x.cgroup()),
                    x.subsys().name() + ".move_charge_at_immigrate", x.enabled() ? "1" : "0");
        } else if (e instanceof NotifyOnReleaseSet x) {
            return s.cgroup(x.cgroup()) == null ? null
                    : new SetFile(s.path(x.cgroup()), "notify_on_release", x.enabled() ? "1" : "0");
        }
        return null;
    }

    /** The -o options that mount a hierarchy of {@code subsystems} named {@code name}. */
    private static String options(List<Subsystem> subsystems, String name) {
        String subs = subsystems.isEmpty() ? "none" : String.join(",", subsystems.stream().map(Subsystem::name).toList());
        return name == null || name.isEmpty() ? subs : subs + ",name=" + name;
    }

    /** The command as cgledger's command line takes it ({@code 'rmdir /H1/foo'}), as a refusal names it. */
    static String describe(Command c) {
        String line;
        if (c instanceof Init x) {
            line = "init --subsys " + String.join(",", x.subsystems()) + " --pin " + x.pin().label() + " --rmdir "
                    + x.rmdir().label();
        } else if (c instanceof Mount x) {
            line = "mount -o " + x.options() + " none " + x.mountPoint();
        } else if (c instanceof Umount x) {
            line = "umount " + x.mountPoint();
        } else if (c instanceof Mkdir x) {
            line = "mkdir " + (x.parents() ? "-p " : "") + x.path();
        } else if (c instanceof Rmdir x) {
            line = "rmdir " + x.path();
        } else if (c instanceof Attach x) {
            line = "attach " + x.pid() + " " + x.path();
        } else if (c instanceof Fork x) {
            line = "fork " + x.parent() + " --pid " + x.child();
        } else if (c instanceof Exit x) {
            line = "exit " + x.pid();
        } else if (c instanceof Charge x) {
            line = "charge " + x.pid() + " " + x.subsys() + " " + x.object() + " --amount " + x.amount()
                    + (x.cache() ? " --cache" : "");
        } else if (c instanceof Uncharge x) {
            line = "uncharge " + x.object() + (x.task() == null ? "" : " --task " + x.task());
        } else if (c instanceof SetFile x) {
            line = "set " + x.path() + " " + x.file() + " " + x.value();
        } else {
            line = c.toString();
        }
        return "the command '" + line + "'";
    }

    /** An event as a refusal names it: its type and, in log's words, what it does ({@code CssReleased (A1 released)}). */
    private static String describe(Event e, State before, State after) {
        Names names = new Names();
        for (State s : List.of(before, after)) {
            s.cgroups().forEach((id, g) -> names.put(id, s.path(id)));
        }
        return Describe.type(e) + " (" + Describe.event(e, names) + ")";
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
