package org.cgledger.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.TreeMap;
import java.util.function.Function;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Limit;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
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
import org.cgledger.persistence.ModelSnapshot.CgroupDto;
import org.cgledger.persistence.ModelSnapshot.CountersDto;
import org.cgledger.persistence.ModelSnapshot.CssDto;
import org.cgledger.persistence.ModelSnapshot.CssSetDto;
import org.cgledger.persistence.ModelSnapshot.HierarchyDto;
import org.cgledger.persistence.ModelSnapshot.ObjectDto;
import org.cgledger.persistence.ModelSnapshot.TaskDto;

/** Converts the model to its snapshot form and back; {@code decode(encode(s))} equals {@code s}. */
final class StateCodec {

    private StateCodec() {
    }

    static ModelSnapshot encode(State s, Map<String, Long> streams) {
        List<HierarchyDto> hs = new ArrayList<>();
        s.hierarchies().forEach((id, h) -> hs.add(new HierarchyDto(id.value(), h.name(), names(h.subsystems()),
                h.mountPoints(), h.root().value())));
        List<CgroupDto> cgs = new ArrayList<>();
        s.cgroups().forEach((id, c) -> {
            Map<String, Long> children = new TreeMap<>();
            c.children().forEach((n, cid) -> children.put(n, cid.value()));
            cgs.add(new CgroupDto(id.value(), c.hierarchy().value(), c.parent() == null ? null : c.parent().value(),
                    c.name(), children, map(c.tasks().sorted(null), Pid::value), c.css(),
                    c.ownSet() == null ? null : c.ownSet().serial(), c.notifyOnRelease(),
                    names(c.moveCharge().sorted(null)), c.removed()));
        });
        List<CssDto> css = new ArrayList<>();
        s.css().forEach((id, c) -> css.add(new CssDto(id, c.cgroup().value(), c.parent(), c.refcount(), c.usage(),
                c.limit().value(), c.state().name(), c.children(), map(c.charged().sorted(null), ObjectName::value),
                map(c.sets().sorted(null), CssSetId::serial))));
        List<CssSetDto> sets = new ArrayList<>();
        s.cssSets().forEach((id, set) -> sets.add(new CssSetDto(id.serial(), set.key(), set.refcount(),
                map(set.pinnedBy().sorted(null), ObjectName::value))));
        List<Long> interned = new ArrayList<>();
        s.cssSetIndex().forEach((k, id) -> interned.add(id.serial()));
        interned.sort(null);
        List<TaskDto> tasks = new ArrayList<>();
        s.tasks().forEach((pid, t) -> tasks.add(new TaskDto(pid.value(), t.cssSet().serial(),
                map(t.holds().sorted(null), ObjectName::value), t.forkedAt())));
        List<ObjectDto> objects = new ArrayList<>();
        s.objects().forEach((n, o) -> objects.add(new ObjectDto(n.value(), o.subsys().name(), o.css(), o.amount(),
                o.cache(), map(o.holders().sorted(null), Pid::value),
                o.pinnedSet() == null ? null : o.pinnedSet().serial(), o.chargedBy().value(), o.chargedAt())));
        Counters k = s.counters();
        Map<String, Integer> nextCss = new TreeMap<>();
        k.nextCss().forEach((sub, n) -> nextCss.put(sub.name(), n));
        return new ModelSnapshot(ModelSnapshot.VERSION, s.lastEvent(), new TreeMap<>(streams),
                names(s.catalog().subsystems()), s.pin(), s.rmdir(), hs, cgs, css, sets, interned, tasks, objects,
                new CountersDto(k.nextHierarchy(), k.nextCgroup(), k.nextCssSet(), nextCss, k.maxPid(), k.events()));
    }

    static State decode(ModelSnapshot m) {
        Catalog catalog = new Catalog(map(m.catalog(), Subsystem::new));
        PMap<HierarchyId, Hierarchy> hierarchies = PMap.empty();
        PMap<Subsystem, HierarchyId> bindings = PMap.empty();
        PMap<String, HierarchyId> mountPoints = PMap.empty();
        for (HierarchyDto h : m.hierarchies()) {
            HierarchyId id = new HierarchyId(h.id());
            hierarchies = hierarchies.put(id, new Hierarchy(id, h.name(), map(h.subsystems(), Subsystem::new),
                    h.mountPoints(), new CgroupId(h.root())));
            for (String sub : h.subsystems()) {
                bindings = bindings.put(new Subsystem(sub), id);
            }
            for (String mp : h.mountPoints()) {
                mountPoints = mountPoints.put(mp, id);
            }
        }
        // the big maps are built at once, not by one put after another (a 100,000-task snapshot
        // loads in half the time), and in two halves on two threads (0.1 s less on two cores)
        CompletableFuture<Structure> structure = CompletableFuture.supplyAsync(() -> structure(m), r -> {
            Thread t = new Thread(r, "cgledger-snapshot");
            t.setDaemon(true);
            t.start();
        });
        IdMap.Builder<CssSetId, CssSet> sets = IdMap.builder(State.CSS_SETS);
        for (CssSetDto s : m.cssSets()) {
            sets.put(new CssSetId(s.id()), new CssSet(new CssSetId(s.id()), s.key(), s.refcount(),
                    PSet.copyOf(map(s.pinnedBy(), ObjectName::new))));
        }
        IdMap<CssSetId, CssSet> setMap = sets.build();
        List<org.cgledger.core.model.CssSetKey> keys = new ArrayList<>(m.interned().size());
        List<CssSetId> interned = new ArrayList<>(m.interned().size());
        for (Long id : m.interned()) {
            CssSetId set = new CssSetId(id);
            keys.add(setMap.get(set).key());
            interned.add(set);
        }
        PMap<org.cgledger.core.model.CssSetKey, CssSetId> index = PMap.hashedOf(keys, interned);
        IdMap.Builder<Pid, Task> tasks = IdMap.builder(State.PIDS);
        for (TaskDto t : m.tasks()) {
            tasks.put(new Pid(t.pid()), new Task(new Pid(t.pid()), new CssSetId(t.cssSet()),
                    PSet.copyOf(map(t.holds(), ObjectName::new)), t.forkedAt()));
        }
        Structure st;
        try {
            st = structure.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        CountersDto k = m.counters();
        PMap<Subsystem, Integer> nextCss = PMap.empty();
        for (Map.Entry<String, Integer> e : k.nextCss().entrySet()) {
            nextCss = nextCss.put(new Subsystem(e.getKey()), e.getValue());
        }
        return new State(catalog, m.pin(), m.rmdir(), hierarchies, bindings, mountPoints, st.cgroups(), st.css(),
                setMap, index, tasks.build(), st.objects(), new Counters(k.nextHierarchy(), k.nextCgroup(),
                k.nextCssSet(), nextCss, k.maxPid(), k.events()));
    }

    /** The cgroups, css and objects of a snapshot: the half of the model the tasks do not reach. */
    private record Structure(IdMap<CgroupId, Cgroup> cgroups, CssMap css,
                             PMap<ObjectName, ChargedObject> objects) {
    }

    private static Structure structure(ModelSnapshot m) {
        IdMap.Builder<CgroupId, Cgroup> cgroups = IdMap.builder(State.CGROUPS);
        for (CgroupDto c : m.cgroups()) {
            List<String> names = new ArrayList<>(c.children().keySet());
            List<CgroupId> ids = new ArrayList<>(names.size());
            for (String name : names) {
                ids.add(new CgroupId(c.children().get(name)));
            }
            PMap<String, CgroupId> children = PMap.of(names, ids);
            cgroups.put(new CgroupId(c.id()), new Cgroup(new CgroupId(c.id()), new HierarchyId(c.hierarchy()),
                    c.parent() == null ? null : new CgroupId(c.parent()), c.name(), children,
                    IdSet.copyOf(State.PIDS, map(c.tasks(), Pid::new)), c.css(), c.ownSet() == null ? null : new CssSetId(c.ownSet()),
                    c.notifyOnRelease(), PSet.copyOf(map(c.moveCharge(), Subsystem::new)), c.removed()));
        }
        CssMap css = CssMap.empty();
        for (CssDto c : m.css()) {
            css = css.put(c.id(), new Css(c.id(), new CgroupId(c.cgroup()), c.parent(), c.refcount(), c.usage(),
                    new Limit(c.limit()), CssState.valueOf(c.state()), c.children(),
                    PSet.copyOf(map(c.charged(), ObjectName::new)), PSet.copyOf(map(c.sets(), CssSetId::new))));
        }
        PMap<ObjectName, ChargedObject> objects = PMap.empty();
        for (ObjectDto o : m.objects()) {
            objects = objects.put(new ObjectName(o.name()), new ChargedObject(new ObjectName(o.name()),
                    new Subsystem(o.subsys()), o.css(), o.amount(), o.cache(), PSet.copyOf(map(o.holders(), Pid::new)),
                    o.pinnedSet() == null ? null : new CssSetId(o.pinnedSet()), new Pid(o.chargedBy()), o.chargedAt()));
        }
        return new Structure(cgroups.build(), css, objects);
    }

    private static List<String> names(List<Subsystem> subs) {
        return map(subs, Subsystem::name);
    }

    private static <A, B> List<B> map(List<A> in, Function<A, B> f) {
        List<B> out = new ArrayList<>(in.size());
        for (A a : in) {
            out.add(f.apply(a));
        }
        return out;
    }
}
