package org.cgledger.core.util;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * An immutable set of small dense ids (a cgroup's tasks), without hashing: up to {@value #SMALL}
 * ids as one sorted int array, copied on change; above that an {@link IdMap} trie, so adding to
 * or removing from a root cgroup's 100,000 tasks copies one path, not the set. The form depends
 * only on the size, so equal sets have the same form. Iterates in id order.
 *
 * @param <K> the id type; the {@link IdMap.Codec} turns it into a non-negative int and back
 */
public final class IdSet<K> implements Iterable<K> {

    /** The largest set kept as a sorted array. */
    static final int SMALL = 32;

    private final IdMap.Codec<K> codec;
    /** The ids in order while the set is small; null once it is a trie. */
    private final int[] small;
    /** The ids (each bound to TRUE) once the set is larger than {@link #SMALL}; null while small. */
    private final IdMap<K, Boolean> large;

    private IdSet(IdMap.Codec<K> codec, int[] small, IdMap<K, Boolean> large) {
        this.codec = codec;
        this.small = small;
        this.large = large;
    }

    public static <K> IdSet<K> empty(IdMap.Codec<K> codec) {
        return new IdSet<>(codec, new int[0], null);
    }

    /** The set of {@code ids}, built at once. */
    public static <K> IdSet<K> copyOf(IdMap.Codec<K> codec, Collection<? extends K> ids) {
        int[] all = new int[ids.size()];
        int n = 0;
        for (K id : ids) {
            all[n++] = index(codec, id);
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || all[distinct - 1] != all[i]) {
                all[distinct++] = all[i];
            }
        }
        if (distinct <= SMALL) {
            return new IdSet<>(codec, Arrays.copyOf(all, distinct), null);
        }
        IdMap.Builder<K, Boolean> b = IdMap.builder(codec);
        for (int i = 0; i < distinct; i++) {
            b.put(codec.fromInt().apply(all[i]), Boolean.TRUE);
        }
        return new IdSet<>(codec, null, b.build());
    }

    public int size() {
        return small != null ? small.length : large.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean contains(K id) {
        int k = index(codec, id);
        return small != null ? Arrays.binarySearch(small, k) >= 0 : large.getInt(k) != null;
    }

    /** This set with {@code id}; this very set if it was there. */
    public IdSet<K> add(K id) {
        int k = index(codec, id);
        if (small == null) {
            IdMap<K, Boolean> m = large.put(id, Boolean.TRUE);
            return m == large ? this : new IdSet<>(codec, null, m);
        }
        int at = Arrays.binarySearch(small, k);
        if (at >= 0) {
            return this;
        }
        int ins = -at - 1;
        if (small.length == SMALL) {
            IdMap.Builder<K, Boolean> b = IdMap.builder(codec);
            for (int x : small) {
                b.put(codec.fromInt().apply(x), Boolean.TRUE);
            }
            return new IdSet<>(codec, null, b.put(id, Boolean.TRUE).build());
        }
        int[] copy = new int[small.length + 1];
        System.arraycopy(small, 0, copy, 0, ins);
        copy[ins] = k;
        System.arraycopy(small, ins, copy, ins + 1, small.length - ins);
        return new IdSet<>(codec, copy, null);
    }

    /** This set without {@code id}; this very set if it was not there. */
    public IdSet<K> remove(K id) {
        int k = index(codec, id);
        if (small == null) {
            IdMap<K, Boolean> m = large.remove(id);
            if (m == large) {
                return this;
            }
            if (m.size() > SMALL) {
                return new IdSet<>(codec, null, m);
            }
            int[] ids = new int[m.size()];
            int[] n = {0};
            m.forEach((x, v) -> ids[n[0]++] = codec.toInt().applyAsInt(x));
            return new IdSet<>(codec, ids, null);
        }
        int at = Arrays.binarySearch(small, k);
        if (at < 0) {
            return this;
        }
        int[] copy = new int[small.length - 1];
        System.arraycopy(small, 0, copy, 0, at);
        System.arraycopy(small, at + 1, copy, at, small.length - at - 1);
        return new IdSet<>(codec, copy, null);
    }

    @Override
    public void forEach(Consumer<? super K> action) {
        if (small != null) {
            for (int x : small) {
                action.accept(codec.fromInt().apply(x));
            }
        } else {
            large.forEach((k, v) -> action.accept(k));
        }
    }

    /** The ids in id order. */
    public List<K> toList() {
        List<K> out = new ArrayList<>(size());
        forEach(out::add);
        return out;
    }

    /** The ids sorted by {@code order}; by id order when it is null. */
    public List<K> sorted(Comparator<? super K> order) {
        List<K> list = toList();
        if (order != null) {
            list.sort(order);
        }
        return list;
    }

    @Override
    public Iterator<K> iterator() {
        return toList().iterator();
    }

    private static <K> int index(IdMap.Codec<K> codec, K id) {
        int k = codec.toInt().applyAsInt(id);
        if (k < 0) {
            throw new IllegalArgumentException("negative id " + id);
        }
        return k;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IdSet<?> other) || other.size() != size()) {
            return false;
        }
        return small != null ? Arrays.equals(small, other.small) : large.equals(other.large);
    }

    @Override
    public int hashCode() {
        int[] h = {0};
        forEach(k -> h[0] += k.hashCode());
        return h[0];
    }

    @Override
    public String toString() {
        return toList().toString();
    }
}
