package org.cgledger.core.state;

import java.util.Objects;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.Limit;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.util.PSet;

/**
 * A cgroup subsystem state. Released css leave the state.
 *
 * @param parent the parent cgroup's css of the same subsystem; null for a root css
 * @param refcount live css_sets containing it + objects pinning it (kept incrementally)
 * @param usage the live charged amounts on it and its descendants
 * @param children unreleased child css (each holds its parent, as the kernel's css->parent does)
 * @param charged the live objects charged to it
 * @param sets the live css_sets containing it, kept for non-root css under pin=cssset only: only there
 *             can a css_set other than its directory's hold a css whose group has no task (an object
 *             pins it), and a strict rmdir must name it; under pin=css keeping it would cost every
 *             attach two more map updates for nothing (a root css is in nearly all sets: never kept)
 */
public record Css(CssId id, CgroupId cgroup, CssId parent, int refcount, long usage, Limit limit, CssState state,
                  int children, PSet<ObjectName> charged, PSet<CssSetId> sets) {

    public Css {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cgroup, "cgroup");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(charged, "charged");
        Objects.requireNonNull(sets, "sets");
    }

    public boolean isOnline() {
        return state == CssState.ONLINE;
    }

    public Css withRefcount(int r) {
        return new Css(id, cgroup, parent, r, usage, limit, state, children, charged, sets);
    }

    public Css withUsage(long u) {
        return new Css(id, cgroup, parent, refcount, u, limit, state, children, charged, sets);
    }

    public Css withLimit(Limit l) {
        return new Css(id, cgroup, parent, refcount, usage, l, state, children, charged, sets);
    }

    public Css withState(CssState s) {
        return new Css(id, cgroup, parent, refcount, usage, limit, s, children, charged, sets);
    }

    public Css withChildren(int c) {
        return new Css(id, cgroup, parent, refcount, usage, limit, state, c, charged, sets);
    }

    public Css withCharged(PSet<ObjectName> c) {
        return new Css(id, cgroup, parent, refcount, usage, limit, state, children, c, sets);
    }

    /** This css with its usage, refcount and charged objects replaced at once, as a charge changes them. */
    public Css withCharges(long u, int r, PSet<ObjectName> c) {
        return new Css(id, cgroup, parent, r, u, limit, state, children, c, sets);
    }

    public Css withSets(PSet<CssSetId> s) {
        return new Css(id, cgroup, parent, refcount, usage, limit, state, children, charged, s);
    }

    public Css withCgroup(CgroupId c) {
        return new Css(id, c, parent, refcount, usage, limit, state, children, charged, sets);
    }
}
