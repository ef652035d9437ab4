package org.cgledger.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The bulk builders (used when a snapshot is loaded) give the maps that one put after another
 * gives: the same entries, the same size, the same iteration order (the same trie), and a map that
 * stays persistent afterwards. Keys collide on purpose: few distinct values, and a key type whose
 * hash has only a few bits.
 */
class BulkBuildProperties {

    /** A key whose hash takes 8 values: full collisions and long shared prefixes. */
    record Clash(int id) {
        @Override
        public int hashCode() {
            return id % 8;
        }
    }

    @Provide
    Arbitrary<List<Object>> keys() {
        Arbitrary<Object> ints = Arbitraries.integers().between(0, 400).map(i -> (Object) i);
        Arbitrary<Object> clashes = Arbitraries.integers().between(0, 60).map(i -> (Object) new Clash(i));
        return Arbitraries.oneOf(ints, clashes).list().ofMaxSize(2_000);
    }

    @Property(tries = 300)
    void pmapOfIsSuccessivePuts(@ForAll("keys") List<Object> keys) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            values.add(i);
        }
        PMap<Object, Integer> stepwise = PMap.empty();
        for (int i = 0; i < keys.size(); i++) {
            stepwise = stepwise.put(keys.get(i), values.get(i));
        }
        PMap<Object, Integer> bulk = PMap.of(keys, values);
        assertThat(bulk.size()).isEqualTo(stepwise.size());
        assertThat(bulk).isEqualTo(stepwise);
        assertThat(bulk.keys()).isEqualTo(stepwise.keys());
        assertThat(bulk.values()).isEqualTo(stepwise.values());
        for (Object k : keys) {
            assertThat(bulk.get(k)).isEqualTo(stepwise.get(k));
        }
        // still persistent: changing it leaves it as it was
        if (!keys.isEmpty()) {
            PMap<Object, Integer> less = bulk.remove(keys.get(0)).put("new", -1);
            assertThat(bulk).isEqualTo(stepwise);
            assertThat(less.size()).isEqualTo(stepwise.size());
            assertThat(less.remove("new")).isEqualTo(stepwise.remove(keys.get(0)));
        }
    }

    @Property(tries = 300)
    void psetCopyOfIsSuccessiveAdds(@ForAll("keys") List<Object> keys) {
        PSet<Object> stepwise = PSet.empty();
        for (Object k : keys) {
            stepwise = stepwise.add(k);
        }
        PSet<Object> bulk = PSet.copyOf(keys);
        assertThat(bulk).isEqualTo(stepwise);
        assertThat(bulk.toList()).isEqualTo(stepwise.toList());
    }

    @Provide
    Arbitrary<List<int[]>> idEntries() {
        return Combinators.combine(Arbitraries.integers().between(0, 200_000), Arbitraries.integers())
                .as((k, v) -> new int[] {k, v}).list().ofMaxSize(1_000);
    }

    @Property(tries = 300)
    void idMapBuilderIsSuccessivePuts(@ForAll("idEntries") List<int[]> entries) {
        IdMap.Codec<Integer> codec = new IdMap.Codec<>(i -> i, i -> i);
        IdMap<Integer, Integer> stepwise = IdMap.empty(codec);
        IdMap.Builder<Integer, Integer> builder = IdMap.builder(codec);
        for (int[] e : entries) {
            stepwise = stepwise.put(e[0], e[1]);
            builder.put(e[0], e[1]);
        }
        IdMap<Integer, Integer> bulk = builder.build();
        assertThat(bulk.size()).isEqualTo(stepwise.size());
        assertThat(bulk).isEqualTo(stepwise);
        assertThat(bulk.keys()).isEqualTo(stepwise.keys());
        assertThatThrownBy(() -> builder.put(1, 1)).isInstanceOf(IllegalStateException.class);
        if (!entries.isEmpty()) {
            IdMap<Integer, Integer> changed = bulk.remove(entries.get(0)[0]).put(300_000, 7);
            assertThat(bulk).isEqualTo(stepwise);
            assertThat(changed.get(300_000)).isEqualTo(7);
            assertThat(changed.get(entries.get(0)[0])).isNull();
        }
    }
}
