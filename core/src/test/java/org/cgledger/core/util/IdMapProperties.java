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
 * {@link IdMap} against a {@link TreeMap}: after any run of puts and removes it holds the same
 * entries in the same order, and every earlier version is unchanged. Ids crowd a small range (a
 * root one slot long, then lengthened) and reach far (levels added, also once the map was emptied).
 */
class IdMapProperties {

    private static final IdMap.Codec<Integer> INTS = new IdMap.Codec<>(i -> i, i -> i);

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
        IdMap<Integer, Integer> map = IdMap.empty(INTS);
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
