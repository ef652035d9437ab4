package org.cgledger.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link IdMap}, in both its forms, against a {@link TreeMap}: after any run of puts and removes it
 * holds the same entries in the same order, and every earlier version is unchanged. Ids crowd a
 * small range (a root one slot long, then lengthened) and reach far (levels added, pages made, also
 * once the map was emptied). The dense form is also read and written at its versions in any order,
 * which turns its differences round, or copies its array for a version far back.
 */
class IdMapProperties {

    private static final IdMap.Codec<Integer> INTS = new IdMap.Codec<>(i -> i, i -> i);
    private static final IdMap.Codec<Integer> DENSE = IdMap.Codec.dense(i -> i, i -> i);

    /** An operation: put (the value) or remove (null) an id. */
    @Provide
    Arbitrary<List<Object[]>> ops() {
        Arbitrary<Integer> near = Arbitraries.integers().between(0, 40);
        Arbitrary<Integer> mid = Arbitraries.integers().between(0, 5_000);
        Arbitrary<Integer> far = Arbitraries.integers().between(0, 3_000_000);
        Arbitrary<Integer> values = Arbitraries.integers().between(0, 3);
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.oneOf(near, near, mid, far), values)
                .as((roll, id, v) -> new Object[] {id, roll < 6 ? v : null}).list().ofMaxSize(400);
    }

    @Property(tries = 400)
    void behavesLikeASortedMap(@ForAll("ops") List<Object[]> ops) {
        behavesLikeASortedMap(ops, INTS);
    }

    @Property(tries = 400)
    void denseBehavesLikeASortedMap(@ForAll("ops") List<Object[]> ops) {
        behavesLikeASortedMap(ops, DENSE);
    }

    /**
     * Each step picks a version made so far, at random, reads one id of it, and puts or removes an
     * id there: a new branch, or the newest version going on. Every version then reads as it was
     * made, read in a random order, and every map built at once equals the one built step by step.
     */
    @Property(tries = 300)
    void denseVersionsReadAndWrittenInAnyOrder(@ForAll("ops") List<Object[]> ops,
                                                @ForAll("picks") List<Integer> picks) {
        List<IdMap<Integer, Integer>> versions = new ArrayList<>(List.of(IdMap.empty(DENSE)));
        List<TreeMap<Integer, Integer>> expected = new ArrayList<>(List.of(new TreeMap<>()));
        for (int i = 0; i < ops.size(); i++) {
            int at = picks.isEmpty() ? versions.size() - 1
                    : Math.floorMod(picks.get(i % picks.size()), versions.size());
            // mostly the newest, as the state's maps are used; sometimes one far back
            if (i % 3 != 0) {
                at = versions.size() - 1;
            }
            IdMap<Integer, Integer> from = versions.get(at);
            TreeMap<Integer, Integer> ref = new TreeMap<>(expected.get(at));
            int id = (Integer) ops.get(i)[0];
            Integer value = (Integer) ops.get(i)[1];
            assertThat(from.getInt(id)).isEqualTo(ref.get(id));
            IdMap<Integer, Integer> next = value != null ? from.putInt(id, value) : from.removeInt(id);
            if (value != null) {
                ref.put(id, value);
            } else {
                ref.remove(id);
            }
            versions.add(next);
            expected.add(ref);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(picks.hashCode()));
        for (int i : order) {
            IdMap<Integer, Integer> version = versions.get(i);
            Map<Integer, Integer> want = expected.get(i);
            assertThat(version.size()).isEqualTo(want.size());
            want.forEach((k, v) -> assertThat(version.getInt(k)).isEqualTo(v));
            assertThat(version.keys()).isEqualTo(new ArrayList<>(want.keySet()));
            IdMap.Builder<Integer, Integer> built = IdMap.builder(DENSE);
            want.forEach(built::put);
            assertThat(built.build()).isEqualTo(version);
        }
    }

    @Provide
    Arbitrary<List<Integer>> picks() {
        return Arbitraries.integers().between(0, 1_000_000).list().ofMaxSize(50);
    }

    private static void behavesLikeASortedMap(List<Object[]> ops, IdMap.Codec<Integer> codec) {
        IdMap<Integer, Integer> map = IdMap.empty(codec);
        TreeMap<Integer, Integer> ref = new TreeMap<>();
        List<IdMap<Integer, Integer>> versions = new ArrayList<>();
        List<Map<Integer, Integer>> expected = new ArrayList<>();
        for (Object[] op : ops) {
            int id = (Integer) op[0];
            Integer value = (Integer) op[1];
            IdMap<Integer, Integer> before = map;
            if (value != null) {
                map = map.putInt(id, value);
                ref.put(id, value);
            } else {
                map = map.removeInt(id);
                ref.remove(id);
            }
            assertThat(map.size()).isEqualTo(ref.size());
            assertThat(map.getInt(id)).isEqualTo(ref.get(id));
            if (before.getInt(id) == null ? value == null : before.getInt(id).equals(value)) {
                assertThat(map).isSameAs(before);
            }
            versions.add(map);
            expected.add(new TreeMap<>(ref));
        }
        assertThat(map.keys()).isEqualTo(new ArrayList<>(ref.keySet()));
        assertThat(map.values()).isEqualTo(new ArrayList<>(ref.values()));
        for (int i = 0; i < versions.size(); i++) {
            IdMap<Integer, Integer> version = versions.get(i);
            Map<Integer, Integer> want = expected.get(i);
            assertThat(version.size()).isEqualTo(want.size());
            assertThat(version.keys()).isEqualTo(new ArrayList<>(want.keySet()));
            want.forEach((k, v) -> assertThat(version.get(k)).isEqualTo(v));
        }
    }
}
