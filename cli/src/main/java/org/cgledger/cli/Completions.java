package org.cgledger.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Result;
import org.cgledger.core.query.CgroupFiles;
import org.cgledger.core.state.State;

/**
 * What the interactive shell offers on TAB: command names first (and after help), then by position
 * pids (fork, exit, attach, charge), subsystems (charge; mount -o, those not bound), css and
 * css_sets (who-holds), object names (uncharge), and paths everywhere else.
 */
final class Completions {

    private Completions() {
    }

    /**
     * The candidates for word {@code index} of {@code words} (the word being typed is
     * {@code words.get(index)}, possibly empty), with the shell in {@code cwd}; {@code commands}:
     * every word that may begin a line ({@link ShLines#commands}).
     */
    static List<String> candidates(State s, String cwd, List<String> commands, List<String> words, int index) {
        TreeSet<String> out = new TreeSet<>();
        String typed = index < words.size() ? words.get(index) : "";
        if (index == 0 || index == 1 && words.get(0).equals("help")) {
            out.addAll(commands);
            return filter(out, typed);
        }
        if (!s.initialized()) {
            return List.of();
        }
        String cmd = words.get(0);
        if (cmd.equals("mount") && index >= 2 && words.get(index - 1).equals("-o")) {
            // the subsystems not bound yet, and the options that name none
            s.catalog().subsystems().forEach(x -> {
                if (s.hierarchyOf(x).isDefault()) {
                    out.add(x.name());
                }
            });
            out.add("none,name=");
            return filter(out, typed);
        }
        if (cmd.equals("who-holds") && index == 1) {
            // a css or a css_set, by name
            s.css().forEach((id, c) -> out.add(id.toString()));
            s.cssSets().forEach((id, set) -> out.add(id.toString()));
            return filter(out, typed);
        }
        if (cmd.equals("fork") && index >= 2 && words.get(index - 1).equals("--pid")) {
            // the child's pid: one in use is EEXIST, so the one fork would give by itself
            Pid next = Decider.nextPid(s);
            if (next != null) {
                out.add(next.toString());
            }
            return filter(out, typed);
        }
        boolean pidFirst = cmd.equals("fork") || cmd.equals("exit") || cmd.equals("attach") || cmd.equals("charge");
        if (pidFirst && index == 1 || index >= 2 && words.get(index - 1).equals("--pid")
                || index >= 2 && words.get(index - 1).equals("--task")) {
            s.tasks().forEach((pid, t) -> out.add(pid.toString()));
            if (cmd.equals("exit")) {
                out.remove(Pid.INIT.toString()); // init does not exit (EPERM)
            }
            return filter(out, typed);
        }
        if (cmd.equals("charge") && index == 2) {
            s.catalog().subsystems().forEach(x -> out.add(x.name()));
            return filter(out, typed);
        }
        if (cmd.equals("uncharge") && index == 1) {
            s.objects().forEach((name, o) -> out.add(name.value()));
            return filter(out, typed);
        }
        return paths(s, cwd, typed);
    }

    /** Paths completing {@code typed}: absolute, or relative to {@code cwd}; directories end with {@code /}. */
    static List<String> paths(State s, String cwd, String typed) {
        int slash = typed.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : typed.substring(0, slash + 1);
        String dir = typed.startsWith("/") ? (dirPart.isEmpty() ? "/" : dirPart)
                : (cwd.endsWith("/") ? cwd : cwd + "/") + dirPart;
        Result<List<String>> names = CgroupFiles.list(s, dir);
        List<String> out = new ArrayList<>();
        if (!(names instanceof Result.Ok<List<String>> ok)) {
            return out;
        }
        for (String name : ok.value()) {
            String candidate = dirPart + name;
            if (!candidate.startsWith(typed)) {
                continue;
            }
            String full = (dir.endsWith("/") ? dir : dir + "/") + name;
            boolean isDir = CgroupFiles.list(s, full).isOk();
            out.add(candidate + (isDir ? "/" : ""));
        }
        return out;
    }

    private static List<String> filter(TreeSet<String> all, String typed) {
        List<String> out = new ArrayList<>();
        for (String x : all) {
            if (x.startsWith(typed)) {
                out.add(x);
            }
        }
        return out;
    }
}
