package org.cgledger.core.util;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * An immutable map keyed by small dense ids (pids, cgroup ids, css_set serials), as a 32-way trie
 * indexed by the id's bits (a persistent vector with holes): a lookup is a few array loads with no
 * hashing, an update copies one path of at most seven 32-slot arrays. The root array is only as
 * long as its highest used slot (the pid, cgroup and css_set roots use 2 to 20 of 32), since every
 * update copies it. Iterates in id order.
 *
 * @param <K> the id type; {@link Codec} turns it into a non-negative int and back
 */
public final class IdMap<K, V> implements Entries.View<K, V> {

    /** How ids map to non-negative ints. */
    public record Codec<K>(ToIntFunction<K> toInt, IntFunction<K> fromInt) {
        public Codec {
            Objects.requireNonNull(toInt, "toInt");
            Objects.requireNonNull(fromInt, "fromInt");
        }
    }

    private static final int BITS = 5;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;

    private final Codec<K> codec;
    /** Up to {@value #WIDTH} slots; every node below it has exactly {@value #WIDTH}. */
    private final Object[] root;
    private final int shift;
    private final int size;

    private IdMap(Codec<K> codec, Object[] root, int shift, int size) {
        this.codec = codec;
        this.root = root;
        this.shift = shift;
        this.size = size;
    }

    public static <K, V> IdMap<K, V> empty(Codec<K> codec) {
        return new IdMap<>(codec, new Object[0], 0, 0);
    }

    /**
     * Builds a map by setting entries in place, for loading many at once (a snapshot's 100,000
     * tasks) without a copy of the path per entry. Used once: {@link #build} hands the trie over.
     */
    public static final class Builder<K, V> {
        private final Codec<K> codec;
        private Object[] root = new Object[WIDTH];
        private int shift;
        private int size;

        private Builder(Codec<K> codec) {
            this.codec = codec;
        }

        public Builder<K, V> put(K key, V value) {
            Objects.requireNonNull(value, "value");
            if (root == null) {
                throw new IllegalStateException("already built");
            }
            int k = codec.toInt().applyAsInt(key);
            if (k < 0) {
                throw new IllegalArgumentException("negative id " + key);
            }
            while (k >>> shift >= WIDTH) {
                Object[] grown = new Object[WIDTH];
                grown[0] = root;
                root = grown;
                shift += BITS;
            }
            Object[] node = root;
            for (int level = shift; level > 0; level -= BITS) {
                int i = (k >>> level) & MASK;
                if (node[i] == null) {
                    node[i] = new Object[WIDTH];
                }
                node = (Object[]) node[i];
            }
            if (node[k & MASK] == null) {
                size++;
            }
            node[k & MASK] = value;
            return this;
        }

        public IdMap<K, V> build() {
            if (root == null) {
                throw new IllegalStateException("already built");
            }
            IdMap<K, V> map = new IdMap<>(codec, root, shift, size);
            root = null;
            return map;
        }
    }

    public static <K, V> Builder<K, V> builder(Codec<K> codec) {
        return new Builder<>(codec);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public V get(K key) {
        return getInt(index(key));
    }

    /** The value at id {@code k} (the codec's int), or null. */
    @SuppressWarnings("unchecked")
    public V getInt(int k) {
        if (k < 0 || k >>> shift >= root.length) {
            return null;
        }
        Object[] node = root;
        for (int level = shift; level > 0; level -= BITS) {
            node = (Object[]) node[(k >>> level) & MASK];
            if (node == null) {
                return null;
            }
        }
        return (V) node[k & MASK];
    }

    public boolean containsKey(K key) {
        return get(key) != null;
    }

    public V getOrDefault(K key, V fallback) {
        V v = get(key);
        return v == null ? fallback : v;
    }

    /** This map with {@code key} bound to {@code value}; this very map if it already was. */
    public IdMap<K, V> put(K key, V value) {
        return putInt(index(key), value);
    }

    /**
     * {@link #put} by the codec's int: the state's own updates know the id as an int, and going
     * through the codec costs a call the JIT cannot inline (every kind of id shares this class).
     */
    public IdMap<K, V> putInt(int k, V value) {
        Objects.requireNonNull(value, "value");
        if (k < 0) {
            throw new IllegalArgumentException("negative id " + k);
        }
        Object[] r = root;
        int sh = shift;
        while (k >>> sh >= WIDTH) {
            // a level more: the old root, widened as every node below the root is, goes in slot 0
            r = size == 0 ? new Object[0] : new Object[] {Arrays.copyOf(r, WIDTH)};
            sh += BITS;
        }
        Object old = lookup(r, sh, k);
        if (old == value) {
            return r == root ? this : new IdMap<>(codec, r, sh, size);
        }
        return new IdMap<>(codec, setRoot(r, sh, k, value), sh, old == null ? size + 1 : size);
    }

    /** This map without {@code key}; this very map if it had no such key. */
    public IdMap<K, V> remove(K key) {
        return removeInt(index(key));
    }

    /** {@link #remove} by the codec's int, as {@link #putInt}. */
    public IdMap<K, V> removeInt(int k) {
        if (k < 0 || lookup(root, shift, k) == null) {
            return this;
        }
        return new IdMap<>(codec, setRoot(root, shift, k, null), shift, size - 1);
    }

    public void forEach(BiConsumer<? super K, ? super V> action) {
        walk(root, shift, 0, action);
    }


    @SuppressWarnings("unchecked")
    private void walk(Object[] node, int level, int base, BiConsumer<? super K, ? super V> action) {
        for (int i = 0; i < node.length; i++) {
            Object x = node[i];
            if (x == null) {
                continue;
            }
            int k = base | (i << level);
            if (level == 0) {
                action.accept(codec.fromInt().apply(k), (V) x);
            } else {
                walk((Object[]) x, level - BITS, k, action);
            }
        }
    }

    /** The value at {@code k} in the trie under {@code root}, or null; {@code k} may lie beyond it. */
    private static Object lookup(Object[] root, int shift, int k) {
        if (k >>> shift >= root.length) {
            return null;
        }
        Object[] node = root;
        for (int level = shift; level > 0; level -= BITS) {
            node = (Object[]) node[(k >>> level) & MASK];
            if (node == null) {
                return null;
            }
        }
        return node[k & MASK];
    }

    /** A copy of the trie under {@code root} with {@code value} at {@code k}, the root lengthened to reach it. */
    private static Object[] setRoot(Object[] root, int shift, int k, Object value) {
        return set(root, Math.max(root.length, (k >>> shift) + 1), shift, k, value);
    }

    private static Object[] set(Object[] node, int width, int level, int k, Object value) {
        Object[] copy = node == null ? new Object[width] : Arrays.copyOf(node, width);
        if (level == 0) {
            copy[k & MASK] = value;
        } else {
            int i = (k >>> level) & MASK;
            copy[i] = set((Object[]) copy[i], WIDTH, level - BITS, k, value);
        }
        return copy;
    }

    private int index(K key) {
        int k = codec.toInt().applyAsInt(key);
        if (k < 0) {
            throw new IllegalArgumentException("negative id " + key);
        }
        return k;
    }

    @Override
    @SuppressWarnings("unchecked") // compared maps key the same kind of id
    public boolean equals(Object o) {
        return o == this || o instanceof IdMap<?, ?> other
                && Entries.same(this, other, k -> ((IdMap<K, ?>) other).get(k));
    }

    @Override
    public int hashCode() {
        return Entries.hash(this);
    }

    @Override
    public String toString() {
        return Entries.text(this);
    }
}
