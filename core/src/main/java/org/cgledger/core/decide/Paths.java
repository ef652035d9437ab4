package org.cgledger.core.decide;

import java.util.List;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Result;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;

/** Path resolution as cgroupfs answers it: mount point, then one directory per component. */
public final class Paths {

    private Paths() {
    }

    /**
     * A live cgroup found by path.
     *
     * @param path the normalized path asked for
     */
    public record Found(Hierarchy h, Cgroup c, CgroupPath path) {
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
        Result<CgroupPath> parsed = CgroupPath.parse(text);
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
}
