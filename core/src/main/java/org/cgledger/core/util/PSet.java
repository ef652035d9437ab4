package org.cgledger.core.util;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/** An immutable set with structure sharing, backed by {@link PMap}. Null elements are not allowed. */
public final class PSet<E> implements Iterable<E> {

    private static final PSet<?> EMPTY = new PSet<>(PMap.empty());

    private final PMap<E, Boolean> map;

    private PSet(PMap<E, Boolean> map) {
        this.map = map;
    }

    @SuppressWarnings("unchecked")
    public static <E> PSet<E> empty() {
        return (PSet<E>) EMPTY;
    }

    /** The set of {@code elements}, built at once ({@link PMap#of}). */
    public static <E> PSet<E> copyOf(Collection<? extends E> elements) {
        if (elements.isEmpty()) {
            return empty();
        }
        List<E> keys = new ArrayList<>(elements);
        return new PSet<>(PMap.of(keys, java.util.Collections.nCopies(keys.size(), Boolean.TRUE)));
    }

    public int size() {
        return map.size();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    public boolean contains(Object e) {
        return map.containsKey(e);
    }

    public PSet<E> add(E e) {
        PMap<E, Boolean> m = map.put(e, Boolean.TRUE);
        return m == map ? this : new PSet<>(m);
    }

    /** This set without {@code e}; this very set if it was absent, the one empty set if it was the last. */
    public PSet<E> remove(Object e) {
        PMap<E, Boolean> m = map.remove(e);
        if (m == map) {
            return this;
        }
        return m.isEmpty() ? empty() : new PSet<>(m);
    }

    @Override
    public void forEach(Consumer<? super E> action) {
        map.forEach((k, v) -> action.accept(k));
    }

    public List<E> toList() {
        return map.keys();
    }

    public List<E> sorted(Comparator<? super E> order) {
        List<E> list = new ArrayList<>(map.keys());
        list.sort(order);
        return list;
    }

    @Override
    public Iterator<E> iterator() {
        return map.keys().iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PSet<?> other && map.equals(other.map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.keys().toString();
    }
}
