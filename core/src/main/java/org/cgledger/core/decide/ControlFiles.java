package org.cgledger.core.decide;

import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Hierarchy;

/** The files of a cgroup directory, as cgroupfs lists them (plus the model's per-subsystem files). */
public final class ControlFiles {

    public static final String TASKS = "tasks";
    public static final String PROCS = "cgroup.procs";
    public static final String NOTIFY_ON_RELEASE = "notify_on_release";
    public static final String CLONE_CHILDREN = "cgroup.clone_children";
    public static final String RELEASE_AGENT = "release_agent";
    public static final String SANE_BEHAVIOR = "cgroup.sane_behavior";
    public static final String USAGE = "usage";
    public static final String LIMIT = "limit";
    public static final String MOVE_CHARGE = "move_charge_at_immigrate";

    /** The longest write(2) a control file takes, in bytes (a page: kernfs's atomic_write_len); longer is E2BIG. */
    public static final int WRITE_MAX = 4096;

    private ControlFiles() {
    }

    /** The file names in directory {@code c} of {@code h}, sorted as {@code ls} sorts them. */
    public static List<String> of(Hierarchy h, Cgroup c) {
        List<String> names = new ArrayList<>(List.of(PROCS, CLONE_CHILDREN, NOTIFY_ON_RELEASE, TASKS));
        if (c.isRoot()) {
            names.add(RELEASE_AGENT);
            names.add(SANE_BEHAVIOR);
        }
        for (Subsystem s : h.subsystems()) {
            names.add(s.name() + "." + USAGE);
            names.add(s.name() + "." + LIMIT);
            names.add(s.name() + "." + MOVE_CHARGE);
        }
        names.sort(null);
        return names;
    }

    /** Whether {@code name} is a file of directory {@code c} (mkdir of it: EEXIST). */
    public static boolean isFile(Hierarchy h, Cgroup c, String name) {
        switch (name) {
            case TASKS, PROCS, NOTIFY_ON_RELEASE, CLONE_CHILDREN:
                return true;
            case RELEASE_AGENT, SANE_BEHAVIOR:
                return c.isRoot();
            default:
                int dot = name.indexOf('.');
                if (dot <= 0) {
                    return false;
                }
                String sub = name.substring(0, dot);
                String file = name.substring(dot + 1);
                if (!file.equals(USAGE) && !file.equals(LIMIT) && !file.equals(MOVE_CHARGE)) {
                    return false;
                }
                for (Subsystem s : h.subsystems()) {
                    if (s.name().equals(sub)) {
                        return true;
                    }
                }
                return false;
        }
    }
}
