package org.cgledger.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Equality, hashing, printing and listing for the persistent maps ({@link PMap}, {@link IdMap}, the state's
 * css map), which share no base class: two maps are equal when they hold the same entries,
 * whatever the shape of their tries.
 */
public final class Entries {

    private Entries() {
    }

    /** A map as these need it: its size, its entries, and a lookup of a key of its own type. */
    public interface View<K, V> {
        int size();

        void forEach(BiConsumer<? super K, ? super V> action);

        /** The keys, in the map's own order. */
        default List<K> keys() {
            List<K> out = new ArrayList<>(size());
            forEach((k, v) -> out.add(k));
            return out;
        }

        /** The values, in the map's own order. */
        default List<V> values() {
            List<V> out = new ArrayList<>(size());
            forEach((k, v) -> out.add(v));
            return out;
        }
    }

    /** Whether {@code a} and {@code b} hold the same entries; {@code lookup} finds a key of {@code a} in {@code b}. */
    public static <K, V> boolean same(View<K, V> a, View<?, ?> b, Function<K, Object> lookup) {
        if (a.size() != b.size()) {
            return false;
        }
        boolean[] same = {true};
        a.forEach((k, v) -> {
            if (same[0] && !v.equals(lookup.apply(k))) {
                same[0] = false;
            }
        });
        return same[0];
    }

    /** The sum of each entry's key hash xor value hash, as {@link java.util.Map#hashCode} does. */
    public static int hash(View<?, ?> m) {
        int[] h = {0};
        m.forEach((k, v) -> h[0] += k.hashCode() ^ v.hashCode());
        return h[0];
    }

    /** {@code {k=v, k=v}}, in the map's own order. */
    public static String text(View<?, ?> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v));
        return sb.append('}').toString();
    }
}
