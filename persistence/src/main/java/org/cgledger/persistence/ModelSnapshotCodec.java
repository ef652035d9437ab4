package org.cgledger.persistence;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
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
import org.cgledger.persistence.ModelSnapshot.CgroupDto;
import org.cgledger.persistence.ModelSnapshot.CountersDto;
import org.cgledger.persistence.ModelSnapshot.CssDto;
import org.cgledger.persistence.ModelSnapshot.CssSetDto;
import org.cgledger.persistence.ModelSnapshot.HierarchyDto;
import org.cgledger.persistence.ModelSnapshot.ObjectDto;
import org.cgledger.persistence.ModelSnapshot.TaskDto;

/**
 * The model snapshot in a compact binary form: the same fields as {@link ModelSnapshot}, in its
 * order, big-endian ({@link DataOutputStream}), subsystem names written once and referred to by
 * index. Opening a ledger decodes the whole snapshot before its first command; Jackson's CBOR
 * took 1.0-1.4 s for a 100,000-task model in a one-shot (C1) process, this a fraction of it
 * (README). Versioned by {@link #FORMAT}; a later shape gets a new format number and this one
 * stays readable: format 1 had no task's fork event ({@link TaskDto#forkedAt}), which reads as 0,
 * not known. Snapshots stored as CBOR or JSON by earlier builds still decode ({@link StoredCodec}).
 */
final class ModelSnapshotCodec {

    /** Written first: "CGLM". */
    private static final int MAGIC = 0x43474c4d;

    /** The layout of this class: 2 added each task's fork event; 1 is still read. */
    static final int FORMAT = 2;

    private static final long NONE = Long.MIN_VALUE;

    /** Css serials up to this share one {@link CssId} per subsystem as a snapshot decodes. */
    private static final int MAX_CACHED_SERIAL = 1 << 22;

    private ModelSnapshotCodec() {
    }

    static byte[] encode(ModelSnapshot m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            new Writer(out).snapshot(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ModelSnapshot decode(byte[] bytes) throws IOException {
        try {
            return new Reader(ByteBuffer.wrap(bytes)).snapshot();
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("model snapshot cut short or damaged (" + e + ")", e);
        }
    }

    /** What opening needs of a snapshot: where it stands in the journal, and the model. */
    record Decoded(long seq, Map<String, Long> streams, State state) {
    }

    /**
     * Decodes a snapshot straight into the model: the fields {@link #decode} reads, built into
     * core's types as they are read, with no {@link ModelSnapshot} in between (no boxed numbers,
     * lists or records per task and css_set). Equal to {@code StateCodec.decode(decode(bytes))}
     * (tested). The 1,000,000-event ledger's snapshot (100,000 tasks, 94,000 css_sets) in a new
     * C1-only process, ten alternating runs: 156-249 ms (median 175) against 268-424 ms (median 300)
     * for the two steps, which used two threads.
     */
    static Decoded decodeState(byte[] bytes) throws IOException {
        try {
            return new StateReader(ByteBuffer.wrap(bytes)).decoded();
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("model snapshot cut short or damaged (" + e + ")", e);
        }
    }

    /** The snapshot's place in the journal alone (its first fields), with a null state. */
    static Decoded decodeHead(byte[] bytes) throws IOException {
        try {
            StateReader r = new StateReader(ByteBuffer.wrap(bytes));
            long seq = r.head();
            return new Decoded(seq, r.streams(), null);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("model snapshot cut short or damaged (" + e + ")", e);
        }
    }

    private static final class StateReader {
        final In in;
        /** The layout read ({@link #FORMAT} or an earlier one), known once {@link #head} has run. */
        int format;
        /** Every subsystem by name, one instance each: the catalog's where it names one. */
        final Map<String, Subsystem> byName = new HashMap<>();
        Subsystem[] subsystems;
        CssId[][] cssBySerial;
        final Map<CssSetKey.Member, CssSetKey.Member> members = new HashMap<>();

        StateReader(ByteBuffer buffer) {
            this.in = new In(buffer);
        }

        /** Reads the first fields, up to the streams; returns the sequence number. */
        long head() throws IOException {
            format = in.readStart();
            in.readInt();
            return in.readLong();
        }

        Map<String, Long> streams() throws IOException {
            int n = in.readInt();
            Map<String, Long> streams = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                streams.put(in.readUTF(), in.readLong());
            }
            return streams;
        }

        Decoded decoded() throws IOException {
            long seq = head();
            Map<String, Long> streams = streams();
            List<Subsystem> catalog = subsystems();
            int n = in.readInt();
            subsystems = new Subsystem[n];
            for (int i = 0; i < n; i++) {
                subsystems[i] = subsystem(in.readUTF());
            }
            cssBySerial = new CssId[n][];
            PinPolicy pin = PinPolicy.valueOf(in.readUTF());
            RmdirPolicy rmdir = RmdirPolicy.valueOf(in.readUTF());
            PMap<HierarchyId, Hierarchy> hierarchies = PMap.empty();
            PMap<Subsystem, HierarchyId> bindings = PMap.empty();
            PMap<String, HierarchyId> mountPoints = PMap.empty();
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                HierarchyId id = new HierarchyId(in.readInt());
                String name = in.readUTF();
                List<Subsystem> subs = subsystems();
                List<String> mps = in.readStrings();
                hierarchies = hierarchies.put(id, new Hierarchy(id, name, subs, mps, new CgroupId(in.readLong())));
                for (Subsystem sub : subs) {
                    bindings = bindings.put(sub, id);
                }
                for (String mp : mps) {
                    mountPoints = mountPoints.put(mp, id);
                }
            }
            IdMap<CgroupId, Cgroup> cgroups = cgroups();
            CssMap cssMap = cssMap();
            IdMap.Builder<CssSetId, CssSet> sets = IdMap.builder(State.CSS_SETS);
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                CssSet set = cssSet();
                sets.put(set.id(), set);
            }
            IdMap<CssSetId, CssSet> setMap = sets.build();
            n = in.readInt();
            List<CssSetKey> keys = new ArrayList<>(n);
            List<CssSetId> interned = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                CssSet set = setMap.getInt(Math.toIntExact(in.readLong()));
                keys.add(set.key());
                interned.add(set.id());
            }
            PMap<CssSetKey, CssSetId> index = PMap.hashedOf(keys, interned);
            IdMap.Builder<Pid, Task> tasks = IdMap.builder(State.PIDS);
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                Task t = task();
                tasks.put(t.pid(), t);
            }
            PMap<ObjectName, ChargedObject> objects = PMap.empty();
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                ChargedObject o = object();
                objects = objects.put(o.name(), o);
            }
            int nextHierarchy = in.readInt();
            long nextCgroup = in.readLong();
            long nextCssSet = in.readLong();
            n = in.readInt();
            PMap<Subsystem, Integer> nextCss = PMap.empty();
            for (int i = 0; i < n; i++) {
                nextCss = nextCss.put(subsystem(in.readUTF()), in.readInt());
            }
            Counters counters = new Counters(nextHierarchy, nextCgroup, nextCssSet, nextCss, in.readInt(),
                    in.readLong());
            if (in.buffer.hasRemaining()) {
                throw new IOException("model snapshot has bytes after its end");
            }
            State state = new State(new Catalog(catalog), pin, rmdir, hierarchies, bindings, mountPoints, cgroups,
                    cssMap, setMap, index, tasks.build(), objects, counters);
            return new Decoded(seq, streams, state);
        }

        private IdMap<CgroupId, Cgroup> cgroups() throws IOException {
            IdMap.Builder<CgroupId, Cgroup> cgroups = IdMap.builder(State.CGROUPS);
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                Cgroup c = cgroup();
                cgroups.put(c.id(), c);
            }
            return cgroups.build();
        }

        // One element per call, in the sections' loops below and above: a method is compiled once
        // it has been called a few hundred times, while a loop's own body waits for tens of
        // thousands of iterations (on-stack replacement), interpreted meanwhile: most of a
        // one-shot command's decoding was.

        private Cgroup cgroup() throws IOException {
            CgroupId id = new CgroupId(in.readLong());
            HierarchyId hierarchy = new HierarchyId(in.readInt());
            CgroupId parent = optional(in.readLong(), CgroupId::new);
            String name = in.readUTF();
            int children = in.readInt();
            List<String> names = new ArrayList<>(children);
            List<CgroupId> ids = new ArrayList<>(children);
            for (int j = 0; j < children; j++) {
                names.add(in.readUTF());
                ids.add(new CgroupId(in.readLong()));
            }
            int ntasks = in.readInt();
            int[] pids = new int[ntasks];
            for (int j = 0; j < ntasks; j++) {
                pids[j] = in.readInt();
            }
            int ncss = in.readInt();
            CssId[] cssIds = new CssId[ncss];
            for (int j = 0; j < ncss; j++) {
                cssIds[j] = css();
            }
            CssSetId ownSet = optional(in.readLong(), CssSetId::new);
            boolean notify = in.readBoolean();
            PSet<Subsystem> moveCharge = PSet.copyOf(subsystems());
            return new Cgroup(id, hierarchy, parent, name, PMap.of(names, ids), IdSet.ofIndexes(State.PIDS, pids),
                    Arrays.asList(cssIds), ownSet, notify, moveCharge, in.readBoolean());
        }

        private CssSet cssSet() throws IOException {
            CssSetId id = new CssSetId(in.readLong());
            int size = in.readInt();
            CssId[] keyCss = new CssId[size];
            for (int j = 0; j < size; j++) {
                keyCss[j] = css();
            }
            int members = in.readInt();
            CssSetKey.Member[] keyCgroups = new CssSetKey.Member[members];
            for (int j = 0; j < members; j++) {
                keyCgroups[j] = member(in.readInt(), in.readLong());
            }
            return new CssSet(id, new CssSetKey(Arrays.asList(keyCss), Arrays.asList(keyCgroups)), in.readInt(),
                    objectNames());
        }

        private Task task() throws IOException {
            Pid pid = new Pid(in.readInt());
            CssSetId set = new CssSetId(in.readLong());
            PSet<ObjectName> holds = objectNames();
            return new Task(pid, set, holds, format >= 2 ? in.readLong() : Task.UNKNOWN);
        }

        private ChargedObject object() throws IOException {
            ObjectName name = new ObjectName(in.readUTF());
            Subsystem sub = subsystem(in.readUTF());
            CssId at = css();
            long amount = in.readLong();
            boolean cache = in.readBoolean();
            PSet<Pid> holders = pids();
            CssSetId pinned = optional(in.readLong(), CssSetId::new);
            return new ChargedObject(name, sub, at, amount, cache, holders, pinned, new Pid(in.readInt()),
                    in.readLong());
        }

        private CssMap cssMap() throws IOException {
            CssMap map = CssMap.empty();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                Css c = cssState();
                map = map.put(c.id(), c);
            }
            return map;
        }

        private Css cssState() throws IOException {
            CssId id = css();
            CgroupId cgroup = new CgroupId(in.readLong());
            CssId parent = in.readBoolean() ? css() : null;
            int refcount = in.readInt();
            long usage = in.readLong();
            Limit limit = new Limit(in.readLong());
            CssState state = CssState.valueOf(in.readUTF());
            int children = in.readInt();
            PSet<ObjectName> charged = objectNames();
            int nsets = in.readInt();
            List<CssSetId> sets = new ArrayList<>(nsets);
            for (int j = 0; j < nsets; j++) {
                sets.add(new CssSetId(in.readLong()));
            }
            return new Css(id, cgroup, parent, refcount, usage, limit, state, children, charged, PSet.copyOf(sets));
        }

        private Subsystem subsystem(String name) {
            return byName.computeIfAbsent(name, Subsystem::new);
        }

        private List<Subsystem> subsystems() throws IOException {
            int n = in.readInt();
            List<Subsystem> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(subsystem(in.readUTF()));
            }
            return out;
        }

        private PSet<ObjectName> objectNames() throws IOException {
            int n = in.readInt();
            if (n == 0) {
                return PSet.empty();
            }
            List<ObjectName> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new ObjectName(in.readUTF()));
            }
            return PSet.copyOf(out);
        }

        private PSet<Pid> pids() {
            int n = in.readInt();
            if (n == 0) {
                return PSet.empty();
            }
            List<Pid> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Pid(in.readInt()));
            }
            return PSet.copyOf(out);
        }

        /**
         * One instance per css id, by subsystem and serial: 100,000 css_set keys name a few
         * thousand css, and boxing every id into a map key cost more than the rest of the key.
         */
        private CssId css() throws IOException {
            int subsystem = in.readShort();
            int serial = in.readInt();
            if (subsystem < 0 || subsystem >= subsystems.length) {
                throw new IOException("css names subsystem #" + subsystem + " of " + subsystems.length);
            }
            if (serial < 0 || serial >= MAX_CACHED_SERIAL) {
                return new CssId(subsystems[subsystem], serial);
            }
            CssId[] known = cssBySerial[subsystem];
            if (known == null || serial >= known.length) {
                known = Arrays.copyOf(known == null ? new CssId[0] : known, Math.max(serial + 1, 2 * (known == null
                        ? 64 : known.length)));
                cssBySerial[subsystem] = known;
            }
            CssId id = known[serial];
            if (id == null) {
                id = new CssId(subsystems[subsystem], serial);
                known[serial] = id;
            }
            return id;
        }

        /** One instance per member: a hierarchy without subsystems puts one in nearly every css_set key. */
        private CssSetKey.Member member(int hierarchy, long cgroup) {
            return members.computeIfAbsent(new CssSetKey.Member(new HierarchyId(hierarchy), new CgroupId(cgroup)),
                    m -> m);
        }

        private static <T> T optional(long x, java.util.function.LongFunction<T> f) {
            return x == NONE ? null : f.apply(x);
        }
    }

    private static final class Writer {
        final DataOutputStream out;
        final Map<String, Integer> subsystems = new HashMap<>();

        Writer(DataOutputStream out) {
            this.out = out;
        }

        void snapshot(ModelSnapshot m) throws IOException {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(m.v());
            out.writeLong(m.seq());
            out.writeInt(m.streams().size());
            for (Map.Entry<String, Long> e : m.streams().entrySet()) {
                utf(e.getKey());
                out.writeLong(e.getValue());
            }
            strings(m.catalog());
            // every subsystem name a css id may name: the catalog's, then any other met on the way
            List<String> names = new ArrayList<>(m.catalog());
            for (String s : names) {
                subsystems.putIfAbsent(s, subsystems.size());
            }
            collectSubsystems(m, names);
            strings(names);
            utf(m.pin().name());
            utf(m.rmdir().name());
            out.writeInt(m.hierarchies().size());
            for (HierarchyDto h : m.hierarchies()) {
                out.writeInt(h.id());
                utf(h.name());
                strings(h.subsystems());
                strings(h.mountPoints());
                out.writeLong(h.root());
            }
            out.writeInt(m.cgroups().size());
            for (CgroupDto c : m.cgroups()) {
                out.writeLong(c.id());
                out.writeInt(c.hierarchy());
                out.writeLong(c.parent() == null ? NONE : c.parent());
                utf(c.name());
                out.writeInt(c.children().size());
                for (Map.Entry<String, Long> e : c.children().entrySet()) {
                    utf(e.getKey());
                    out.writeLong(e.getValue());
                }
                ints(c.tasks());
                out.writeInt(c.css().size());
                for (CssId id : c.css()) {
                    css(id);
                }
                out.writeLong(c.ownSet() == null ? NONE : c.ownSet());
                out.writeBoolean(c.notifyOnRelease());
                strings(c.moveCharge());
                out.writeBoolean(c.removed());
            }
            out.writeInt(m.css().size());
            for (CssDto c : m.css()) {
                css(c.id());
                out.writeLong(c.cgroup());
                out.writeBoolean(c.parent() != null);
                if (c.parent() != null) {
                    css(c.parent());
                }
                out.writeInt(c.refcount());
                out.writeLong(c.usage());
                out.writeLong(c.limit());
                utf(c.state());
                out.writeInt(c.children());
                strings(c.charged());
                longs(c.sets());
            }
            out.writeInt(m.cssSets().size());
            for (CssSetDto s : m.cssSets()) {
                out.writeLong(s.id());
                out.writeInt(s.key().size());
                for (CssId id : s.key().css()) {
                    css(id);
                }
                out.writeInt(s.key().cgroups().size());
                for (CssSetKey.Member member : s.key().cgroups()) {
                    out.writeInt(member.hierarchy().value());
                    out.writeLong(member.cgroup().value());
                }
                out.writeInt(s.refcount());
                strings(s.pinnedBy());
            }
            longs(m.interned());
            out.writeInt(m.tasks().size());
            for (TaskDto t : m.tasks()) {
                out.writeInt(t.pid());
                out.writeLong(t.cssSet());
                strings(t.holds());
                out.writeLong(t.forkedAt());
            }
            out.writeInt(m.objects().size());
            for (ObjectDto o : m.objects()) {
                utf(o.name());
                utf(o.subsys());
                css(o.css());
                out.writeLong(o.amount());
                out.writeBoolean(o.cache());
                ints(o.holders());
                out.writeLong(o.pinnedSet() == null ? NONE : o.pinnedSet());
                out.writeInt(o.chargedBy());
                out.writeLong(o.chargedAt());
            }
            CountersDto k = m.counters();
            out.writeInt(k.nextHierarchy());
            out.writeLong(k.nextCgroup());
            out.writeLong(k.nextCssSet());
            out.writeInt(k.nextCss().size());
            for (Map.Entry<String, Integer> e : k.nextCss().entrySet()) {
                utf(e.getKey());
                out.writeInt(e.getValue());
            }
            out.writeInt(k.maxPid());
            out.writeLong(k.events());
        }

        private void collectSubsystems(ModelSnapshot m, List<String> names) {
            List<CssId> seen = new ArrayList<>();
            m.cgroups().forEach(c -> seen.addAll(c.css()));
            m.css().forEach(c -> {
                seen.add(c.id());
                if (c.parent() != null) {
                    seen.add(c.parent());
                }
            });
            m.cssSets().forEach(s -> seen.addAll(s.key().css()));
            m.objects().forEach(o -> seen.add(o.css()));
            for (CssId id : seen) {
                if (subsystems.putIfAbsent(id.subsys().name(), subsystems.size()) == null) {
                    names.add(id.subsys().name());
                }
            }
        }

        private void utf(String x) throws IOException {
            byte[] b = x.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        private void css(CssId id) throws IOException {
            out.writeShort(subsystems.get(id.subsys().name()));
            out.writeInt(id.serial());
        }

        private void strings(List<String> xs) throws IOException {
            out.writeInt(xs.size());
            for (String x : xs) {
                utf(x);
            }
        }

        private void ints(List<Integer> xs) throws IOException {
            out.writeInt(xs.size());
            for (int x : xs) {
                out.writeInt(x);
            }
        }

        private void longs(List<Long> xs) throws IOException {
            out.writeInt(xs.size());
            for (long x : xs) {
                out.writeLong(x);
            }
        }
    }

    /** Reads from a buffer: {@code DataInputStream} locks its stream for every byte. */
    private static final class Reader {
        final In in;
        Subsystem[] subsystems;
        /** One instance per id: 100,000 css_set keys name few css. */
        final Map<Long, CssId> css = new HashMap<>();

        Reader(ByteBuffer buffer) {
            this.in = new In(buffer);
        }

        ModelSnapshot snapshot() throws IOException {
            int format = in.readStart();
            int v = in.readInt();
            long seq = in.readLong();
            int n = in.readInt();
            Map<String, Long> streams = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                streams.put(in.readUTF(), in.readLong());
            }
            List<String> catalog = strings();
            List<String> names = strings();
            subsystems = new Subsystem[names.size()];
            for (int i = 0; i < subsystems.length; i++) {
                subsystems[i] = new Subsystem(names.get(i));
            }
            PinPolicy pin = PinPolicy.valueOf(in.readUTF());
            RmdirPolicy rmdir = RmdirPolicy.valueOf(in.readUTF());
            n = in.readInt();
            List<HierarchyDto> hierarchies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                hierarchies.add(new HierarchyDto(in.readInt(), in.readUTF(), strings(), strings(), in.readLong()));
            }
            n = in.readInt();
            List<CgroupDto> cgroups = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                int hierarchy = in.readInt();
                Long parent = optional(in.readLong());
                String name = in.readUTF();
                int children = in.readInt();
                Map<String, Long> kids = new LinkedHashMap<>();
                for (int j = 0; j < children; j++) {
                    kids.put(in.readUTF(), in.readLong());
                }
                List<Integer> tasks = ints();
                int ncss = in.readInt();
                List<CssId> cssIds = new ArrayList<>(ncss);
                for (int j = 0; j < ncss; j++) {
                    cssIds.add(css());
                }
                cgroups.add(new CgroupDto(id, hierarchy, parent, name, kids, tasks, cssIds, optional(in.readLong()),
                        in.readBoolean(), strings(), in.readBoolean()));
            }
            n = in.readInt();
            List<CssDto> cssList = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                CssId id = css();
                long cgroup = in.readLong();
                CssId parent = in.readBoolean() ? css() : null;
                cssList.add(new CssDto(id, cgroup, parent, in.readInt(), in.readLong(), in.readLong(), in.readUTF(),
                        in.readInt(), strings(), longs()));
            }
            n = in.readInt();
            List<CssSetDto> sets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                int size = in.readInt();
                List<CssId> keyCss = new ArrayList<>(size);
                for (int j = 0; j < size; j++) {
                    keyCss.add(css());
                }
                int members = in.readInt();
                List<CssSetKey.Member> keyCgroups = new ArrayList<>(members);
                for (int j = 0; j < members; j++) {
                    keyCgroups.add(new CssSetKey.Member(new HierarchyId(in.readInt()), new CgroupId(in.readLong())));
                }
                sets.add(new CssSetDto(id, new CssSetKey(keyCss, keyCgroups), in.readInt(), strings()));
            }
            List<Long> interned = longs();
            n = in.readInt();
            List<TaskDto> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int pid = in.readInt();
                long set = in.readLong();
                List<String> holds = strings();
                tasks.add(new TaskDto(pid, set, holds, format >= 2 ? in.readLong() : Task.UNKNOWN));
            }
            n = in.readInt();
            List<ObjectDto> objects = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                objects.add(new ObjectDto(in.readUTF(), in.readUTF(), css(), in.readLong(), in.readBoolean(), ints(),
                        optional(in.readLong()), in.readInt(), in.readLong()));
            }
            int nextHierarchy = in.readInt();
            long nextCgroup = in.readLong();
            long nextCssSet = in.readLong();
            n = in.readInt();
            Map<String, Integer> nextCss = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                nextCss.put(in.readUTF(), in.readInt());
            }
            CountersDto counters = new CountersDto(nextHierarchy, nextCgroup, nextCssSet, nextCss, in.readInt(),
                    in.readLong());
            if (in.buffer.hasRemaining()) {
                throw new IOException("model snapshot has bytes after its end");
            }
            return new ModelSnapshot(v, seq, streams, catalog, pin, rmdir, hierarchies, cgroups, cssList, sets, interned,
                    tasks, objects, counters);
        }

        private CssId css() throws IOException {
            int subsystem = in.readShort();
            int serial = in.readInt();
            if (subsystem < 0 || subsystem >= subsystems.length) {
                throw new IOException("css names subsystem #" + subsystem + " of " + subsystems.length);
            }
            return css.computeIfAbsent(((long) subsystem << 32) | (serial & 0xffffffffL),
                    k -> new CssId(subsystems[subsystem], serial));
        }

        private static Long optional(long x) {
            return x == NONE ? null : x;
        }

        private List<String> strings() throws IOException {
            return in.readStrings();
        }

        private List<Integer> ints() throws IOException {
            int n = in.readInt();
            List<Integer> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(in.readInt());
            }
            return out;
        }

        private List<Long> longs() throws IOException {
            int n = in.readInt();
            List<Long> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(in.readLong());
            }
            return out;
        }
    }

    /** The few reads the format needs, on a buffer. */
    private record In(ByteBuffer buffer) {
        int readInt() {
            return buffer.getInt();
        }

        long readLong() {
            return buffer.getLong();
        }

        short readShort() {
            return buffer.getShort();
        }

        boolean readBoolean() {
            return buffer.get() != 0;
        }

        /** The magic number and the format, checked; returns the format. */
        int readStart() throws IOException {
            if (buffer.getInt() != MAGIC) {
                throw new IOException("not a cgledger model snapshot");
            }
            int format = buffer.getInt();
            if (format > FORMAT) {
                throw new IOException("model snapshot format " + format + " is newer than this build reads ("
                        + FORMAT + ")");
            }
            if (format < 1) {
                throw new IOException("model snapshot format " + format + " is no format a build wrote");
            }
            return format;
        }

        /** A count, then that many strings. */
        List<String> readStrings() throws IOException {
            int n = buffer.getInt();
            if (n == 0) {
                return List.of();
            }
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(readUTF());
            }
            return out;
        }

        String readUTF() throws IOException {
            int n = buffer.getInt();
            if (n < 0 || n > buffer.remaining()) {
                throw new IOException("model snapshot names a string of " + n + " bytes");
            }
            String x = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), n, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + n);
            return x;
        }
    }
}
