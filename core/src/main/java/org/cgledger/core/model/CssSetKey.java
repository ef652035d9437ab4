package org.cgledger.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The tuple a css_set is interned by: one css per catalog subsystem (in catalog order), and, for
 * hierarchies without subsystems, the cgroup, listed only where it is not the hierarchy's root
 * (so mounting such a hierarchy extends every tuple with its root without touching any).
 */
public record CssSetKey(List<CssId> css, List<Member> cgroups) {

    /** A task's cgroup in a hierarchy without subsystems. */
    public record Member(HierarchyId hierarchy, CgroupId cgroup) {
        public Member {
            Objects.requireNonNull(hierarchy, "hierarchy");
            Objects.requireNonNull(cgroup, "cgroup");
        }
    }

    public CssSetKey {
        css = List.copyOf(css);
        cgroups = List.copyOf(cgroups);
    }

    public CssId css(int index) {
        return css.get(index);
    }

    /** The non-root cgroup for a hierarchy without subsystems, or null for its root. */
    public CgroupId cgroupIn(HierarchyId h) {
        for (Member m : cgroups) {
            if (m.hierarchy().equals(h)) {
                return m.cgroup();
            }
        }
        return null;
    }

    public CssSetKey withCss(int index, CssId id) {
        List<CssId> c = new ArrayList<>(css);
        c.set(index, id);
        return new CssSetKey(c, cgroups);
    }

    /** This tuple with {@code cgroup} for {@code h}; a null cgroup (the root) drops the entry. */
    public CssSetKey withCgroup(HierarchyId h, CgroupId cgroup) {
        List<Member> m = new ArrayList<>(cgroups.size() + 1);
        boolean placed = false;
        for (Member x : cgroups) {
            int cmp = x.hierarchy().compareTo(h);
            if (cmp == 0) {
                continue;
            }
            if (cmp > 0 && !placed && cgroup != null) {
                m.add(new Member(h, cgroup));
                placed = true;
            }
            m.add(x);
        }
        if (!placed && cgroup != null) {
            m.add(new Member(h, cgroup));
        }
        return new CssSetKey(css, m);
    }
}
