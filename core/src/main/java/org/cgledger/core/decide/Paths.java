package org.cgledger.core.decide;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Result;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.util.PMap;

/** Path resolution as cgroupfs answers it: mount point, then one directory per component. */
public final class Paths {

    private Paths() {
    }

    /**
     * A live cgroup found by path, with the normalized path asked for (parsed only when asked for:
     * an attach never does).
     */
    public static final class Found {
        private final Hierarchy h;
        private final Cgroup c;
        private final String text;
        private CgroupPath path;

        public Found(Hierarchy h, Cgroup c, CgroupPath path) {
            this(h, c, Objects.requireNonNull(path, "path"), null);
        }

        private Found(Hierarchy h, Cgroup c, CgroupPath path, String text) {
            this.h = Objects.requireNonNull(h, "h");
            this.c = Objects.requireNonNull(c, "c");
            this.path = path;
            this.text = text;
        }

        public Hierarchy h() {
            return h;
        }

        public Cgroup c() {
            return c;
        }

        /** The normalized path asked for. */
        public CgroupPath path() {
            if (path == null) {
                path = ((Result.Ok<CgroupPath>) CgroupPath.parse(text)).value();
            }
            return path;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Found f && f.h.equals(h) && f.c.equals(c) && f.path().equals(path());
        }

        @Override
        public int hashCode() {
            return Objects.hash(h, c, path());
        }

        @Override
        public String toString() {
            return "Found[h=" + h + ", c=" + c + ", path=" + path() + "]";
        }
    }

    /**
     * The mount points of one state's table, as arrays: {@link #find}'s fast path compares each
     * with the path's text. The table changes only with mount and umount, so the last one built is
     * kept, by the identity of the (immutable) map it was built from.
     */
    private record MountTable(PMap<String, HierarchyId> source, String[] points, HierarchyId[] ids) {
        private static volatile MountTable last;

        static MountTable of(PMap<String, HierarchyId> mountPoints) {
            MountTable t = last;
            if (t == null || t.source != mountPoints) {
                String[] points = new String[mountPoints.size()];
                HierarchyId[] ids = new HierarchyId[points.length];
                int[] i = {0};
                mountPoints.forEach((mp, id) -> {
                    points[i[0]] = mp;
                    ids[i[0]++] = id;
                });
                t = new MountTable(mountPoints, points, ids);
                last = t;
            }
            return t;
        }
    }

    /**
     * The hierarchy mounted at the mount point that prefixes {@code p}, at its root.
     * ENOENT when no mount point does. O(min(depth, mount points)) lookups (mount points are
     * stored normalized).
     */
    public static Result<Found> mountOf(State s, CgroupPath p) {
        Mount m = mount(s, p);
        if (m == null) {
            return Result.refused(Errno.ENOENT, p + " is not under a cgroup mount point");
        }
        Hierarchy h = s.hierarchy(m.hierarchy());
        return Result.ok(new Found(h, s.cgroup(h.root()), m.depth() == p.depth() ? p : p.prefix(m.depth())));
    }

    /**
     * Whether {@code p} is a directory above the mount points: {@code /}, or a strict prefix of a
     * mount point. These, the mount points and the cgroups are the directories the model knows.
     */
    public static boolean aboveMounts(State s, CgroupPath p) {
        if (p.isRoot()) {
            return true;
        }
        String dir = p + "/";
        boolean[] above = {false};
        s.mountPoints().forEach((mp, id) -> above[0] |= mp.startsWith(dir));
        return above[0];
    }

    /** A mount point prefixing a path: its hierarchy, and how many of the path's components it spells. */
    private record Mount(HierarchyId hierarchy, int depth) {
    }

    /** The mount point that prefixes {@code p}, or null. */
    private static Mount mount(State s, CgroupPath p) {
        // mount points never nest (mount refuses an overlap), so the first prefix found is the one
        List<String> components = p.components();
        if (s.mountPoints().size() <= p.depth()) {
            // as many mount points as components or fewer (the usual case): compare each with the
            // components in place, instead of building and hashing every prefix of the path
            Mount[] found = {null};
            s.mountPoints().forEach((mp, id) -> {
                int depth = found[0] == null ? prefixDepth(mp, components) : -1;
                if (depth > 0) {
                    found[0] = new Mount(id, depth);
                }
            });
            return found[0];
        }
        String full = p.toString();
        int end = 0;
        for (int depth = 1; depth <= p.depth(); depth++) {
            end += 1 + components.get(depth - 1).length();
            HierarchyId id = s.mountPoints().get(end == full.length() ? full : full.substring(0, end));
            if (id != null) {
                return new Mount(id, depth);
            }
        }
        return null;
    }

    /**
     * How many of {@code components} the normalized path {@code mp} spells ({@code /a/b} of
     * {@code [a, b, c]}: 2); -1 if it is not a prefix of them.
     */
    static int prefixDepth(String mp, List<String> components) {
        int depth = 0;
        for (int at = 0; at < mp.length(); depth++) {
            if (depth == components.size()) {
                return -1;
            }
            String c = components.get(depth);
            if (mp.charAt(at) != '/' || !mp.regionMatches(at + 1, c, 0, c.length())) {
                return -1;
            }
            at += 1 + c.length();
        }
        return depth;
    }

    /** The live cgroup at {@code text}: ENOENT if missing, ENOTDIR if a component is a file. O(depth). */
    public static Result<Found> find(State s, String text) {
        Found fast = normalized(text) ? findNormalized(s, text) : null;
        return fast != null ? Result.ok(fast) : findParsed(s, text);
    }

    /**
     * A user's path parsed ({@link CgroupPath#parse}) as the kernel's path walk takes it against
     * {@code s}: a {@code .} or {@code ..} component inside a hierarchy must follow a cgroup that
     * exists, or the path is refused as the walk refuses it there (ENOENT after a missing cgroup,
     * ENOTDIR after a control file), where a lexical normalization alone would step back over the
     * missing part ({@code /H1/nonexist/../d} is not {@code /H1/d}). Above the mount points they
     * are taken lexically: the model knows no directories there but those leading to a mount point.
     */
    public static Result<CgroupPath> parse(State s, String text) {
        Result<CgroupPath> parsed = CgroupPath.parse(text);
        if (!parsed.isOk() || !s.initialized() || !text.contains("/.")) {
            return parsed;
        }
        List<String> walked = new ArrayList<>();
        int n = text.length();
        for (int start = 1; start <= n; ) {
            int end = text.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            String name = text.substring(start, end);
            if (name.equals(".") || name.equals("..")) {
                CgroupPath dir = new CgroupPath(walked);
                if (mount(s, dir) != null) {
                    Result<Found> there = findParsed(s, dir.toString());
                    if (!there.isOk()) {
                        return there.map(x -> null);
                    }
                }
                if (name.equals("..") && !walked.isEmpty()) {
                    walked.remove(walked.size() - 1);
                }
            } else if (!name.isEmpty()) {
                walked.add(name);
            }
            start = end + 1;
        }
        return parsed;
    }

    /** {@link #find} the long way, for every path: parsed, then resolved component by component. */
    static Result<Found> findParsed(State s, String text) {
        Result<CgroupPath> parsed = parse(s, text);
        if (!(parsed instanceof Result.Ok<CgroupPath> okPath)) {
            return parsed.map(x -> null);
        }
        CgroupPath p = okPath.value();
        Mount m = mount(s, p);
        if (m == null) {
            return Result.refused(Errno.ENOENT, p + " is not under a cgroup mount point");
        }
        Hierarchy h = s.hierarchy(m.hierarchy());
        Cgroup cur = s.cgroup(h.root());
        for (int i = m.depth(); i < p.depth(); i++) {
            String name = p.components().get(i);
            CgroupId child = cur.children().get(name);
            if (child == null) {
                if (ControlFiles.isFile(h, cur, name)) {
                    return Result.refused(Errno.ENOTDIR, p.prefix(i + 1) + " is a file, not a cgroup");
                }
                return Result.refused(Errno.ENOENT, p.prefix(i + 1) + ": no such cgroup");
            }
            cur = s.cgroup(child);
        }
        return Result.ok(new Found(h, cur, p));
    }

    /**
     * Whether {@code text} is an absolute path already as {@link CgroupPath#parse} would leave it
     * (no empty, {@code .} or {@code ..} component, no trailing slash) and far from PATH_MAX: what
     * nearly every command names, and what {@link #findNormalized} takes as it is.
     */
    static boolean normalized(String text) {
        int n = text.length();
        if (n < 2 || text.charAt(0) != '/' || text.charAt(n - 1) == '/' || n * 3 >= CgroupPath.PATH_MAX) {
            return false;
        }
        for (int start = 1; start < n; ) {
            int end = text.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int len = end - start;
            if (len == 0 || text.charAt(start) == '.' && (len == 1 || len == 2 && text.charAt(start + 1) == '.')) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /**
     * {@link #find} of a {@link #normalized} path without parsing it: the mount point whose text
     * prefixes it, then one child per component. Null when it is not found (the slow path then
     * says why, in the same words as ever).
     */
    private static Found findNormalized(State s, String text) {
        MountTable t = MountTable.of(s.mountPoints());
        int n = text.length();
        int at = -1;
        HierarchyId id = null;
        for (int i = 0; i < t.points().length; i++) {
            String mp = t.points()[i];
            if (mp.equals("/")) {
                at = 0;
            } else if (text.startsWith(mp) && (n == mp.length() || text.charAt(mp.length()) == '/')) {
                at = mp.length();
            } else {
                continue;
            }
            // mount points never nest (mount refuses an overlap): the first is the one
            id = t.ids()[i];
            break;
        }
        if (id == null) {
            return null;
        }
        Hierarchy h = s.hierarchy(id);
        Cgroup cur = s.cgroup(h.root());
        while (at < n) {
            int end = text.indexOf('/', at + 1);
            if (end < 0) {
                end = n;
            }
            CgroupId child = cur.children().get(text.substring(at + 1, end));
            if (child == null) {
                return null;
            }
            cur = s.cgroup(child);
            at = end;
        }
        return new Found(h, cur, null, text);
    }
}
