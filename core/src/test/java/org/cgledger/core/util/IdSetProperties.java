package org.cgledger.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link IdSet} against a {@link TreeSet}: after any run of adds and removes it holds the same ids
 * in the same order, every earlier version is unchanged, and sets with the same ids are equal
 * however they were reached, in whichever form each is (a set that grew past the array's bound
 * and shrank again keeps the trie form until it is well below it).
 */
class IdSetProperties {

    private static final IdMap.Codec<Integer> INTS = new IdMap.Codec<>(i -> i, i -> i);

    /** An operation: add (true) or remove (false) an id; ids crowd a small range so sets grow past SMALL and shrink back. */
    @Provide
    Arbitrary<List<Object[]>> ops() {
        Arbitrary<Integer> near = Arbitraries.integers().between(0, IdSet.SMALL + 60);
        Arbitrary<Integer> far = Arbitraries.integers().between(0, 300_000);
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.oneOf(near, near, far))
                .as((roll, id) -> new Object[] {roll < 6, id}).list().ofMaxSize(900);
    }

    /** Ids to grow a set past SMALL with, near or far apart, and the order to remove them in. */
    @Provide
    Arbitrary<List<Integer>> growths() {
        Arbitrary<Integer> ids = Arbitraries.oneOf(Arbitraries.integers().between(0, 400),
                Arbitraries.integers().between(0, 300_000));
        return ids.list().uniqueElements().ofMinSize(IdSet.SMALL + 1).ofMaxSize(IdSet.SMALL + 80);
    }

    /**
     * A set grown past SMALL and emptied again in any order: a bitmap down to SHRINK, then an array,
     * and at every size equal (both ways, and in hash) to the set of the same ids built at once,
     * which is an array up to SMALL, and unequal to one with an id changed.
     */
    @Property(tries = 200)
    void shrinksBackThroughBothForms(@ForAll("growths") List<Integer> ids, @ForAll long seed) {
        IdSet<Integer> set = IdSet.empty(INTS);
        TreeSet<Integer> ref = new TreeSet<>();
        for (int id : ids) {
            set = set.add(id);
            ref.add(id);
        }
        List<Integer> order = new ArrayList<>(ids);
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        for (int id : order) {
            set = set.remove(id);
            ref.remove(id);
            assertThat(set.contains(id)).isFalse();
            assertThat(set.toList()).isEqualTo(new ArrayList<>(ref));
            IdSet<Integer> built = IdSet.copyOf(INTS, ref);
            assertThat(set).isEqualTo(built);
            assertThat(built).isEqualTo(set);
            assertThat(set.hashCode()).isEqualTo(built.hashCode());
            if (!ref.isEmpty()) {
                List<Integer> other = new ArrayList<>(ref);
                other.set(0, other.get(0) + 300_001);
                assertThat(set).isNotEqualTo(IdSet.copyOf(INTS, other));
                assertThat(IdSet.copyOf(INTS, other)).isNotEqualTo(set);
            }
        }
    }

    @Property(tries = 400)
    void behavesLikeASortedSet(@ForAll("ops") List<Object[]> ops) {
        IdSet<Integer> set = IdSet.empty(INTS);
        TreeSet<Integer> ref = new TreeSet<>();
        List<IdSet<Integer>> versions = new ArrayList<>();
        List<List<Integer>> expected = new ArrayList<>();
        for (Object[] op : ops) {
            int id = (Integer) op[1];
            if ((Boolean) op[0]) {
                set = set.add(id);
                ref.add(id);
            } else {
                set = set.remove(id);
                ref.remove(id);
            }
            assertThat(set.size()).isEqualTo(ref.size());
            assertThat(set.contains(id)).isEqualTo(ref.contains(id));
            versions.add(set);
            expected.add(new ArrayList<>(ref));
        }
        assertThat(set.toList()).isEqualTo(new ArrayList<>(ref));
        for (int id : ref) {
            assertThat(set.contains(id)).isTrue();
        }
        IdSet<Integer> bulk = IdSet.copyOf(INTS, ref);
        assertThat(bulk).isEqualTo(set);
        assertThat(set).isEqualTo(bulk);
        assertThat(bulk.hashCode()).isEqualTo(set.hashCode());
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i).toList()).isEqualTo(expected.get(i));
            IdSet<Integer> built = IdSet.copyOf(INTS, expected.get(i));
            assertThat(versions.get(i)).isEqualTo(built);
            assertThat(built).isEqualTo(versions.get(i));
            if (!expected.get(i).isEmpty()) {
                // the same size, one id different: unequal in whichever forms
                List<Integer> other = new ArrayList<>(expected.get(i));
                other.set(0, other.get(0) == 0 ? 300_001 : other.get(0) - 1);
                if (!expected.get(i).contains(other.get(0))) {
                    assertThat(versions.get(i)).isNotEqualTo(IdSet.copyOf(INTS, other));
                    assertThat(IdSet.copyOf(INTS, other)).isNotEqualTo(versions.get(i));
                }
            }
        }
    }
}
