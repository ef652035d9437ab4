package org.cgledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cgledger.core.decide.Paths;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Limit;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Result;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.query.CgroupFiles;
import org.cgledger.core.query.Holder;
import org.cgledger.core.query.Holders;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The views (DESIGN.md §5): computed from the ledger's state, never changing it. */
final class ViewCommands {

    private ViewCommands() {
    }

    static <T> T ok(Result<T> r, String subject) {
        if (r instanceof Result.Refused<T> bad) {
            throw new Refused(subject, bad.errno(), bad.reason());
        }
        return ((Result.Ok<T>) r).value();
    }

    /**
     * {@code p} as a JSON answer names it: normalized as {@code stat} names a path ({@code //H1//a/},
     * {@code /H1/a/b/..} are {@code /H1/a}), so that a script joins the answers of ls, explain and stat
     * on their {@code "path"} (ls and explain had answered it as given); as given where it cannot be
     * parsed (a working directory removed since).
     */
    static String jsonPath(State s, String p) {
        return Paths.parse(s, p) instanceof Result.Ok<CgroupPath> ok ? ok.value().toString() : p;
    }

    @Command(name = "ls", description = "List a cgroup's children and files (no PATH: /, in sh the working "
            + "directory; / and the directories above the mount points list the next name on each mount point's path); "
            + "names that begin with '.' are hidden, as ls hides them; a file: its name, as given.",
            footerHeading = "%nExample:%n", footer = "  cgledger ls /H1/foo")
    static final class LsCmd extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "PATH")
        String path;

        @Option(names = {"-a", "--all"}, description = "Also list the names that begin with '.', '.' and '..' among them, "
                + "as ls -a does.")
        boolean all;

        LsCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            State s = session.initializedState();
            String p;
            List<String> names;
            if (session.inSh && (path == null || path.matches("\\.(/+\\.)*/*")) && !session.cwd.equals("/")
                    && session.cwdGone()) {
                // the working directory itself, removed: the kernel lists it empty (no entries, no files,
                // not even . and .. under -a)
                p = session.cwd;
                names = List.of();
            } else {
                p = session.resolve(path == null ? (session.inSh ? session.cwd : "/") : path);
                // only dots walked from the removed working directory can reach a removed directory
                // (ls ../. with its parent removed too): the kernel lists it empty, as the working
                // directory itself
                if (session.inSh && path != null && path.matches("\\.\\.?(/+\\.\\.?)*/*")
                        && session.cwdGone() && session.gone(p)) {
                    names = List.of();
                } else {
                    names = list(s, p);
                    // a file: ls prints its name as given (it had been ENOTDIR); under --json, the same name
                    names = names == null ? List.of(path) : shown(names);
                }
            }
            if (out.json) {
                ObjectNode n = out.okNode().put("path", jsonPath(s, p));
                ArrayNode a = n.putArray("entries");
                names.forEach(a::add);
                out.emit(n);
            } else {
                names.forEach(out::println);
            }
            return 0;
        }

        /** What {@code p} lists; null when it names a file. */
        static List<String> list(State s, String p) {
            Result<List<String>> r = CgroupFiles.list(s, p);
            if (r instanceof Result.Refused<List<String>> bad && bad.errno() == Errno.ENOTDIR && CgroupFiles.isFile(s, p)) {
                return null;
            }
            return ok(r, p);
        }

        /** {@code names} as ls shows them: without those that begin with '.'; with -a, all and '.' and '..'. */
        List<String> shown(List<String> names) {
            if (all) {
                TreeSet<String> dots = new TreeSet<>(CgroupFiles.C_ORDER);
                dots.addAll(names);
                dots.add(".");
                dots.add("..");
                return List.copyOf(dots);
            }
            return names.stream().filter(n -> !n.startsWith(".")).toList();
        }
    }

    @Command(name = "cat", description = "Print cgroup files: tasks, cgroup.procs, notify_on_release, SUBSYS.usage, "
            + "SUBSYS.limit, SUBSYS.move_charge_at_immigrate, ...", footerHeading = "%nExample:%n",
            footer = "  cgledger cat /H1/foo/tasks")
    static final class CatCmd extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "PATH/FILE")
        List<String> files;

        CatCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            State s = session.initializedState();
            if (files.size() == 1) {
                String file = session.resolve(files.get(0), isDirectory(session, files.get(0)),
                        walkedDirectory(session, files.get(0)));
                print(ok(CgroupFiles.read(s, file), files.get(0)), file, out);
                return 0;
            }
            // as cat(1): each file in turn, a failing one said and passed over; with --json one
            // object per file, named
            int code = 0;
            for (String f : files) {
                String file;
                try {
                    file = session.resolve(f, isDirectory(session, f), walkedDirectory(session, f));
                } catch (Refused r) {
                    // (a name in a removed working directory)
                    code = out.refused("cat", r.subject, r.errno, r.reason);
                    continue;
                }
                Result<List<String>> r = CgroupFiles.read(s, file);
                if (r instanceof Result.Refused<List<String>> bad) {
                    code = out.refused("cat", f, bad.errno(), bad.reason());
                } else {
                    // named as read: in sh a relative name from the working directory, as ls and stat name theirs
                    print(((Result.Ok<List<String>>) r).value(), file, out);
                }
            }
            return code;
        }

        /** What cat answers for '.' of a removed working directory: a directory still, as read(2) on it says. */
        private static Refused isDirectory(Session session, String given) {
            return new Refused(given, Errno.EISDIR, "'.' is the working directory " + session.cwd
                    + ", removed but still a directory");
        }

        /** A last .. walked from the removed working directory: a directory too. */
        private static Refused walkedDirectory(Session session, String given) {
            return new Refused(given, Errno.EISDIR, "'" + given + "' names a directory (walked from the removed working"
                    + " directory " + session.cwd + ")");
        }

        private static void print(List<String> lines, String file, Out out) {
            if (out.json) {
                ObjectNode n = out.okNode();
                if (file != null) {
                    n.put("file", file);
                }
                ArrayNode a = n.putArray("lines");
                lines.forEach(a::add);
                out.emit(n);
            } else {
                lines.forEach(out::println);
            }
        }
    }

    @Command(name = "tree", description = "Draw the hierarchies like systemd-cgls: task counts, each css's refcount and state "
            + "(removed groups whose css are dying are shown too, and under offline those without css that a pinned "
            + "css_set keeps).", footerHeading = "%nExample:%n",
            footer = {"  cgledger tree /H1", "  cgledger tree --at-event 12   # the hierarchies as they were after event #12"})
    static final class TreeCmd extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "MOUNTPOINT", description = "A hierarchy (or any cgroup) to draw; default: all.")
        String path;

        TreeCmd(CliContext cli) {
            super(cli);
        }

        @Mixin
        AtOptions at = new AtOptions();

        @Override
        int run(Session session, Out out) {
            State s = at.state(session, out);
            render(s, path == null ? null : session.resolve(path), path, out);
            return 0;
        }

        /** Draws {@code resolved} (null: every hierarchy); {@code given} names it in a refusal. */
        static void render(State s, String resolved, String given, Out out) {
            Map<CgroupId, List<Cgroup>> dying = new HashMap<>();
            s.cgroups().forEach((id, c) -> {
                // (a removed cgroup without css is kept only while a pinned css_set names it: dying
                // in all but name, drawn so under offline, hidden under unchecked as unreachable css are)
                if (c.removed() && c.parent() != null && (c.css().stream()
                        .anyMatch(x -> s.css(x) != null && s.css(x).state() == CssState.DYING)
                        || c.css().isEmpty() && s.rmdir() == RmdirPolicy.OFFLINE)) {
                    dying.computeIfAbsent(c.parent(), k -> new ArrayList<>()).add(c);
                }
            });
            List<Cgroup> roots = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            if (resolved != null) {
                Paths.Found f = ok(Paths.find(s, resolved), given);
                roots.add(f.c());
                labels.add(f.path().toString() + (f.c().isRoot() ? " " + describe(f.h(), f.path().toString()) : ""));
            } else {
                for (Hierarchy h : s.realHierarchies()) {
                    roots.add(s.cgroup(h.root()));
                    labels.add(h.label() + " " + describe(h, h.label()));
                }
            }
            if (out.json) {
                ObjectNode n = out.okNode();
                ArrayNode a = n.putArray("hierarchies");
                for (Cgroup r : roots) {
                    Hierarchy h = s.hierarchyOf(r);
                    ObjectNode hn = a.addObject();
                    hn.put("id", h.id().value());
                    hn.put("name", h.name());
                    ArrayNode subs = hn.putArray("subsystems");
                    h.subsystems().forEach(x -> subs.add(x.name()));
                    ArrayNode mps = hn.putArray("mountPoints");
                    h.mountPoints().forEach(mps::add);
                    hn.set("root", jsonNode(s, r, dying, out));
                }
                out.emit(n);
                return;
            }
            if (roots.isEmpty()) {
                out.println("(no hierarchy mounted)");
            }
            for (int i = 0; i < roots.size(); i++) {
                out.println(labels.get(i) + "  " + summary(s, roots.get(i)));
                drawChildren(s, roots.get(i), "", dying, out);
            }
        }

        /** {@code h}'s subsystems and name, and its mount points other than {@code shownAt}. */
        private static String describe(Hierarchy h, String shownAt) {
            List<String> parts = new ArrayList<>();
            h.subsystems().forEach(x -> parts.add(x.name()));
            if (!h.name().isEmpty()) {
                parts.add("name=" + h.name());
            }
            List<String> others = new ArrayList<>(h.mountPoints());
            others.remove(shownAt);
            return "(" + String.join(",", parts) + ")" + (h.isDetached() ? " detached" : "")
                    + (others.isEmpty() ? "" : " also at " + String.join(" ", others));
        }

        private static List<Cgroup> children(State s, Cgroup c, Map<CgroupId, List<Cgroup>> dying) {
            List<Cgroup> kids = new ArrayList<>();
            List<String> names = new ArrayList<>(c.children().keys());
            names.sort(null);
            names.forEach(n -> kids.add(s.cgroup(c.children().get(n))));
            List<Cgroup> gone = new ArrayList<>(dying.getOrDefault(c.id(), List.of()));
            gone.sort((x, y) -> x.id().compareTo(y.id()));
            kids.addAll(gone);
            return kids;
        }

        private static void drawChildren(State s, Cgroup c, String indent, Map<CgroupId, List<Cgroup>> dying, Out out) {
            List<Cgroup> kids = children(s, c, dying);
            for (int i = 0; i < kids.size(); i++) {
                boolean last = i == kids.size() - 1;
                Cgroup k = kids.get(i);
                out.println(indent + (last ? "└─" : "├─") + k.name() + (k.removed() ? " (removed)" : "") + "  "
                        + summary(s, k));
                drawChildren(s, k, indent + (last ? "  " : "│ "), dying, out);
            }
        }

        private static String summary(State s, Cgroup c) {
            StringBuilder b = new StringBuilder();
            b.append(Out.count(c.tasks().size(), "task", "tasks"));
            for (CssId id : c.css()) {
                Css css = s.css(id);
                if (css != null && css.state() != CssState.UNREACHABLE) {
                    b.append("  ").append(id).append(" refcount ").append(css.refcount()).append(' ')
                            .append(css.state().label());
                    if (!css.isOnline() && css.children() > 0) {
                        // what keeps it at refcount 0: a child css holds its parent (the kernel's css_get)
                        b.append(", held by ").append(Out.count(css.children(), "child css", "child css"));
                    }
                }
            }
            return b.toString();
        }

        private static ObjectNode jsonNode(State s, Cgroup c, Map<CgroupId, List<Cgroup>> dying, Out out) {
            ObjectNode n = out.object();
            n.put("name", c.name());
            n.put("path", s.path(c.id()));
            n.put("removed", c.removed());
            n.put("tasks", c.tasks().size());
            ArrayNode css = n.putArray("css");
            for (CssId id : c.css()) {
                Css x = s.css(id);
                if (x != null && x.state() != CssState.UNREACHABLE) {
                    css.addObject().put("id", id.toString()).put("refcount", x.refcount()).put("state", x.state().label());
                }
            }
            ArrayNode kids = n.putArray("children");
            for (Cgroup k : children(s, c, dying)) {
                kids.add(jsonNode(s, k, dying, out));
            }
            return n;
        }
    }

    @Command(name = "stat", description = "Each css of a cgroup: refcount broken down by holder (css_sets; objects with "
            + "who charged them at which event), state, usage and limit.", footerHeading = "%nExample:%n",
            footer = {"  cgledger stat /H1/foo", "  cgledger stat /H1/foo --at 2024-05-01T12:00:00Z"})
    static final class StatCmd extends BaseCommand {
        @Parameters(paramLabel = "PATH")
        String path;

        @Mixin
        AtOptions at = new AtOptions();

        StatCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            State s = at.state(session, out);
            String p = session.resolve(path);
            Paths.Found f = ok(Paths.find(s, p), path);
            Cgroup c = f.c();
            List<String> kids = new ArrayList<>(c.children().keys());
            kids.sort(null);
            List<Pid> tasks = c.tasks().sorted(null);
            if (out.json) {
                ObjectNode n = out.okNode();
                n.put("path", f.path().toString());
                n.put("cgroup", c.id().value());
                n.put("hierarchy", f.h().id().value());
                n.put("pin", s.pin().label());
                n.put("rmdir", s.rmdir().label());
                ArrayNode t = n.putArray("tasks");
                tasks.forEach(x -> t.add(x.value()));
                ArrayNode ch = n.putArray("children");
                kids.forEach(ch::add);
                ArrayNode cssArr = n.putArray("css");
                for (CssId id : c.css()) {
                    Css css = s.css(id);
                    ObjectNode cn = cssArr.addObject();
                    cn.put("id", id.toString());
                    cn.put("subsys", id.subsys().name());
                    cn.put("refcount", css.refcount());
                    cn.put("state", css.state().label());
                    cn.set("holders", holdersJson(s, Holders.ofCss(s, id), out));
                    cn.put("usage", css.usage());
                    putLimit(cn, css.limit());
                }
                out.emit(n);
                return 0;
            }
            out.println(f.path() + ": cgroup " + c.id().value() + " of hierarchy " + f.h().id() + ", "
                    + Out.count(tasks.size(), "task", "tasks") + (tasks.isEmpty() ? "" : " " + join(tasks)) + ", "
                    + Out.count(kids.size(), "child", "children") + "; pin=" + s.pin().label()
                    + " rmdir=" + s.rmdir().label());
            if (c.css().isEmpty()) {
                out.println("(no subsystem bound: no css)");
            }
            for (CssId id : c.css()) {
                Css css = s.css(id);
                out.println(id + ": refcount " + css.refcount() + ", " + css.state().label() + ", usage " + css.usage()
                        + ", limit " + css.limit());
                for (Holder h : Holders.ofCss(s, id)) {
                    out.println("  " + describe(s, h));
                }
            }
            return 0;
        }
    }

    @Command(name = "csssets", description = "Every live css_set: its css tuple, refcount and holders (tasks, cgroup "
            + "directories, pinning objects).", footerHeading = "%nExample:%n", footer = "  cgledger csssets")
    static final class CssSetsCmd extends BaseCommand {
        @Mixin
        AtOptions at = new AtOptions();

        CssSetsCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            render(at.state(session, out), out);
            return 0;
        }

        static void render(State s, Out out) {
            List<CssSet> sets = new ArrayList<>(s.cssSets().values());
            sets.sort((a, b) -> a.id().compareTo(b.id()));
            Map<CssSetId, List<Holder>> holders = Holders.ofCssSets(s);
            if (out.json) {
                ObjectNode n = out.okNode();
                ArrayNode a = n.putArray("csssets");
                for (CssSet set : sets) {
                    ObjectNode x = a.addObject();
                    x.put("id", set.id().toString());
                    x.put("refcount", set.refcount());
                    ArrayNode css = x.putArray("css");
                    set.key().css().forEach(c -> css.add(c.toString()));
                    ArrayNode cg = x.putArray("cgroups");
                    ArrayNode removed = x.putArray("removed");
                    set.key().cgroups().forEach(m -> {
                        cg.add(s.path(m.cgroup()));
                        // as the text marks them '(removed)'
                        if (removedGroup(s, m.cgroup())) {
                            removed.add(s.path(m.cgroup()));
                        }
                    });
                    x.set("holders", holdersJson(s, holders.get(set.id()), out));
                }
                out.emit(n);
                return;
            }
            int idW = 0;
            int rcW = 0;
            int tupleW = 0;
            List<String> tuples = new ArrayList<>();
            for (CssSet set : sets) {
                // measured as printed (a name's control characters and backslashes escaped): the
                // columns line up; kept as it is, as the line is escaped as it is printed
                String t = tuple(s, set.key());
                tuples.add(t);
                idW = Math.max(idW, set.id().toString().length());
                rcW = Math.max(rcW, Integer.toString(set.refcount()).length());
                tupleW = Math.max(tupleW, Out.printable(t).length());
            }
            for (int i = 0; i < sets.size(); i++) {
                CssSet set = sets.get(i);
                List<String> hs = new ArrayList<>();
                for (Holder h : holders.get(set.id())) {
                    hs.add(shortHolder(s, h));
                }
                out.println(pad(set.id().toString(), idW) + "  refcount " + pad(Integer.toString(set.refcount()), rcW)
                        + "  " + padPrinted(tuples.get(i), tupleW) + "  " + (hs.isEmpty() ? "-" : String.join(", ", hs)));
            }
        }
    }

    @Command(name = "ps", description = "Every task: its css_set and its cgroup in each hierarchy.",
            footerHeading = "%nExample:%n", footer = "  cgledger ps")
    static final class PsCmd extends BaseCommand {
        @Mixin
        AtOptions at = new AtOptions();

        PsCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            State s = at.state(session, out);
            List<Task> tasks = new ArrayList<>(s.tasks().values());
            tasks.sort((a, b) -> a.pid().compareTo(b.pid()));
            List<Hierarchy> hs = s.realHierarchies();
            if (out.json) {
                ObjectNode n = out.okNode();
                ArrayNode a = n.putArray("tasks");
                for (Task t : tasks) {
                    ObjectNode x = a.addObject();
                    x.put("pid", t.pid().value());
                    x.put("cssset", t.cssSet().toString());
                    if (t.forkedAt() == Task.UNKNOWN) {
                        x.putNull("forkedAt"); // restored from a snapshot of an earlier build
                    } else {
                        x.put("forkedAt", t.forkedAt());
                    }
                    ArrayNode cg = x.putArray("cgroups");
                    for (Hierarchy h : hs) {
                        cg.addObject().put("hierarchy", h.id().value()).put("path", s.path(s.cgroupOf(t, h)));
                    }
                    ArrayNode holds = x.putArray("holds");
                    t.holds().sorted(null).forEach(o -> holds.add(o.value()));
                }
                out.emit(n);
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PID", "CSS_SET", "CGROUPS"});
            for (Task t : tasks) {
                List<String> cg = new ArrayList<>();
                for (Hierarchy h : hs) {
                    cg.add(s.path(s.cgroupOf(t, h)));
                }
                rows.add(new String[] {t.pid().toString(), t.cssSet().toString(), cg.isEmpty() ? "-" : String.join(" ", cg)});
            }
            int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
            int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
            for (String[] r : rows) {
                out.println(pad(r[0], w0) + "  " + pad(r[1], w1) + "  " + r[2]);
            }
            return 0;
        }
    }

    @Command(name = "subsys", description = {"The subsystem catalog, like /proc/cgroups (hierarchy 0: the default one).",
        "num_cgroups counts a hierarchy's cgroups until they are freed, as the kernel's does: a removed cgroup whose "
            + "css are still held (dying or unreachable) is still counted."},
            footerHeading = "%nExample:%n", footer = "  cgledger subsys")
    static final class SubsysCmd extends BaseCommand {
        SubsysCmd(CliContext cli) {
            super(cli);
        }

        @Mixin
        AtOptions at = new AtOptions();

        @Override
        int run(Session session, Out out) {
            State s = at.state(session, out);
            // as the kernel's num_cgroups, which drops only as a cgroup is freed: a removed cgroup
            // whose css are still held (dying, unreachable) counts, the sign of a zombie
            Map<HierarchyId, Integer> counts = new HashMap<>();
            s.cgroups().forEach((id, c) -> counts.merge(c.hierarchy(), 1, Integer::sum));
            ObjectNode n = out.okNode();
            ArrayNode a = n.putArray("subsys");
            if (!out.json) {
                out.println("#subsys_name\thierarchy\tnum_cgroups\tenabled");
            }
            for (Subsystem sub : s.catalog().subsystems()) {
                Hierarchy h = s.hierarchyOf(sub);
                int num = counts.getOrDefault(h.id(), 1);
                if (out.json) {
                    a.addObject().put("name", sub.name()).put("hierarchy", h.id().value()).put("cgroups", num)
                            .put("enabled", true);
                } else {
                    out.println(sub.name() + "\t" + h.id() + "\t" + num + "\t1");
                }
            }
            if (out.json) {
                n.put("pin", s.pin().label()).put("rmdir", s.rmdir().label());
                out.emit(n);
            }
            return 0;
        }
    }

    // ---- shared rendering -------------------------------------------------------------------

    static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** {@code s}, as it is, padded to {@code w} columns as it is printed ({@link Out#printable}, its escapes counted). */
    static String padPrinted(String s, int w) {
        return pad(s, w - Out.printable(s).length() + s.length());
    }

    static String join(List<Pid> pids) {
        List<String> out = new ArrayList<>();
        pids.forEach(p -> out.add(p.toString()));
        return "(" + String.join(" ", out) + ")";
    }

    static String tuple(State s, CssSetKey key) {
        List<String> parts = new ArrayList<>();
        key.css().forEach(c -> parts.add(c.toString()));
        // a removed cgroup a pinned css_set still names is marked, as tree marks it
        key.cgroups().forEach(m -> parts.add(s.path(m.cgroup()) + (removedGroup(s, m.cgroup()) ? " (removed)" : "")));
        return "(" + String.join(", ", parts) + ")";
    }

    /** Whether {@code id} is a removed cgroup still kept (a pinned css_set names it). */
    static boolean removedGroup(State s, CgroupId id) {
        Cgroup c = s.cgroup(id);
        return c != null && c.removed();
    }

    /** One holder on a line of {@code stat}. */
    static String describe(State s, Holder h) {
        if (h instanceof Holder.OfCssSet x) {
            CssSet set = s.cssSet(x.id());
            return x.id() + "  css_set " + tuple(s, set.key()) + ", refcount " + set.refcount();
        } else if (h instanceof Holder.OfObject x) {
            ChargedObject o = x.object();
            return o.name() + "  object, amount " + o.amount() + (o.cache() ? ", cache" : "") + ", charged by task "
                    + o.chargedBy() + " at event #" + o.chargedAt() + ", held by " + (o.holders().isEmpty() ? "no task"
                    : "task " + String.join(" ", o.holders().sorted(null).stream().map(Pid::toString).toList()));
        }
        return shortHolder(s, h);
    }

    /** One holder in a list ({@code csssets}). */
    static String shortHolder(State s, Holder h) {
        if (h instanceof Holder.OfTask x) {
            return "task " + x.pid();
        } else if (h instanceof Holder.OfDirectory x) {
            return "dir " + s.path(x.cgroup());
        } else if (h instanceof Holder.OfObject x) {
            return "object " + x.object().name();
        } else if (h instanceof Holder.OfCssSet x) {
            return "css_set " + x.id();
        }
        throw new IllegalStateException("unhandled holder " + h);
    }

    static ArrayNode holdersJson(State s, List<Holder> holders, Out out) {
        ArrayNode a = out.array();
        for (Holder h : holders) {
            ObjectNode n = a.addObject();
            if (h instanceof Holder.OfCssSet x) {
                n.put("kind", "cssset").put("id", x.id().toString());
            } else if (h instanceof Holder.OfTask x) {
                n.put("kind", "task").put("pid", x.pid().value());
            } else if (h instanceof Holder.OfDirectory x) {
                n.put("kind", "dir").put("path", s.path(x.cgroup())).put("cgroup", x.cgroup().value());
            } else if (h instanceof Holder.OfObject x) {
                ChargedObject o = x.object();
                n.put("kind", "object").put("name", o.name().value()).put("subsys", o.subsys().name())
                        .put("amount", o.amount()).put("cache", o.cache()).put("chargedBy", o.chargedBy().value())
                        .put("chargedAt", o.chargedAt());
                ArrayNode hs = n.putArray("heldBy");
                o.holders().sorted(null).forEach(p -> hs.add(p.value()));
                if (o.pinnedSet() != null) {
                    n.put("pins", o.pinnedSet().toString());
                } else {
                    n.put("pins", o.css().toString());
                }
            } else {
                throw new IllegalStateException("unhandled holder " + h);
            }
        }
        return a;
    }

    static void putLimit(ObjectNode n, Limit limit) {
        if (limit.isMax()) {
            n.put("limit", "max");
        } else {
            n.put("limit", limit.value());
        }
    }
}
