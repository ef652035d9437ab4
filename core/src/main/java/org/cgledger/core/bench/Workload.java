package org.cgledger.core.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;

/**
 * A realistic, reproducible mixed workload: three hierarchies ({@code cpu}, {@code memory}, and a
 * named one without subsystems, as systemd mounts), a population of cgroups two levels deep and of
 * tasks, then a stream of attach, fork, exit, charge, uncharge, mkdir and rmdir. The generator
 * tracks only what it created, so some commands are refused (a busy rmdir, an exited pid), as in
 * real use. Deterministic for a seed.
 */
public final class Workload {

    /** The command mix, in percent: attach, fork, exit, charge, uncharge, mkdir, rmdir. */
    static final int[] MIX = {40, 10, 10, 15, 15, 5, 5};
    public static final List<String> KINDS = List.of("attach", "fork", "exit", "charge", "uncharge", "mkdir", "rmdir");

    private final SplittableRandom random;
    private final List<String> cgroups = new ArrayList<>();
    private final List<String> spare = new ArrayList<>();
    private final List<Integer> pids = new ArrayList<>();
    private final List<String> objects = new ArrayList<>();
    private int nextPid = 2;
    private int nextObject;
    private int nextGroup;

    public Workload(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The commands that build the population: init, 3 mounts, {@code groups} cgroups, {@code tasks} tasks. */
    public List<Command> setup(int groups, int tasks) {
        List<Command> out = new ArrayList<>();
        out.add(new Init(List.of("cpu", "memory"), PinPolicy.CSS, RmdirPolicy.OFFLINE));
        out.add(new Mount("cpu", "/sys/fs/cgroup/cpu"));
        out.add(new Mount("memory", "/sys/fs/cgroup/memory"));
        out.add(new Mount("none,name=systemd", "/sys/fs/cgroup/systemd"));
        String[] roots = {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/systemd"};
        int parents = Math.max(1, groups / 30);
        List<String> parentPaths = new ArrayList<>();
        for (int i = 0; i < parents; i++) {
            String p = roots[i % 3] + "/slice" + i;
            parentPaths.add(p);
            out.add(new Mkdir(p, false));
            cgroups.add(p);
        }
        for (int i = parents; i < groups; i++) {
            String p = parentPaths.get(i % parents) + "/svc" + (nextGroup++);
            out.add(new Mkdir(p, false));
            cgroups.add(p);
        }
        pids.add(1);
        for (int i = 0; i < tasks - 1; i++) {
            int child = nextPid++;
            out.add(new Fork(Pid.INIT, Pid.of(child)));
            pids.add(child);
            out.add(new Attach(Integer.toString(child), cgroups.get(random.nextInt(cgroups.size()))));
        }
        return out;
    }

    /** One command of the mix; {@code kind} receives its index in {@link #KINDS}. */
    public Command next(int[] kind) {
        int roll = random.nextInt(100);
        int k = 0;
        for (int acc = MIX[0]; roll >= acc; acc += MIX[++k]) {
            // find the bucket
        }
        kind[0] = k;
        switch (k) {
            case 0:
                return new Attach(Integer.toString(anyPid()), cgroups.get(random.nextInt(cgroups.size())));
            case 1: {
                int child = nextPid++;
                int parent = anyPid();
                pids.add(child);
                return new Fork(Pid.of(parent), Pid.of(child));
            }
            case 2: {
                if (pids.size() < 2) {
                    return new Exit(Pid.of(nextPid + 1_000_000));
                }
                int i = 1 + random.nextInt(pids.size() - 1);
                int pid = pids.get(i);
                pids.set(i, pids.get(pids.size() - 1));
                pids.remove(pids.size() - 1);
                return new Exit(Pid.of(pid));
            }
            case 3: {
                String name = "file:" + (nextObject++);
                objects.add(name);
                return new Charge(Pid.of(anyPid()), random.nextBoolean() ? "cpu" : "memory", name,
                        1 + random.nextInt(4096), random.nextInt(10) == 0);
            }
            case 4: {
                if (objects.isEmpty()) {
                    return new Uncharge("file:none", null);
                }
                int i = random.nextInt(objects.size());
                String name = objects.get(i);
                objects.set(i, objects.get(objects.size() - 1));
                objects.remove(objects.size() - 1);
                return new Uncharge(name, null);
            }
            case 5: {
                String parent = cgroups.get(random.nextInt(cgroups.size()));
                String p = parent + "/g" + (nextGroup++);
                spare.add(p);
                return new Mkdir(p, false);
            }
            default: {
                if (spare.isEmpty()) {
                    return new Rmdir(cgroups.get(random.nextInt(cgroups.size())));
                }
                String p = spare.remove(spare.size() - 1);
                return new Rmdir(p);
            }
        }
    }

    private int anyPid() {
        return pids.get(random.nextInt(pids.size()));
    }
}
