package org.cgledger.core.state;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.util.Entries;
import org.cgledger.core.util.IdMap;

/**
 * Every unreleased css, immutable and persistent: one {@link IdMap} per subsystem keyed by the
 * css serial, as the kernel keeps one {@code ss->css_idr} per subsystem. A lookup scans the few
 * subsystems (by identity first, then by name) and walks an int trie: no hashing of the id and no
 * equality test on the way, which a hash trie keyed by {@link CssId} paid on every lookup (cgroupIn
 * looks one up per hierarchy, and a charge walks its css up to the root).
 *
 * <p>Iterates subsystem by subsystem (by name), each by serial: a deterministic order that depends
 * only on the content, so equal maps iterate alike.
 */
public final class CssMap implements Entries.View<CssId, Css> {

    private static final CssMap EMPTY = new CssMap(new Subsystem[0], newTables(0), 0, true);
    private static final CssMap EMPTY_SHARED = new CssMap(new Subsystem[0], newTables(0), 0, false);

    /** The subsystems that ever had a css here, sorted by name; a table may be left empty. */
    private final Subsystem[] subsystems;
    /** {@code tables[i]}: the css of {@code subsystems[i]} by serial. */
    private final IdMap<CssId, Css>[] tables;
    private final int size;
    /** Whether a subsystem's table takes IdMap's dense form (else the trie form): see {@link State#EMPTY_SHARED}. */
    private final boolean dense;

    private CssMap(Subsystem[] subsystems, IdMap<CssId, Css>[] tables, int size, boolean dense) {
        this.subsystems = subsystems;
        this.tables = tables;
        this.size = size;
        this.dense = dense;
    }

    /** An empty map whose tables take IdMap's dense form. */
    public static CssMap empty() {
        return EMPTY;
    }

    /** An empty map whose tables take IdMap's trie form. */
    public static CssMap emptyShared() {
        return EMPTY_SHARED;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The css {@code id}, or null if it is released (or never was). */
    public Css get(CssId id) {
        int i = indexOf(id.subsys());
        return i < 0 ? null : tables[i].getInt(id.serial());
    }

    public boolean containsKey(CssId id) {
        return get(id) != null;
    }

    public Css getOrDefault(CssId id, Css fallback) {
        Css c = get(id);
        return c == null ? fallback : c;
    }

    /** This map with {@code id} bound to {@code css}; this very map if it already was. */
    public CssMap put(CssId id, Css css) {
        Objects.requireNonNull(css, "css");
        int i = indexOf(id.subsys());
        if (i < 0) {
            return withSubsystem(id.subsys()).put(id, css);
        }
        IdMap<CssId, Css> t = tables[i].putInt(id.serial(), css);
        if (t == tables[i]) {
            return this;
        }
        return new CssMap(subsystems, replaced(i, t), size + t.size() - tables[i].size(), dense);
    }

    /** This map without {@code id}; this very map if it had no such css. */
    public CssMap remove(CssId id) {
        int i = indexOf(id.subsys());
        if (i < 0) {
            return this;
        }
        IdMap<CssId, Css> t = tables[i].removeInt(id.serial());
        return t == tables[i] ? this : new CssMap(subsystems, replaced(i, t), size - 1, dense);
    }

    public void forEach(BiConsumer<? super CssId, ? super Css> action) {
        for (IdMap<CssId, Css> t : tables) {
            t.forEach(action);
        }
    }


    /** The position of {@code s}, or -1: identity first (css ids name the catalog's instances). */
    private int indexOf(Subsystem s) {
        for (int i = 0; i < subsystems.length; i++) {
            if (subsystems[i] == s) {
                return i;
            }
        }
        for (int i = 0; i < subsystems.length; i++) {
            if (subsystems[i].equals(s)) {
                return i;
            }
        }
        return -1;
    }

    /** This map with an empty table for {@code s}, kept in name order. */
    private CssMap withSubsystem(Subsystem s) {
        int at = 0;
        while (at < subsystems.length && subsystems[at].compareTo(s) < 0) {
            at++;
        }
        Subsystem[] subs = new Subsystem[subsystems.length + 1];
        IdMap<CssId, Css>[] t = newTables(subsystems.length + 1);
        System.arraycopy(subsystems, 0, subs, 0, at);
        System.arraycopy(tables, 0, t, 0, at);
        subs[at] = s;
        IntFunction<CssId> ids = n -> new CssId(s, n);
        t[at] = IdMap.empty(dense ? IdMap.Codec.dense(CssId::serial, ids) : new IdMap.Codec<>(CssId::serial, ids));
        System.arraycopy(subsystems, at, subs, at + 1, subsystems.length - at);
        System.arraycopy(tables, at, t, at + 1, subsystems.length - at);
        return new CssMap(subs, t, size, dense);
    }

    private IdMap<CssId, Css>[] replaced(int i, IdMap<CssId, Css> t) {
        IdMap<CssId, Css>[] copy = tables.clone();
        copy[i] = t;
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static IdMap<CssId, Css>[] newTables(int n) {
        return (IdMap<CssId, Css>[]) new IdMap<?, ?>[n];
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof CssMap other && Entries.same(this, other, other::get);
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
