package org.cgledger.core.util;

import java.util.function.BiConsumer;

/**
 * The store of {@link PMap}'s hashed form: an open-addressing hash table changed in place, a key
 * and its value side by side, linear probing, a removal shifting back the entries after it (no
 * tombstones). Every probe is bounded by the table's length, so an optimistic read racing a writer
 * ends, and {@link Version} then throws its answer away. None of its operations locks.
 */
final class Hashed implements Version.Store {

    /** The store's kind, as a {@link Version} family takes it. */
    static final Hashed KIND = new Hashed();

    private Hashed() {
    }

    /**
     * A table: {@code slots[2i]} a key (null: free), {@code slots[2i + 1]} its value, {@code
     * hashes[i]} the key's hash, compared before the key is (a probe past another key then reads
     * no key: each was a cache miss); at most half full.
     */
    static final class Table {
        final Object[] slots;
        final int[] hashes;
        int size;

        Table(int capacity) {
            slots = new Object[2 * capacity];
            hashes = new int[capacity];
        }
    }

    static Table empty() {
        return new Table(8);
    }

    private static int home(int hash, int capacity) {
        // Fibonacci hashing: the product's top bits, which every bit of the hash reaches
        return hash * 0x9E3779B9 >>> Integer.numberOfLeadingZeros(capacity) + 1;
    }

    @Override
    public Object get(Object store, int unused, Object key) {
        Table t = (Table) store;
        Object[] slots = t.slots;
        int[] hashes = t.hashes;
        // lengths read once: a racing writer may replace neither array, but reads stay in bounds
        int capacity = Math.min(slots.length >> 1, hashes.length);
        int hash = key.hashCode();
        int i = home(hash, capacity);
        for (int probes = 0; probes < capacity; probes++, i = (i + 1) & (capacity - 1)) {
            Object k = slots[2 * i];
            if (k == null) {
                return null;
            }
            if (hashes[i] == hash && k.equals(key)) {
                return slots[2 * i + 1];
            }
        }
        return null;
    }

    @Override
    public Object set(Object store, int unused, Object key, Object value) {
        Table t = (Table) store;
        if (value == null) {
            remove(t, key);
            return t;
        }
        if (2 * (t.size + 1) > t.slots.length >> 1) {
            t = grown(t);
        }
        put(t, key, value);
        return t;
    }

    private static void put(Table t, Object key, Object value) {
        Object[] slots = t.slots;
        int capacity = slots.length >> 1;
        int hash = key.hashCode();
        for (int i = home(hash, capacity); ; i = (i + 1) & (capacity - 1)) {
            Object k = slots[2 * i];
            if (k == null) {
                slots[2 * i] = key;
                slots[2 * i + 1] = value;
                t.hashes[i] = hash;
                t.size++;
                return;
            }
            if (t.hashes[i] == hash && k.equals(key)) {
                slots[2 * i + 1] = value;
                return;
            }
        }
    }

    private static void remove(Table t, Object key) {
        Object[] slots = t.slots;
        int capacity = slots.length >> 1;
        int mask = capacity - 1;
        int hash = key.hashCode();
        int i = home(hash, capacity);
        for (; ; i = (i + 1) & mask) {
            Object k = slots[2 * i];
            if (k == null) {
                return;
            }
            if (t.hashes[i] == hash && k.equals(key)) {
                break;
            }
        }
        // shift back every later entry of the run that the freed slot lies between its home and it
        for (int j = (i + 1) & mask; slots[2 * j] != null; j = (j + 1) & mask) {
            int h = home(t.hashes[j], capacity);
            if (((j - h) & mask) >= ((j - i) & mask)) {
                slots[2 * i] = slots[2 * j];
                slots[2 * i + 1] = slots[2 * j + 1];
                t.hashes[i] = t.hashes[j];
                i = j;
            }
        }
        slots[2 * i] = null;
        slots[2 * i + 1] = null;
        t.size--;
    }

    private static Table grown(Table t) {
        Table g = new Table(t.slots.length);
        for (int i = 0; i < t.slots.length; i += 2) {
            if (t.slots[i] != null) {
                put(g, t.slots[i], t.slots[i + 1]);
            }
        }
        return g;
    }

    @Override
    public Object copy(Object store) {
        Table t = (Table) store;
        Table c = new Table(t.slots.length >> 1);
        System.arraycopy(t.slots, 0, c.slots, 0, t.slots.length);
        System.arraycopy(t.hashes, 0, c.hashes, 0, t.hashes.length);
        c.size = t.size;
        return c;
    }

    /** A copy costs a pass over the table; a rerooting, a step per difference now and again later. */
    @Override
    public int far(Object store) {
        return Math.max(256, ((Table) store).slots.length >> 3);
    }

    @Override
    public void forEach(Object store, BiConsumer<Object, Object> action) {
        Object[] slots = ((Table) store).slots;
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != null) {
                action.accept(slots[i], slots[i + 1]);
            }
        }
    }
}
