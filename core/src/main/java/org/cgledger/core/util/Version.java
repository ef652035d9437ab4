package org.cgledger.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;

/**
 * One version of a map kept in a mutable store that the newest version holds, every older one a
 * difference from the next (its key and its value there): Baker's rerooting, as in Conchon and
 * Filliâtre's persistent arrays. {@link IdMap}'s dense form and {@link PMap}'s hashed form are
 * made of these, over a paged array or a hash table ({@link Store}).
 *
 * <p>Reading the version that holds the store is optimistic: a stamp of the family's lock checked
 * after the loads. A write, or a read of another version, takes the lock; the read first turns the
 * differences from it to the store round, each version on the way taking the store over, or, when
 * they are more than {@link Store#far} of them, gives it a copy of the store with them applied. So
 * older versions stay valid and readable on any thread, and cost nothing until they are read. Reads
 * that go back and forth between versions near each other are given a copy too, once the
 * differences they turned round since the last write add up to a copy's cost.
 *
 * <p>A key is an int ({@code intKey}, for ids, unboxed) or an object ({@code objKey}); each store
 * uses one of the two. A null value means unbound.
 */
final class Version {

    /** What a family's store is and does; every method runs under the family's lock, or optimistically. */
    interface Store {
        Object get(Object store, int intKey, Object objKey);

        /** Binds (null: unbinds) the key in place; returns the store, which may be a new one (grown). */
        Object set(Object store, int intKey, Object objKey, Object value);

        Object copy(Object store);

        /** How many differences back a version is given a copy of the store rather than the store itself. */
        int far(Object store);

        /** Each binding of the store, in its own order. */
        void forEach(Object store, BiConsumer<Object, Object> action);
    }

    /** What the versions of one map share: the store's kind and the lock guarding every version's fields. */
    static final class Family {
        final Store kind;
        final StampedLock lock = new StampedLock();
        /** Differences turned round since the last write: reads going back and forth between versions. */
        long sinceWrite;
        /** Differences turned round in all, and copies given (for tests). */
        long steps;
        long copies;

        Family(Store kind) {
            this.kind = kind;
        }
    }

    final Family family;
    /** The store, if this version holds it; else null, and this is {@code next} with the key bound to {@code value}. */
    private Object store;
    private Version next;
    private int intKey;
    private Object objKey;
    private Object value;

    private Version(Family family, Object store) {
        this.family = family;
        this.store = store;
    }

    /** The only version of a new family, holding {@code store}. */
    static Version of(Store kind, Object store) {
        return new Version(new Family(kind), store);
    }

    Object get(int intKey, Object objKey) {
        StampedLock lock = family.lock;
        long stamp = lock.tryOptimisticRead();
        Object s = store;
        if (s != null) {
            Object v = family.kind.get(s, intKey, objKey);
            if (lock.validate(stamp)) {
                return v;
            }
        }
        stamp = lock.writeLock();
        try {
            return family.kind.get(rerooted(), intKey, objKey);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * The version with the key bound to {@code value} (null: unbound), taking the store over; this
     * very version if it already was. {@code changes[0]} gets +1 for a new binding, -1 for one removed.
     */
    Version set(int intKey, Object objKey, Object value, int[] changes) {
        StampedLock lock = family.lock;
        long stamp = lock.writeLock();
        try {
            Object s = rerooted();
            Object old = family.kind.get(s, intKey, objKey);
            if (old == value) {
                return this;
            }
            changes[0] = old == null ? 1 : value == null ? -1 : 0;
            family.sinceWrite = 0;
            Version after = new Version(family, family.kind.set(s, intKey, objKey, value));
            store = null;
            next = after;
            this.intKey = intKey;
            this.objKey = objKey;
            this.value = old;
            return after;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Every binding of this version, copied out under the lock into {@code keys} (the int or the
     * object key) and {@code values}: the caller runs its action without the lock, since the action
     * may read another version of the same map.
     */
    void entries(int[] intKeys, Object[] objKeys, Object[] values) {
        StampedLock lock = family.lock;
        long stamp = lock.writeLock();
        try {
            int[] n = {0};
            family.kind.forEach(rerooted(), (k, v) -> {
                if (intKeys != null) {
                    intKeys[n[0]] = (Integer) k;
                } else {
                    objKeys[n[0]] = k;
                }
                values[n[0]++] = v;
            });
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Differences turned round and copies given so far in this version's family: {@code {steps, copies}}. */
    long[] rerootings() {
        long stamp = family.lock.writeLock();
        try {
            return new long[] {family.steps, family.copies};
        } finally {
            family.lock.unlockWrite(stamp);
        }
    }

    /** What {@code probe} finds in this version's store, rerooted to it, under the lock; for tests. */
    <R> R probe(java.util.function.Function<Object, R> probe) {
        long stamp = family.lock.writeLock();
        try {
            return probe.apply(rerooted());
        } finally {
            family.lock.unlockWrite(stamp);
        }
    }

    /** Makes this version hold a store (see the class comment), under the lock, and returns it. */
    private Object rerooted() {
        if (store != null) {
            return store;
        }
        List<Version> chain = new ArrayList<>();
        Version holder = this;
        for (; holder.store == null; holder = holder.next) {
            chain.add(holder);
        }
        Store kind = family.kind;
        Object s = holder.store;
        // a copy when this version lies far back, and also when reads have gone back and forth
        // between near versions (two states a diff compares) for as long as a copy would take: so a
        // read costs at most about twice what a copy would, and then both versions read in place
        if (family.sinceWrite + chain.size() > kind.far(s)) {
            family.sinceWrite = 0;
            family.copies++;
            s = kind.copy(s);
            for (int i = chain.size() - 1; i >= 0; i--) {
                Version x = chain.get(i);
                s = kind.set(s, x.intKey, x.objKey, x.value);
            }
            store = s;
            next = null;
            objKey = null;
            value = null;
            return s;
        }
        family.sinceWrite += chain.size();
        family.steps += chain.size();
        for (int i = chain.size() - 1; i >= 0; i--) {
            Version x = chain.get(i);
            Object old = kind.get(s, x.intKey, x.objKey);
            s = kind.set(s, x.intKey, x.objKey, x.value);
            holder.store = null;
            holder.next = x;
            holder.intKey = x.intKey;
            holder.objKey = x.objKey;
            holder.value = old;
            x.store = s;
            x.next = null;
            x.objKey = null;
            x.value = null;
            holder = x;
        }
        return s;
    }
}
