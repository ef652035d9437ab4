package org.cgledger.core.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.util.IdMap;
import org.cgledger.core.util.PMap;

/**
 * The whole container system at one point of the journal: immutable, every map persistent, so an
 * update shares all it did not change and every past state stays valid.
 *
 * @param catalog null until the ledger is initialized
 * @param hierarchies every hierarchy, the default one (id 0) included
 * @param bindings which hierarchy each subsystem is bound to (0: the default hierarchy)
 * @param mountPoints mount point path to hierarchy
 * @param cgroups live cgroups, and removed ones whose css are not all released yet
 * @param css every unreleased css, by subsystem and serial
 * @param cssSets every live css_set
 * @param cssSetIndex the interning table, tuple to css_set
 */
public record State(Catalog catalog, PinPolicy pin, RmdirPolicy rmdir, PMap<HierarchyId, Hierarchy> hierarchies,
                    PMap<Subsystem, HierarchyId> bindings, PMap<String, HierarchyId> mountPoints,
                    IdMap<CgroupId, Cgroup> cgroups, CssMap css, IdMap<CssSetId, CssSet> cssSets,
                    PMap<CssSetKey, CssSetId> cssSetIndex, IdMap<Pid, Task> tasks,
                    PMap<ObjectName, ChargedObject> objects, Counters counters) {

    public static final IdMap.Codec<Pid> PIDS = IdMap.Codec.dense(Pid::value, Pid::new);
    public static final IdMap.Codec<CgroupId> CGROUPS = IdMap.Codec.dense(c -> Math.toIntExact(c.value()),
            CgroupId::new);
    public static final IdMap.Codec<CssSetId> CSS_SETS = IdMap.Codec.dense(c -> Math.toIntExact(c.serial()),
            CssSetId::new);

    /**
     * Before {@code init}, for a state that goes on as one line of newest states (a ledger's, a
     * fold's): its large maps (tasks, cgroups, css_sets, css, the interning table) take the forms
     * changed in place, older states kept as differences ({@link IdMap}'s dense form, {@link PMap#hashed}).
     */
    public static final State EMPTY = new State(null, PinPolicy.CSS, RmdirPolicy.STRICT, PMap.empty(), PMap.empty(),
            PMap.empty(), IdMap.empty(CGROUPS), CssMap.empty(), IdMap.empty(CSS_SETS), PMap.hashed(),
            IdMap.empty(PIDS), PMap.empty(), Counters.ZERO);

    /**
     * Before {@code init}, for a fold that keeps many of its states (a journal's checkpoints):
     * every map takes a form that copies paths, so each kept state shares what it did not change
     * with the next instead of holding every later difference. Equal to {@link #EMPTY}, and so
     * is every state folded from it to the state folded from that.
     */
    public static final State EMPTY_SHARED = new State(null, PinPolicy.CSS, RmdirPolicy.STRICT, PMap.empty(),
            PMap.empty(), PMap.empty(), IdMap.empty(shared(CGROUPS)), CssMap.emptyShared(),
            IdMap.empty(shared(CSS_SETS)), PMap.empty(), IdMap.empty(shared(PIDS)), PMap.empty(), Counters.ZERO);

    private static <K> IdMap.Codec<K> shared(IdMap.Codec<K> codec) {
        return new IdMap.Codec<>(codec.toInt(), codec.fromInt());
    }

    public boolean initialized() {
        return catalog != null;
    }

    /** The number of events applied: the ledger-wide sequence number of the last one. */
    public long lastEvent() {
        return counters.events();
    }

    public Hierarchy hierarchy(HierarchyId id) {
        return hierarchies.get(id);
    }

    public Cgroup cgroup(CgroupId id) {
        return cgroups.getInt((int) id.value());
    }

    public Css css(CssId id) {
        return css.get(id);
    }

    public CssSet cssSet(CssSetId id) {
        return cssSets.getInt((int) id.serial());
    }

    public Task task(Pid pid) {
        return tasks.getInt(pid.value());
    }

    public ChargedObject object(ObjectName name) {
        return objects.get(name);
    }

    /** The hierarchy {@code s} is bound to (the default hierarchy if none). */
    public Hierarchy hierarchyOf(Subsystem s) {
        return hierarchies.get(bindings.getOrDefault(s, HierarchyId.DEFAULT));
    }

    /** The hierarchy a cgroup belongs to. */
    public Hierarchy hierarchyOf(Cgroup c) {
        return hierarchies.get(c.hierarchy());
    }

    /** Mounted and detached hierarchies (not the default one), by id; an immutable list. */
    public List<Hierarchy> realHierarchies() {
        return realHierarchies(hierarchies);
    }

    /**
     * The hierarchies of {@code all} but the default one, by id. Every fork and exit walks them:
     * the list of the last map asked about is kept, by the identity of that (immutable) map, which
     * only mount, umount and a hierarchy's end replace.
     */
    public static List<Hierarchy> realHierarchies(PMap<HierarchyId, Hierarchy> all) {
        RealHierarchies last = RealHierarchies.last;
        if (last == null || last.source() != all) {
            List<Hierarchy> list = new ArrayList<>();
            all.forEach((id, h) -> {
                if (!id.isDefault()) {
                    list.add(h);
                }
            });
            list.sort((a, b) -> a.id().compareTo(b.id()));
            last = new RealHierarchies(all, List.copyOf(list));
            RealHierarchies.last = last;
        }
        return last.list();
    }

    private record RealHierarchies(PMap<HierarchyId, Hierarchy> source, List<Hierarchy> list) {
        private static volatile RealHierarchies last;
    }

    /** The tuple of all root css: the css_set of a task in the root of every hierarchy (N0's). */
    public CssSetKey rootKey() {
        List<CssId> roots = new ArrayList<>(catalog.size());
        for (Subsystem s : catalog.subsystems()) {
            roots.add(CssId.root(s));
        }
        return new CssSetKey(roots, List.of());
    }

    /** The css of subsystem {@code s} in tuple {@code key}. */
    public CssId cssIn(CssSetKey key, Subsystem s) {
        return key.css(catalog.indexOf(s));
    }

    /** The cgroup a task with tuple {@code key} sits in, in hierarchy {@code h}. */
    public CgroupId cgroupIn(CssSetKey key, Hierarchy h) {
        return cgroupIn(key, h, catalog, css);
    }

    /**
     * {@link #cgroupIn(CssSetKey, Hierarchy)} over the parts of a state being built. A root css
     * sits in the root of the hierarchy its subsystem is bound to, so only a child css is looked up.
     */
    public static CgroupId cgroupIn(CssSetKey key, Hierarchy h, Catalog catalog, CssMap css) {
        if (h.hasSubsystems()) {
            CssId id = key.css(catalog.indexOf(h.subsystems().get(0)));
            return id.isRoot() ? h.root() : css.get(id).cgroup();
        }
        CgroupId c = key.cgroupIn(h.id());
        return c != null ? c : h.root();
    }

    /**
     * The objects pinning (pin=cssset) each live css_set whose tuple names cgroup {@code c} of a
     * hierarchy without subsystems, or a cgroup below it, by css_set: what keeps such a cgroup,
     * which has no css, referenced once its directory and tasks are gone (a removed child so kept
     * keeps its parent, as the kernel's dead cgroup holds its parent). Over the parts of a state
     * (being built or not); O(objects times depth), asked only as such a cgroup is removed, or its
     * hierarchy unmounted, or a css_set naming one is freed.
     */
    public static Map<CssSetId, List<ChargedObject>> pinsNaming(Cgroup c, PMap<ObjectName, ChargedObject> objects,
                                                                IdMap<CssSetId, CssSet> cssSets,
                                                                IdMap<CgroupId, Cgroup> cgroups) {
        Map<CssSetId, List<ChargedObject>> pins = new TreeMap<>();
        objects.forEach((name, o) -> {
            CssSet set = o.pinnedSet() == null ? null : cssSets.get(o.pinnedSet());
            if (set != null && isAtOrBelow(set.key().cgroupIn(c.hierarchy()), c.id(), cgroups)) {
                pins.computeIfAbsent(set.id(), k -> new ArrayList<>()).add(o);
            }
        });
        return pins;
    }

    /** Whether cgroup {@code x} (null: none) is {@code c} or below it, by its parents in {@code cgroups}. */
    private static boolean isAtOrBelow(CgroupId x, CgroupId c, IdMap<CgroupId, Cgroup> cgroups) {
        for (CgroupId at = x; at != null; ) {
            if (at.equals(c)) {
                return true;
            }
            Cgroup g = cgroups.get(at);
            at = g == null ? null : g.parent();
        }
        return false;
    }

    /** The cgroup task {@code t} sits in, in hierarchy {@code h}. */
    public CgroupId cgroupOf(Task t, Hierarchy h) {
        return cgroupIn(cssSet(t.cssSet()).key(), h);
    }

    /** {@code key} as it becomes when its task moves to cgroup {@code c}. */
    public CssSetKey keyWith(CssSetKey key, Cgroup c) {
        return keyWith(key, hierarchies.get(c.hierarchy()), c);
    }

    /** {@link #keyWith(CssSetKey, Cgroup)} when the caller has {@code c}'s hierarchy {@code h} at hand. */
    public CssSetKey keyWith(CssSetKey key, Hierarchy h, Cgroup c) {
        if (!h.hasSubsystems()) {
            return key.withCgroup(h.id(), c.isRoot() ? null : c.id());
        }
        CssSetKey k = key;
        for (CssId id : c.css()) {
            k = k.withCss(catalog.indexOf(id.subsys()), id);
        }
        return k;
    }

    /** The tuple of the css_set a cgroup directory holds: this cgroup here, the roots elsewhere. */
    public CssSetKey ownKey(Cgroup c) {
        return keyWith(rootKey(), c);
    }

    /**
     * The path of a cgroup under its hierarchy's first mount point ({@code /H1/foo}); for a
     * detached hierarchy {@code name=N:/foo}; removed ancestors still name their part.
     */
    public String path(CgroupId id) {
        Cgroup c = cgroups.get(id);
        if (c == null) {
            return "(released cgroup " + id + ")";
        }
        String rel = relativePath(id);
        Hierarchy h = hierarchies.get(c.hierarchy());
        if (h == null) {
            return rel.isEmpty() ? "/" : rel;
        }
        if (h.isDetached() || h.isDefault()) {
            return h.label() + ":" + (rel.isEmpty() ? "/" : rel);
        }
        return under(h.mountPoints().get(0), rel);
    }

    /**
     * A cgroup's path inside its hierarchy, {@code /foo/bar}; empty for a root (or a released
     * cgroup). Removed ancestors still name their part.
     */
    public String relativePath(CgroupId id) {
        List<String> names = new ArrayList<>();
        for (Cgroup x = cgroups.get(id); x != null && !x.isRoot(); x = x.parent() == null ? null : cgroups.get(x.parent())) {
            names.add(x.name());
        }
        Collections.reverse(names);
        return names.isEmpty() ? "" : "/" + String.join("/", names);
    }

    /** The path {@code rel} ({@link #relativePath}) names under mount point {@code mountPoint}. */
    public static String under(String mountPoint, String rel) {
        return rel.isEmpty() ? mountPoint : mountPoint.equals("/") ? rel : mountPoint + rel;
    }

    /** Whether a cgroup and every css it ever had is gone for good. */
    public boolean isGone(CgroupId id) {
        return !cgroups.containsKey(id);
    }
}
