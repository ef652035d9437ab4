package org.cgledger.cli.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random conformance scripts: what a shell user does to named cgroup v1 hierarchies (mount and
 * remount by name, mkdir, rmdir, task moves, fork, exit, umount, notify_on_release, reads), drawn
 * so that refusals happen often (a name taken, a parent missing, a group busy, a pid gone, a
 * hierarchy busy). Only what both sides can run, and none of the deviations DEVIATIONS.md lists
 * (no pid 0, no clone_children, no mount over a mount point in use, no write to a file that is not
 * there). Deterministic for a seed.
 */
final class RandomScripts {

    static final List<String> HIERARCHIES = List.of("h1", "h2", "h3");
    static final List<String> MOUNT_POINTS = List.of("/H1", "/H2", "/H3", "/M1", "/M2");
    static final List<String> NAMES = List.of("a", "b", "c", "d");

    private final SplittableRandom random;
    /** Mount point to the hierarchy name mounted there. */
    private final Map<String, String> mounted = new LinkedHashMap<>();
    /** The directories made so far, per hierarchy, as paths under its root ("" is the root); some may be gone. */
    private final Map<String, List<String>> dirs = new LinkedHashMap<>();
    /** The pids forked so far (1 is init); some may have exited. */
    private final List<Integer> pids = new ArrayList<>(List.of(1));
    private int nextPid = 2;

    private RandomScripts(long seed) {
        this.random = new SplittableRandom(seed);
        for (String h : HIERARCHIES) {
            dirs.put(h, new ArrayList<>(List.of("")));
        }
    }

    /** A script of about {@code lines} lines for {@code seed}, its first line a comment naming the seed. */
    static String script(long seed, int lines) {
        return new RandomScripts(seed).build(seed, lines);
    }

    private String build(long seed, int lines) {
        StringBuilder out = new StringBuilder("# random conformance script, seed " + seed + "\n");
        int hierarchies = 1 + random.nextInt(HIERARCHIES.size());
        for (int i = 0; i < hierarchies; i++) {
            out.append(mount(HIERARCHIES.get(i), MOUNT_POINTS.get(i))).append('\n');
        }
        for (int i = 0; i < lines; i++) {
            out.append(line()).append('\n');
        }
        return out.toString();
    }

    private String line() {
        int roll = random.nextInt(100);
        if (mounted.isEmpty() || roll < 4) {
            return mountSomething();
        }
        if (roll < 26) {
            return mkdir();
        }
        if (roll < 40) {
            return "rmdir " + anyDir();
        }
        if (roll < 62) {
            return "echo " + anyPid() + " > " + anyDir() + "/" + (random.nextInt(5) == 0 ? "cgroup.procs" : "tasks");
        }
        if (roll < 72) {
            int child = nextPid++;
            pids.add(child);
            return "fork " + anyPid() + " --pid " + child;
        }
        if (roll < 78) {
            return "exit " + (pids.size() > 1 && random.nextInt(8) != 0 ? pids.get(1 + random.nextInt(pids.size() - 1))
                    : anyPid());
        }
        if (roll < 88) {
            return "cat " + anyDir() + "/tasks";
        }
        if (roll < 92) {
            return "ls " + anyDir();
        }
        if (roll < 95) {
            return "echo " + random.nextInt(2) + " > " + anyDir() + "/notify_on_release";
        }
        String mp = pick(new ArrayList<>(mounted.keySet()));
        mounted.remove(mp);
        return "umount " + mp;
    }

    /** A mount of a hierarchy, new or known, at a mount point not in use. */
    private String mountSomething() {
        List<String> free = new ArrayList<>(MOUNT_POINTS);
        free.removeAll(mounted.keySet());
        if (free.isEmpty()) {
            String mp = pick(new ArrayList<>(mounted.keySet()));
            mounted.remove(mp);
            return "umount " + mp;
        }
        return mount(pick(HIERARCHIES), pick(free));
    }

    private String mount(String name, String mp) {
        mounted.put(mp, name);
        return "mount -t cgroup -o none,name=" + name + " none " + mp;
    }

    private String mkdir() {
        String mp = pick(new ArrayList<>(mounted.keySet()));
        List<String> known = dirs.get(mounted.get(mp));
        String parent = random.nextInt(10) == 0 ? "/" + pick(NAMES) + "/" + pick(NAMES) : pick(known);
        String path = parent + "/" + pick(NAMES);
        if (path.length() < 12 && !known.contains(path)) {
            known.add(path);
        }
        return random.nextInt(8) == 0 ? "mkdir -p " + mp + path + "/" + pick(NAMES) : "mkdir " + mp + path;
    }

    /** A directory under some mount point: one made before (maybe removed since), the root, or one never made. */
    private String anyDir() {
        List<String> mps = new ArrayList<>(mounted.keySet());
        if (mps.isEmpty() || random.nextInt(25) == 0) {
            return pick(MOUNT_POINTS) + "/" + pick(NAMES);
        }
        String mp = pick(mps);
        return mp + pick(dirs.get(mounted.get(mp)));
    }

    private int anyPid() {
        return random.nextInt(30) == 0 ? nextPid + 5 : pick(pids);
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
