package org.cgledger.core.decide;

import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.CgroupRemoved;
import org.cgledger.core.event.CssReleased;
import org.cgledger.core.event.CssSetFreed;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyDestroyed;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.event.HoldDropped;
import org.cgledger.core.event.LedgerInitialized;
import org.cgledger.core.event.LimitSet;
import org.cgledger.core.event.MountPointAdded;
import org.cgledger.core.event.MountPointRemoved;
import org.cgledger.core.event.MoveChargeSet;
import org.cgledger.core.event.NotifyOnReleaseSet;
import org.cgledger.core.event.ObjectCharged;
import org.cgledger.core.event.ObjectReleased;
import org.cgledger.core.event.ReleaseNotified;
import org.cgledger.core.event.RmdirRefused;
import org.cgledger.core.event.TaskAttached;
import org.cgledger.core.event.TaskExited;
import org.cgledger.core.event.TaskForked;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Limit;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Catalog;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Counters;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssMap;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;
import org.cgledger.core.util.IdMap;
import org.cgledger.core.util.IdSet;
import org.cgledger.core.util.PMap;
import org.cgledger.core.util.PSet;

/**
 * {@code evolve(state, event) -> state}: applies one event. Pure and total over the events that
 * {@link Decider} produces; an event that does not fit the state (a corrupt or tampered journal)
 * throws {@link IllegalStateException} naming what is missing.
 */
public final class Evolver {

    private Evolver() {
    }

    /**
     * Applies {@code event} to {@code state}. Every reference count it touches is adjusted so that
     * after the event each equals its definition ({@code Refcounts.recompute}).
     *
     * @throws IllegalStateException if the event cannot apply to this state
     */
    public static State evolve(State state, Event event) {
        Mutable m = new Mutable(state);
        m.apply(event);
        return m.build();
    }

    /** Folds {@code events} from {@code state}. */
    public static State evolveAll(State state, Iterable<? extends Event> events) {
        State s = state;
        for (Event e : events) {
            s = evolve(s, e);
        }
        return s;
    }

    /** One event's worth of changes over the persistent maps of a state. */
    private static final class Mutable {
        Catalog catalog;
        PinPolicy pin;
        RmdirPolicy rmdir;
        PMap<HierarchyId, Hierarchy> hierarchies;
        PMap<Subsystem, HierarchyId> bindings;
        PMap<String, HierarchyId> mountPoints;
        IdMap<CgroupId, Cgroup> cgroups;
        CssMap css;
        IdMap<CssSetId, CssSet> cssSets;
        PMap<CssSetKey, CssSetId> cssSetIndex;
        IdMap<Pid, Task> tasks;
        PMap<ObjectName, ChargedObject> objects;
        Counters counters;

        Mutable(State s) {
            catalog = s.catalog();
            pin = s.pin();
            rmdir = s.rmdir();
            hierarchies = s.hierarchies();
            bindings = s.bindings();
            mountPoints = s.mountPoints();
            cgroups = s.cgroups();
            css = s.css();
            cssSets = s.cssSets();
            cssSetIndex = s.cssSetIndex();
            tasks = s.tasks();
            objects = s.objects();
            counters = s.counters();
        }

        State build() {
            return new State(catalog, pin, rmdir, hierarchies, bindings, mountPoints, cgroups, css, cssSets,
                    cssSetIndex, tasks, objects, counters);
        }

        void apply(Event event) {
            if (!(event instanceof LedgerInitialized) && catalog == null) {
                throw new IllegalStateException("event before init: " + event);
            }
            if (event instanceof LedgerInitialized e) {
                initialized(e);
            } else if (event instanceof HierarchyMounted e) {
                mounted(e);
            } else if (event instanceof MountPointAdded e) {
                Hierarchy h = hierarchy(e.hierarchy());
                List<String> mps = new ArrayList<>(h.mountPoints());
                mps.add(e.mountPoint());
                hierarchies = hierarchies.put(h.id(), h.withMountPoints(mps));
                mountPoints = mountPoints.put(e.mountPoint(), h.id());
            } else if (event instanceof MountPointRemoved e) {
                Hierarchy h = hierarchy(e.hierarchy());
                List<String> mps = new ArrayList<>(h.mountPoints());
                if (!mps.remove(e.mountPoint())) {
                    throw new IllegalStateException(e.mountPoint() + " is not a mount point of hierarchy " + h.id());
                }
                hierarchies = hierarchies.put(h.id(), h.withMountPoints(mps));
                mountPoints = mountPoints.remove(e.mountPoint());
            } else if (event instanceof HierarchyDestroyed e) {
                destroyed(e);
            } else if (event instanceof CgroupCreated e) {
                created(e);
            } else if (event instanceof CgroupRemoved e) {
                removed(e);
            } else if (event instanceof TaskAttached e) {
                attached(e);
            } else if (event instanceof TaskForked e) {
                forked(e);
            } else if (event instanceof TaskExited e) {
                exited(e);
            } else if (event instanceof ObjectCharged e) {
                charged(e);
            } else if (event instanceof HoldDropped e) {
                ChargedObject o = object(e.object());
                Task t = task(e.pid());
                if (!o.holders().contains(e.pid())) {
                    throw new IllegalStateException("task " + e.pid() + " does not hold " + e.object());
                }
                objects = objects.put(o.name(), o.withHolders(o.holders().remove(e.pid())));
                put(t.withHolds(t.holds().remove(o.name())));
            } else if (event instanceof ObjectReleased e) {
                released(e);
            } else if (event instanceof CssSetFreed e) {
                freed(e);
            } else if (event instanceof CssReleased e) {
                cssReleased(e);
            } else if (event instanceof LimitSet e) {
                Css c = css(e.css());
                css = css.put(c.id(), c.withLimit(e.limit()));
            } else if (event instanceof MoveChargeSet e) {
                Cgroup c = cgroup(e.cgroup());
                PSet<Subsystem> mc = e.enabled() ? c.moveCharge().add(e.subsys()) : c.moveCharge().remove(e.subsys());
                put(c.withMoveCharge(mc));
            } else if (event instanceof NotifyOnReleaseSet e) {
                Cgroup c = cgroup(e.cgroup());
                put(c.withNotifyOnRelease(e.enabled()));
            } else if (event instanceof ReleaseNotified e) {
                cgroup(e.cgroup());
            } else if (event instanceof RmdirRefused e) {
                cgroup(e.cgroup());
            } else {
                throw new IllegalStateException("unhandled event " + event);
            }
            counters = new Counters(counters.nextHierarchy(), counters.nextCgroup(), counters.nextCssSet(),
                    counters.nextCss(), counters.maxPid(), counters.events() + 1);
        }

        private void initialized(LedgerInitialized e) {
            if (catalog != null) {
                throw new IllegalStateException("ledger initialized twice");
            }
            catalog = new Catalog(e.subsystems());
            pin = e.pin();
            rmdir = e.rmdir();
            List<CssId> roots = new ArrayList<>();
            for (Subsystem s : e.subsystems()) {
                CssId id = CssId.root(s);
                roots.add(id);
                css = css.put(id, new Css(id, CgroupId.DEFAULT_ROOT, null, 0, 0, Limit.MAX, CssState.ONLINE, 0,
                        PSet.empty(), PSet.empty()));
                bindings = bindings.put(s, HierarchyId.DEFAULT);
            }
            hierarchies = hierarchies.put(HierarchyId.DEFAULT,
                    new Hierarchy(HierarchyId.DEFAULT, "", e.subsystems(), List.of(), CgroupId.DEFAULT_ROOT));
            put(new Cgroup(CgroupId.DEFAULT_ROOT, HierarchyId.DEFAULT, null, "", PMap.empty(), IdSet.empty(State.PIDS),
                    roots, null, false, PSet.empty(), false));
            createSet(CssSetId.INITIAL, new CssSetKey(roots, List.of()), 1);
            put(new Task(Pid.INIT, CssSetId.INITIAL, PSet.empty(), counters.events() + 1));
            PMap<Subsystem, Integer> next = PMap.empty();
            for (Subsystem s : e.subsystems()) {
                next = next.put(s, 1);
            }
            counters = new Counters(1, 1, 1, next, 1, counters.events());
        }

        private void mounted(HierarchyMounted e) {
            if (hierarchies.containsKey(e.hierarchy()) || cgroups.containsKey(e.root())) {
                throw new IllegalStateException("hierarchy " + e.hierarchy() + " or cgroup " + e.root() + " exists");
            }
            if (e.createdKey() != null) {
                createSet(e.rootSet(), e.createdKey(), 0);
            }
            Hierarchy dfl = hierarchy(HierarchyId.DEFAULT);
            List<Subsystem> left = new ArrayList<>(dfl.subsystems());
            List<CssId> rootCss = new ArrayList<>();
            for (Subsystem s : e.subsystems()) {
                if (!bindings.getOrDefault(s, HierarchyId.DEFAULT).isDefault() || !left.remove(s)) {
                    throw new IllegalStateException("subsystem " + s + " is not in the default hierarchy");
                }
                bindings = bindings.put(s, e.hierarchy());
                Css root = css(CssId.root(s));
                css = css.put(root.id(), root.withCgroup(e.root()));
                rootCss.add(root.id());
            }
            hierarchies = hierarchies.put(HierarchyId.DEFAULT, dfl.withSubsystems(left));
            // the root css' move_charge_at_immigrate comes back with them, as their limits do (the
            // kernel keeps it in the root css; the model keeps it on the root cgroup holding them)
            Cgroup dflRoot = cgroup(CgroupId.DEFAULT_ROOT);
            PSet<Subsystem> moveCharge = PSet.empty();
            PSet<Subsystem> parked = dflRoot.moveCharge();
            for (Subsystem s : e.subsystems()) {
                if (parked.contains(s)) {
                    moveCharge = moveCharge.add(s);
                    parked = parked.remove(s);
                }
            }
            put(dflRoot.withMoveCharge(parked));
            IdSet<Pid> all = IdSet.copyOf(State.PIDS, tasks.keys());
            put(new Cgroup(e.root(), e.hierarchy(), null, "", PMap.empty(), all, rootCss, e.rootSet(), false,
                    moveCharge, false));
            refSet(e.rootSet(), +1);
            hierarchies = hierarchies.put(e.hierarchy(),
                    new Hierarchy(e.hierarchy(), e.name(), e.subsystems(), List.of(e.mountPoint()), e.root()));
            mountPoints = mountPoints.put(e.mountPoint(), e.hierarchy());
            counters = new Counters(Math.max(counters.nextHierarchy(), e.hierarchy().value() + 1),
                    Math.max(counters.nextCgroup(), e.root().value() + 1), counters.nextCssSet(), counters.nextCss(),
                    counters.maxPid(), counters.events());
        }

        private void destroyed(HierarchyDestroyed e) {
            Hierarchy h = hierarchy(e.hierarchy());
            Cgroup root = cgroup(h.root());
            if (!h.mountPoints().isEmpty() || !root.children().isEmpty()) {
                throw new IllegalStateException("hierarchy " + h.id() + " still mounted or has children");
            }
            Hierarchy dfl = hierarchy(HierarchyId.DEFAULT);
            List<Subsystem> back = new ArrayList<>(dfl.subsystems());
            back.addAll(h.subsystems());
            back.sort((a, b) -> Integer.compare(catalog.indexOf(a), catalog.indexOf(b)));
            hierarchies = hierarchies.put(HierarchyId.DEFAULT, dfl.withSubsystems(back));
            Cgroup dflRoot = cgroup(CgroupId.DEFAULT_ROOT);
            PSet<Subsystem> parked = dflRoot.moveCharge();
            for (Subsystem s : h.subsystems()) {
                bindings = bindings.put(s, HierarchyId.DEFAULT);
                Css c = css(CssId.root(s));
                css = css.put(c.id(), c.withCgroup(CgroupId.DEFAULT_ROOT));
                if (root.moveCharge().contains(s)) {
                    // kept with the root css while they are unbound (see mounted)
                    parked = parked.add(s);
                }
            }
            put(dflRoot.withMoveCharge(parked));
            refSet(root.ownSet(), -1);
            cgroups = cgroups.removeInt(Math.toIntExact(root.id().value()));
            hierarchies = hierarchies.remove(h.id());
        }

        private void created(CgroupCreated e) {
            Cgroup parent = cgroup(e.parent());
            if (parent.removed() || parent.children().containsKey(e.name()) || cgroups.containsKey(e.cgroup())) {
                throw new IllegalStateException("cannot create " + e.name() + " under " + e.parent());
            }
            PMap<Subsystem, Integer> next = counters.nextCss();
            for (CssId id : e.css()) {
                if (css.containsKey(id)) {
                    throw new IllegalStateException("css " + id + " exists");
                }
                CssId parentCss = null;
                for (CssId p : parent.css()) {
                    if (p.subsys().equals(id.subsys())) {
                        parentCss = p;
                    }
                }
                if (parentCss == null) {
                    throw new IllegalStateException("no parent css for " + id);
                }
                Css pc = css(parentCss);
                css = css.put(pc.id(), pc.withChildren(pc.children() + 1));
                css = css.put(id, new Css(id, e.cgroup(), parentCss, 0, 0, Limit.MAX, CssState.ONLINE, 0,
                        PSet.empty(), PSet.empty()));
                next = next.put(id.subsys(), Math.max(next.getOrDefault(id.subsys(), 1), id.serial() + 1));
            }
            put(parent.withChildren(parent.children().put(e.name(), e.cgroup())));
            put(new Cgroup(e.cgroup(), e.hierarchy(), e.parent(), e.name(), PMap.empty(), IdSet.empty(State.PIDS),
                    e.css(), e.ownSet(), parent.notifyOnRelease(), PSet.empty(), false));
            if (e.createdKey() != null) {
                createSet(e.ownSet(), e.createdKey(), 1);
            } else {
                refSet(e.ownSet(), +1);
            }
            counters = new Counters(counters.nextHierarchy(), Math.max(counters.nextCgroup(), e.cgroup().value() + 1),
                    counters.nextCssSet(), next, counters.maxPid(), counters.events());
        }

        private void removed(CgroupRemoved e) {
            Cgroup c = cgroup(e.cgroup());
            if (c.isRoot() || c.removed()) {
                throw new IllegalStateException("cannot remove cgroup " + c.id());
            }
            Cgroup parent = cgroup(c.parent());
            put(parent.withChildren(parent.children().remove(c.name())));
            CssState offline = rmdir == RmdirPolicy.UNCHECKED ? CssState.UNREACHABLE : CssState.DYING;
            for (CssId id : c.css()) {
                Css x = css(id);
                css = css.put(id, x.withState(offline));
            }
            refSet(c.ownSet(), -1);
            if (c.css().isEmpty() && !namedByPinnedSet(c)) {
                cgroups = cgroups.removeInt(Math.toIntExact(c.id().value()));
            } else {
                // its css unreleased, or (a hierarchy without subsystems) a css_set an object pins
                // still naming it: kept, removed, until they go, as the kernel keeps a dead cgroup
                put(c.asRemoved());
            }
        }

        /** Whether a live css_set that an object pins names cgroup {@code c} or one below it ({@link State#pinsNaming}). */
        private boolean namedByPinnedSet(Cgroup c) {
            return pin == PinPolicy.CSSSET && !State.pinsNaming(c, objects, cssSets, cgroups).isEmpty();
        }

        private void attached(TaskAttached e) {
            Task t = task(e.pid());
            if (!t.cssSet().equals(e.fromSet())) {
                throw new IllegalStateException("task " + e.pid() + " is on " + t.cssSet() + ", not " + e.fromSet());
            }
            CssSet to;
            if (e.createdKey() != null) {
                to = createSet(e.toSet(), e.createdKey(), 1);
            } else {
                to = set(e.toSet());
                refSet(to.id(), +1);
            }
            put(t.withCssSet(to.id()));
            refSet(e.fromSet(), -1);
            Cgroup from = cgroup(e.from());
            put(from.withTasks(from.tasks().remove(t.pid())));
            Cgroup dest = cgroup(e.to());
            put(dest.withTasks(dest.tasks().add(t.pid())));
            for (ObjectName name : e.moved()) {
                ChargedObject o = object(name);
                CssId newCss = to.key().css(catalog.indexOf(o.subsys()));
                addUsage(o.css(), -o.amount());
                addUsage(newCss, o.amount());
                Css oldC = css(o.css());
                css = css.put(oldC.id(), oldC.withCharged(oldC.charged().remove(name)));
                Css newC = css(newCss);
                css = css.put(newC.id(), newC.withCharged(newC.charged().add(name)));
                CssSetId newPin = null;
                if (o.pinnedSet() != null) {
                    unpinSet(o.pinnedSet(), name);
                    pinSet(to.id(), name);
                    newPin = to.id();
                } else {
                    refCss(o.css(), -1);
                    refCss(newCss, +1);
                }
                objects = objects.put(name, o.movedTo(newCss, newPin));
            }
        }

        private void forked(TaskForked e) {
            Task parent = task(e.parent());
            if (tasks.containsKey(e.child())) {
                throw new IllegalStateException("pid " + e.child() + " exists");
            }
            put(new Task(e.child(), parent.cssSet(), parent.holds(), counters.events() + 1));
            CssSet set = set(parent.cssSet());
            put(set.withRefcount(set.refcount() + 1));
            for (Hierarchy h : State.realHierarchies(hierarchies)) {
                Cgroup c = cgroup(cgroupIn(set.key(), h));
                put(c.withTasks(c.tasks().add(e.child())));
            }
            for (ObjectName name : parent.holds()) {
                ChargedObject o = object(name);
                objects = objects.put(name, o.withHolders(o.holders().add(e.child())));
            }
            counters = new Counters(counters.nextHierarchy(), counters.nextCgroup(), counters.nextCssSet(),
                    counters.nextCss(), Math.max(counters.maxPid(), e.child().value()), counters.events());
        }

        private void exited(TaskExited e) {
            Task t = task(e.pid());
            CssSetKey key = set(t.cssSet()).key();
            for (Hierarchy h : State.realHierarchies(hierarchies)) {
                Cgroup c = cgroup(cgroupIn(key, h));
                put(c.withTasks(c.tasks().remove(t.pid())));
            }
            for (ObjectName name : t.holds()) {
                ChargedObject o = object(name);
                objects = objects.put(name, o.withHolders(o.holders().remove(t.pid())));
            }
            tasks = tasks.removeInt(t.pid().value());
            refSet(t.cssSet(), -1);
        }

        private void charged(ObjectCharged e) {
            if (objects.containsKey(e.object())) {
                throw new IllegalStateException("object " + e.object() + " is already charged");
            }
            Task t = task(e.pid());
            Css c = css(e.css());
            // the charged css changes once (usage, objects, and under pin=css the reference the
            // object takes): one copy of its path instead of three
            css = css.put(c.id(), c.withCharges(c.usage() + e.amount(), c.refcount() + (e.pinnedSet() == null ? 1 : 0),
                    c.charged().add(e.object())));
            addUsage(c.parent(), e.amount());
            if (e.pinnedSet() != null) {
                pinSet(e.pinnedSet(), e.object());
            }
            put(t.withHolds(t.holds().add(e.object())));
            objects = objects.put(e.object(), new ChargedObject(e.object(), e.subsys(), e.css(), e.amount(),
                    e.cache(), PSet.<Pid>empty().add(e.pid()), e.pinnedSet(), e.pid(), counters.events() + 1));
        }

        private void released(ObjectReleased e) {
            ChargedObject o = object(e.object());
            for (Pid p : o.holders()) {
                Task t = task(p);
                put(t.withHolds(t.holds().remove(o.name())));
            }
            Css c = css(o.css());
            css = css.put(c.id(), c.withCharges(c.usage() - o.amount(), c.refcount() - (o.pinnedSet() == null ? 1 : 0),
                    c.charged().remove(o.name())));
            addUsage(c.parent(), -o.amount());
            if (o.pinnedSet() != null) {
                unpinSet(o.pinnedSet(), o.name());
            }
            objects = objects.remove(o.name());
        }

        private void freed(CssSetFreed e) {
            CssSet s = set(e.cssSet());
            if (s.refcount() != 0) {
                throw new IllegalStateException("css_set " + s.id() + " freed with refcount " + s.refcount());
            }
            cssSets = cssSets.removeInt(Math.toIntExact(s.id().serial()));
            if (s.id().equals(cssSetIndex.get(s.key()))) {
                cssSetIndex = cssSetIndex.remove(s.key());
            }
            for (int i = 0; i < s.key().size(); i++) {
                CssId id = s.key().css(i);
                refCss(id, -1);
                if (!id.isRoot() && pin == PinPolicy.CSSSET) {
                    Css x = css(id);
                    css = css.put(id, x.withSets(x.sets().remove(s.id())));
                }
            }
            // a removed cgroup (of a hierarchy without subsystems) this css_set named goes with the
            // last css_set naming it or a cgroup below it, and so do its removed parents kept for it
            for (CssSetKey.Member m : s.key().cgroups()) {
                for (Cgroup g = cgroups.get(m.cgroup());
                     g != null && g.removed() && g.css().isEmpty() && !namedByPinnedSet(g); ) {
                    cgroups = cgroups.removeInt(Math.toIntExact(g.id().value()));
                    g = g.parent() == null ? null : cgroups.get(g.parent());
                }
            }
        }

        private void cssReleased(CssReleased e) {
            Css c = css(e.css());
            if (c.isOnline() || c.refcount() != 0 || c.children() != 0) {
                throw new IllegalStateException("css " + c.id() + " released while " + c.state().label()
                        + " with refcount " + c.refcount() + " and " + c.children() + " child css");
            }
            css = css.remove(c.id());
            if (c.parent() != null) {
                Css p = css(c.parent());
                css = css.put(p.id(), p.withChildren(p.children() - 1));
            }
            Cgroup g = cgroups.get(c.cgroup());
            if (g != null && g.removed() && g.css().stream().noneMatch(css::containsKey)) {
                cgroups = cgroups.removeInt(Math.toIntExact(g.id().value()));
            }
        }

        /** Creates css_set {@code id} with {@code refcount} references already taken on it. */
        private CssSet createSet(CssSetId id, CssSetKey key, int refcount) {
            if (cssSets.containsKey(id)) {
                throw new IllegalStateException("css_set " + id + " exists");
            }
            if (key.size() != catalog.size()) {
                throw new IllegalStateException("css_set " + id + " tuple does not match the catalog");
            }
            CssSet set = new CssSet(id, key, refcount, PSet.empty());
            put(set);
            if (!cssSetIndex.containsKey(key)) {
                cssSetIndex = cssSetIndex.put(key, id);
            }
            for (int i = 0; i < key.size(); i++) {
                CssId c = key.css(i);
                refCss(c, +1);
                if (!c.isRoot() && pin == PinPolicy.CSSSET) {
                    Css x = css(c);
                    css = css.put(c, x.withSets(x.sets().add(id)));
                }
            }
            counters = new Counters(counters.nextHierarchy(), counters.nextCgroup(),
                    Math.max(counters.nextCssSet(), id.serial() + 1), counters.nextCss(), counters.maxPid(),
                    counters.events());
            return set;
        }

        /** The cgroup of hierarchy {@code h} that tuple {@code key} names, as {@link State#cgroupIn}. */
        private CgroupId cgroupIn(CssSetKey key, Hierarchy h) {
            return State.cgroupIn(key, h, catalog, css);
        }

        private void refSet(CssSetId id, int delta) {
            CssSet s = set(id);
            put(s.withRefcount(s.refcount() + delta));
        }

        private void pinSet(CssSetId id, ObjectName o) {
            CssSet s = set(id);
            put(s.withRefcount(s.refcount() + 1).withPinnedBy(s.pinnedBy().add(o)));
        }

        private void unpinSet(CssSetId id, ObjectName o) {
            CssSet s = set(id);
            put(s.withRefcount(s.refcount() - 1).withPinnedBy(s.pinnedBy().remove(o)));
        }

        private void refCss(CssId id, int delta) {
            Css c = css(id);
            css = css.put(id, c.withRefcount(c.refcount() + delta));
        }

        /** Adds {@code amount} to the usage of {@code id} and every ancestor. */
        private void addUsage(CssId id, long amount) {
            for (CssId x = id; x != null; ) {
                Css c = css(x);
                css = css.put(x, c.withUsage(c.usage() + amount));
                x = c.parent();
            }
        }

        /** Stores {@code t} under its pid (by int: see {@link IdMap#putInt}). */
        private void put(Task t) {
            tasks = tasks.putInt(t.pid().value(), t);
        }

        private void put(Cgroup c) {
            cgroups = cgroups.putInt(Math.toIntExact(c.id().value()), c);
        }

        private void put(CssSet s) {
            cssSets = cssSets.putInt(Math.toIntExact(s.id().serial()), s);
        }

        /** {@code value}, which the event says exists; a journal that says otherwise is corrupt. */
        private static <T> T existing(T value, String what, Object id) {
            if (value == null) {
                throw new IllegalStateException("no " + what + " " + id);
            }
            return value;
        }

        private Hierarchy hierarchy(HierarchyId id) {
            return existing(hierarchies.get(id), "hierarchy", id);
        }

        private Cgroup cgroup(CgroupId id) {
            return existing(cgroups.getInt((int) id.value()), "cgroup", id);
        }

        private Css css(CssId id) {
            return existing(css.get(id), "css", id);
        }

        private CssSet set(CssSetId id) {
            return existing(cssSets.getInt((int) id.serial()), "css_set", id);
        }

        private Task task(Pid pid) {
            return existing(tasks.getInt(pid.value()), "task", pid);
        }

        private ChargedObject object(ObjectName name) {
            return existing(objects.get(name), "object", name);
        }
    }
}
