package org.cgledger.core.util;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An immutable hash map with structure sharing (a hash array mapped trie, as in Bagwell's
 * "Ideal Hash Trees"): {@code put} and {@code remove} copy only the path to the changed entry,
 * so the model state can be updated in O(log32 n) per change and every old version stays valid.
 *
 * <p>Core is JDK-only, so this small trie lives here instead of a collections library. Iteration
 * order follows the keys' hashes: deterministic for keys with deterministic {@code hashCode}
 * (records of strings and numbers), never to be relied on for output order (sort instead).
 * Null keys and values are not allowed.
 *
 * <p>A map made by {@link #hashed} takes the hashed form instead: one hash table changed in place
 * by the newest version, every older version a difference from the next ({@link Version}), for a
 * large map of the state nearly always read and written at its newest version (the css_set
 * interning table). Equal to a trie holding the same entries; it iterates in its table's order.
 */
public final class PMap<K, V> implements Iterable<Map.Entry<K, V>>, Entries.View<K, V> {

    private static final PMap<?, ?> EMPTY = new PMap<>((Node) null, 0);

    private final Node root;
    private final int size;
    /** The hashed form's version of its table; null in the trie form. */
    private final Version version;

    private PMap(Node root, int size) {
        this.root = root;
        this.size = size;
        this.version = null;
    }

    private PMap(Version version, int size) {
        this.root = null;
        this.size = size;
        this.version = version;
    }

    /** An empty map of the hashed form (see the class comment). */
    public static <K, V> PMap<K, V> hashed() {
        return new PMap<>(Version.of(Hashed.KIND, Hashed.empty()), 0);
    }

    /** The map of {@code keys.get(i)} to {@code values.get(i)} in the hashed form, built at once. */
    public static <K, V> PMap<K, V> hashedOf(List<? extends K> keys, List<? extends V> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys, " + values.size() + " values");
        }
        Object table = Hashed.empty();
        for (int i = 0; i < keys.size(); i++) {
            table = Hashed.KIND.set(table, 0, Objects.requireNonNull(keys.get(i), "key"),
                    Objects.requireNonNull(values.get(i), "value"));
        }
        return new PMap<>(Version.of(Hashed.KIND, table), ((Hashed.Table) table).size);
    }

    @SuppressWarnings("unchecked")
    public static <K, V> PMap<K, V> empty() {
        return (PMap<K, V>) EMPTY;
    }

    /** A map of the given entries, in order (a later key replaces an earlier one). */
    public static <K, V> PMap<K, V> copyOf(Map<? extends K, ? extends V> source) {
        List<K> keys = new ArrayList<>(source.size());
        List<V> values = new ArrayList<>(source.size());
        for (Map.Entry<? extends K, ? extends V> e : source.entrySet()) {
            keys.add(e.getKey());
            values.add(e.getValue());
        }
        return of(keys, values);
    }

    /**
     * The map of {@code keys.get(i)} to {@code values.get(i)}, built at once instead of by one
     * {@code put} after another (no intermediate maps: loading a snapshot builds maps of 100,000
     * entries). A later key replaces an earlier one, as successive puts would; the trie is the one
     * those puts would build.
     */
    public static <K, V> PMap<K, V> of(List<? extends K> keys, List<? extends V> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys, " + values.size() + " values");
        }
        if (keys.isEmpty()) {
            return empty();
        }
        Leaf[] leaves = new Leaf[keys.size()];
        for (int i = 0; i < leaves.length; i++) {
            Object k = Objects.requireNonNull(keys.get(i), "key");
            leaves[i] = new Leaf(hash(k), k, Objects.requireNonNull(values.get(i), "value"));
        }
        int[] size = {0};
        return new PMap<>(build(leaves, leaves.length, 0, size), size[0]);
    }

    /** The node holding {@code leaves[0..n)}, all equal in the hash bits below {@code shift}. */
    private static Node build(Leaf[] leaves, int n, int shift, int[] size) {
        if (n == 1) {
            size[0]++;
            return leaves[0];
        }
        boolean oneHash = true;
        for (int i = 1; i < n && oneHash; i++) {
            oneHash = leaves[i].hash == leaves[0].hash;
        }
        if (oneHash) {
            return collision(leaves, n, size);
        }
        int[] counts = new int[32];
        int bitmap = 0;
        for (int i = 0; i < n; i++) {
            int slot = (leaves[i].hash >>> shift) & 31;
            counts[slot]++;
            bitmap |= 1 << slot;
        }
        Leaf[][] groups = new Leaf[32][];
        int[] filled = new int[32];
        for (int i = 0; i < n; i++) {
            int slot = (leaves[i].hash >>> shift) & 31;
            if (groups[slot] == null) {
                groups[slot] = new Leaf[counts[slot]];
            }
            groups[slot][filled[slot]++] = leaves[i];
        }
        Node[] children = new Node[Integer.bitCount(bitmap)];
        int c = 0;
        for (int slot = 0; slot < 32; slot++) {
            if (groups[slot] != null) {
                children[c++] = build(groups[slot], counts[slot], shift + 5, size);
            }
        }
        return new Branch(bitmap, children);
    }

    /** Leaves of one hash, in order, a later key replacing an earlier one in its place. */
    private static Node collision(Leaf[] leaves, int n, int[] size) {
        List<Leaf> distinct = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = -1;
            for (int j = 0; j < distinct.size() && at < 0; j++) {
                if (distinct.get(j).key.equals(leaves[i].key)) {
                    at = j;
                }
            }
            if (at < 0) {
                distinct.add(leaves[i]);
            } else {
                distinct.set(at, leaves[i]);
            }
        }
        size[0] += distinct.size();
        return distinct.size() == 1 ? distinct.get(0) : new Collision(distinct.get(0).hash, distinct.toArray(new Leaf[0]));
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    public V get(Object key) {
        if (version != null) {
            return (V) version.get(0, Objects.requireNonNull(key, "key"));
        }
        if (root == null) {
            return null;
        }
        return (V) root.get(key, hash(key), 0);
    }

    public Optional<V> find(Object key) {
        return Optional.ofNullable(get(key));
    }

    public V getOrDefault(Object key, V fallback) {
        V v = get(key);
        return v == null ? fallback : v;
    }

    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /** This map with {@code key} bound to {@code value}; this very map if it already was. */
    public PMap<K, V> put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (version != null) {
            return hashedSet(key, value);
        }
        int h = hash(key);
        if (root == null) {
            return new PMap<>(new Leaf(h, key, value), 1);
        }
        int[] added = {0};
        Node r = root.put(key, value, h, 0, added);
        return r == root ? this : new PMap<>(r, size + added[0]);
    }

    /** This map without {@code key}; this very map if it had no such key. */
    public PMap<K, V> remove(Object key) {
        if (version != null) {
            return hashedSet(Objects.requireNonNull(key, "key"), null);
        }
        if (root == null) {
            return this;
        }
        Node r = root.remove(key, hash(key), 0);
        if (r == root) {
            return this;
        }
        return r == null ? empty() : new PMap<>(r, size - 1);
    }

    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        if (version != null) {
            // copied out, and the action run without the lock: it may read another version of this map
            Object[] keys = new Object[size];
            Object[] values = new Object[size];
            version.entries(null, keys, values);
            for (int i = 0; i < keys.length; i++) {
                action.accept((K) keys[i], (V) values[i]);
            }
        } else if (root != null) {
            root.forEach((BiConsumer<Object, Object>) action);
        }
    }

    /** The hashed form's version with {@code key} bound to {@code value} (null: unbound). */
    private PMap<K, V> hashedSet(Object key, Object value) {
        if (size == 0) {
            // an empty map starts a family of its own, as IdMap's dense form does
            return value == null ? this
                    : new PMap<>(Version.of(Hashed.KIND, Hashed.KIND.set(Hashed.empty(), 0, key, value)), 1);
        }
        int[] change = {0};
        Version after = version.set(0, key, value, change);
        return after == version ? this : new PMap<>(after, size + change[0]);
    }


    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        List<Map.Entry<K, V>> entries = new ArrayList<>(size);
        forEach((k, v) -> entries.add(Map.entry(k, v)));
        return entries.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof PMap<?, ?> other && Entries.same(this, other, other::get);
    }

    @Override
    public int hashCode() {
        return Entries.hash(this);
    }

    @Override
    public String toString() {
        return Entries.text(this);
    }

    private static int hash(Object key) {
        int h = key.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private abstract static class Node {
        abstract Object get(Object key, int hash, int shift);

        /** Returns this node when nothing changed; sets added[0] to 1 when a key was added. */
        abstract Node put(Object key, Object value, int hash, int shift, int[] added);

        /** Returns this node when the key was absent, null when the node became empty. */
        abstract Node remove(Object key, int hash, int shift);

        abstract void forEach(BiConsumer<Object, Object> action);
    }

    private static final class Leaf extends Node {
        final int hash;
        final Object key;
        final Object value;

        Leaf(int hash, Object key, Object value) {
            this.hash = hash;
            this.key = key;
            this.value = value;
        }

        @Override
        Object get(Object k, int h, int shift) {
            return h == hash && key.equals(k) ? value : null;
        }

        @Override
        Node put(Object k, Object v, int h, int shift, int[] added) {
            if (h == hash && key.equals(k)) {
                return value == v ? this : new Leaf(hash, key, v);
            }
            added[0] = 1;
            return merge(this, new Leaf(h, k, v), shift);
        }

        @Override
        Node remove(Object k, int h, int shift) {
            return h == hash && key.equals(k) ? null : this;
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            action.accept(key, value);
        }
    }

    private static Node merge(Leaf a, Leaf b, int shift) {
        if (a.hash == b.hash) {
            return new Collision(a.hash, new Leaf[] {a, b});
        }
        int ia = (a.hash >>> shift) & 31;
        int ib = (b.hash >>> shift) & 31;
        if (ia == ib) {
            return new Branch(1 << ia, new Node[] {merge(a, b, shift + 5)});
        }
        return ia < ib
                ? new Branch((1 << ia) | (1 << ib), new Node[] {a, b})
                : new Branch((1 << ia) | (1 << ib), new Node[] {b, a});
    }

    private static final class Branch extends Node {
        final int bitmap;
        final Node[] children;

        Branch(int bitmap, Node[] children) {
            this.bitmap = bitmap;
            this.children = children;
        }

        @Override
        Object get(Object k, int h, int shift) {
            int bit = 1 << ((h >>> shift) & 31);
            if ((bitmap & bit) == 0) {
                return null;
            }
            return children[Integer.bitCount(bitmap & (bit - 1))].get(k, h, shift + 5);
        }

        @Override
        Node put(Object k, Object v, int h, int shift, int[] added) {
            int bit = 1 << ((h >>> shift) & 31);
            int idx = Integer.bitCount(bitmap & (bit - 1));
            if ((bitmap & bit) == 0) {
                Node[] copy = new Node[children.length + 1];
                System.arraycopy(children, 0, copy, 0, idx);
                copy[idx] = new Leaf(h, k, v);
                System.arraycopy(children, idx, copy, idx + 1, children.length - idx);
                added[0] = 1;
                return new Branch(bitmap | bit, copy);
            }
            Node child = children[idx];
            Node changed = child.put(k, v, h, shift + 5, added);
            if (changed == child) {
                return this;
            }
            Node[] copy = children.clone();
            copy[idx] = changed;
            return new Branch(bitmap, copy);
        }

        @Override
        Node remove(Object k, int h, int shift) {
            int bit = 1 << ((h >>> shift) & 31);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int idx = Integer.bitCount(bitmap & (bit - 1));
            Node child = children[idx];
            Node changed = child.remove(k, h, shift + 5);
            if (changed == child) {
                return this;
            }
            if (changed != null) {
                if (children.length == 1 && !(changed instanceof Branch)) {
                    return changed;
                }
                Node[] copy = children.clone();
                copy[idx] = changed;
                return new Branch(bitmap, copy);
            }
            if (children.length == 1) {
                return null;
            }
            if (children.length == 2 && !(children[1 - idx] instanceof Branch)) {
                return children[1 - idx];
            }
            Node[] copy = new Node[children.length - 1];
            System.arraycopy(children, 0, copy, 0, idx);
            System.arraycopy(children, idx + 1, copy, idx, children.length - idx - 1);
            return new Branch(bitmap & ~bit, copy);
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (Node child : children) {
                child.forEach(action);
            }
        }
    }

    private static final class Collision extends Node {
        final int hash;
        final Leaf[] leaves;

        Collision(int hash, Leaf[] leaves) {
            this.hash = hash;
            this.leaves = leaves;
        }

        @Override
        Object get(Object k, int h, int shift) {
            if (h != hash) {
                return null;
            }
            for (Leaf leaf : leaves) {
                if (leaf.key.equals(k)) {
                    return leaf.value;
                }
            }
            return null;
        }

        @Override
        Node put(Object k, Object v, int h, int shift, int[] added) {
            if (h != hash) {
                added[0] = 1;
                Leaf fresh = new Leaf(h, k, v);
                int ia = (hash >>> shift) & 31;
                int ib = (h >>> shift) & 31;
                if (ia == ib) {
                    int[] ignored = {0};
                    return new Branch(1 << ia, new Node[] {put(k, v, h, shift + 5, ignored)});
                }
                return ia < ib
                        ? new Branch((1 << ia) | (1 << ib), new Node[] {this, fresh})
                        : new Branch((1 << ia) | (1 << ib), new Node[] {fresh, this});
            }
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i].key.equals(k)) {
                    if (leaves[i].value == v) {
                        return this;
                    }
                    Leaf[] copy = leaves.clone();
                    copy[i] = new Leaf(h, k, v);
                    return new Collision(hash, copy);
                }
            }
            Leaf[] copy = new Leaf[leaves.length + 1];
            System.arraycopy(leaves, 0, copy, 0, leaves.length);
            copy[leaves.length] = new Leaf(h, k, v);
            added[0] = 1;
            return new Collision(hash, copy);
        }

        @Override
        Node remove(Object k, int h, int shift) {
            if (h != hash) {
                return this;
            }
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i].key.equals(k)) {
                    if (leaves.length == 2) {
                        return leaves[1 - i];
                    }
                    Leaf[] copy = new Leaf[leaves.length - 1];
                    System.arraycopy(leaves, 0, copy, 0, i);
                    System.arraycopy(leaves, i + 1, copy, i, leaves.length - i - 1);
                    return new Collision(hash, copy);
                }
            }
            return this;
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (Leaf leaf : leaves) {
                action.accept(leaf.key, leaf.value);
            }
        }
    }
}
