package org.cgledger.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A tuple made from another by {@link CssSetKey#withCss} or {@link CssSetKey#withCgroup} computes
 * its hash from the other's: after any run of changes it is the hash of the same tuple built anew,
 * and equal tuples hash alike (the interning table depends on both).
 */
class CssSetKeyProperties {

    private static final List<Subsystem> SUBSYSTEMS = List.of(Subsystem.of("cpu"), Subsystem.of("memory"),
            Subsystem.of("blkio"), Subsystem.of("pids"));

    /** A change: {index, serial} for a css, or {-1, hierarchy, cgroup (0: the root)} for a member. */
    @Provide
    Arbitrary<List<int[]>> changes() {
        Arbitrary<int[]> css = Arbitraries.integers().between(0, SUBSYSTEMS.size() - 1)
                .flatMap(i -> Arbitraries.integers().between(0, 1_000_000).map(n -> new int[] {i, n}));
        Arbitrary<int[]> member = Arbitraries.integers().between(1, 4)
                .flatMap(h -> Arbitraries.integers().between(0, 50).map(c -> new int[] {-1, h, c}));
        return Arbitraries.oneOf(css, css, member).list().ofMaxSize(60);
    }

    @Property(tries = 500)
    void hashAsIfBuiltAnew(@ForAll("changes") List<int[]> changes) {
        List<CssId> roots = new ArrayList<>();
        for (Subsystem s : SUBSYSTEMS) {
            roots.add(CssId.root(s));
        }
        CssSetKey key = new CssSetKey(roots, List.of());
        for (int[] c : changes) {
            if (c[0] >= 0) {
                key = key.withCss(c[0], new CssId(SUBSYSTEMS.get(c[0]), c[1]));
            } else {
                key = key.withCgroup(new HierarchyId(c[1]), c[2] == 0 ? null : new CgroupId(c[2]));
            }
            CssSetKey fresh = new CssSetKey(key.css(), key.cgroups());
            assertThat(key).isEqualTo(fresh);
            assertThat(key.hashCode()).isEqualTo(fresh.hashCode());
        }
    }
}
