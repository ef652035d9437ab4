package org.cgledger.core.query;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.cgledger.core.decide.ControlFiles;
import org.cgledger.core.decide.Paths;
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Result;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;

/**
 * What {@code cat} and {@code ls} answer on the model's cgroupfs, as the kernel prints it
 * (notes/kernel-v1-facts.md): a file's content as lines without their {@code \n}.
 */
public final class CgroupFiles {

    private CgroupFiles() {
    }

    /**
     * The lines of file {@code path} ({@code /H1/foo/tasks}): {@code tasks} and {@code cgroup.procs}
     * one pid per line, sorted ascending (the kernel's pidlist sort); {@code notify_on_release},
     * {@code cgroup.clone_children}, {@code cgroup.sane_behavior} and
     * {@code SUBSYS.move_charge_at_immigrate} {@code 0} or {@code 1}; {@code release_agent} one empty
     * line; {@code SUBSYS.usage} a number; {@code SUBSYS.limit} a number or {@code max}.
     * Refusals: a directory EISDIR; a missing file or directory ENOENT; a file as a directory
     * ENOTDIR; a relative path EINVAL; a path of PATH_MAX bytes or more ENAMETOOLONG.
     */
    public static Result<List<String>> read(State s, String path) {
        return file(s, path).map(f -> read(s, f.c(), f.name()));
    }

    /**
     * Whether {@code path} names a file, as the kernel's path walk finds one ({@code ls FILE} prints
     * the name): refused where {@link #read} is, without reading it.
     */
    public static boolean isFile(State s, String path) {
        return file(s, path).isOk();
    }

    /** A file found: the live cgroup it is in and its name. */
    private record File(Cgroup c, String name) {
    }

    private static Result<File> file(State s, String path) {
        Result<CgroupPath> parsed = Paths.parse(s, path);
        if (!(parsed instanceof Result.Ok<CgroupPath> ok)) {
            return parsed.map(x -> null);
        }
        CgroupPath p = ok.value();
        if (p.isRoot() || isMountPrefix(s, p) || Paths.find(s, p.toString()).isOk()) {
            return Result.refused(Errno.EISDIR, p + " is a directory");
        }
        Result<Paths.Found> dir = Paths.find(s, p.parent().toString());
        if (!(dir instanceof Result.Ok<Paths.Found> found)) {
            return dir.map(x -> null);
        }
        Hierarchy h = found.value().h();
        Cgroup c = found.value().c();
        String file = p.name();
        if (!ControlFiles.isFile(h, c, file)) {
            return Result.refused(Errno.ENOENT, p + ": no such file");
        }
        if (path.endsWith("/") || path.endsWith("/.")) {
            // as the kernel's path walk: a file named as a directory (tasks/)
            return Result.refused(Errno.ENOTDIR, p + " is a file, not a directory");
        }
        return Result.ok(new File(c, file));
    }

    /**
     * The lines of {@code file} in live cgroup {@code c}; {@code file} must be one of its files
     * ({@link ControlFiles#isFile}).
     */
    public static List<String> read(State s, Cgroup c, String file) {
        switch (file) {
            case ControlFiles.TASKS, ControlFiles.PROCS: {
                List<String> lines = new ArrayList<>(c.tasks().size());
                for (Pid pid : c.tasks().sorted(null)) {
                    lines.add(pid.toString());
                }
                return lines;
            }
            case ControlFiles.NOTIFY_ON_RELEASE:
                return List.of(c.notifyOnRelease() ? "1" : "0");
            case ControlFiles.CLONE_CHILDREN, ControlFiles.SANE_BEHAVIOR:
                return List.of("0");
            case ControlFiles.RELEASE_AGENT:
                return List.of("");
            default:
                break;
        }
        int dot = file.indexOf('.');
        Subsystem sub = Subsystem.of(file.substring(0, dot));
        String what = file.substring(dot + 1);
        if (what.equals(ControlFiles.MOVE_CHARGE)) {
            return List.of(c.moveCharge().contains(sub) ? "1" : "0");
        }
        Css css = null;
        for (CssId id : c.css()) {
            if (id.subsys().equals(sub)) {
                css = s.css(id);
            }
        }
        if (css == null) {
            throw new IllegalStateException("cgroup " + c.id() + " has no css for " + sub);
        }
        if (what.equals(ControlFiles.USAGE)) {
            return List.of(Long.toString(css.usage()));
        }
        if (what.equals(ControlFiles.LIMIT)) {
            return List.of(css.limit().toString());
        }
        throw new IllegalStateException("unhandled control file " + file);
    }

    /**
     * What {@code ls PATH} lists, sorted as {@code LC_ALL=C ls} sorts: a cgroup's live children and
     * its control files; above the mount points (e.g. {@code /}), the next component of every mount
     * point under {@code path}. Refusals: ENOENT when nothing is there, ENOTDIR for a file, EINVAL
     * for a relative path.
     */
    public static Result<List<String>> list(State s, String path) {
        Result<CgroupPath> parsed = Paths.parse(s, path);
        if (!(parsed instanceof Result.Ok<CgroupPath> ok)) {
            return parsed.map(x -> null);
        }
        CgroupPath p = ok.value();
        TreeSet<String> above = mountComponentsBelow(s, p);
        if (!above.isEmpty()) {
            return Result.ok(List.copyOf(above));
        }
        Result<Paths.Found> found = Paths.find(s, p.toString());
        if (!(found instanceof Result.Ok<Paths.Found> f)) {
            if (p.isRoot()) {
                return Result.ok(List.of());
            }
            return found.map(x -> null);
        }
        TreeSet<String> names = new TreeSet<>(C_ORDER);
        f.value().c().children().keys().forEach(names::add);
        names.addAll(ControlFiles.of(f.value().h(), f.value().c()));
        return Result.ok(List.copyOf(names));
    }

    /**
     * {@code LC_ALL=C ls}'s order: by the names' UTF-8 bytes, which is their code points' order. A
     * String's own order is of UTF-16 units, which puts a character beyond U+FFFF (an emoji) before
     * one from U+E000 to U+FFFF (a fullwidth mark): the kernel's ls lists them the other way round.
     */
    public static final java.util.Comparator<String> C_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    /** Whether {@code p} is a strict prefix of some mount point (a plain directory above the mounts). */
    private static boolean isMountPrefix(State s, CgroupPath p) {
        return !mountComponentsBelow(s, p).isEmpty();
    }

    private static TreeSet<String> mountComponentsBelow(State s, CgroupPath p) {
        TreeSet<String> out = new TreeSet<>(C_ORDER);
        for (String mp : s.mountPoints().keys()) {
            CgroupPath m = ((Result.Ok<CgroupPath>) CgroupPath.parse(mp)).value();
            if (m.depth() > p.depth() && m.startsWith(p)) {
                out.add(m.components().get(p.depth()));
            }
        }
        return out;
    }
}
