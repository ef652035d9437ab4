package org.cgledger.core.decide;

import java.util.List;
import java.util.Map;
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
        // mount points never nest (mount refuses an overlap), so the first prefix found is the one
        List<String> components = p.components();
        if (s.mountPoints().size() <= p.depth()) {
            // as many mount points as components or fewer (the usual case): compare each with the
            // components in place, instead of building and hashing every prefix of the path
            for (Map.Entry<String, HierarchyId> mp : s.mountPoints()) {
                int depth = prefixDepth(mp.getKey(), components);
                if (depth > 0) {
                    return Result.ok(at(s, mp.getValue(), p, depth));
                }
            }
        } else {
            String full = p.toString();
            int end = 0;
            for (int depth = 1; depth <= p.depth(); depth++) {
                end += 1 + components.get(depth - 1).length();
                HierarchyId id = s.mountPoints().get(end == full.length() ? full : full.substring(0, end));
                if (id != null) {
                    return Result.ok(at(s, id, p, depth));
                }
            }
        }
        return Result.refused(Errno.ENOENT, p + " is not under a cgroup mount point");
    }

    /** The root of hierarchy {@code id}, mounted on the first {@code depth} components of {@code p}. */
    private static Found at(State s, HierarchyId id, CgroupPath p, int depth) {
        Hierarchy h = s.hierarchy(id);
        return new Found(h, s.cgroup(h.root()), depth == p.depth() ? p : p.prefix(depth));
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
        Result<Found> mount = mountOf(s, p);
        if (!(mount instanceof Result.Ok<Found> at)) {
            return mount;
        }
        Cgroup cur = at.value().c();
        Hierarchy h = at.value().h();
        for (int i = at.value().path().depth(); i < p.depth(); i++) {
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
