package org.cgledger.core.decide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.SetFile;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.command.Umount;
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
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.decide.Paths.Found;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Limit;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.Result;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;

/**
 * {@code decide(state, command) -> Accepted(events) | Rejected(errno, reason)}: the rules of
 * DESIGN.md §1–2 (and, where it is silent, the kernel's cgroup v1). Pure and deterministic: ids
 * come from the state's counters, never from a clock or a random source. A command costs
 * O(path depth + objects it touches), plus O(tasks) for the rare mount of a new hierarchy.
 */
public final class Decider {

    /** Mount options the kernel accepts and the model records nothing for. */
    private static final Set<String> IGNORED_MOUNT_FLAGS = Set.of("clone_children", "xattr", "cpuset_v2_mode");
    /** Names a subsystem cannot take: they are mount options. */
    private static final Set<String> RESERVED = Set.of("none", "all", "name", "noprefix", "clone_children", "xattr",
            "cpuset_v2_mode", "release_agent");
    private static final int MAX_ROOT_NAME = 63;
    private static final int REASON_LIST = 8;

    private Decider() {
    }

    /**
     * Decides {@code command} against {@code state}. Never throws for a user error: every refusal
     * is a {@link Decision.Rejected} with the kernel's errno.
     */
    public static Decision decide(State state, Command command) {
        Run run = new Run(state);
        try {
            HierarchyId stream = run.decide(command);
            return new Decision.Accepted(stream, run.events, run.trail, run.s);
        } catch (Refusal r) {
            if (r.rmdirOf == null && run.made != null) {
                // mkdir -p refused at a later component: the groups made before it stay, as
                // coreutils' mkdir -p (one mkdir(2) a component) leaves them; journaled as made
                return new Decision.Rejected(r.errno, r.reason, run.made, run.events, run.s);
            }
            if (r.rmdirOf == null) {
                return new Decision.Rejected(r.errno, r.reason);
            }
            // rmdir refuses before it emits anything: the record applies to the state decided against
            Event e = new RmdirRefused(r.rmdirOf, r.errno, r.reason);
            return new Decision.Rejected(r.errno, r.reason, r.stream, List.of(e), Evolver.evolve(state, e));
        }
    }

    /**
     * The pid a fork without one gets: the highest so far + 1, or once that is the largest the
     * kernel gives, the lowest free one from {@link Pid#WRAP} up, as the kernel's allocator wraps
     * there (O(the tasks with the pids scanned), only ever past the top); null when every pid is in use.
     */
    public static Pid nextPid(State s) {
        if (s.counters().maxPid() < Pid.MAX) {
            return new Pid(s.counters().maxPid() + 1);
        }
        for (int p = Pid.WRAP; p <= Pid.MAX; p++) {
            if (s.task(new Pid(p)) == null) {
                return new Pid(p);
            }
        }
        return null;
    }

    /** Parses a policy name ({@code css}, {@code strict}, ...). */
    public static Result<PinPolicy> parsePin(String text) {
        for (PinPolicy p : PinPolicy.values()) {
            if (p.label().equals(text)) {
                return Result.ok(p);
            }
        }
        return Result.refused(Errno.EINVAL, "pin policy must be css or cssset, not " + text);
    }

    public static Result<RmdirPolicy> parseRmdir(String text) {
        for (RmdirPolicy p : RmdirPolicy.values()) {
            if (p.label().equals(text)) {
                return Result.ok(p);
            }
        }
        return Result.refused(Errno.EINVAL, "rmdir policy must be strict, offline or unchecked, not " + text);
    }

    /** One decision: the state as the events so far left it, and those events. */
    private static final class Run {
        State s;
        // most commands emit one to three events: room for four, not an ArrayList's first ten
        final List<Event> events = new ArrayList<>(4);
        final List<State> trail = new ArrayList<>(4);
        /** The hierarchy of the groups a mkdir has made so far (null: none), kept if a later component is refused. */
        HierarchyId made;

        Run(State s) {
            this.s = s;
        }

        void emit(Event e) {
            events.add(e);
            s = Evolver.evolve(s, e);
            trail.add(s);
        }

        static Refusal refuse(Errno errno, String reason) {
            return new Refusal(errno, reason);
        }

        HierarchyId decide(Command command) {
            if (command instanceof Init c) {
                return init(c);
            }
            if (!s.initialized()) {
                throw refuse(Errno.EINVAL, "the ledger is not initialized (run init first)");
            }
            if (command instanceof Mount c) {
                return mount(c);
            } else if (command instanceof Umount c) {
                return umount(c);
            } else if (command instanceof Mkdir c) {
                return mkdir(c);
            } else if (command instanceof Rmdir c) {
                return rmdir(c);
            } else if (command instanceof Attach c) {
                return attach(c.pid(), find(c.path()));
            } else if (command instanceof Fork c) {
                return fork(c);
            } else if (command instanceof Exit c) {
                return exit(c);
            } else if (command instanceof Charge c) {
                return charge(c);
            } else if (command instanceof Uncharge c) {
                return uncharge(c);
            } else if (command instanceof SetFile c) {
                return setFile(c);
            }
            throw new IllegalStateException("unhandled command " + command);
        }

        // ---- init, mount, umount ------------------------------------------------------------

        HierarchyId init(Init c) {
            if (s.initialized()) {
                throw refuse(Errno.EEXIST, "the ledger is already initialized (catalog " + s.catalog() + ")");
            }
            List<Subsystem> subs = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String name : c.subsystems()) {
                if (!Subsystem.isValidName(name) || RESERVED.contains(name)) {
                    throw refuse(Errno.EINVAL, "invalid subsystem name '" + name + "'");
                }
                if (!seen.add(name)) {
                    throw refuse(Errno.EINVAL, "subsystem '" + name + "' listed twice");
                }
                subs.add(Subsystem.of(name));
            }
            emit(new LedgerInitialized(subs, c.pin(), c.rmdir()));
            return HierarchyId.DEFAULT;
        }

        HierarchyId mount(Mount c) {
            CgroupPath mp = path(c.mountPoint());
            String mps = mp.toString();
            boolean none = false;
            boolean all = false;
            boolean noprefix = false;
            boolean releaseAgent = false;
            String name = null;
            Set<Subsystem> mask = new LinkedHashSet<>();
            for (String opt : c.options().split(",", -1)) {
                if (opt.isEmpty()) {
                    continue;
                }
                if (opt.equals("none")) {
                    none = true;
                } else if (opt.equals("all")) {
                    all = true;
                } else if (opt.equals("noprefix")) {
                    noprefix = true;
                } else if (IGNORED_MOUNT_FLAGS.contains(opt)) {
                    continue;
                } else if (opt.startsWith("release_agent=")) {
                    if (releaseAgent) {
                        throw refuse(Errno.EINVAL, "release_agent respecified");
                    }
                    if (opt.length() == "release_agent=".length()) {
                        // the kernel's fs_parse refuses an empty string ("Bad value for 'release_agent'")
                        throw refuse(Errno.EINVAL, "empty release_agent");
                    }
                    releaseAgent = true;
                } else if (opt.startsWith("name=")) {
                    if (name != null) {
                        throw refuse(Errno.EINVAL, "name respecified");
                    }
                    name = opt.substring(5);
                    if (name.isEmpty()) {
                        throw refuse(Errno.EINVAL, "empty hierarchy name");
                    }
                    if (name.length() > MAX_ROOT_NAME) {
                        throw refuse(Errno.EINVAL, "hierarchy name longer than " + MAX_ROOT_NAME + " characters");
                    }
                    if (!name.chars().allMatch(ch -> ch < 128
                            && (Character.isLetterOrDigit(ch) || ch == '_' || ch == '.' || ch == '-'))) {
                        throw refuse(Errno.EINVAL, "invalid hierarchy name '" + name + "'");
                    }
                } else {
                    Subsystem sub = s.catalog().find(opt).orElseThrow(
                            () -> refuse(Errno.EINVAL, "unknown subsystem or option '" + opt + "'"));
                    mask.add(sub);
                }
            }
            if (all && !mask.isEmpty()) {
                throw refuse(Errno.EINVAL, "subsystem names conflict with all");
            }
            if (all || (!none && mask.isEmpty() && name == null)) {
                mask.addAll(s.catalog().subsystems());
            }
            if (mask.isEmpty() && name == null) {
                throw refuse(Errno.EINVAL, "need a name or a subsystem set");
            }
            if (noprefix && mask.stream().anyMatch(x -> !x.name().equals("cpuset"))) {
                throw refuse(Errno.EINVAL, "noprefix used incorrectly");
            }
            if (!mask.isEmpty() && none) {
                throw refuse(Errno.EINVAL, "none used incorrectly (none with subsystems " + mask + ")");
            }
            List<Subsystem> wanted = new ArrayList<>(mask);
            wanted.sort((a, b) -> Integer.compare(s.catalog().indexOf(a), s.catalog().indexOf(b)));
            for (Hierarchy h : s.realHierarchies()) {
                boolean nameMatch = false;
                if (name != null) {
                    if (!name.equals(h.name())) {
                        continue;
                    }
                    nameMatch = true;
                }
                if ((!mask.isEmpty() || none) && !wanted.equals(h.subsystems())) {
                    if (!nameMatch) {
                        continue;
                    }
                    throw refuse(Errno.EBUSY, "hierarchy name=" + name + " exists with subsystems "
                            + describe(h.subsystems()) + ", not " + describe(wanted));
                }
                checkMountPoint(mp);
                emit(new MountPointAdded(h.id(), mps));
                return HierarchyId.DEFAULT;
            }
            if (mask.isEmpty() && !none) {
                throw refuse(Errno.EINVAL, "no hierarchy name=" + name + " exists, and no subsystem list or none");
            }
            for (Subsystem sub : wanted) {
                Hierarchy bound = s.hierarchyOf(sub);
                if (!bound.isDefault()) {
                    throw refuse(Errno.EBUSY, "subsystem " + sub + " is bound to " + bound.label());
                }
            }
            checkMountPoint(mp);
            CssSetKey rootKey = s.rootKey();
            CssSetId existing = s.cssSetIndex().get(rootKey);
            CssSetId rootSet = existing != null ? existing : new CssSetId(s.counters().nextCssSet());
            emit(new HierarchyMounted(new HierarchyId(s.counters().nextHierarchy()), name == null ? "" : name, wanted,
                    mps, new CgroupId(s.counters().nextCgroup()), rootSet, existing != null ? null : rootKey));
            return HierarchyId.DEFAULT;
        }

        /**
         * The mount point must be free: checked last, as the kernel parses the options and finds
         * or sets up the hierarchy (EINVAL, EBUSY) before it grafts the mount (EBUSY).
         */
        void checkMountPoint(CgroupPath mp) {
            String mps = mp.toString();
            if (mp.isRoot()) {
                throw refuse(Errno.EBUSY, "cannot mount a hierarchy on /");
            }
            if (mps.indexOf('\0') >= 0) {
                throw refuse(Errno.EINVAL, "a mount point cannot contain a NUL byte");
            }
            for (String other : s.mountPoints().keys()) {
                CgroupPath o = path(other);
                if (mp.startsWith(o) || o.startsWith(mp)) {
                    throw refuse(Errno.EBUSY, other.equals(mps) ? mps + " is already a mount point"
                            : mps + " overlaps mount point " + other);
                }
            }
        }

        HierarchyId umount(Umount c) {
            CgroupPath p = path(c.mountPoint());
            String mp = p.toString();
            HierarchyId id = s.mountPoints().get(mp);
            if (id == null) {
                notMountPoint(c.mountPoint(), p);
            }
            emit(new MountPointRemoved(id, mp));
            Hierarchy h = s.hierarchy(id);
            Cgroup root = s.cgroup(h.root());
            if (h.mountPoints().isEmpty() && root.children().isEmpty()
                    && root.css().stream().allMatch(x -> s.css(x).children() == 0) && !keepsRemoved(h, root)) {
                emit(new HierarchyDestroyed(id));
                settleSets(List.of(root.ownSet()));
            }
            return HierarchyId.DEFAULT;
        }

        /**
         * Refuses the umount of {@code p}, no mount point. Inside a mounted hierarchy the kernel's
         * path walk answers first (as on the live kernel: umount2 of a missing cgroup is ENOENT, of
         * a path through a control file, or of one named with a trailing '/', ENOTDIR); an existing
         * cgroup or file, and any path outside the hierarchies (whose directories the model does not
         * know), EINVAL.
         */
        void notMountPoint(String text, CgroupPath p) {
            if (Paths.mountOf(s, p).isOk() && Paths.find(s, text) instanceof Result.Refused<Found> no) {
                Found dir = p.depth() > 1 && Paths.find(s, p.parent().toString()) instanceof Result.Ok<Found> ok
                        ? ok.value() : null;
                boolean lastIsFile = dir != null && ControlFiles.isFile(dir.h(), dir.c(), p.name());
                if (!lastIsFile || text.endsWith("/")) {
                    throw refuse(no.errno(), no.reason());
                }
            }
            throw refuse(Errno.EINVAL, p + " is not a mount point");
        }

        /**
         * Whether a hierarchy without subsystems still has a removed cgroup kept by a css_set an
         * object pins (pin=cssset), as a dying css keeps one with subsystems: it survives its
         * umount, detached, and comes back with it. O(objects), only then.
         */
        boolean keepsRemoved(Hierarchy h, Cgroup root) {
            return !h.hasSubsystems() && s.pin() == PinPolicy.CSSSET
                    && !State.pinsNaming(root, s.objects(), s.cssSets(), s.cgroups()).isEmpty();
        }

        // ---- mkdir, rmdir -------------------------------------------------------------------

        HierarchyId mkdir(Mkdir c) {
            if (c.parents() && c.path().indexOf('\0') >= 0) {
                // no path the kernel is given can hold one: refused before any component is made
                throw refuse(Errno.EINVAL, "a cgroup name cannot contain a NUL byte");
            }
            if (c.parents() && hasDots(c.path())) {
                return mkdirEachPrefix(c.path());
            }
            String typed = lastComponent(c.path());
            if (typed.equals(".") || typed.equals("..")) {
                requireParentDirectory(c.path());
                throw refuse(Errno.EEXIST, c.path() + " exists");
            }
            CgroupPath p = path(c.path());
            if (Paths.aboveMounts(s, p)) {
                if (c.parents()) {
                    return HierarchyId.DEFAULT; // as mkdir -p of a directory there already
                }
                throw refuse(Errno.EEXIST, p + " exists (a directory above the mount points)");
            }
            Found at = mountOf(p);
            Cgroup cur = at.c();
            int base = at.path().depth();
            if (p.depth() == base) {
                if (c.parents()) {
                    return at.h().id();
                }
                throw refuse(Errno.EEXIST, p + " exists (a mount point)");
            }
            for (int i = base; i < p.depth(); i++) {
                String name = p.components().get(i);
                boolean last = i == p.depth() - 1;
                CgroupId child = cur.children().get(name);
                if (child != null) {
                    if (last && !c.parents()) {
                        throw refuse(Errno.EEXIST, p + " exists");
                    }
                    cur = s.cgroup(child);
                    continue;
                }
                if (ControlFiles.isFile(at.h(), cur, name)) {
                    throw refuse(last ? Errno.EEXIST : Errno.ENOTDIR, p.prefix(i + 1) + " is a file");
                }
                if (!last && !c.parents()) {
                    throw refuse(Errno.ENOENT, p.prefix(i + 1) + ": no such cgroup");
                }
                cur = create(at.h(), cur, checkedName(name));
            }
            return at.h().id();
        }

        /** {@code name} if mkdir makes a cgroup of that name; refused (EINVAL) with the reason otherwise. */
        static String checkedName(String name) {
            if (name.indexOf('\n') >= 0) {
                throw refuse(Errno.EINVAL, "a cgroup name cannot contain a newline");
            }
            if (name.indexOf('\0') >= 0) {
                // a path reaches the kernel as a C string: it could never name this group
                throw refuse(Errno.EINVAL, "a cgroup name cannot contain a NUL byte");
            }
            if (!isText(name)) {
                throw refuse(Errno.EINVAL, "a cgroup name must be Unicode text (it has a lone surrogate)");
            }
            return name;
        }

        /** Whether {@code name} is Unicode text: no surrogate without its pair (which no UTF-8 byte sequence gives). */
        static boolean isText(String name) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }

        static boolean hasDots(String text) {
            for (String part : text.split("/")) {
                if (part.equals(".") || part.equals("..")) {
                    return true;
                }
            }
            return false;
        }

        /**
         * {@code mkdir -p} of a path with {@code .} or {@code ..} in it, as coreutils runs it: a
         * mkdir of each prefix in turn, each walked by the kernel from the one before, so a
         * {@code ..} after a group it has just made leads back out of it ({@code /H1/a/./b/../c}
         * makes a, a/b and a/c; a walk of the whole path first had found b missing: ENOENT).
         */
        HierarchyId mkdirEachPrefix(String text) {
            value(CgroupPath.parse(text)); // the path's own rules: absolute, PATH_MAX
            List<String> walked = new ArrayList<>();
            Cgroup cur = null; // the group reached, null above the mount points
            for (String name : text.split("/")) {
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                if (name.equals("..")) {
                    if (!walked.isEmpty()) {
                        walked.remove(walked.size() - 1);
                    }
                    cur = cur != null && !cur.isRoot() ? s.cgroup(cur.parent()) : mountRoot(walked);
                    continue;
                }
                walked.add(name);
                CgroupPath here = new CgroupPath(List.copyOf(walked));
                if (cur == null) {
                    cur = mountRoot(walked);
                    if (cur == null && !Paths.aboveMounts(s, here)) {
                        throw refuse(Errno.ENOENT, here + " is not under a cgroup mount point");
                    }
                    continue;
                }
                CgroupId child = cur.children().get(name);
                if (child != null) {
                    cur = s.cgroup(child);
                    continue;
                }
                Hierarchy h = s.hierarchyOf(cur);
                if (ControlFiles.isFile(h, cur, name)) {
                    throw refuse(Errno.ENOTDIR, here + " is a file");
                }
                cur = create(h, cur, checkedName(name));
            }
            return cur == null ? HierarchyId.DEFAULT : cur.hierarchy();
        }

        /** The root of the hierarchy mounted exactly at {@code walked}; null for any other directory. */
        Cgroup mountRoot(List<String> walked) {
            CgroupPath p = new CgroupPath(List.copyOf(walked));
            return Paths.mountOf(s, p) instanceof Result.Ok<Found> ok && ok.value().path().depth() == p.depth()
                    ? ok.value().c() : null;
        }

        Cgroup create(Hierarchy h, Cgroup parent, String name) {
            CgroupId id = new CgroupId(s.counters().nextCgroup());
            List<CssId> css = new ArrayList<>();
            for (Subsystem sub : h.subsystems()) {
                css.add(new CssId(sub, s.counters().nextCss(sub)));
            }
            CssSetKey key = s.rootKey();
            if (h.hasSubsystems()) {
                for (CssId x : css) {
                    key = key.withCss(s.catalog().indexOf(x.subsys()), x);
                }
            } else {
                key = key.withCgroup(h.id(), id);
            }
            CssSetId existing = s.cssSetIndex().get(key);
            CssSetId own = existing != null ? existing : new CssSetId(s.counters().nextCssSet());
            emit(new CgroupCreated(id, h.id(), parent.id(), name, css, own, existing != null ? null : key));
            made = h.id();
            return s.cgroup(id);
        }

        HierarchyId rmdir(Rmdir c) {
            String last = lastComponent(c.path());
            if (last.equals(".") || last.equals("..")) {
                requireParentDirectory(c.path());
                if (last.equals(".")) {
                    throw refuse(Errno.EINVAL, "cannot remove '.'");
                }
                throw refuse(Errno.ENOTEMPTY, "cannot remove '..'");
            }
            CgroupPath p = path(c.path());
            if (p.isRoot()) {
                throw refuse(Errno.EBUSY, "/ is the root of the filesystem");
            }
            if (Paths.aboveMounts(s, p)) {
                throw refuse(Errno.ENOTEMPTY, p + " holds a mount point below it");
            }
            Found f = find(c.path());
            Cgroup g = f.c();
            if (g.isRoot()) {
                throw refuse(Errno.EBUSY, f.path() + " is the root of its hierarchy (a mount point)");
            }
            try {
                removable(g, f);
            } catch (Refusal r) {
                throw r.recordedAsRmdirOf(g.id(), f.h().id());
            }
            emit(new CgroupRemoved(g.id()));
            settleSets(List.of(g.ownSet()));
            for (CssId x : g.css()) {
                settleCss(x);
            }
            notifyIfReleasable(g.parent());
            return f.h().id();
        }

        /**
         * Refuses (EBUSY) while {@code g} has tasks, children or, under the strict policy, pinned
         * css; {@code f} names it (its path is spelled only for a refusal).
         */
        void removable(Cgroup g, Found f) {
            if (!g.tasks().isEmpty()) {
                throw refuse(Errno.EBUSY, f.path() + " has tasks attached: " + list(g.tasks().sorted(null)));
            }
            if (!g.children().isEmpty()) {
                List<String> names = g.children().keys();
                names.sort(null);
                throw refuse(Errno.EBUSY, f.path() + " has child cgroups: " + list(names));
            }
            if (s.rmdir() == RmdirPolicy.STRICT) {
                strictCheck(g, f);
            }
        }

        /** Menage's rule: refuse while dropping the directory's reference would leave a css referenced. */
        void strictCheck(Cgroup g, Found f) {
            CssSet own = s.cssSet(g.ownSet());
            boolean ownFreed = own.refcount() == 1;
            List<String> why = new ArrayList<>();
            for (CssId id : g.css()) {
                Css x = s.css(id);
                int left = x.refcount() - (ownFreed ? 1 : 0);
                if (left > 0) {
                    why.add("css " + id + " would keep refcount " + left + " (" + String.join(", ", pins(x, own.id(),
                            ownFreed)) + ")");
                }
            }
            if (g.css().isEmpty() && s.pin() == PinPolicy.CSSSET) {
                why.addAll(pinnedNaming(g));
            }
            if (!why.isEmpty()) {
                throw refuse(Errno.EBUSY, f.path() + ": " + String.join("; ", why));
            }
        }

        /**
         * For a cgroup of a hierarchy without subsystems, which has no css to keep referenced: the
         * css_sets that objects pin (pin=cssset) and whose tuple names it, each with its pins. Once
         * its directory went, such a css_set would name a cgroup no view shows, and its objects
         * would be visible from no group. O(objects): a scan made only for such an rmdir under
         * strict and pin=cssset.
         */
        List<String> pinnedNaming(Cgroup g) {
            List<String> out = new ArrayList<>();
            State.pinsNaming(g, s.objects(), s.cssSets(), s.cgroups()).forEach((id, objects) -> out.add("css_set " + id
                    + " would still name it, pinned by "
                    + String.join(", ", objects.stream().map(this::describe).toList())));
            return out;
        }

        /** What keeps css {@code x} referenced once the directory lets go of {@code own}. */
        List<String> pins(Css x, CssSetId own, boolean ownFreed) {
            List<String> out = new ArrayList<>();
            for (ObjectName o : x.charged().sorted(null)) {
                ChargedObject obj = s.object(o);
                if (obj.pinnedSet() == null) {
                    out.add(describe(obj));
                }
            }
            for (CssSetId id : x.sets().sorted(null)) {
                if (id.equals(own) && ownFreed) {
                    continue;
                }
                CssSet set = s.cssSet(id);
                List<String> by = new ArrayList<>();
                for (ObjectName o : set.pinnedBy().sorted(null)) {
                    by.add(describe(s.object(o)));
                }
                int other = set.refcount() - set.pinnedBy().size() - (id.equals(own) ? 1 : 0);
                if (other > 0) {
                    by.add(other + " task or directory reference" + (other == 1 ? "" : "s"));
                }
                out.add("css_set " + id + " pinned by " + String.join(", ", by));
            }
            return out;
        }

        String describe(ChargedObject o) {
            return o.name() + " charged by task " + o.chargedBy() + " at event #" + o.chargedAt();
        }

        // ---- tasks -------------------------------------------------------------------------

        HierarchyId attach(String pidText, Found f) {
            Pid pid = value(Pid.parse(pidText));
            Task t = s.task(pid);
            if (t == null) {
                throw refuse(Errno.ESRCH, "no task " + pid);
            }
            Hierarchy h = f.h();
            Cgroup to = f.c();
            CssSet fromSet = s.cssSet(t.cssSet());
            CgroupId fromId = s.cgroupIn(fromSet.key(), h);
            if (fromId.equals(to.id())) {
                return h.id();
            }
            CssSetKey key = s.keyWith(fromSet.key(), h, to);
            List<ObjectName> moved = movable(t, h, to);
            CssSetId existing = s.cssSetIndex().get(key);
            CssSetId toSet = existing != null ? existing : new CssSetId(s.counters().nextCssSet());
            List<CssSetId> oldPins = new ArrayList<>();
            List<CssId> oldCss = new ArrayList<>();
            for (ObjectName o : moved) {
                ChargedObject obj = s.object(o);
                if (obj.pinnedSet() != null) {
                    oldPins.add(obj.pinnedSet());
                }
                oldCss.add(obj.css());
            }
            emit(new TaskAttached(pid, h.id(), fromId, to.id(), fromSet.id(), toSet, existing != null ? null : key,
                    moved));
            List<CssSetId> check = new ArrayList<>(1 + oldPins.size());
            check.add(fromSet.id());
            check.addAll(oldPins);
            settleSets(check);
            for (CssId x : oldCss) {
                settleCss(x);
            }
            notifyIfReleasable(fromId);
            return h.id();
        }

        /**
         * The objects that move with task {@code t} into {@code to}: of a subsystem whose
         * move_charge_at_immigrate is set there, charged to the css it leaves, held by it alone.
         * Refuses with ENOSPC if moving them would exceed a limit on the way.
         */
        List<ObjectName> movable(Task t, Hierarchy h, Cgroup to) {
            if (to.moveCharge().isEmpty() || t.holds().isEmpty()) {
                return List.of();
            }
            CssSetKey key = s.cssSet(t.cssSet()).key();
            List<ObjectName> moved = new ArrayList<>();
            Map<CssId, Long> incoming = new HashMap<>();
            for (ObjectName name : t.holds().sorted(null)) {
                ChargedObject o = s.object(name);
                if (!to.moveCharge().contains(o.subsys()) || o.holders().size() != 1
                        || !o.css().equals(s.cssIn(key, o.subsys()))) {
                    continue;
                }
                moved.add(name);
                CssId dest = null;
                for (CssId x : to.css()) {
                    if (x.subsys().equals(o.subsys())) {
                        dest = x;
                    }
                }
                incoming.merge(dest, o.amount(), Long::sum);
            }
            for (Map.Entry<CssId, Long> in : incoming.entrySet()) {
                CssId src = s.cssIn(key, in.getKey().subsys());
                Set<CssId> srcLine = new HashSet<>();
                for (CssId x = src; x != null; x = s.css(x).parent()) {
                    srcLine.add(x);
                }
                for (CssId x = in.getKey(); x != null && !srcLine.contains(x); x = s.css(x).parent()) {
                    Css c = s.css(x);
                    if (!fits(c, in.getValue())) {
                        throw refuse(Errno.ENOSPC, "moving " + in.getValue() + " of " + in.getKey().subsys()
                                + " charges into " + x + " would exceed its limit " + c.limit() + " (usage "
                                + c.usage() + ")");
                    }
                }
            }
            return moved;
        }


        HierarchyId fork(Fork c) {
            Task parent = s.task(c.parent());
            if (parent == null) {
                throw refuse(Errno.ESRCH, "no task " + c.parent());
            }
            Pid child = c.child();
            if (child == null) {
                child = nextPid(s);
                if (child == null) {
                    // as fork(2) when no pid can be allocated
                    throw refuse(Errno.EAGAIN, "every pid from " + Pid.WRAP + " to " + Pid.MAX + " is in use");
                }
            } else if (child.value() > Pid.MAX) {
                // as clone3(2) given a set_tid above pid_max
                throw refuse(Errno.EINVAL, "pid " + child + " is above the largest the kernel gives, " + Pid.MAX
                        + " (every pid is below pid_max, at most PID_MAX_LIMIT, 4194304)");
            } else if (s.task(child) != null) {
                throw refuse(Errno.EEXIST, "pid " + child + " is in use");
            }
            emit(new TaskForked(parent.pid(), child));
            return HierarchyId.DEFAULT;
        }

        HierarchyId exit(Exit c) {
            if (c.pid().equals(Pid.INIT)) {
                throw refuse(Errno.EPERM, "pid 1 never exits");
            }
            Task t = s.task(c.pid());
            if (t == null) {
                throw refuse(Errno.ESRCH, "no task " + c.pid());
            }
            CssSetKey key = s.cssSet(t.cssSet()).key();
            List<CgroupId> were = new ArrayList<>();
            for (Hierarchy h : s.realHierarchies()) {
                were.add(s.cgroupIn(key, h));
            }
            emit(new TaskExited(t.pid()));
            List<CssSetId> sets = new ArrayList<>();
            sets.add(t.cssSet());
            List<CssId> css = new ArrayList<>();
            for (ObjectName name : t.holds().sorted(null)) {
                ChargedObject o = s.object(name);
                if (o.holders().isEmpty() && !o.cache()) {
                    emit(new ObjectReleased(name));
                    if (o.pinnedSet() != null) {
                        sets.add(o.pinnedSet());
                    }
                    css.add(o.css());
                }
            }
            settleSets(sets);
            for (CssId x : css) {
                settleCss(x);
            }
            for (CgroupId g : were) {
                notifyIfReleasable(g);
            }
            return HierarchyId.DEFAULT;
        }

        // ---- charges -----------------------------------------------------------------------

        HierarchyId charge(Charge c) {
            Subsystem sub = s.catalog().find(c.subsys()).orElseThrow(
                    () -> refuse(Errno.EINVAL, "unknown subsystem '" + c.subsys() + "'"));
            if (!ObjectName.isValid(c.object())) {
                throw refuse(Errno.EINVAL, "invalid object name '" + c.object() + "'");
            }
            if (c.amount() < 0) {
                throw refuse(Errno.EINVAL, "a charge cannot be negative");
            }
            Task t = s.task(c.pid());
            if (t == null) {
                throw refuse(Errno.ESRCH, "no task " + c.pid());
            }
            ObjectName name = ObjectName.of(c.object());
            if (s.object(name) != null) {
                throw refuse(Errno.EEXIST, "object " + name + " is already charged (to "
                        + s.object(name).css() + ")");
            }
            CssId target = s.cssIn(s.cssSet(t.cssSet()).key(), sub);
            for (CssId x = target; x != null; x = s.css(x).parent()) {
                Css css = s.css(x);
                if (!fits(css, c.amount())) {
                    String why = css.usage() + c.amount() < css.usage()
                            ? " would take the usage of " + x + " past " + Long.MAX_VALUE
                            : " would exceed the limit " + css.limit() + " of " + x;
                    throw refuse(Errno.ENOSPC, "charging " + c.amount() + " to " + target + why + " (usage "
                            + css.usage() + ")");
                }
            }
            CssSetId pinned = s.pin() == PinPolicy.CSSSET ? t.cssSet() : null;
            emit(new ObjectCharged(name, t.pid(), sub, target, c.amount(), c.cache(), pinned));
            return s.hierarchyOf(sub).id();
        }

        static boolean fits(Css c, long amount) {
            long after = c.usage() + amount;
            return after >= c.usage() && c.limit().admits(after);
        }

        HierarchyId uncharge(Uncharge c) {
            if (!ObjectName.isValid(c.object())) {
                throw refuse(Errno.ENOENT, "no object '" + c.object() + "'");
            }
            ObjectName name = ObjectName.of(c.object());
            ChargedObject o = s.object(name);
            if (o == null) {
                throw refuse(Errno.ENOENT, "no object " + name + " is charged");
            }
            HierarchyId stream = s.hierarchyOf(o.subsys()).id();
            if (c.task() != null) {
                if (!o.holders().contains(c.task())) {
                    throw refuse(Errno.EINVAL, (s.task(c.task()) == null ? "no task " + c.task()
                            : "task " + c.task() + " does not hold " + name)
                            + " (holders: " + list(o.holders().sorted(null)) + ")");
                }
                emit(new HoldDropped(name, c.task()));
                if (!s.object(name).holders().isEmpty()) {
                    return stream;
                }
            }
            emit(new ObjectReleased(name));
            if (o.pinnedSet() != null) {
                settleSets(List.of(o.pinnedSet()));
            }
            settleCss(o.css());
            return stream;
        }

        // ---- files -------------------------------------------------------------------------

        HierarchyId setFile(SetFile c) {
            Found f = find(c.path());
            Cgroup g = f.c();
            String file = c.file();
            String v = c.value().strip();
            String raw = c.value().endsWith("\n") ? c.value().substring(0, c.value().length() - 1) : c.value();
            if (file.indexOf('/') >= 0) {
                throw refuse(Errno.EINVAL, "'" + file + "' is not a file's name (a name has no '/'): name the group "
                        + "it is in as the path");
            }
            if (!ControlFiles.isFile(f.h(), g, file)) {
                if (file.isEmpty() || file.equals(".") || file.equals("..") || g.children().containsKey(file)) {
                    // as opening a directory for writing
                    throw refuse(Errno.EISDIR, f.path() + (file.isEmpty() ? "" : "/" + file) + " is a directory");
                }
                throw refuse(Errno.ENOENT, f.path() + "/" + file + ": no such file");
            }
            int bytes = c.value().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > ControlFiles.WRITE_MAX) {
                // kernfs refuses a write longer than a page before the file reads a byte of it
                throw refuse(Errno.E2BIG, "a write to " + file + " takes at most " + ControlFiles.WRITE_MAX
                        + " bytes, not " + bytes);
            }
            switch (file) {
                case ControlFiles.TASKS, ControlFiles.PROCS:
                    return attach(c.value(), f);
                case ControlFiles.NOTIFY_ON_RELEASE: {
                    boolean on = parseU64(raw) != 0;
                    if (on != g.notifyOnRelease()) {
                        emit(new NotifyOnReleaseSet(g.id(), on));
                    }
                    return f.h().id();
                }
                case ControlFiles.SANE_BEHAVIOR:
                    throw refuse(Errno.EINVAL, file + " is read-only");
                case ControlFiles.CLONE_CHILDREN, ControlFiles.RELEASE_AGENT:
                    throw refuse(Errno.EINVAL, file + " is not modelled by cgledger");
                default:
                    break;
            }
            int dot = file.indexOf('.');
            Subsystem sub = s.catalog().find(file.substring(0, dot)).orElseThrow();
            String what = file.substring(dot + 1);
            CssId cssId = g.css().stream().filter(x -> x.subsys().equals(sub)).findFirst().orElseThrow();
            Css css = s.css(cssId);
            switch (what) {
                case ControlFiles.USAGE:
                    throw refuse(Errno.EINVAL, file + " is read-only");
                case ControlFiles.LIMIT: {
                    Limit limit = Limit.parse(v).orElseThrow(() -> refuse(Errno.EINVAL,
                            !v.isEmpty() && v.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                                    ? "a limit is at most " + Limit.LARGEST + " (or max), not " + v
                                    : "a limit is a non-negative number or max, not '" + v + "'"));
                    if (!limit.admits(css.usage())) {
                        throw refuse(Errno.EBUSY, "usage of " + cssId + " is " + css.usage() + ", above " + limit);
                    }
                    if (!limit.equals(css.limit())) {
                        emit(new LimitSet(g.id(), cssId, limit));
                    }
                    return f.h().id();
                }
                case ControlFiles.MOVE_CHARGE: {
                    boolean on = parseFlag(v, 1);
                    if (on != g.moveCharge().contains(sub)) {
                        emit(new MoveChargeSet(g.id(), sub, on));
                    }
                    return f.h().id();
                }
                default:
                    throw new IllegalStateException("unhandled file " + file);
            }
        }

        /**
         * The kernel's {@code kstrtoull(buf, 0)}: no white space but one trailing newline, base
         * prefixes as in C. Not a number: EINVAL; over 64 bits: ERANGE.
         */
        static long parseU64(String v) {
            String t = v.startsWith("+") ? v.substring(1) : v;
            int radix = 10;
            if (t.length() > 2 && (t.startsWith("0x") || t.startsWith("0X"))) {
                radix = 16;
                t = t.substring(2);
            } else if (t.length() > 1 && t.startsWith("0")) {
                radix = 8;
                t = t.substring(1);
            }
            final int base = radix;
            if (t.isEmpty() || !t.chars().allMatch(ch -> ch < 128 && Character.digit(ch, base) >= 0)) {
                // kstrtoull reads ASCII digits only; BigInteger would take any Unicode digit
                throw refuse(Errno.EINVAL, "'" + v + "' is not " + (v.startsWith("-") ? "an unsigned number" : "a number"));
            }
            java.math.BigInteger n;
            try {
                n = new java.math.BigInteger(t, radix);
            } catch (NumberFormatException e) {
                throw refuse(Errno.EINVAL, "'" + v + "' is not a number");
            }
            if (n.signum() < 0 || t.charAt(0) == '-' || t.charAt(0) == '+') {
                throw refuse(Errno.EINVAL, "'" + v + "' is not a number");
            }
            if (n.bitLength() > 64) {
                throw refuse(Errno.ERANGE, v + " does not fit 64 bits");
            }
            return n.longValue();
        }

        static boolean parseFlag(String v, long max) {
            if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw refuse(Errno.EINVAL, "'" + v + "' is not a number");
            }
            long n = Long.parseLong(v);
            if (n > max) {
                throw refuse(Errno.EINVAL, v + " is out of range (0 to " + max + ")");
            }
            return n != 0;
        }

        // ---- consequences ------------------------------------------------------------------

        /** Frees every css_set in {@code ids} left at refcount 0, then releases what that lets go. */
        void settleSets(List<CssSetId> ids) {
            for (CssSetId id : ids) {
                CssSet set = s.cssSet(id);
                if (set != null && set.refcount() == 0) {
                    emit(new CssSetFreed(id));
                    for (int i = 0; i < set.key().size(); i++) {
                        settleCss(set.key().css(i));
                    }
                }
            }
        }

        /** Releases css {@code id} if it is offline and nothing holds it, then its parent likewise. */
        void settleCss(CssId id) {
            for (CssId x = id; x != null; ) {
                Css c = s.css(x);
                if (c == null || c.state() == CssState.ONLINE || c.refcount() != 0 || c.children() != 0) {
                    return;
                }
                emit(new CssReleased(x));
                x = c.parent();
            }
        }

        /** The release agent's trigger: a notify_on_release group left with no task and no child. */
        void notifyIfReleasable(CgroupId id) {
            Cgroup g = s.cgroup(id);
            if (g != null && !g.isRoot() && !g.removed() && g.notifyOnRelease() && g.tasks().isEmpty()
                    && g.children().isEmpty()) {
                emit(new ReleaseNotified(id));
            }
        }

        // ---- paths -------------------------------------------------------------------------

        CgroupPath path(String text) {
            return value(Paths.parse(s, text));
        }

        static <T> T value(Result<T> r) {
            if (r instanceof Result.Refused<T> no) {
                throw refuse(no.errno(), no.reason());
            }
            return ((Result.Ok<T>) r).value();
        }

        Found mountOf(CgroupPath p) {
            return value(Paths.mountOf(s, p));
        }

        Found find(String text) {
            return value(Paths.find(s, text));
        }

        /**
         * For a path typed with a last component {@code .} or {@code ..}: the VFS looks up the
         * directory holding it first, so a missing one is ENOENT and a file ENOTDIR. Outside every
         * mount point the directories are the root and those leading to a mount point; any other
         * is ENOENT.
         */
        void requireParentDirectory(String text) {
            String t = text;
            while (t.endsWith("/") && t.length() > 1) {
                t = t.substring(0, t.length() - 1);
            }
            String parent = t.substring(0, t.lastIndexOf('/') + 1);
            CgroupPath p = path(parent);
            if (Paths.mountOf(s, p) instanceof Result.Ok<Found>) {
                find(parent);
            } else if (!Paths.aboveMounts(s, p)) {
                // the kernel walks to the parent before it looks at the . or .. (a directory the
                // model does not know is no directory, as for mkdir /H2)
                throw refuse(Errno.ENOENT, p + " is not under a cgroup mount point");
            }
        }

        /** The last non-empty component of a path as typed. */
        static String lastComponent(String text) {
            String t = text;
            while (t.endsWith("/") && t.length() > 1) {
                t = t.substring(0, t.length() - 1);
            }
            return t.substring(t.lastIndexOf('/') + 1);
        }

        static String describe(List<Subsystem> subs) {
            return subs.isEmpty() ? "(none)" : subs.toString();
        }

        static String list(List<?> items) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < items.size() && i < REASON_LIST; i++) {
                sb.append(i == 0 ? "" : ", ").append(items.get(i));
            }
            if (items.size() > REASON_LIST) {
                sb.append(" and ").append(items.size() - REASON_LIST).append(" more");
            }
            return sb.toString();
        }
    }
}
