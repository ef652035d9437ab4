package org.cgledger.cli.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state compared after a script: for each scenario hierarchy (by its name in the script), each
 * cgroup's path from the hierarchy root ({@code /}, {@code /foo}, ...) and the script pids in its
 * {@code tasks}, sorted. A process in a kernel cgroup that is not one of the harness's sleepers is
 * shown as a negative number (the roots list only the harness's sleepers).
 */
public record Snapshot(SortedMap<String, SortedMap<String, List<Integer>>> hierarchies) {

    public Snapshot {
        SortedMap<String, SortedMap<String, List<Integer>>> copy = new TreeMap<>();
        hierarchies.forEach((k, v) -> {
            SortedMap<String, List<Integer>> groups = new TreeMap<>();
            v.forEach((path, pids) -> groups.put(path, pids.stream().sorted().toList()));
            copy.put(k, groups);
        });
        hierarchies = copy;
    }

    public static Snapshot of(Map<String, ? extends Map<String, List<Integer>>> hierarchies) {
        SortedMap<String, SortedMap<String, List<Integer>>> m = new TreeMap<>();
        hierarchies.forEach((k, v) -> m.put(k, new TreeMap<>(v)));
        return new Snapshot(m);
    }

    /** One hierarchy as one line: {@code / [1]; /foo [2, 3]}, or {@code (none)} if it does not exist. */
    public String describe(String name) {
        SortedMap<String, List<Integer>> groups = hierarchies.get(name);
        if (groups == null) {
            return "(no such hierarchy)";
        }
        List<String> parts = new ArrayList<>();
        groups.forEach((path, pids) -> parts.add(path + " " + pids));
        return String.join("; ", parts);
    }
}
