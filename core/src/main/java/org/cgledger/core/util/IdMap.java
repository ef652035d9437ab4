package org.cgledger.core.util;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * An immutable map keyed by small dense ids (pids, cgroup ids, css_set serials), in one of two
 * forms chosen by its {@link Codec}; both iterate in id order, and every version stays valid.
 *
 * <ul>
 * <li><b>Trie</b> (the default): a 32-way trie indexed by the id's bits (a persistent vector with
 * holes): a lookup is a few array loads with no hashing, an update copies one path of at most seven
 * 32-slot arrays. The root array is only as long as its highest used slot, since every update
 * copies it. Small where ids are sparse (a task set's bitmap words).
 * <li><b>Dense</b> ({@link Codec#dense}): one paged array changed in place, held by the newest
 * version; every older version is a difference from the next one (its id and its value there).
 * A lookup in the version holding the array is two loads; an update is one store and one small
 * record of the value it replaced. Reading an older version first turns the differences round so
 * that it holds the array (Baker's rerooting, as in Conchon and Filliâtre's persistent arrays),
 * or, when it lies far back, gives it a copy of its own. For the state's large maps, where nearly
 * every read and write is of the newest version.
 * </ul>
 *
 * <p>The versions of one dense map share a lock ({@link Version}): a read of the version holding the
 * array is optimistic (a stamp checked after the loads), a write or a rerooting takes the lock. So
 * views and snapshots of older states may be read on other threads while a writer goes on. An
 * older version that is kept holds every difference made after it (and the values they replaced)
 * until it is read far enough back to be given a copy: what a trie's old version would share with
 * the newest, it holds as differences instead.
 *
 * @param <K> the id type; {@link Codec} turns it into a non-negative int and back
 */
public final class IdMap<K, V> implements Entries.View<K, V> {

    /** How ids map to non-negative ints, and which form the maps of such ids take. */
    public record Codec<K>(ToIntFunction<K> toInt, IntFunction<K> fromInt, boolean isDense) {
        public Codec {
            Objects.requireNonNull(toInt, "toInt");
            Objects.requireNonNull(fromInt, "fromInt");
        }

        /** A codec for the trie form. */
        public Codec(ToIntFunction<K> toInt, IntFunction<K> fromInt) {
            this(toInt, fromInt, false);
        }

        /** A codec for the dense form: ids packed from 0 up, maps mostly read and written at their newest version. */
        public static <K> Codec<K> dense(ToIntFunction<K> toInt, IntFunction<K> fromInt) {
            return new Codec<>(toInt, fromInt, true);
        }
    }

    private static final int BITS = 5;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;

    private final Codec<K> codec;
    private final int size;

    // ---- the trie form (null root in the dense form)
    /** Up to {@value #WIDTH} slots; every node below it has exactly {@value #WIDTH}. */
    private final Object[] root;
    private final int shift;

    // ---- the dense form (null in the trie form): this map's version of its family's paged array
    private final Version version;

    private IdMap(Codec<K> codec, Object[] root, int shift, int size) {
        this.codec = codec;
        this.root = root;
        this.shift = shift;
        this.size = size;
        this.version = null;
    }

    private IdMap(Codec<K> codec, Version version, int size) {
        this.codec = codec;
        this.root = null;
        this.shift = 0;
        this.size = size;
        this.version = version;
    }

    public static <K, V> IdMap<K, V> empty(Codec<K> codec) {
        if (codec.isDense()) {
            return new IdMap<>(codec, Version.of(Dense.KIND, Dense.empty()), 0);
        }
        return new IdMap<>(codec, new Object[0], 0, 0);
    }

    /**
     * Builds a map by setting entries in place, for loading many at once (a snapshot's 100,000
     * tasks) without a copy of the path per entry. Used once: {@link #build} hands the trie over.
     */
    public static final class Builder<K, V> {
        private final Codec<K> codec;
        private Object[] root = new Object[WIDTH];
        private Dense.Pages pages = Dense.empty();
        private int shift;
        private int size;
        private boolean built;

        private Builder(Codec<K> codec) {
            this.codec = codec;
        }

        public Builder<K, V> put(K key, V value) {
            Objects.requireNonNull(value, "value");
            if (built) {
                throw new IllegalStateException("already built");
            }
            int k = codec.toInt().applyAsInt(key);
            if (k < 0) {
                throw new IllegalArgumentException("negative id " + key);
            }
            if (codec.isDense()) {
                if (Dense.get(pages, k) == null) {
                    size++;
                }
                Dense.set(pages, k, value);
                return this;
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
            if (built) {
                throw new IllegalStateException("already built");
            }
            built = true;
            if (codec.isDense()) {
                IdMap<K, V> map = new IdMap<>(codec, Version.of(Dense.KIND, pages), size);
                pages = null;
                return map;
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
        if (version != null) {
            return k < 0 ? null : (V) version.get(k, null);
        }
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
        if (version != null) {
            return denseSet(k, value);
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
        if (k < 0) {
            return this;
        }
        if (version != null) {
            return denseSet(k, null);
        }
        if (lookup(root, shift, k) == null) {
            return this;
        }
        Object[] r = setRoot(root, shift, k, null);
        return new IdMap<>(codec, r == null ? new Object[0] : r, shift, size - 1);
    }

    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        if (version == null) {
            walk(root, shift, 0, action);
            return;
        }
        // copied out, and the action run without the lock: it may read another version of this map
        int[] keys = new int[size];
        Object[] values = new Object[size];
        version.entries(keys, null, values);
        for (int i = 0; i < keys.length; i++) {
            action.accept(codec.fromInt().apply(keys[i]), (V) values[i]);
        }
    }

    /** The dense form's rerooting so far, {@code {differences turned round, copies given}}; for tests. */
    long[] rerootings() {
        return version.rerootings();
    }

    /** The arrays this map holds: pages of the dense form, nodes of the trie; for tests. */
    int arraysHeld() {
        return version != null ? version.probe(s -> ((Dense.Pages) s).held()) : nodes(root, shift);
    }

    private static int nodes(Object[] node, int level) {
        int n = 1;
        for (int i = 0; level > 0 && i < node.length; i++) {
            n += node[i] == null ? 0 : nodes((Object[]) node[i], level - BITS);
        }
        return n;
    }

    /** The version with {@code k} bound to {@code v} (null: unbound). */
    private IdMap<K, V> denseSet(int k, Object v) {
        if (size == 0) {
            // an empty map starts a family of its own: an empty map kept for good (the state before
            // init) would otherwise keep every difference ever made after it
            return v == null ? this
                    : new IdMap<>(codec, Version.of(Dense.KIND, Dense.set(Dense.empty(), k, v)), 1);
        }
        int[] change = {0};
        Version after = version.set(k, null, v, change);
        return after == version ? this : new IdMap<>(codec, after, size + change[0]);
    }

    // ---- the trie form ----------------------------------------------------------------------

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

    /** A copy of {@code node} with {@code value} at {@code k}; null for a node a removal left empty (ids are never reused). */
    private static Object[] set(Object[] node, int width, int level, int k, Object value) {
        Object[] copy = node == null ? new Object[width] : Arrays.copyOf(node, width);
        if (level == 0) {
            copy[k & MASK] = value;
        } else {
            int i = (k >>> level) & MASK;
            copy[i] = set((Object[]) copy[i], WIDTH, level - BITS, k, value);
        }
        if (value == null) {
            for (Object x : copy) {
                if (x != null) {
                    return copy;
                }
            }
            return null;
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
