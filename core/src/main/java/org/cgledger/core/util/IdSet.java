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
 * ids as one sorted int array, copied on change; above that a bitmap, 64 ids to a word, the
 * non-zero words in an {@link IdMap} trie by word index, so adding to or removing from a root
 * cgroup's 100,000 tasks copies one path, not the set. A word per 64 ids instead of a 32-slot trie
 * leaf per 32 keeps a root cgroup's set 20 to 30 times smaller and its trie a level shallower.
 * A set grown past {@value #SMALL} ids goes back to an array only below {@value #SHRINK}: a
 * cgroup whose tasks come and go around one size would otherwise turn its set from one form into
 * the other on nearly every attach (the bench's 100,000 tasks in 3,300 cgroups a hierarchy are 30
 * to a cgroup, which was round the old single bound of 32). So a set's form depends on its
 * history, and equality and hashing do not depend on the form. Iterates in id order.
 *
 * @param <K> the id type; the {@link IdMap.Codec} turns it into a non-negative int and back
 */
public final class IdSet<K> implements Iterable<K> {

    /** The largest set kept as a sorted array. */
    static final int SMALL = 128;

    /** The size below which a bitmap goes back to a sorted array. */
    static final int SHRINK = SMALL / 2;

    /** Word indexes are their own ints. */
    private static final IdMap.Codec<Integer> WORDS = new IdMap.Codec<>(i -> i, i -> i);

    private final IdMap.Codec<K> codec;
    /** The ids in order while the set is small; null once it is a bitmap. */
    private final int[] small;
    /**
     * Once the set is larger than {@link #SMALL}: word {@code i} has bit {@code b} set for id
     * {@code 64 i + b}; no zero word is kept. Null while small.
     */
    private final IdMap<Integer, Long> large;
    private final int size;

    private IdSet(IdMap.Codec<K> codec, int[] small, IdMap<Integer, Long> large, int size) {
        this.codec = codec;
        this.small = small;
        this.large = large;
        this.size = size;
    }

    private IdSet(IdMap.Codec<K> codec, int[] small) {
        this(codec, small, null, small.length);
    }

    /** The bitmap of the sorted ids {@code ids[0..n)}. */
    private static IdMap<Integer, Long> bitmap(int[] ids, int n) {
        IdMap.Builder<Integer, Long> b = IdMap.builder(WORDS);
        for (int i = 0; i < n; ) {
            int word = ids[i] >>> 6;
            long bits = 0;
            for (; i < n && ids[i] >>> 6 == word; i++) {
                bits |= 1L << ids[i];
            }
            b.put(word, bits);
        }
        return b.build();
    }

    public static <K> IdSet<K> empty(IdMap.Codec<K> codec) {
        return new IdSet<>(codec, new int[0]);
    }

    /** The set of {@code ids}, built at once. */
    public static <K> IdSet<K> copyOf(IdMap.Codec<K> codec, Collection<? extends K> ids) {
        int[] all = new int[ids.size()];
        int n = 0;
        for (K id : ids) {
            all[n++] = index(codec, id);
        }
        return ofSorted(codec, all, n);
    }

    /** The set of the ids whose indexes ({@link IdMap.Codec#toInt}) are {@code indexes}, which it takes over. */
    public static <K> IdSet<K> ofIndexes(IdMap.Codec<K> codec, int[] indexes) {
        for (int i : indexes) {
            if (i < 0) {
                throw new IllegalArgumentException("negative id " + i);
            }
        }
        return ofSorted(codec, indexes, indexes.length);
    }

    private static <K> IdSet<K> ofSorted(IdMap.Codec<K> codec, int[] all, int n) {
        Arrays.sort(all, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || all[distinct - 1] != all[i]) {
                all[distinct++] = all[i];
            }
        }
        if (distinct <= SMALL) {
            return new IdSet<>(codec, Arrays.copyOf(all, distinct));
        }
        return new IdSet<>(codec, null, bitmap(all, distinct), distinct);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean contains(K id) {
        int k = index(codec, id);
        if (small != null) {
            return Arrays.binarySearch(small, k) >= 0;
        }
        Long word = large.getInt(k >>> 6);
        return word != null && (word & (1L << k)) != 0;
    }

    /** This set with {@code id}; this very set if it was there. */
    public IdSet<K> add(K id) {
        int k = index(codec, id);
        if (small == null) {
            Long word = large.getInt(k >>> 6);
            long bits = word == null ? 0 : word;
            if ((bits & (1L << k)) != 0) {
                return this;
            }
            return new IdSet<>(codec, null, large.putInt(k >>> 6, bits | (1L << k)), size + 1);
        }
        int at = Arrays.binarySearch(small, k);
        if (at >= 0) {
            return this;
        }
        int ins = -at - 1;
        int[] copy = new int[small.length + 1];
        System.arraycopy(small, 0, copy, 0, ins);
        copy[ins] = k;
        System.arraycopy(small, ins, copy, ins + 1, small.length - ins);
        if (copy.length > SMALL) {
            return new IdSet<>(codec, null, bitmap(copy, copy.length), copy.length);
        }
        return new IdSet<>(codec, copy);
    }

    /** This set without {@code id}; this very set if it was not there. */
    public IdSet<K> remove(K id) {
        int k = index(codec, id);
        if (small == null) {
            Long word = large.getInt(k >>> 6);
            if (word == null || (word & (1L << k)) == 0) {
                return this;
            }
            long bits = word & ~(1L << k);
            IdMap<Integer, Long> m = bits == 0 ? large.removeInt(k >>> 6) : large.putInt(k >>> 6, bits);
            if (size - 1 >= SHRINK) {
                return new IdSet<>(codec, null, m, size - 1);
            }
            int[] ids = new int[size - 1];
            int[] n = {0};
            m.forEach((w, b) -> {
                for (long x = b; x != 0; x &= x - 1) {
                    ids[n[0]++] = (w << 6) | Long.numberOfTrailingZeros(x);
                }
            });
            return new IdSet<>(codec, ids);
        }
        int at = Arrays.binarySearch(small, k);
        if (at < 0) {
            return this;
        }
        int[] copy = new int[small.length - 1];
        System.arraycopy(small, 0, copy, 0, at);
        System.arraycopy(small, at + 1, copy, at, small.length - at - 1);
        return new IdSet<>(codec, copy);
    }

    @Override
    public void forEach(Consumer<? super K> action) {
        if (small != null) {
            for (int x : small) {
                action.accept(codec.fromInt().apply(x));
            }
        } else {
            large.forEach((w, b) -> {
                for (long x = b; x != 0; x &= x - 1) {
                    action.accept(codec.fromInt().apply((w << 6) | Long.numberOfTrailingZeros(x)));
                }
            });
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
        if (small != null && other.small != null) {
            return Arrays.equals(small, other.small);
        }
        if (small == null && other.small == null) {
            return large.equals(other.large);
        }
        // one of each form, as many ids (at most SMALL): the array's ids all in the bitmap
        int[] array = small != null ? small : other.small;
        IdMap<Integer, Long> bitmap = small != null ? other.large : large;
        for (int k : array) {
            Long word = bitmap.getInt(k >>> 6);
            if (word == null || (word & (1L << k)) == 0) {
                return false;
            }
        }
        return true;
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
