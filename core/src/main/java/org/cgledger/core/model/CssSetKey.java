package org.cgledger.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The tuple a css_set is interned by: one css per catalog subsystem (in catalog order), and, for
 * hierarchies without subsystems, the cgroup, listed only where it is not the hierarchy's root
 * (so mounting such a hierarchy extends every tuple with its root without touching any).
 * Immutable; its hash is computed once, since it keys the interning table, and a tuple made from
 * another by one change ({@link #withCss}) computes it from the other's: reading every css of the
 * tuple again cost an attach a cache miss each.
 */
public final class CssSetKey {

    /** A task's cgroup in a hierarchy without subsystems. */
    public record Member(HierarchyId hierarchy, CgroupId cgroup) {
        public Member {
            Objects.requireNonNull(hierarchy, "hierarchy");
            Objects.requireNonNull(cgroup, "cgroup");
        }

        // written out, as the ids' own are: a record's generated ones go through method handles,
        // which a short-lived process runs slowly (a snapshot's 94,000 keys each hash one)
        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && m.cgroup.value() == cgroup.value()
                    && m.hierarchy.value() == hierarchy.value();
        }

        @Override
        public int hashCode() {
            return 31 * hierarchy.value() + Long.hashCode(cgroup.value());
        }
    }

    private final CssId[] css;
    private final Member[] cgroups;
    /** {@code Arrays.hashCode(css)}, kept apart so that {@link #withCss} can update it. */
    private final int cssHash;
    private final int hash;

    public CssSetKey(List<CssId> css, List<Member> cgroups) {
        this(css.toArray(new CssId[0]), cgroups.toArray(new Member[0]));
    }

    private CssSetKey(CssId[] css, Member[] cgroups) {
        for (CssId c : css) {
            Objects.requireNonNull(c, "css");
        }
        this.css = css;
        this.cgroups = cgroups;
        this.cssHash = Arrays.hashCode(css);
        this.hash = cssHash * 31 + Arrays.hashCode(cgroups);
    }

    private CssSetKey(CssId[] css, Member[] cgroups, int cssHash, int hash) {
        this.css = css;
        this.cgroups = cgroups;
        this.cssHash = cssHash;
        this.hash = hash;
    }

    public List<CssId> css() {
        return List.of(css);
    }

    public List<Member> cgroups() {
        return List.of(cgroups);
    }

    public CssId css(int index) {
        return css[index];
    }

    public int size() {
        return css.length;
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
        Objects.requireNonNull(id, "css");
        CssId old = css[index];
        if (old.equals(id)) {
            return this;
        }
        CssId[] c = css.clone();
        c[index] = id;
        // Arrays.hashCode weighs element i by 31^(n-1-i): only the replaced element's term changes
        int weight = 1;
        for (int i = css.length - 1; i > index; i--) {
            weight *= 31;
        }
        int newCssHash = cssHash + weight * (id.hashCode() - old.hashCode());
        return new CssSetKey(c, cgroups, newCssHash, hash + 31 * (newCssHash - cssHash));
    }

    /** This tuple with {@code cgroup} for {@code h}; a null cgroup (the root) drops the entry. */
    public CssSetKey withCgroup(HierarchyId h, CgroupId cgroup) {
        List<Member> m = new ArrayList<>(cgroups.length + 1);
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
        Member[] members = m.toArray(new Member[0]);
        return new CssSetKey(css, members, cssHash, cssHash * 31 + Arrays.hashCode(members));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CssSetKey k && k.hash == hash && Arrays.equals(k.css, css)
                && Arrays.equals(k.cgroups, cgroups);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "CssSetKey" + Arrays.toString(css) + (cgroups.length == 0 ? "" : Arrays.toString(cgroups));
    }
}
