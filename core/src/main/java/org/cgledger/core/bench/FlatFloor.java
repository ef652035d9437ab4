package org.cgledger.core.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.Uncharge;

/**
 * A measurement, not the model: the {@link Workload}'s mix (its three hierarchies, pin=css,
 * rmdir=offline) on the layout session 14 proposed for core, flat arrays indexed by id and changed
 * in place, with no persistence at all (no state before the last one survives). It keeps what core
 * keeps for these commands (every css and css_set refcount, interning, task counts, hierarchical
 * usage and limits, holders, dying and released css) and emits an event object per change, and
 * the bench checks that it accepts and refuses exactly the commands core does and ends with as many
 * tasks, cgroups, css, css_sets and objects, and the same sums of refcounts and usage. What it leaves out (the reasons of refusals, every
 * other command, other hierarchies and policies, any older state) only makes it faster: its rate is
 * a ceiling for that layout on this machine, the figure that says whether a core rebuilt on it could
 * reach a target. Not used by anything but the bench.
 */
public final class FlatFloor {

    private static final int HIERARCHIES = 3; // cpu, memory (one subsystem each), systemd (none)
    private static final int SYSTEMD = 2;
    private static final int NONE = -1;

    /** An event as this layout would journal it: a kind and up to three ids. */
    record Event(int kind, int a, int b, int c) {
    }

    private final Map<String, Integer> mounts = new HashMap<>();
    private final int[] roots = new int[HIERARCHIES];

    // cgroups, by id; the css of a cgroup of cpu or memory is numbered as the cgroup
    private int cgroupCount;
    private int[] parent = new int[1024];
    private int[] hierarchy = new int[1024];
    private int[] tasksIn = new int[1024];
    private int[] liveChildren = new int[1024];
    private int[] ownSet = new int[1024];
    private byte[] phase = new byte[1024]; // 0 live, 1 removed (css dying or named by a css_set), 2 gone
    private String[] name = new String[1024];
    @SuppressWarnings("unchecked")
    private Map<String, Integer>[] children = new Map[1024];
    private int[] cssRefs = new int[1024];
    private long[] usage = new long[1024];
    private long[] limit = new long[1024];
    private int keptCgroups;
    private int liveCss;

    // css_sets: the tuple (cpu cgroup, memory cgroup, systemd cgroup) and the refcount
    private int setCount;
    private int liveSets;
    private int[] tuple = new int[3 * 1024];
    private int[] setRefs = new int[1024];
    private int[] internTable = new int[1 << 12]; // open addressing, linear probing: set id + 1, 0 empty
    private int[] freeSets = new int[64];
    private int freeSetCount;

    // tasks, by pid
    private int[] taskSet = new int[1024];
    private int[][] holds = new int[1024][];
    private int[] holdCount = new int[1024];
    private int liveTasks;

    // objects
    private final Map<String, Integer> objectIds = new HashMap<>();
    private int objectCount;
    private String[] objectName = new String[1024];
    private int[] objectCss = new int[1024];
    private long[] amount = new long[1024];
    private boolean[] cache = new boolean[1024];
    private int[][] holders = new int[1024][];
    private int[] holderCount = new int[1024];
    private final int[] freeObjects = new int[1 << 20];
    private int freeObjectCount;

    private List<Event> events;

    /** Applies a command: whether it was accepted; the events of the last one are in {@link #events()}. */
    public boolean apply(Command command) {
        events = new ArrayList<>(4);
        if (command instanceof Attach c) {
            return attach(c);
        } else if (command instanceof Fork c) {
            return fork(c.parent().value(), c.child().value());
        } else if (command instanceof Exit c) {
            return exit(c.pid().value());
        } else if (command instanceof Charge c) {
            return charge(c);
        } else if (command instanceof Uncharge c) {
            return uncharge(c.object());
        } else if (command instanceof Mkdir c) {
            return mkdir(c.path());
        } else if (command instanceof Rmdir c) {
            return rmdir(c.path());
        } else if (command instanceof Mount c) {
            return mount(c);
        } else if (command instanceof Init) {
            return init();
        }
        throw new IllegalArgumentException("not in the workload: " + command);
    }

    List<Event> events() {
        return events;
    }

    public int tasks() {
        return liveTasks;
    }

    /**
     * Live cgroups and removed ones kept (their css dying), the roots included, and the default
     * hierarchy's root, which core keeps and nothing in this mix touches.
     */
    public int cgroups() {
        return keptCgroups + 1;
    }

    /** Unreleased css, the two roots included. */
    public int css() {
        return liveCss;
    }

    public int cssSets() {
        return liveSets;
    }

    public int objects() {
        return objectIds.size();
    }

    /**
     * Checksums of the counts: the sum of every unreleased css's refcount, of every live
     * css_set's, and of every css's usage (roots included), to compare with core's.
     */
    public long[] sums() {
        long css = 0;
        long usage = 0;
        for (int g = 0; g < cgroupCount; g++) {
            if (hierarchy[g] != SYSTEMD && phase[g] != 2) {
                css += cssRefs[g];
                usage += this.usage[g];
            }
        }
        long sets = 0;
        for (int slot : internTable) {
            if (slot != 0) {
                sets += setRefs[slot - 1];
            }
        }
        return new long[] {css, sets, usage};
    }

    /** {@link #sums} over core's state {@code s}. */
    public static long[] sums(org.cgledger.core.state.State s) {
        long[] out = new long[3];
        s.css().forEach((id, c) -> {
            out[0] += c.refcount();
            out[2] += c.usage();
        });
        s.cssSets().forEach((id, set) -> out[1] += set.refcount());
        return out;
    }

    // ---- setup ----------------------------------------------------------------------------

    /** The root css of cpu and memory (numbered as the roots they become), N0 of them, pid 1 in it. */
    private boolean init() {
        Arrays.fill(roots, NONE);
        Arrays.fill(taskSet, NONE);
        int cpu = newCgroup(0, NONE, "");
        int mem = newCgroup(1, NONE, "");
        liveCss = 2;
        int n0 = intern(cpu, mem, NONE);
        taskSet[1] = n0;
        liveTasks = 1;
        emit(0, n0, 0, 0);
        return true;
    }

    private boolean mount(Mount c) {
        int h = switch (c.options()) {
            case "cpu" -> 0;
            case "memory" -> 1;
            case "none,name=systemd" -> SYSTEMD;
            default -> throw new IllegalArgumentException("not in the workload: " + c);
        };
        int n0 = taskSet[1];
        int root = h;
        if (h == SYSTEMD) {
            // a hierarchy without subsystems extends the tuples with its root (only N0's, here)
            root = newCgroup(h, NONE, "");
            tuple[3 * n0 + h] = root;
            rehash(internTable.length);
        }
        roots[h] = root;
        tasksIn[root]++; // pid 1
        mounts.put(c.mountPoint(), h);
        ownSet[root] = n0;
        setRefs[n0]++;
        emit(1, h, root, n0);
        return true;
    }

    // ---- paths ----------------------------------------------------------------------------

    /** The cgroup a path names, or {@code NONE}: its mount point found by comparing text, then a child a component. */
    private int find(String path) {
        int end = path.length();
        for (int slash = path.indexOf('/', 1); ; slash = path.indexOf('/', slash + 1)) {
            int stop = slash < 0 ? end : slash;
            Integer h = mounts.get(path.substring(0, stop));
            if (h != null) {
                return walk(roots[h], path, stop);
            }
            if (slash < 0) {
                return NONE;
            }
        }
    }

    private int walk(int from, String path, int at) {
        int cur = from;
        int i = at;
        while (i < path.length()) {
            int next = path.indexOf('/', i + 1);
            int stop = next < 0 ? path.length() : next;
            Map<String, Integer> kids = children[cur];
            Integer child = kids == null ? null : kids.get(path.substring(i + 1, stop));
            if (child == null) {
                return NONE;
            }
            cur = child;
            i = stop;
        }
        return cur;
    }

    // ---- cgroups --------------------------------------------------------------------------

    private boolean mkdir(String path) {
        int slash = path.lastIndexOf('/');
        int p = find(path.substring(0, slash));
        if (p == NONE) {
            return false; // ENOENT
        }
        String leaf = path.substring(slash + 1);
        if (children[p] != null && children[p].containsKey(leaf)) {
            return false; // EEXIST
        }
        int h = hierarchy[p];
        int g = newCgroup(h, p, leaf);
        if (children[p] == null) {
            children[p] = new HashMap<>();
        }
        children[p].put(leaf, g);
        liveChildren[p]++;
        if (h != SYSTEMD) {
            liveCss++;
        }
        int cpu = h == 0 ? g : roots[0];
        int mem = h == 1 ? g : roots[1];
        int sys = h == SYSTEMD ? g : roots[SYSTEMD];
        int set = intern(cpu, mem, sys);
        ownSet[g] = set;
        emit(2, g, p, set);
        return true;
    }

    private boolean rmdir(String path) {
        int g = find(path);
        if (g == NONE) {
            return false; // ENOENT
        }
        if (parent[g] == NONE || tasksIn[g] > 0 || liveChildren[g] > 0) {
            return false; // EBUSY: a root, tasks, children (offline: nothing else refuses)
        }
        children[parent[g]].remove(name[g]);
        liveChildren[parent[g]]--;
        phase[g] = 1;
        emit(3, g, 0, 0);
        int h = hierarchy[g];
        dropSet(ownSet[g]);
        if (h != SYSTEMD) {
            settleCss(g);
        }
        return true;
    }

    private boolean namedBySet(int g) {
        return setRefs[ownSet[g]] > 0 && tuple[3 * ownSet[g] + SYSTEMD] == g;
    }

    private void settleCss(int css) {
        if (phase[css] == 1 && cssRefs[css] == 0) {
            emit(4, css, 0, 0); // released
            liveCss--;
            gone(css);
        }
    }

    private void gone(int g) {
        phase[g] = 2;
        keptCgroups--;
        children[g] = null;
    }

    // ---- tasks ----------------------------------------------------------------------------

    private boolean attach(Attach c) {
        int pid = parsePid(c.pid());
        if (pid <= 0 || pid >= taskSet.length || taskSet[pid] == NONE) {
            return false; // EINVAL or ESRCH
        }
        int to = find(c.path());
        if (to == NONE) {
            return false; // ENOENT
        }
        int h = hierarchy[to];
        int from = taskSet[pid];
        int was = tuple[3 * from + h];
        if (was == to) {
            return true;
        }
        int set = intern(h == 0 ? to : tuple[3 * from], h == 1 ? to : tuple[3 * from + 1],
                h == SYSTEMD ? to : tuple[3 * from + 2]);
        taskSet[pid] = set;
        tasksIn[was]--;
        tasksIn[to]++;
        emit(5, pid, to, set);
        dropSet(from);
        return true;
    }

    private boolean fork(int parentPid, int child) {
        if (parentPid >= taskSet.length || taskSet[parentPid] == NONE) {
            return false; // ESRCH
        }
        taskSet = grow(taskSet, child + 1);
        if (holds.length <= child) {
            holds = Arrays.copyOf(holds, Math.max(child + 1, holds.length * 2));
            holdCount = Arrays.copyOf(holdCount, holds.length);
        }
        if (taskSet[child] != NONE) {
            return false; // EEXIST
        }
        int set = taskSet[parentPid];
        taskSet[child] = set;
        setRefs[set]++;
        liveTasks++;
        for (int h = 0; h < HIERARCHIES; h++) {
            tasksIn[tuple[3 * set + h]]++;
        }
        int n = holdCount[parentPid];
        if (n > 0) {
            holds[child] = Arrays.copyOf(holds[parentPid], n);
            holdCount[child] = n;
            for (int i = 0; i < n; i++) {
                addHolder(holds[child][i], child);
            }
        }
        emit(6, parentPid, child, set);
        return true;
    }

    private boolean exit(int pid) {
        if (pid == 1) {
            return false; // EPERM
        }
        if (pid >= taskSet.length || taskSet[pid] == NONE) {
            return false; // ESRCH
        }
        int set = taskSet[pid];
        for (int h = 0; h < HIERARCHIES; h++) {
            tasksIn[tuple[3 * set + h]]--;
        }
        taskSet[pid] = NONE;
        liveTasks--;
        emit(7, pid, 0, 0);
        int n = holdCount[pid];
        int[] held = holds[pid];
        holds[pid] = null;
        holdCount[pid] = 0;
        for (int i = 0; i < n; i++) {
            int o = held[i];
            removeHolder(o, pid);
            if (holderCount[o] == 0 && !cache[o]) {
                release(o);
            }
        }
        dropSet(set);
        return true;
    }

    // ---- objects --------------------------------------------------------------------------

    private boolean charge(Charge c) {
        int pid = c.pid().value();
        if (pid >= taskSet.length || taskSet[pid] == NONE) {
            return false; // ESRCH
        }
        if (objectIds.containsKey(c.object())) {
            return false; // EEXIST
        }
        int h = c.subsys().equals("cpu") ? 0 : 1;
        int css = tuple[3 * taskSet[pid] + h];
        for (int x = css; x != NONE; x = parent[x]) {
            long after = usage[x] + c.amount();
            if (after < usage[x] || after > limit[x]) {
                return false; // ENOSPC
            }
        }
        int o = freeObjectCount > 0 ? freeObjects[--freeObjectCount] : newObject();
        objectIds.put(c.object(), o);
        objectName[o] = c.object();
        objectCss[o] = css;
        amount[o] = c.amount();
        cache[o] = c.cache();
        holderCount[o] = 0;
        addHolder(o, pid);
        addHold(pid, o);
        for (int x = css; x != NONE; x = parent[x]) {
            usage[x] += c.amount();
        }
        cssRefs[css]++;
        emit(8, o, pid, css);
        return true;
    }

    private boolean uncharge(String object) {
        Integer o = objectIds.get(object);
        if (o == null) {
            return false; // ENOENT
        }
        for (int i = holderCount[o] - 1; i >= 0; i--) {
            removeHold(holders[o][i], o);
        }
        holderCount[o] = 0;
        release(o);
        return true;
    }

    private void release(int o) {
        int css = objectCss[o];
        for (int x = css; x != NONE; x = parent[x]) {
            usage[x] -= amount[o];
        }
        cssRefs[css]--;
        objectIds.remove(objectName[o]);
        emit(9, o, css, 0);
        freeObjects[freeObjectCount++] = o;
        settleCss(css);
    }

    private int newObject() {
        if (objectCount == objectCss.length) {
            int n = objectCount * 2;
            objectName = Arrays.copyOf(objectName, n);
            objectCss = Arrays.copyOf(objectCss, n);
            amount = Arrays.copyOf(amount, n);
            cache = Arrays.copyOf(cache, n);
            holders = Arrays.copyOf(holders, n);
            holderCount = Arrays.copyOf(holderCount, n);
        }
        return objectCount++;
    }

    private void addHolder(int o, int pid) {
        holders[o] = append(holders[o], holderCount[o]++, pid);
    }

    private void removeHolder(int o, int pid) {
        holderCount[o] = remove(holders[o], holderCount[o], pid);
    }

    private void addHold(int pid, int o) {
        holds[pid] = append(holds[pid], holdCount[pid]++, o);
    }

    private void removeHold(int pid, int o) {
        holdCount[pid] = remove(holds[pid], holdCount[pid], o);
    }

    /** {@code list} (null: none yet) with {@code v} at index {@code count}, grown if full. */
    private static int[] append(int[] list, int count, int v) {
        int[] l = list == null || list.length == count ? Arrays.copyOf(list == null ? new int[2] : list,
                Math.max(2, count * 2)) : list;
        l[count] = v;
        return l;
    }

    /** Removes one {@code v} from the first {@code count} of {@code list} (the last takes its place); the new count. */
    private static int remove(int[] list, int count, int v) {
        for (int i = 0; i < count; i++) {
            if (list[i] == v) {
                list[i] = list[count - 1];
                return count - 1;
            }
        }
        return count;
    }

    // ---- css_sets -------------------------------------------------------------------------

    /** The live css_set of this tuple, with one more reference, or a new one with one reference. */
    private int intern(int cpu, int mem, int sys) {
        int mask = internTable.length - 1;
        for (int i = hash(cpu, mem, sys) & mask; ; i = (i + 1) & mask) {
            int slot = internTable[i];
            if (slot == 0) {
                int set = newSet(cpu, mem, sys);
                internTable[i] = set + 1;
                setRefs[set] = 1;
                cssRefs[cpu]++;
                cssRefs[mem]++;
                if (2 * liveSets > internTable.length) {
                    rehash(internTable.length * 2);
                }
                return set;
            }
            int s = slot - 1;
            if (tuple[3 * s] == cpu && tuple[3 * s + 1] == mem && tuple[3 * s + 2] == sys) {
                setRefs[s]++;
                return s;
            }
        }
    }

    private void dropSet(int set) {
        if (--setRefs[set] > 0) {
            return;
        }
        int cpu = tuple[3 * set];
        int mem = tuple[3 * set + 1];
        int sys = tuple[3 * set + 2];
        unintern(set);
        liveSets--;
        freeSets = grow(freeSets, freeSetCount + 1);
        freeSets[freeSetCount++] = set;
        emit(10, set, 0, 0);
        cssRefs[cpu]--;
        cssRefs[mem]--;
        settleCss(cpu);
        settleCss(mem);
        if (phase[sys] == 1 && !namedBySet(sys)) {
            gone(sys);
        }
    }

    private int newSet(int cpu, int mem, int sys) {
        // serials are never reused: only the slot of a freed one is
        int set = freeSetCount > 0 ? freeSets[--freeSetCount] : setCount++;
        if (3 * set + 3 > tuple.length) {
            tuple = Arrays.copyOf(tuple, tuple.length * 2);
            setRefs = Arrays.copyOf(setRefs, setRefs.length * 2);
        }
        tuple[3 * set] = cpu;
        tuple[3 * set + 1] = mem;
        tuple[3 * set + 2] = sys;
        liveSets++;
        return set;
    }

    private void unintern(int set) {
        int mask = internTable.length - 1;
        int i = hash(tuple[3 * set], tuple[3 * set + 1], tuple[3 * set + 2]) & mask;
        while (internTable[i] != set + 1) {
            i = (i + 1) & mask;
        }
        // backward-shift deletion keeps every probe sequence unbroken
        for (int j = (i + 1) & mask; internTable[j] != 0; j = (j + 1) & mask) {
            int s = internTable[j] - 1;
            int home = hash(tuple[3 * s], tuple[3 * s + 1], tuple[3 * s + 2]) & mask;
            if (((j - home) & mask) >= ((j - i) & mask)) {
                internTable[i] = internTable[j];
                i = j;
            }
        }
        internTable[i] = 0;
    }

    private void rehash(int size) {
        int[] old = internTable;
        internTable = new int[size];
        int mask = size - 1;
        List<Integer> all = new ArrayList<>();
        for (int slot : old) {
            if (slot != 0) {
                all.add(slot - 1);
            }
        }
        for (int s : all) {
            int i = hash(tuple[3 * s], tuple[3 * s + 1], tuple[3 * s + 2]) & mask;
            while (internTable[i] != 0) {
                i = (i + 1) & mask;
            }
            internTable[i] = s + 1;
        }
    }

    private static int hash(int a, int b, int c) {
        int h = a * 0x9E3779B1 ^ b * 0x85EBCA77 ^ c * 0xC2B2AE3D;
        return h ^ (h >>> 16);
    }

    // ---- helpers --------------------------------------------------------------------------

    private int newCgroup(int h, int p, String leaf) {
        int g = cgroupCount++;
        if (g == parent.length) {
            int n = g * 2;
            parent = Arrays.copyOf(parent, n);
            hierarchy = Arrays.copyOf(hierarchy, n);
            tasksIn = Arrays.copyOf(tasksIn, n);
            liveChildren = Arrays.copyOf(liveChildren, n);
            ownSet = Arrays.copyOf(ownSet, n);
            phase = Arrays.copyOf(phase, n);
            name = Arrays.copyOf(name, n);
            children = Arrays.copyOf(children, n);
            cssRefs = Arrays.copyOf(cssRefs, n);
            usage = Arrays.copyOf(usage, n);
            limit = Arrays.copyOf(limit, n);
        }
        parent[g] = p;
        hierarchy[g] = h;
        name[g] = leaf;
        limit[g] = Long.MAX_VALUE;
        keptCgroups++;
        return g;
    }

    private int[] grow(int[] a, int size) {
        if (a.length >= size) {
            return a;
        }
        int old = a.length;
        int[] b = Arrays.copyOf(a, Math.max(size, old * 2));
        if (a == taskSet) {
            Arrays.fill(b, old, b.length, NONE);
        }
        return b;
    }

    private static int parsePid(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return NONE;
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return NONE;
            }
            v = v * 10 + (ch - '0');
        }
        return v > Integer.MAX_VALUE ? NONE : (int) v;
    }

    private void emit(int kind, int a, int b, int c) {
        events.add(new Event(kind, a, b, c));
    }
}
