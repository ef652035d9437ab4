package org.cgledger.cli;

import static org.cgledger.cli.Out.count;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.cgledger.core.decide.Paths;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.State;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.IoReasons;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.LedgerDirectory;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Recorded;
import org.cgledger.replay.Audit;
import org.cgledger.replay.Describe;
import org.cgledger.replay.Diff;
import org.cgledger.replay.Explain;
import org.cgledger.replay.Graph;
import org.cgledger.replay.History;
import org.cgledger.replay.Journal;
import org.cgledger.replay.Log;
import org.cgledger.replay.TimeTravel;
import org.cgledger.replay.Transfer;
import org.cgledger.replay.WhoHolds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The read side (DESIGN.md §5, audit and history): commands that read the ledger's stored journal
 * ({@link Session#journal}, which holds no open ledger meanwhile) and answer from the replay
 * module. None of them writes the journal; {@code import} fills a fresh ledger directory.
 */
final class ReplayCommands {

    private ReplayCommands() {
    }

    static List<Class<?>> all() {
        return new ArrayList<>(Arrays.asList(LogCmd.class, ReplayCmd.class, DiffCmd.class, AuditCmd.class,
                HistoryCmd.class, WhoHoldsCmd.class, ExplainCmd.class, GraphCmd.class, ExportCmd.class, ImportCmd.class,
                CompactCmd.class));
    }

    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    static ArrayNode steps(List<Audit.Step> steps, Out out) {
        ArrayNode a = out.array();
        for (Audit.Step s : steps) {
            ObjectNode n = a.addObject().put("seq", s.seq()).put("stream", s.stream()).put("delta", s.delta())
                    .put("after", s.after());
            if (s.recorded() == null) {
                n.putNull("recorded");
            } else {
                n.put("recorded", s.recorded());
            }
            n.put("cause", s.cause());
        }
        return a;
    }

    /**
     * {@code given} as the read side names a group: taken from the working directory inside sh and
     * normalized as every command's path is ({@link CgroupPath#parse}: {@code /H1//foo/./},
     * {@code /H2/../H1/foo} are {@code /H1/foo}). A path no command takes (empty or relative outside
     * sh: EINVAL; too long: ENAMETOOLONG) is refused as {@code stat} refuses it.
     */
    static String groupPath(Session session, String given) {
        return ViewCommands.ok(CgroupPath.parse(session.resolve(given)), given).toString();
    }

    /** A stored row as {@code export} writes it, as a JSON answer ({@code "line"} first in sh). */
    static ObjectNode row(CliContext cli, Journals.Stored row, Out out) {
        ObjectNode n = out.lineObject();
        try {
            n.setAll((ObjectNode) cli.mapper().readTree(JournalRows.toJson(row)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-read a journal line", e);
        }
        return n;
    }

    /** {@code "A1=2 N1=1"} as {@code {"A1": 2, "N1": 1}}. */
    static ObjectNode refcounts(String text, Out out) {
        ObjectNode n = out.object();
        for (String kv : text.split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                n.put(kv.substring(0, eq), Integer.parseInt(kv.substring(eq + 1)));
            }
        }
        return n;
    }

    // ---- log --------------------------------------------------------------------------------------

    @Command(name = "log", description = {"The journal in ledger order, one event a line: its number, time, the stream "
            + "and sequence number it is stored at, its type, and what it did. Filters combine.",
            "With --json: JSON lines (each a stored row, plus \"text\") that 'cgledger import' reads back."},
            footerHeading = "%nExample:%n", footer = {"  cgledger log --path /H1/foo --type TaskAttached",
                    "  cgledger log --from 100 --to 120", "  cgledger log --json > journal.jsonl"})
    static final class LogCmd extends BaseCommand {
        @Option(names = "--from", paramLabel = "N", description = "From event N on.")
        Long from;
        @Option(names = "--to", paramLabel = "N", description = "Up to event N.")
        Long to;
        @Option(names = "--type", paramLabel = "TYPE", completionCandidates = Candidates.EventTypes.class,
                description = "Only events of this type (TaskAttached, ...).")
        String type;
        @Option(names = "--path", paramLabel = "PATH", description = "Only events touching this cgroup or one under it.")
        String path;
        @Option(names = "--task", paramLabel = "PID", description = "Only events naming this task.")
        Pid task;
        @Option(names = "--object", paramLabel = "OBJECT", description = "Only events naming this charged object.")
        String object;

        LogCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            if (type != null && Arrays.stream(Event.class.getPermittedSubclasses())
                    .noneMatch(c -> c.getSimpleName().equalsIgnoreCase(type))) {
                throw new UsageError("--type " + type + ": no such event type (" + String.join(", ",
                        Arrays.stream(Event.class.getPermittedSubclasses()).map(Class::getSimpleName).toList()) + ")");
            }
            if (from != null && to != null && from > to) {
                throw new UsageError("--from " + from + " is after --to " + to);
            }
            if (object != null && !ObjectName.isValid(object)) {
                throw new UsageError("--object '" + object + "': not an object name (1 to 255 characters, "
                        + "no white space or control character)");
            }
            String p = path == null ? null : groupPath(session, path);
            // (sh runs one LogCmd for every log line: the count of an earlier line had kept a later
            // one's unknown --task or --object from being refused)
            shown = 0;
            Log.Filter filter = new Log.Filter(from, to, type, p, task == null ? null : task.value(), object);
            Consumer<TimeTravel> checked = j -> {
                if (from != null) {
                    AtOptions.event(j, from, "--from");
                }
                if (to != null) {
                    AtOptions.event(j, to, "--to");
                }
            };
            boolean found = session.printsWhileReading() ? printed(session, out, checked, filter)
                    : spooled(session, out, checked, filter);
            if (!found) {
                throw new Refused(path, Errno.ENOENT, "no cgroup was ever created at " + p);
            }
            if (shown == 0 && (task != null || object != null)) {
                // as a path where no group ever lived is ENOENT: a task or object the journal never
                // named (they had printed nothing, exit 0, like one with no event in the range)
                Log.Named named = session.travel(j -> Log.named(j, task == null ? null : task.value(), object));
                if (task != null && !named.task()) {
                    throw new Refused("--task " + task.value(), Errno.ESRCH, "no task " + task.value()
                            + " in the journal (no event names it)");
                }
                if (object != null && !named.object()) {
                    throw new Refused("--object " + object, Errno.ENOENT, "no object " + object
                            + " was ever charged");
                }
            }
            return 0;
        }

        /** Lines printed (or spooled) so far. */
        private long shown;

        /**
         * Prints each line as it is found: 'log | head' answers at once, and the journal is held a
         * stretch at a time (all of it at once did not fit in 512 MB for 1,000,000 events). False
         * when the path never had a group.
         */
        private boolean printed(Session session, Out out, Consumer<TimeTravel> checked, Log.Filter filter) {
            try {
                return session.travel(j -> {
                    checked.accept(j);
                    int[] printed = {0};
                    return Log.forEach(j, filter, l -> {
                        out.printlnAsIs(render(l, out));
                        shown++;
                        // a reader gone (| head) or a full disk: the rest would go nowhere
                        if (++printed[0] % 1024 == 0 && !out.inSh() && cli.stdoutFailed()) {
                            throw new OutputGone();
                        }
                    });
                });
            } catch (OutputGone gone) {
                return true;
            }
        }

        /**
         * Through a server: the lines are printed once the journal is let go, as a client slow to
         * read them must hold up nobody (printing as they were found held the ledger meanwhile).
         * They wait in a temporary file, not in the server's heap (a whole log of 1,000,000 events
         * did not fit in 512 MB). False when the path never had a group.
         */
        private boolean spooled(Session session, Out out, Consumer<TimeTravel> checked, Log.Filter filter) {
            Path spool;
            try {
                spool = Files.createTempFile(SPOOL_PREFIX + ProcessHandle.current().pid() + "-", ".tmp");
                removeSpoolLeftovers(spool);
            } catch (IOException e) {
                throw new LedgerException("the server cannot create a temporary file for the "
                        + "log's lines: " + IoReasons.of(e) + " (its temporary directory; 'log' "
                        + "run without the server needs none)", e);
            }
            try {
                long[] lines = {0};
                boolean found;
                try (java.io.DataOutputStream to = new java.io.DataOutputStream(
                        new java.io.BufferedOutputStream(Files.newOutputStream(spool), 1 << 16))) {
                    found = session.travel(j -> {
                        checked.accept(j);
                        return Log.forEach(j, filter, l -> {
                            spool(to, render(l, out));
                            lines[0]++;
                            shown++;
                        });
                    });
                }
                try (java.io.DataInputStream from = new java.io.DataInputStream(
                        new java.io.BufferedInputStream(Files.newInputStream(spool), 1 << 16))) {
                    for (long i = 0; i < lines[0]; i++) {
                        out.printlnAsIs(new String(from.readNBytes(from.readInt()), StandardCharsets.UTF_8));
                    }
                }
                return found;
            } catch (IOException | UncheckedIOException e) {
                IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
                // the server's own disk, not the command's arguments: exit 3, as a ledger it cannot write
                throw new LedgerException("the server cannot use the temporary file " + spool
                        + " for the log's lines: " + IoReasons.of(cause)
                        + " (its temporary directory; 'log' run without the server needs none)", cause);
            } finally {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // the system's temporary directory is cleaned in time
                }
            }
        }

        /** How the spool of a served log is named: {@code cgledger-log-PID-N.tmp}, PID the server's. */
        static final String SPOOL_PREFIX = "cgledger-log-";

        /**
         * Removes the spools a server killed outright (SIGKILL, a crash) left in
         * the temporary directory beside {@code spool}, one of this process's: those of the same
         * owner whose server's pid is gone (each as large as the log it held, never removed, the
         * directory's cleaning aside): a directory read per served log. Quietly: the log goes on either way.
         */
        static void removeSpoolLeftovers(Path spool) {
            java.util.regex.Pattern name = java.util.regex.Pattern.compile(
                    java.util.regex.Pattern.quote(SPOOL_PREFIX) + "([0-9]{1,18})-[0-9]+\\.tmp");
            try (java.nio.file.DirectoryStream<Path> left = Files.newDirectoryStream(spool.getParent(),
                    SPOOL_PREFIX + "*.tmp")) {
                Object owner = Files.getAttribute(spool, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                for (Path p : left) {
                    java.util.regex.Matcher m = name.matcher(p.getFileName().toString());
                    try {
                        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()
                                && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                                && owner.equals(Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
                            Files.deleteIfExists(p);
                        }
                    } catch (IOException | RuntimeException e) {
                        // that one stays
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the leftovers stay: the log goes on
            }
        }

        /**
         * One line of the log as printed: text, its control characters as escapes, or a JSON row
         * with its text, as JSON escapes it (escaping it again had put {@code \x7f} in the JSON).
         */
        private String render(Log.Line l, Out out) {
            if (!out.json) {
                return Out.printable(l.toString());
            }
            ObjectNode n = row(cli, l.row(), out);
            n.put("text", l.text());
            return out.text(n);
        }

        /** Appends {@code line} to the spool: its length in 4 bytes, then its UTF-8 bytes. */
        private static void spool(java.io.DataOutputStream to, String line) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            try {
                to.writeInt(b.length);
                to.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Thrown out of the reading when stdout can take no more: the process ends as the failure says. */
        private static final class OutputGone extends RuntimeException {
            OutputGone() {
                super("stdout is gone", null, false, false);
            }
        }
    }

    // ---- replay, diff -----------------------------------------------------------------------------

    @Command(name = "replay", description = {"The state at a point of the journal, folded with core's evolve from the "
            + "model snapshot nearest before it (or from the start): after event N (--to-event), or at TIME (--at); by "
            + "default after the last event.",
            "Prints which event that is and a count of what lived, then the hierarchies (as 'tree') and the "
                    + "css_sets (as 'csssets')."},
            footerHeading = "%nExample:%n", footer = {"  cgledger replay --to-event 8",
                    "  cgledger replay --at 2024-05-01T12:00:00Z"})
    static final class ReplayCmd extends BaseCommand {
        /** What replay shows: the event it stopped after, the state then, that event's record, the journal's last. */
        private record Replayed(long event, State state, Recorded record, long last) {
        }

        @Option(names = "--to-event", paramLabel = "N", description = "After event N.")
        Long toEvent;
        @Option(names = "--at", paramLabel = "TIME", description = "At TIME, an ISO-8601 instant.")
        String at;

        ReplayCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            if (toEvent != null && at != null) {
                throw new UsageError("give --to-event or --at, not both");
            }
            java.time.Instant time = at == null ? null : AtOptions.instant(at); // exit 2 before the ledger is looked for
            Replayed replayed = session.travel(j -> {
                long e = toEvent != null ? AtOptions.event(j, toEvent, "--to-event")
                        : time != null ? j.eventAt(time) : j.lastEvent();
                return new Replayed(e, AtOptions.initialized(j.stateAt(e), e), j.record(e), j.lastEvent());
            });
            long n = replayed.event();
            State s = replayed.state();
            Recorded r = replayed.record();
            long cgroups = s.cgroups().values().stream()
                    .filter(c -> !c.removed() && !c.hierarchy().equals(HierarchyId.DEFAULT)).count();
            // removed ones still kept (a css dying, or named by a pinned css_set), as tree and subsys show them
            long kept = s.cgroups().values().stream().filter(Cgroup::removed).count();
            if (out.json) {
                ObjectNode o = out.okNode().put("event", n).put("time", time(r.time())).put("type", Describe.type(r.event()))
                        .put("lastEvent", replayed.last()).put("hierarchies", s.realHierarchies().size())
                        .put("cgroups", cgroups).put("removedCgroups", kept).put("tasks", s.tasks().size()).put("csssets", s.cssSets().size())
                        .put("css", s.css().size()).put("objects", s.objects().size());
                out.emit(o);
                return 0;
            }
            out.println("after event #" + n + " of " + replayed.last() + " (" + time(r.time()) + ", "
                    + Describe.type(r.event()) + "): " + count(s.realHierarchies().size(), "hierarchy", "hierarchies")
                    + ", " + count(cgroups, "cgroup", "cgroups") + (kept == 0 ? "" : " (and " + kept + " removed, still kept)")
                    + ", " + count(s.tasks().size(), "task", "tasks") + ", "
                    + count(s.cssSets().size(), "css_set", "css_sets") + ", " + s.css().size() + " css, "
                    + count(s.objects().size(), "charged object", "charged objects"));
            ViewCommands.TreeCmd.render(s, null, null, out);
            ViewCommands.CssSetsCmd.render(s, out);
            return 0;
        }
    }

    @Command(name = "diff", description = "What changed from after event N to after event M: hierarchies and mount "
            + "points, cgroups, tasks, css_sets, css and objects created, moved, freed, refcounts, usage, limits, flags "
            + "and holders, one line each.",
            footerHeading = "%nExample:%n", footer = "  cgledger diff --from 7 --to 9")
    static final class DiffCmd extends BaseCommand {
        /** What diff shows: the two events, and what changed between them. */
        private record Diffed(long from, long to, List<String> changes) {
        }


        @Option(names = "--from", paramLabel = "N", required = true, description = "After event N (0: the start).")
        long from;
        @Option(names = "--to", paramLabel = "M", description = "After event M (default: the last).")
        Long to;

        DiffCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            Diffed d = session.travel(j -> {
                long a = AtOptions.event(j, from, "--from");
                long b = to == null ? j.lastEvent() : AtOptions.event(j, to, "--to");
                if (a > b) {
                    // as log refuses it: what changed is told forwards in time
                    throw new UsageError("--from " + a + " is after --to " + b);
                }
                return new Diffed(a, b, Diff.between(j.stateAt(a), j.stateAt(b)));
            });
            long a = d.from();
            long b = d.to();
            List<String> changes = d.changes();
            if (out.json) {
                ObjectNode n = out.okNode().put("from", a).put("to", b);
                ArrayNode c = n.putArray("changes");
                changes.forEach(c::add);
                out.emit(n);
            } else if (changes.isEmpty()) {
                out.println("(no change from event #" + a + " to #" + b + ")");
            } else {
                changes.forEach(out::println);
            }
            return 0;
        }
    }

    // ---- audit ------------------------------------------------------------------------------------

    @Command(name = "audit", description = {"Replay the whole journal and recompute every refcount an event touches "
            + "from its definition (css_set: tasks + directories + pinning objects; css: live css_sets + pinning "
            + "objects); check the journal's shape; report leftovers (unreachable css, css dying too long, objects "
            + "charged with no holder, css_sets pinned only by objects).",
            "Exit 0 when clean, 1 with findings: one block each, with the event that caused it and the counter's "
                    + "get/put timeline."},
            footerHeading = "%nExample:%n", footer = {"  cgledger audit", "  cgledger audit --json --dying-limit 100"})
    static final class AuditCmd extends BaseCommand {
        /** A journal this long gets a progress bar on a terminal. */
        static final int LONG = 20_000;
        /** Leftover css whose timelines are shown (each more costs nothing; the cap keeps output readable). */
        static final int TIMELINES = 20;

        @Option(names = "--dying-limit", paramLabel = "N", defaultValue = "10000",
                description = "Report a css dying longer than N events (default ${DEFAULT-VALUE}; still dying at the end: always).")
        long dyingLimit;

        AuditCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            if (dyingLimit < 0) {
                throw new UsageError("--dying-limit " + dyingLimit + ": must be 0 or more");
            }
            // kept encoded and decoded as they are walked: held decoded, a 1,000,000-event journal's
            // rows needed a heap of 800 MB where these need 600
            List<Journals.Stored> rows = session.rows();
            Audit.Progress progress = cli.terminal && !out.json && rows.size() >= LONG ? bar() : Audit.Progress.NONE;
            Audit.Audited audited = Audit.audit(rows, new Audit.Options(dyingLimit), progress);
            Audit.Report r = audited.report();
            Set<String> leftover = new LinkedHashSet<>();
            for (Audit.Finding f : r.findings()) {
                if (leftover.size() < TIMELINES && f instanceof Audit.Unreachable u) {
                    leftover.add(u.css());
                } else if (leftover.size() < TIMELINES && f instanceof Audit.Dying d && d.releasedAt() == 0) {
                    leftover.add(d.css());
                }
            }
            Map<String, List<Audit.Step>> timelines = leftover.isEmpty() ? Map.of() : audited.timelines(leftover);
            if (out.json) {
                ObjectNode n = out.okNode().put("ok", r.clean()).put("events", r.events()).put("policies", r.policies());
                ArrayNode a = n.putArray("findings");
                for (Audit.Finding f : r.findings()) {
                    a.add(json(f, timelines, out));
                }
                out.emit(n);
                return r.clean() ? 0 : 1;
            }
            if (r.clean()) {
                out.println("audit: clean: " + count(r.events(), "event", "events") + " (" + r.policies()
                        + "), every refcount agrees with its definition");
                return 0;
            }
            int k = r.findings().size();
            out.println("audit: " + count(k, "finding", "findings") + " in "
                    + count(r.events(), "event", "events") + " (" + r.policies() + ")");
            for (Audit.Finding f : r.findings()) {
                out.println("");
                out.println(f.summary());
                List<Audit.Step> steps = null;
                String counter = null;
                if (f instanceof Audit.Discrepancy d) {
                    steps = d.timeline();
                    counter = d.counter();
                } else if (f instanceof Audit.Unreachable u) {
                    steps = timelines.get(u.css());
                    counter = u.css();
                } else if (f instanceof Audit.Dying d) {
                    steps = timelines.get(d.css());
                    counter = d.css();
                }
                if (steps != null && !steps.isEmpty()) {
                    out.println("  timeline of " + counter + " (event, get/put, value after, recorded where it differs):");
                    steps.forEach(s -> out.println("    " + s));
                }
            }
            return 1;
        }

        private Audit.Progress bar() {
            return (done, total) -> {
                int width = 30;
                int k = total == 0 ? width : (int) (width * done / total);
                cli.err.print("\raudit [" + "#".repeat(k) + " ".repeat(width - k) + "] " + done + "/" + total + " events");
                if (done >= total) {
                    cli.err.print("\r" + " ".repeat(60 + Long.toString(total).length() * 2) + "\r");
                }
                cli.err.flush();
            };
        }

        private static final ObjectMapper FINDINGS = new ObjectMapper().registerModule(new SimpleModule()
                .addSerializer(Pid.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Pid p, JsonGenerator g, SerializerProvider sp) throws IOException {
                        g.writeNumber(p.value());
                    }
                })
                .addSerializer(ObjectName.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(ObjectName o, JsonGenerator g, SerializerProvider sp) throws IOException {
                        g.writeString(o.toString());
                    }
                }));

        static ObjectNode json(Audit.Finding f, Map<String, List<Audit.Step>> timelines, Out out) {
            String kind = f.getClass().getSimpleName();
            ObjectNode n = out.object().put("kind", Character.toLowerCase(kind.charAt(0)) + kind.substring(1));
            n.setAll((ObjectNode) FINDINGS.valueToTree(f));
            if (f instanceof Audit.Dying d && d.releasedAt() == 0) {
                // still dying at the end: no release, and no put of its last reference (0 read as event 0)
                n.putNull("releasedAt");
                if (d.lastPut() == 0) {
                    n.putNull("lastPut");
                }
            }
            n.put("summary", f.summary());
            String css = f instanceof Audit.Unreachable u ? u.css() : f instanceof Audit.Dying d ? d.css() : null;
            if (css != null && timelines.containsKey(css)) {
                n.set("timeline", steps(timelines.get(css), out));
            } else if (f instanceof Audit.Discrepancy d) {
                n.set("timeline", steps(d.timeline(), out));
            }
            return n;
        }
    }

    // ---- history, who-holds -----------------------------------------------------------------------

    @Command(name = "history", description = {"Everything that happened to a group: every cgroup that ever lived at PATH "
            + "(or the one with --id), each with the events that touched it: number, time, what it did, and the "
            + "group's refcounts after it (its css and its directory's css_set). A group lives at its path under "
            + "each mount point its hierarchy has meanwhile: mounted again elsewhere, it is found under both.",
            "A refused rmdir of an existing group is recorded, so its history shows the attempt and why it failed "
                    + "(rmdir refused: EBUSY (...))."},
            footerHeading = "%nExample:%n", footer = {"  cgledger history /H1/foo", "  cgledger history --id 3"})
    static final class HistoryCmd extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "PATH")
        String path;
        @Option(names = "--id", paramLabel = "ID", description = "The cgroup of this id (as 'stat' and 'log' show it).")
        Long id;

        HistoryCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            if ((path == null) == (id == null)) {
                throw new UsageError("give a PATH or --id ID (one of them)");
            }
            String p = path == null ? null : groupPath(session, path);
            List<History.Incarnation> list = session.history(p, id == null ? null : new CgroupId(id));
            if (list.isEmpty() || list.stream().allMatch(i -> i.entries().isEmpty())) {
                throw new Refused(p != null ? path : "--id " + id, Errno.ENOENT, p != null
                        ? "no cgroup was ever created at " + p : "no cgroup " + id + " was ever created");
            }
            String name = p != null ? p : list.get(0).path();
            if (out.json) {
                ObjectNode n = out.okNode().put("path", name);
                ArrayNode a = n.putArray("incarnations");
                for (History.Incarnation i : list) {
                    ObjectNode x = a.addObject().put("cgroup", i.cgroup().value()).put("path", i.path());
                    ArrayNode es = x.putArray("entries");
                    for (History.Entry e : i.entries()) {
                        es.addObject().put("seq", e.seq()).put("time", time(e.time())).put("text", e.text())
                                .set("refcounts", refcounts(e.refcounts(), out));
                    }
                }
                out.emit(n);
                return 0;
            }
            out.println(name + ": " + count(list.size(), "incarnation", "incarnations"));
            for (History.Incarnation i : list) {
                out.println("cgroup " + i.cgroup().value() + ", " + count(i.entries().size(), "event", "events") + ":");
                for (History.Entry e : i.entries()) {
                    out.println("  #" + e.seq() + "  " + time(e.time()) + "  " + e.text()
                            + (e.refcounts().isEmpty() ? "" : "  [" + e.refcounts() + "]"));
                }
            }
            return 0;
        }
    }

    @Command(name = "who-holds", description = "Who holds a css (A1) or a css_set (N3): each live reference with the "
            + "event that took it; --timeline adds every get and put of the counter.",
            footerHeading = "%nExample:%n", footer = {"  cgledger who-holds A1", "  cgledger who-holds N3 --timeline --at-event 9"})
    static final class WhoHoldsCmd extends BaseCommand {
        @Parameters(paramLabel = "CSS|CSSSET")
        String counter;
        @Option(names = "--timeline", description = "Also every get and put of the counter, with its value after each.")
        boolean timeline;
        @Mixin
        AtOptions at = new AtOptions();

        WhoHoldsCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            // walked in order, each row decoded as it is met (as audit's): not held decoded
            java.time.Instant time = at.time();
            List<Journals.Stored> rows = session.rows();
            long n = at.event(Journal.lastEvent(rows), time, t -> Journal.eventAt(rows, t));
            Optional<WhoHolds.Answer> found = WhoHolds.at(rows, n, counter);
            if (found.isEmpty()) {
                throw new Refused(counter, Errno.ENOENT, "no live css or css_set " + counter + " after event #" + n
                        + " (names like A1 or N3; see 'cgledger csssets')");
            }
            WhoHolds.Answer a = found.get();
            List<Audit.Step> steps = timeline ? WhoHolds.timeline(rows, n, counter) : List.of();
            if (at.given()) {
                out.atEvent(n); // as the views answer a time-travel: "atEvent" (its "event" is there always)
            }
            if (out.json) {
                ObjectNode o = out.okNode().put("counter", a.counter()).put("event", n).put("refcount", a.refcount());
                ArrayNode hs = o.putArray("holders");
                for (WhoHolds.Holder h : a.holders()) {
                    // a holder named as stat and csssets name it (they had been "css_set" and
                    // "directory", each kind with a "name", a task's pid a string)
                    ObjectNode x = hs.addObject();
                    switch (h.kind()) {
                        case "task" -> x.put("kind", "task").put("pid", Integer.parseInt(h.name()));
                        case "directory" -> x.put("kind", "dir").put("path", h.name()).put("cgroup", h.cgroup().value());
                        case "css_set" -> x.put("kind", "cssset").put("id", h.name());
                        default -> x.put("kind", h.kind()).put("name", h.name());
                    }
                    x.put("since", h.since()).put("cause", h.cause());
                }
                if (!a.keptBy().isEmpty()) {
                    ArrayNode k = o.putArray("keptBy");
                    a.keptBy().forEach(k::add);
                }
                if (timeline) {
                    o.set("timeline", steps(steps, out));
                }
                out.emit(o);
                return 0;
            }
            out.println(a.counter() + ": refcount " + a.refcount() + " after event #" + n + ", "
                    + count(a.holders().size(), "holder", "holders")
                    + (a.holders().size() == a.refcount() ? "" : " (they do not add up: see 'cgledger audit')"));
            a.holders().forEach(h -> out.println("  " + h));
            if (!a.keptBy().isEmpty()) {
                out.println("  kept dying by its child css " + String.join(", ", a.keptBy())
                        + " (a child css holds its parent, as in the kernel; counted apart from this refcount, "
                        + "which counts css_sets and objects)");
            }
            if (timeline) {
                out.println("timeline of " + a.counter() + " (event, get/put, value after):");
                steps.forEach(s -> out.println("  " + s));
            }
            return 0;
        }
    }

    // ---- explain, graph ---------------------------------------------------------------------------

    @Command(name = "explain", description = {"Would 'rmdir PATH' succeed? The model's own verdict, and every reason "
            + "it would not: tasks attached, children, and for each css every other css_set containing it and every "
            + "object pinning it (who charged it, at which event).",
            "Exit 0 if rmdir would succeed, 1 if not."},
            footerHeading = "%nExample:%n", footer = {"  cgledger explain /H1/foo", "  cgledger explain /H1/foo --at-event 9"})
    static final class ExplainCmd extends BaseCommand {
        @Parameters(paramLabel = "PATH")
        String path;
        @Mixin
        AtOptions at = new AtOptions();

        ExplainCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            State s = at.state(session, out);
            String p = session.resolve(path);
            Explain.Answer a = Explain.rmdir(s, p);
            if (Paths.find(s, p) instanceof org.cgledger.core.model.Result.Refused<Paths.Found> no
                    && no.errno() == a.errno()) {
                // no group there, as rmdir itself says: refused as a view refuses a missing path
                // (what rmdir refuses otherwise, / or a directory above the mount points, is explained)
                ViewCommands.ok(Paths.find(s, p), path);
            }
            if (out.json) {
                ObjectNode n = out.okNode().put("ok", a.wouldSucceed()).put("path", ViewCommands.jsonPath(s, a.path()))
                        .put("wouldSucceed", a.wouldSucceed());
                if (a.errno() != null) {
                    n.put("errno", a.errno().name());
                }
                n.put("verdict", a.verdict()).put("policy", a.policy());
                ArrayNode r = n.putArray("reasons");
                a.reasons().forEach(r::add);
                out.emit(n);
            } else {
                out.println("rmdir " + a.path() + ": " + (a.wouldSucceed() ? "would succeed" : "would fail: " + a.verdict())
                        + " (" + a.policy() + ")");
                a.reasons().forEach(x -> out.println("  " + x));
            }
            return a.wouldSucceed() ? 0 : 1;
        }
    }

    @Command(name = "graph", description = {"The reference graph as Graphviz DOT: tasks and cgroup directories point to "
            + "the css_set they hold, css_sets to their css, objects to what they pin; each node's in-degree is its "
            + "refcount. Dying css are dashed, unreachable ones red.",
            "--format svg renders it with Graphviz's 'dot' (apt-get install graphviz)."},
            footerHeading = "%nExample:%n", footer = {"  cgledger graph > refs.dot",
                    "  cgledger graph --format svg --at-event 9 > refs.svg"})
    static final class GraphCmd extends BaseCommand {
        @Mixin
        AtOptions at = new AtOptions();
        @Option(names = "--format", paramLabel = "dot|svg", defaultValue = "dot", completionCandidates = Candidates.Formats.class,
                description = "dot (default) or svg.")
        String format;

        GraphCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            if (!format.equals("dot") && !format.equals("svg")) {
                throw new UsageError("--format " + format + ": dot or svg");
            }
            // the state first: an event past the journal's end, or no ledger, is said as for every view
            // (without Graphviz it had been said to need Graphviz, exit 1, where the event is exit 2)
            State state = at.state(session, out);
            if (format.equals("svg") && !onPath("dot")) {
                return fail(out, "--format svg needs Graphviz's 'dot', which is not on the PATH: install it "
                        + "(apt-get install graphviz), or use --format dot");
            }
            String text = Graph.dot(state);
            if (format.equals("svg")) {
                try {
                    text = Graph.svg(text);
                } catch (IOException e) {
                    return fail(out, "Graphviz's 'dot' failed (" + e.getMessage() + "); --format dot gives the DOT text");
                }
            }
            if (out.json) {
                out.emit(out.okNode().put("format", format).put(format, text));
            } else {
                // a file format, written as it is (DOT reads its own escapes in a label: \r is a line break)
                out.printlnAsIs(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            }
            return 0;
        }

        private int fail(Out out, String reason) {
            if (out.json) {
                out.emit(out.okNode().put("ok", false).put("command", "graph").put("error", "graphviz").put("reason", reason));
            } else {
                cli.err.println("graph: " + reason);
            }
            return 1;
        }

        private boolean onPath(String program) {
            String path = cli.environment.getOrDefault("PATH", "");
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---- export, import ---------------------------------------------------------------------------

    @Command(name = "export", description = "Write the ledger's journal as JSON lines (one stored row each: stream, "
            + "sequence number, event number, time, event, recorded refcounts) to FILE or stdout.",
            footerHeading = "%nExample:%n", footer = {"  cgledger --ledger ./l export l.jsonl && cgledger --ledger ./copy import l.jsonl",
                    "  cgledger --ledger ./l export - | cgledger --ledger ./copy import -"})
    static final class ExportCmd extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "FILE", description = "The file to write (replaced whole, once "
                + "written; an existing file's owner, group and mode are kept); none or - for stdout, which gets "
                + "the JSON lines alone (as does /dev/stdout, or another name of it).")
        Path file;

        ExportCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            // the rows are written as they are read, a stretch between two snapshots at a time: the
            // whole journal held at once took 2.5 GB for a 1,000,000-event ledger
            // a name of stdout (/dev/stdout, on a pipe, a file, a terminal) is stdout, as - is: the
            // JSON lines alone, in order with the lines before (in sh too), not a file replaced
            boolean toStdout = file == null || file.toString().equals("-") || isStdout(file);
            if (toStdout && out.json && out.inSh()) {
                // the export's rows, each with the sh line it answers, as log's are
                session.travel(j -> Transfer.forEachInSequence(j, r -> out.emit(row(cli, r, out))));
                return 0;
            }
            if (toStdout) {
                // the JSON lines alone, for a pipe ('import -' reads them): no summary after them.
                // Once stdout fails (a reader gone, a full disk) the rest would go nowhere: the
                // export stops, and the process's exit says why, as log's does (141 for a closed
                // pipe, silently; exit 2 and the reason otherwise: a full disk under
                // '> backup.jsonl' had given exit 0 and a file cut mid-row)
                Writer w = out.inSh() ? cli.out : new StopsWhenGone(cli.out, cli::stdoutFailed);
                try {
                    session.travel(j -> exported(j, w));
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof StopsWhenGone.Gone) {
                        return 0;
                    }
                    throw new IllegalStateException("cannot write stdout", e.getCause());
                }
                return 0;
            }
            if (file.toString().isEmpty()) {
                throw new UsageError("cannot write '': the file name is empty");
            }
            // written beside it and moved into place: a failure never leaves half an export under its name
            if (Files.isDirectory(file)) {
                throw new UsageError("cannot write " + file + ": Is a directory");
            }
            Path target = linkTarget(file);
            if (session.dir != null) {
                refuseLedgerFile(session.dir, file, target);
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // a device or a pipe, also through a link the kernel itself resolves (/dev/stdout
                // on a pipe leads to "pipe:[N]", no path): opened as named
                return reported(out, exportInto(session, file));
            }
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                // a device or a named pipe is written into, as cp writes into it: replaced by a
                // file, /dev/full had become a plain file, and a pipe's reader got nothing
                return reported(out, exportInto(session, target));
            }
            Path dir = target.toAbsolutePath().getParent();
            // (not createTempFile: its file is private to the user, where an export is as the umask says)
            Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            removeLeftovers(dir, target.getFileName().toString());
            long events;
            boolean moved = false;
            // an export ended midway (Ctrl-C, SIGTERM) removes its half file too: it had left it
            // beside the target until the next export to that name
            Thread cleanup = new Thread(() -> {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the next export to this name removes it
                }
            }, "cgledger-export-cleanup");
            try {
                Runtime.getRuntime().addShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // (the process is exiting already: the finally below removes the file, if it gets there)
            }
            try {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    events = session.travel(j -> exported(j, w));
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                if (Files.isRegularFile(target)) {
                    // a file replaced keeps its owner, group and mode, as 'cp' onto it keeps them
                    // (or it is left as it was, saying why)
                    org.cgledger.persistence.FileOwnership.carryOver(target, tmp, "the new export");
                }
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            } catch (IOException e) {
                throw new UsageError("cannot write " + file + ": " + IoReasons.of(e));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException exiting) {
                    // the hook runs: it finds the file moved into place, or removes it
                }
                // whatever stopped it (a write, no ledger, a locked one), no half export is left beside it
                if (!moved) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // the reason to report is the first one
                    }
                }
            }
            return reported(out, events);
        }

        /**
         * Removes what an export to {@code name} killed before it finished left beside it (its
         * {@code .NAME.PID.tmp}, of a process that is gone); nothing else, and quietly.
         */
        static void removeLeftovers(Path dir, String name) {
            String prefix = "." + name + ".";
            try (java.nio.file.DirectoryStream<Path> left = Files.newDirectoryStream(dir,
                    p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) {
                for (Path p : left) {
                    String pid = p.getFileName().toString().substring(prefix.length(),
                            p.getFileName().toString().length() - ".tmp".length());
                    if (pid.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()
                            && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a leftover stays: the export itself goes on
            }
        }

        /** Whether {@code file} is this process's stdout (through /proc: false where that cannot be told). */
        private static boolean isStdout(Path file) {
            try {
                return Files.exists(file) && Files.isSameFile(file, Path.of("/proc/self/fd/1"));
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        private int reported(Out out, long events) {
            if (out.json) {
                out.emit(out.okNode().put("events", events).put("file", file.toString()));
            } else {
                // the file's name escaped as every name is (a newline in it had split the line)
                out.printlnAsIs("exported " + count(events, "event", "events") + " to " + Out.visible(file.toString()));
            }
            return 0;
        }

        /** Writes the export into {@code special} (a device, a named pipe), opened as it is; the events written. */
        private long exportInto(Session session, Path special) {
            long events;
            try (Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(
                    Files.newOutputStream(special, java.nio.file.StandardOpenOption.WRITE), StandardCharsets.UTF_8))) {
                try {
                    events = session.travel(j -> exported(j, w));
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            } catch (IOException e) {
                throw new UsageError("cannot write " + file + ": " + IoReasons.of(e));
            }
            return events;
        }

        /**
         * Refuses to write over one of the ledger's own files (its journal, its lock, H2's files
         * beside them, a server's socket), by any name: the export had replaced the journal it was
         * reading, and the ledger was gone.
         */
        static void refuseLedgerFile(Path ledger, Path file, Path target) {
            Path dir = target.toAbsolutePath().normalize().getParent();
            String name = target.getFileName() == null ? "" : target.getFileName().toString();
            String own = null;
            try {
                if (dir != null && Files.isDirectory(ledger) && Files.isSameFile(dir, ledger)
                        && (LedgerDirectory.ownFile(name) || name.equals(Wire.SOCKET))) {
                    own = name;
                }
                if (own == null && Files.exists(target) && Files.isDirectory(ledger)) {
                    // another name of one (a hard link)
                    try (java.util.stream.Stream<Path> files = Files.list(ledger)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            if (LedgerDirectory.ownFile(f.getFileName().toString()) && Files.isSameFile(f, target)) {
                                own = f.getFileName().toString();
                                break;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // not comparable: not the ledger's file as far as can be told
            }
            if (own != null) {
                throw new UsageError("cannot write " + file + ": it is the ledger's own " + own + " (in " + ledger
                        + "); export to another file");
            }
        }

        /**
         * The file a symbolic link at {@code file} leads to (through a chain of them; a dangling one's
         * named target), which the export replaces as {@code cp} onto the link writes its target; the
         * link itself stays. {@code file} when it is no link.
         */
        static Path linkTarget(Path file) {
            Path p = file;
            try {
                for (int hops = 0; Files.isSymbolicLink(p); hops++) {
                    if (hops == 40) {
                        // as the kernel's MAXSYMLINKS
                        throw new UsageError("cannot write " + file + ": Too many levels of symbolic links");
                    }
                    p = p.toAbsolutePath().getParent().resolve(Files.readSymbolicLink(p));
                }
            } catch (IOException e) {
                throw new UsageError("cannot write " + file + ": " + IoReasons.of(e));
            }
            return p;
        }

        /** Writes the journal's rows to {@code w}; a failure to write comes out unchecked, to be unwrapped. */
        private static long exported(TimeTravel journal, Writer w) {
            try {
                return Transfer.export(journal, w);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Standard output for an export, asking every 64 KiB whether it has failed ({@code gone}):
         * the {@link PrintWriter} under it keeps a failure to itself, and an export to a reader
         * gone ({@code | head}) read the whole journal for nothing.
         */
        static final class StopsWhenGone extends java.io.FilterWriter {
            static final class Gone extends IOException {
                Gone() {
                    super("stdout is gone", null);
                }
            }

            private static final int EVERY = 64 * 1024;
            private final java.util.function.BooleanSupplier gone;
            private long unchecked;

            StopsWhenGone(Writer out, java.util.function.BooleanSupplier gone) {
                super(out);
                this.gone = gone;
            }

            @Override
            public void write(int c) throws IOException {
                out.write(c);
                counted(1);
            }

            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                out.write(cbuf, off, len);
                counted(len);
            }

            @Override
            public void write(String str, int off, int len) throws IOException {
                out.write(str, off, len);
                counted(len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
                if (gone.getAsBoolean()) {
                    throw new Gone();
                }
            }

            private void counted(int n) throws IOException {
                unchecked += n;
                if (unchecked >= EVERY) {
                    unchecked = 0;
                    if (gone.getAsBoolean()) {
                        throw new Gone();
                    }
                }
            }
        }
    }

    @Command(name = "import", description = "Fill a fresh, empty ledger directory with a journal exported by 'export' "
            + "(or 'log --json'), every number preserved. Refuses a directory that holds a ledger, or any file but a ledger's own leftovers (its lock, H2's trace log and temporary files). "
            + "A file in the order export writes is checked as it is written, one row held at a time; stdin, or a file in another order or refused, is read whole first.",
            footerHeading = "%nExample:%n", footer = "  cgledger --ledger ./copy import l.jsonl")
    static final class ImportCmd extends BaseCommand {
        @Parameters(paramLabel = "FILE", description = "JSON lines; - for stdin.")
        String file;

        ImportCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            if (session.memory) {
                throw new UsageError("import writes a ledger directory: give --ledger DIR, not --in-memory");
            }
            if (file.isEmpty()) {
                throw new UsageError("cannot read '': the file name is empty");
            }
            // a file that can be read again (not stdin, a pipe or a device) is read as it is written
            Transfer.Streamed streamed = regularFile() ? streamed(session) : null;
            if (streamed != null) {
                return imported(session, out, streamed.events(), streamed.events());
            }
            // from stdin, or a journal the reading as it writes did not take: read whole and checked
            // before anything is written (nothing was)
            Transfer.Numbered read;
            try (java.io.InputStream in = file.equals("-") ? cli.stdin : Files.newInputStream(Path.of(file))) {
                read = Transfer.readNumbered(in);
            } catch (NoSuchFileException e) {
                throw new UsageError("cannot read " + file + ": no such file");
            } catch (IOException e) {
                throw new UsageError("cannot read " + file + ": " + IoReasons.of(e));
            } catch (IllegalArgumentException e) {
                // a name it quotes (a cgroup's, from the file) may hold control characters: the
                // usage line writes them as escapes, once (escaped here too, a backslash was doubled)
                throw new UsageError(file + ": " + e.getMessage());
            }
            List<Journals.Stored> rows = read.rows();
            if (rows.isEmpty()) {
                throw new UsageError(file + ": no journal lines");
            }
            Journal j = new Journal(rows);
            // what opening the ledger would refuse, refused before anything is written: a ledger
            // made from it would fail every later command as damaged
            for (Audit.Finding f : Audit.run(rows).findings()) {
                if (f instanceof Audit.Discrepancy d && d.recorded() != null && d.recorded().intValue() != d.incremental()
                        || f instanceof Audit.Gap || f instanceof Audit.Duplicate || f instanceof Audit.Misplaced
                        || f instanceof Audit.OutOfOrder || f instanceof Audit.Unapplicable) {
                    // the line of the event it names (after a gap: the first event stored after it)
                    Integer line = read.lines().get(f.seq());
                    throw new UsageError(file + ": " + (line == null ? "" : "line " + line + ": ")
                            + "a ledger made from it would not open: " + f.summary());
                }
                if (f instanceof Audit.Discrepancy d && d.recorded() == null) {
                    // every writer records each counter an event changes: a row without one was cut
                    Integer line = read.lines().get(f.seq());
                    throw new UsageError(file + ": " + (line == null ? "" : "line " + line + ": ")
                            + "no writer left out a counter its event changed: " + f.summary());
                }
            }
            session.importInto(rows);
            return imported(session, out, rows.size(), j.lastEvent());
        }

        /** Whether FILE names a regular file (not {@code -}; a name no path is: read whole, which says so). */
        private boolean regularFile() {
            try {
                return !file.equals("-") && Files.isRegularFile(Path.of(file));
            } catch (java.nio.file.InvalidPathException e) {
                return false;
            }
        }

        private int imported(Session session, Out out, long events, long lastEvent) {
            if (out.json) {
                out.emit(out.okNode().put("events", events).put("lastEvent", lastEvent)
                        .put("ledger", session.dir.toString()));
            } else {
                out.println("imported " + count(events, "event", "events") + " (up to event #" + lastEvent + ") into "
                        + session.dir);
            }
            return 0;
        }

        /**
         * Imports FILE as it reads it ({@link Transfer.Streamed}: one row held at a time, not the
         * journal); null, having written nothing, at a row only reading it whole names. What is
         * refused is refused as when it was read whole before writing: a line refused as a line, then
         * the directory (a refusal there before the first row is written waits for the rest of the
         * file to be read and checked).
         */
        private Transfer.Streamed streamed(Session session) {
            try (java.io.InputStream in = Files.newInputStream(Path.of(file))) {
                Transfer.Streamed rows = Transfer.stream(in);
                try {
                    session.importInto(rows);
                    return rows;
                } catch (RuntimeException e) {
                    if (e != rows.failure()) {
                        try {
                            rows.drain();
                        } catch (RuntimeException ignored) {
                            // rows.failure(), below
                        }
                        if (rows.failure() == null) {
                            throw e;
                        }
                    }
                }
                RuntimeException failure = rows.failure();
                if (failure instanceof Transfer.Unstreamable) {
                    return null;
                } else if (failure instanceof java.io.UncheckedIOException u) {
                    throw new UsageError("cannot read " + file + ": " + IoReasons.of(u.getCause()));
                } else if (!(failure instanceof IllegalArgumentException)) {
                    throw failure;
                }
                // a name it quotes (a cgroup's, from the file) may hold control characters
                throw new UsageError(file + ": " + CgLedger.oneLine(Out.visible(failure.getMessage())));
            } catch (NoSuchFileException e) {
                throw new UsageError("cannot read " + file + ": no such file");
            } catch (IOException e) {
                throw new UsageError("cannot read " + file + ": " + IoReasons.of(e));
            }
        }
    }

    // ---- compact ---------------------------------------------------------------------------------

    @Command(name = "compact", description = {"Rewrite the ledger's H2 file with only its live data. A ledger "
            + "compacts its file itself as it closes when the file grew by 64 MiB and doubled while it was open "
            + "(a long sh, a server, a bulk load), never for a one-shot command; this is for a file a writer "
            + "killed left behind: a 1,000,000-event ledger goes from 3.1 GB to 384 MB. Pages are written "
            + "uncompressed (reads are faster so), so a file compacted by an earlier build, whose pages were "
            + "compressed, comes out larger. Takes the ledger's lock; nothing else may use the ledger meanwhile."},
            footerHeading = "%nExample:%n", footer = "  cgledger --ledger ./l compact")
    static final class CompactCmd extends BaseCommand {
        CompactCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            DurableLedger.Compaction c = session.compact();
            if (out.json) {
                out.emit(out.okNode().put("bytesBefore", c.bytesBefore()).put("bytesAfter", c.bytesAfter())
                        .put("millis", c.millis()));
            } else {
                out.println(String.format(Locale.ROOT, "compacted %s: %s -> %s in %.1f s%s", session.dir,
                        size(c.bytesBefore()), size(c.bytesAfter()), c.millis() / 1000.0,
                        c.bytesAfter() > c.bytesBefore() ? " (larger: its pages were compressed, and reads paid for it; "
                                + "they are written uncompressed now)" : ""));
            }
            return 0;
        }

        private static String size(long bytes) {
            return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                    : bytes >= 1L << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20))
                    : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
    }
}
