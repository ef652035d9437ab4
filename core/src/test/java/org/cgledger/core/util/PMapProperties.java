package org.cgledger.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link PMap}, in its trie and hashed forms, against a {@link HashMap}: after any run of puts and
 * removes, read and written at any of its versions, every version holds what it held when made.
 * Keys collide on purpose (many share a hash), so the hashed form's probing and its shifting back
 * on removal are crossed, and its tables grow; a map built at once equals the one built step by
 * step, and the two forms holding the same entries are equal.
 */
class PMapProperties {

    /** A key whose hash is shared by every key with the same {@code id % buckets}. */
    record Key(int id, int buckets) {
        @Override
        public int hashCode() {
            return id % buckets;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id == id;
        }
    }

    @Provide
    Arbitrary<List<int[]>> ops() {
        // {id, value or -1 to remove, which version to start from (-1: the newest)}
        return Combinators.combine(Arbitraries.integers().between(0, 300), Arbitraries.integers().between(-1, 5),
                Arbitraries.integers().between(-8, 400)).as((id, v, from) -> new int[] {id, v, from})
                .list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void hashedFormAgainstAHashMap(@ForAll("ops") List<int[]> ops, @ForAll("buckets") int buckets) {
        check(ops, buckets, PMap.hashed());
    }

    @Property(tries = 300)
    void trieFormAgainstAHashMap(@ForAll("ops") List<int[]> ops, @ForAll("buckets") int buckets) {
        check(ops, buckets, PMap.empty());
    }

    @Provide
    Arbitrary<Integer> buckets() {
        return Arbitraries.of(1, 3, 64, 1_000_000);
    }

    private static void check(List<int[]> ops, int buckets, PMap<Key, Integer> empty) {
        List<PMap<Key, Integer>> versions = new ArrayList<>(List.of(empty));
        List<Map<Key, Integer>> expected = new ArrayList<>(List.of(new HashMap<>()));
        for (int[] op : ops) {
            // mostly the newest, as the state's maps are used; now and then an older one
            int at = op[2] < 0 || op[2] >= versions.size() ? versions.size() - 1 : op[2];
            PMap<Key, Integer> from = versions.get(at);
            Map<Key, Integer> ref = new HashMap<>(expected.get(at));
            Key k = new Key(op[0], buckets);
            assertThat(from.get(k)).isEqualTo(ref.get(k));
            PMap<Key, Integer> next;
            if (op[1] < 0) {
                next = from.remove(k);
                ref.remove(k);
            } else {
                next = from.put(k, op[1]);
                ref.put(k, op[1]);
            }
            if (ref.equals(expected.get(at))) {
                assertThat(next).isSameAs(from);
            }
            assertThat(next.size()).isEqualTo(ref.size());
            versions.add(next);
            expected.add(ref);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(ops.size()));
        for (int i : order) {
            PMap<Key, Integer> version = versions.get(i);
            Map<Key, Integer> want = expected.get(i);
            assertThat(version.size()).isEqualTo(want.size());
            want.forEach((k, v) -> assertThat(version.get(k)).isEqualTo(v));
            for (int id = 0; id <= 300; id += 7) {
                assertThat(version.get(new Key(id, buckets))).isEqualTo(want.get(new Key(id, buckets)));
            }
            Map<Key, Integer> listed = new HashMap<>();
            version.forEach(listed::put);
            assertThat(listed).isEqualTo(want);
            List<Key> keys = new ArrayList<>(want.keySet());
            List<Integer> values = new ArrayList<>();
            keys.forEach(k -> values.add(want.get(k)));
            PMap<Key, Integer> hashed = PMap.hashedOf(keys, values);
            PMap<Key, Integer> trie = PMap.of(keys, values);
            assertThat(hashed).isEqualTo(version).isEqualTo(trie);
            assertThat(hashed.hashCode()).isEqualTo(version.hashCode()).isEqualTo(trie.hashCode());
        }
    }
}
