package org.cgledger.cli.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cgledger.cli.Tokens;
import org.cgledger.core.model.Pid;

/**
 * The kernel side of a conformance run: real cgroup v1 hierarchies and real processes.
 *
 * <p>Each scenario mount point ({@code /H1}) is a fresh directory under a new temporary directory
 * in /tmp, which exists only while something is mounted on it; each {@code name=h1} becomes a
 * unique real name ({@code cgc<pid>t<time>_<n>_h1}); script pid 1 and every forked pid is a
 * {@code sleep} the harness starts ({@code fork P} places it in P's cgroup of every scenario
 * hierarchy; {@code exit P} kills and reaps it). The system calls run in a small python3 helper
 * (ctypes mount(2)), so each errno is the kernel's own.
 *
 * <p>Hard safety rules, enforced here (and again in the helper): nothing is written under
 * /sys/fs/cgroup or outside this run's temporary directory; a mkdir, rmdir or write runs only
 * inside a hierarchy this run created and has mounted, or where its parent directory does not
 * exist (so the kernel answers ENOENT and nothing is created); only {@code none}/{@code name=}
 * mounts are made (a mount line naming controllers, {@code all}, {@code release_agent=} or neither
 * {@code none} nor a name runs on the model only); a name already listed in /proc/self/cgroup that
 * this run did not create is never mounted (the run aborts); only the harness's own sleepers are
 * signalled, through their process handles; pids in {@code tasks} writes are mapped to the
 * harness's sleepers, any other pid to one above pid_max (ESRCH), so no other process is ever
 * moved. {@link #close} always cleans up (sleepers killed and reaped, cgroups removed bottom-up,
 * teardown awaited, every mount undone, a hierarchy still listed mounted and unmounted once more),
 * and a shutdown hook does the same on Ctrl-C.
 */
public final class KernelSide implements Side {

    private static final Path SYS_CGROUP = Path.of("/sys/fs/cgroup");
    private static final Set<String> SAFE_FLAGS = Set.of("", "none", "xattr", "clone_children", "noprefix");
    private static final int MAX_ROOT_NAME = 63;
    /** A pid no task can have: above every pid_max (4194304), so the kernel answers ESRCH. */
    private static final long NO_SUCH_PID = 2_000_000_000L;
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static volatile Optional<String> unavailable;
    /** The python3 interpreter itself (resolved once: a version manager's shim costs half a second a start). */
    private static volatile String python = "python3";

    private final ObjectMapper mapper = new ObjectMapper();
    private final String prefix;
    private final Path base;
    private final Process helper;
    private final BufferedWriter toHelper;
    private final BufferedReader fromHelper;
    private final Thread hook;
    private boolean closed;

    /** Logical mount point (normalized, e.g. /H1) to its directory. */
    private final Map<String, Path> mountDirs = new LinkedHashMap<>();
    /** What this run has mounted on each directory, top last (mounts stack). */
    private final Map<Path, Deque<String>> mounted = new HashMap<>();
    /** Script hierarchy name to real name, and back. */
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, String> logicalNames = new HashMap<>();
    /** Real names of the hierarchies this run created. */
    private final Set<String> created = new HashSet<>();
    /**
     * Mount points (normalized lexically) of mounts run on the model only (with controllers, say):
     * the lines under one are model only too (the kernel, with nothing mounted there, had answered
     * ENOENT to a mkdir the model made, a divergence that was the harness's own).
     */
    private final Set<String> modelOnlyMounts = new HashSet<>();
    /** Script pid to the harness's sleeper. */
    private final Map<Integer, Process> tasks = new TreeMap<>();
    private int maxPid;
    private int scratch;
    /**
     * The working directory of the script's {@code cd} lines, as typed (absolute, . and ..
     * taken lexically), null for /; the helper holds it open, so it holds its mount busy and is
     * walked from even once removed, as a shell's is. Not known after a cd run on the model only.
     */
    private String cwd;
    private boolean cwdKnown = true;
    /** Whether the helper holds {@link #cwd} open: it does inside a hierarchy, not in / or above a mount point. */
    private boolean cwdHeld;

    private KernelSide() throws IOException {
        int run = RUNS.incrementAndGet();
        prefix = "cgc" + ProcessHandle.current().pid() + "t"
                + Long.toString(System.currentTimeMillis() % 1_679_616, 36) + "_" + run + "_";
        base = Files.createTempDirectory(Path.of("/tmp"), "cgconf.");
        helper = startHelper();
        toHelper = new BufferedWriter(new OutputStreamWriter(helper.getOutputStream(), StandardCharsets.UTF_8));
        fromHelper = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.UTF_8));
        hook = new Thread(this::close, "cgledger-conformance-cleanup");
        // the hook's close waits for the first sleeper (it had run beside this, and left it)
        synchronized (this) {
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException stopping) {
                helper.destroyForcibly();
                Files.deleteIfExists(base);
                throw stopping;
            }
            tasks.put(1, sleeper());
            maxPid = 1;
        }
    }

    /**
     * A kernel side for one script (script pid 1 already started).
     *
     * @throws IllegalStateException when the kernel side cannot run here ({@link #unavailable()} says why)
     */
    public static KernelSide open() {
        Optional<String> why = unavailable();
        if (why.isPresent()) {
            throw new IllegalStateException(why.get());
        }
        try {
            return new KernelSide();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the kernel side: " + e.getMessage(), e);
        }
    }

    /**
     * Why the kernel side cannot run on this machine (not Linux, not root, no cgroup v1, no
     * python3, a test mount refused), or empty when it can. Probed once per process.
     */
    public static Optional<String> unavailable() {
        Optional<String> u = unavailable;
        if (u == null) {
            u = probe();
            unavailable = u;
        }
        return u;
    }

    private static Optional<String> probe() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.of("not Linux (" + System.getProperty("os.name") + ")");
        }
        try {
            String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2]).findFirst().orElse("?");
            if (!uid.equals("0")) {
                return Optional.of("not root (effective uid " + uid + "): cgroup v1 hierarchies need root to mount");
            }
            if (Files.readAllLines(Path.of("/proc/filesystems")).stream().noneMatch(l -> l.endsWith("\tcgroup"))) {
                return Optional.of("no cgroup v1 in this kernel (/proc/filesystems has no cgroup)");
            }
        } catch (IOException e) {
            return Optional.of("cannot read /proc: " + e.getMessage());
        }
        String exe;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import ctypes, sys; print(sys.executable)").start();
            exe = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                return Optional.of("python3 cannot load ctypes (the kernel side's system-call helper needs it)");
            }
        } catch (IOException e) {
            return Optional.of("no python3 (the kernel side's system-call helper needs it)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
        if (!exe.isEmpty() && Files.isExecutable(Path.of(exe))) {
            python = exe;
        }
        try (KernelSide k = new KernelSide()) {
            Outcome o = k.run(1, "", List.of("mount", "-t", "cgroup", "-o", "none,name=probe", "none", "/probe"));
            if (!o.isOk()) {
                return Optional.of("mounting a named cgroup v1 hierarchy was refused: " + o.describe());
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot run the kernel side: " + e.getMessage());
        }
    }

    // ---- lines -----------------------------------------------------------------------------

    /**
     * Runs one line. Synchronized with {@link #close}: a Ctrl-C's shutdown hook cleans up between
     * two lines, never in the middle of one (both had talked to the helper at once, and the
     * cleanup failed, "moving sleepers back: null"), and a line after it runs nothing.
     */
    @Override
    public synchronized Outcome run(int number, String text, List<String> words) {
        stoppedIfClosed();
        try {
            return dispatch(words);
        } catch (IOException e) {
            return Outcome.failed("EIO", "harness: " + e.getMessage());
        }
    }

    /** Why the line's words can reach no system call (the note of a model-only line), or null. */
    static String unsayable(List<String> words) {
        if (words.get(0).equals(Conformance.UNPARSABLE)) {
            return "model only: the line cannot be parsed (an unterminated quote): no system call to make";
        }
        for (String w : words) {
            if (w.indexOf('\0') >= 0 && !w.equals(Tokens.REDIRECT) && !w.equals(Tokens.APPEND)) {
                return "model only: a NUL byte cannot reach the kernel (a system call takes C strings)";
            }
        }
        return null;
    }

    private Outcome dispatch(List<String> words) throws IOException {
        String cmd = words.get(0);
        String unsayable = unsayable(words);
        if (unsayable != null) {
            return Outcome.notRun(unsayable);
        }
        int redirect = words.indexOf(Tokens.REDIRECT);
        if (redirect >= 0) {
            return cmd.equals("echo") && redirect == words.size() - 2 ? echo(words, redirect)
                    : Outcome.notRun("model only: not an echo V > FILE line");
        }
        if (words.contains(Tokens.APPEND)) {
            return Outcome.notRun("model only: >>");
        }
        switch (cmd) {
            case "mount":
                return mount(words);
            case "umount":
                return words.size() == 2 ? umount(words.get(1)) : Outcome.notRun("model only: umount options");
            case "mkdir":
                return mkdir(words);
            case "rmdir":
                return rmdir(words);
            case "attach":
                return words.size() == 3 ? writeTasks(words.get(1) + "\n", words.get(2) + "/tasks")
                        : Outcome.notRun("model only: usage");
            case "fork":
                return fork(words);
            case "exit":
                return exit(words);
            case "cat":
                return words.size() == 2 ? cat(words.get(1)) : Outcome.notRun("model only: cat of several files");
            case "ls": {
                boolean all = words.size() > 1 && words.get(1).equals("-a");
                List<String> paths = words.subList(all ? 2 : 1, words.size());
                return paths.size() <= 1 ? ls(paths.isEmpty() ? "." : paths.get(0), all)
                        : Outcome.notRun("model only: ls of several paths");
            }
            case "cd":
                return cd(words);
            case "charge":
            case "uncharge":
                return Outcome.notRun("model only: charges");
            case "set":
                return Outcome.notRun("model only: set");
            case "init":
                return Outcome.notRun("model only: the model's catalog and policies");
            default:
                return Outcome.notRun("model only: " + cmd);
        }
    }

    private Outcome mount(List<String> words) throws IOException {
        String type = null;
        String opts = "";
        List<String> args = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if ((w.equals("-t") || w.equals("-o")) && i + 1 < words.size()) {
                if (w.equals("-t")) {
                    type = words.get(++i);
                } else {
                    // given more than once, joined, as mount(8) joins them
                    opts = opts.isEmpty() ? words.get(++i) : opts + "," + words.get(++i);
                }
            } else if (w.startsWith("-")) {
                return Outcome.notRun("model only: mount option " + w);
            } else {
                args.add(w);
            }
        }
        if (args.isEmpty() || args.size() > 2) {
            return Outcome.notRun("model only: usage");
        }
        if (type != null && !type.equals("cgroup") && !type.equals("container")) {
            return Outcome.notRun("model only: file system type " + type);
        }
        boolean none = false;
        boolean named = false;
        String modelOnly = null;
        for (String o : opts.split(",", -1)) {
            if (o.startsWith("name=")) {
                named = true;
            } else if (SAFE_FLAGS.contains(o)) {
                none |= o.equals("none");
            } else if (modelOnly == null) {
                modelOnly = "model only: a mount with controllers or " + o
                        + " (the harness binds no controller and sets no release agent)";
            }
        }
        if (modelOnly == null && !none && !named) {
            modelOnly = "model only: without none or name= the kernel would bind every controller";
        }
        if (modelOnly != null) {
            modelOnlyMount(args.get(args.size() - 1));
            return Outcome.notRun(modelOnly);
        }
        List<String> real = new ArrayList<>();
        for (String o : opts.split(",", -1)) {
            real.add(o.startsWith("name=") ? "name=" + realName(o.substring(5)) : o);
        }
        String mp = normalize(args.get(args.size() - 1));
        if (mp == null || mp.equals("/")) {
            return Outcome.notRun("model only: mount point " + args.get(args.size() - 1));
        }
        for (String other : mountDirs.keySet()) {
            if (!other.equals(mp) && (mp.startsWith(other + "/") || other.startsWith(mp + "/"))) {
                return Outcome.notRun("model only: mount points nested in each other");
            }
        }
        String realName = null;
        for (String o : real) {
            if (o.startsWith("name=")) {
                realName = o.substring(5);
            }
        }
        Set<String> listed = listedHierarchies();
        if (realName != null && listed.contains(realName) && !created.contains(realName)) {
            throw new IllegalStateException("hierarchy name=" + realName + " exists and was not created by this run");
        }
        Path dir = mountDirs.computeIfAbsent(mp, this::mountDir);
        Deque<String> stack = mounted.computeIfAbsent(dir, d -> new ArrayDeque<>());
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir);
        }
        Outcome o = call(req("mount").put("dir", dir.toString()).put("opts", String.join(",", real)));
        if (o.isOk()) {
            modelOnlyMounts.remove(mp);
            stack.addLast(realName);
            if (!listed.contains(realName)) {
                created.add(realName);
            }
        } else if (stack.isEmpty()) {
            Files.deleteIfExists(dir);
        }
        return o;
    }

    /**
     * Records a mount run on the model only at {@code typed}: unless the kernel side has a mount
     * at, above or under it (where the model refuses it, EBUSY, and the kernel's answers stand).
     */
    private void modelOnlyMount(String typed) {
        String mp = typed.startsWith("/") ? normalizeLexically(typed) : "/";
        if (mp.equals("/")) {
            return;
        }
        boolean overlaps = mountDirs.entrySet().stream().anyMatch(e -> !mounted.getOrDefault(e.getValue(),
                new ArrayDeque<>()).isEmpty() && (e.getKey().equals(mp) || e.getKey().startsWith(mp + "/")
                        || mp.startsWith(e.getKey() + "/")));
        if (!overlaps) {
            modelOnlyMounts.add(mp);
        }
    }

    /** The mount run on the model only that {@code typed} (absolute) is at or under, or null. */
    private String underModelOnlyMount(String typed) {
        String at = normalizeLexically(typed);
        for (String mp : modelOnlyMounts) {
            if (at.equals(mp) || at.startsWith(mp + "/")) {
                return mp;
            }
        }
        return null;
    }

    private Outcome umount(String typed) throws IOException {
        if (!typed.startsWith("/")) {
            String abs = absolute(typed);
            if (abs == null) {
                return Outcome.notRun("model only: umount of a path relative to the working directory");
            }
            typed = abs;
        }
        String mp = typed.startsWith("/") ? mountPointPath(typed) : null;
        if (mp == null && typed.startsWith("/")) {
            return Outcome.notRun("model only: mount point " + typed);
        }
        Path dir = mp == null ? null : mountDirs.get(mp);
        Deque<String> stack = dir == null ? null : mounted.get(dir);
        if ((stack == null || stack.isEmpty()) && modelOnlyMounts.remove(normalizeLexically(typed))) {
            return Outcome.notRun("model only: the umount of a mount run on the model only");
        }
        Target inside = stack == null || stack.isEmpty() ? target(typed) : null;
        if (inside != null && inside.live()) {
            // inside a mounted scenario hierarchy: the path itself (a missing cgroup is ENOENT, a
            // control file on the way ENOTDIR, where a scratch directory had said EINVAL for all)
            return call(req("umount").put("dir", inside.real() + (typed.endsWith("/") ? "/" : "")));
        }
        if (stack == null || stack.isEmpty()) {
            // the kernel's answer for a directory that is not a mount point: a scratch one of ours
            Path empty = base.resolve("not-a-mount-point");
            if (!Files.isDirectory(empty)) {
                Files.createDirectory(empty);
            }
            return call(req("umount").put("dir", empty.toString()));
        }
        String name = stack.getLast();
        boolean childless = subdirectories(dir).isEmpty();
        if (childless) {
            settle(dir, name);
        }
        Outcome o = call(req("umount").put("dir", dir.toString()));
        if (o.isOk()) {
            stack.removeLast();
            if (stack.isEmpty()) {
                Files.deleteIfExists(dir);
            }
            if (childless && mountOf(name) == null) {
                waitGone(name, 2_000);
            }
        }
        return o;
    }

    private Outcome mkdir(List<String> words) throws IOException {
        boolean parents = false;
        Outcome first = null;
        for (String w : words.subList(1, words.size())) {
            if (w.equals("-p")) {
                parents = true;
                continue;
            }
            Target t = target(w);
            if (t == null) {
                return Outcome.notRun("model only: path " + w);
            }
            Outcome o;
            if (parents && t.here() != null) {
                return Outcome.notRun("model only: mkdir -p of a path relative to the working directory");
            }
            if (parents) {
                if (t.rel.contains("..") || t.rel.contains(".")) {
                    return Outcome.notRun("model only: mkdir -p with . or .. in the path");
                }
                if (!t.live) {
                    return Outcome.notRun("model only: mkdir -p outside a mounted scenario hierarchy");
                }
                o = Outcome.ok();
                Path p = t.mount;
                for (int i = 0; i < t.rel.size(); i++) {
                    p = p.resolve(t.rel.get(i));
                    if (i < t.rel.size() - 1 && Files.exists(p) && !Files.isDirectory(p)) {
                        // coreutils' mkdir -p names a file on the way ENOTDIR (its mkdir(2) EEXIST is taken)
                        o = Outcome.failed("ENOTDIR", "mkdir -p: " + t.rel.get(i) + " is not a directory");
                        break;
                    }
                    if (!Files.isDirectory(p)) {
                        o = call(req("mkdir").put("path", rel(p)));
                        if (!o.isOk()) {
                            break;
                        }
                    }
                }
            } else {
                if (!t.safe()) {
                    return Outcome.notRun("model only: outside every mounted scenario hierarchy");
                }
                o = call(at(req("mkdir"), t, rel(t.real())));
            }
            if (first == null || (first.isOk() && !o.isOk())) {
                first = o;
            }
        }
        return first == null ? Outcome.notRun("model only: usage") : first;
    }

    private Outcome rmdir(List<String> words) throws IOException {
        Outcome first = null;
        for (String w : words.subList(1, words.size())) {
            Target t = target(w);
            if (t == null || !t.safe()) {
                return Outcome.notRun("model only: outside every mounted scenario hierarchy");
            }
            Outcome o = call(at(req("rmdir"), t, rel(t.real())));
            if (first == null || (first.isOk() && !o.isOk())) {
                first = o;
            }
        }
        return first == null ? Outcome.notRun("model only: usage") : first;
    }

    private Outcome echo(List<String> words, int redirect) throws IOException {
        List<String> args = words.subList(1, redirect);
        boolean newline = true;
        if (!args.isEmpty() && args.get(0).equals("-n")) {
            newline = false;
            args = args.subList(1, args.size());
        }
        String value = String.join(" ", args) + (newline ? "\n" : "");
        String file = words.get(words.size() - 1);
        // the file a write names, also as "tasks/" (ENOTDIR on the kernel, but the same safety rules)
        String bare = file.replaceAll("/+$", "");
        String leaf = bare.substring(bare.lastIndexOf('/') + 1);
        if (leaf.equals("tasks") || leaf.equals("cgroup.procs")) {
            return writeTasks(value, file);
        }
        if (leaf.equals("release_agent")) {
            return Outcome.notRun("model only: the harness sets no release agent");
        }
        if (leaf.endsWith(".limit") || leaf.endsWith(".usage") || leaf.endsWith(".move_charge_at_immigrate")) {
            return Outcome.notRun("model only: limits and charges");
        }
        // an empty write still opens the file as the shell's > does (it had answered ok without
        // asking the kernel, which refuses a directory or a missing file even so)
        Target t = target(file);
        if (t == null && absolute(file) != null && directoryAboveMounts(absolute(file))) {
            // / or a directory above a mount point, which the run's directory does not mirror:
            // the shell's > opens a directory, the run's own (EISDIR, nothing made)
            return call(req("write").put("path", ".").put("data", value));
        }
        if (t == null || !t.safe()) {
            return Outcome.notRun("model only: outside every mounted scenario hierarchy");
        }
        return call(at(req("write"), t, typed(t, file)).put("data", value));
    }

    private Outcome writeTasks(String value, String file) throws IOException {
        Target t = target(file);
        if (t == null || !t.safe()) {
            return Outcome.notRun("model only: outside every mounted scenario hierarchy");
        }
        // never a value the kernel reads as the pid of a process this run did not start: it is
        // read here exactly as the kernel reads it, and what names a pid is replaced. A write the
        // kernel refuses before reading it (over a page: E2BIG) or reads no pid from goes as it is
        Long pid = value.getBytes(StandardCharsets.UTF_8).length > PAGE ? null : kernelPid(value);
        String data = value;
        boolean self = false;
        if (pid != null && pid == 0) {
            self = true;
        } else if (pid != null && pid > 0) {
            // (a negative number is EINVAL, and goes as it is)
            Process p = tasks.get(pid.intValue());
            data = withPid(value, p != null && p.isAlive() ? p.pid() : NO_SUCH_PID);
        }
        return call(at(req("write"), t, typed(t, file)).put("data", data).put("fork", self));
    }

    /**
     * {@code value} with the number in it replaced by {@code pid} in decimal, as long as it was:
     * the digits take or give back the place of white space around them (which the kernel strips),
     * so a write of a page or less stays one, and one over a page stays over.
     */
    static String withPid(String value, long pid) {
        int a = 0;
        int b = value.length();
        while (a < b && Pid.isKernelSpace(value.charAt(a))) {
            a++;
        }
        while (b > a && Pid.isKernelSpace(value.charAt(b - 1))) {
            b--;
        }
        String prefix = value.substring(0, a);
        String suffix = value.substring(b);
        String digits = Long.toString(pid);
        int excess = prefix.length() + digits.length() + suffix.length() - value.length();
        if (excess < 0) {
            prefix = " ".repeat(-excess) + prefix;
        } else {
            int cut = Math.min(excess, prefix.length());
            prefix = prefix.substring(cut);
            suffix = suffix.substring(Math.min(excess - cut, Math.max(0, suffix.length() - 1))); // its last kept
        }
        return prefix + digits + suffix;
    }

    /** The largest write(2) a cgroup file takes (a page); a longer one is E2BIG, unread. */
    static final int PAGE = 4096;

    /** The real path of {@code t}, with the trailing slash {@code typed} had (the kernel says ENOTDIR for a file so named). */
    private String typed(Target t, String typed) {
        String real = rel(t.real());
        return typed.endsWith("/") && !real.endsWith("/") ? real + "/" : real;
    }

    /**
     * The int the kernel reads from a tasks write ({@code kstrtoint(strstrip(buf), 0)}: {@link
     * Pid#kernelInt}), or null when it reads none (EINVAL: the text is written as it is, and moves
     * nothing). 0 is the writer itself; a negative number is EINVAL too, and moves nothing.
     */
    static Long kernelPid(String value) {
        return Pid.kernelInt(value);
    }

    private Outcome fork(List<String> words) throws IOException {
        Integer parent = null;
        Integer child = null;
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            Integer n;
            try {
                n = Integer.valueOf(w.equals("--pid") && i + 1 < words.size() ? words.get(++i) : w);
            } catch (NumberFormatException e) {
                return Outcome.notRun("model only: usage");
            }
            if (w.equals("--pid")) {
                child = n;
            } else {
                parent = n;
            }
        }
        if (parent == null) {
            return Outcome.notRun("model only: usage");
        }
        Process p = tasks.get(parent);
        if (p == null) {
            return Outcome.failed("ESRCH", "harness: no sleeper for pid " + parent);
        }
        if (child != null && tasks.containsKey(child)) {
            return Outcome.failed("EEXIST", "harness: pid " + child + " in use");
        }
        int pid = child != null ? child : maxPid + 1;
        Process c = sleeper();
        tasks.put(pid, c);
        maxPid = Math.max(maxPid, pid);
        // the child starts where its parent is, in every scenario hierarchy
        for (Map.Entry<String, String> e : cgroupsOf(p.pid()).entrySet()) {
            if (!created.contains(e.getKey())) {
                continue;
            }
            Outcome o = withMount(e.getKey(), dir -> call(req("write")
                    .put("path", inside(dir, e.getValue()).resolve("tasks").toString())
                    .put("data", c.pid() + "\n")));
            if (!o.isOk()) {
                return Outcome.failed("EIO", "harness: placing the new sleeper in " + e.getValue() + ": "
                        + o.describe());
            }
        }
        return Outcome.ok();
    }

    private Outcome exit(List<String> words) {
        if (words.size() != 2) {
            return Outcome.notRun("model only: usage");
        }
        int pid;
        try {
            pid = Integer.parseInt(words.get(1));
        } catch (NumberFormatException e) {
            return Outcome.notRun("model only: usage");
        }
        if (pid == 1) {
            return Outcome.failed("EPERM", "harness: script pid 1 stands for init, which never exits");
        }
        Process p = tasks.remove(pid);
        if (p == null) {
            return Outcome.failed("ESRCH", "harness: no sleeper for pid " + pid);
        }
        kill(p);
        return Outcome.ok();
    }

    private Outcome cat(String typed) throws IOException {
        Target t = target(typed);
        if (t == null || !t.live) {
            return Outcome.notRun("model only: outside every mounted scenario hierarchy");
        }
        Path f = t.real();
        List<String> lines;
        if (t.here() != null) {
            // walked by the helper from the working directory it holds
            // (a trailing slash kept as open(2) sees it: tasks/ is ENOTDIR)
            JsonNode n = exchange(req("read").put("path", typed.endsWith("/") ? typed + "." : typed).put("at", "cwd"));
            if (!n.path("ok").asBoolean()) {
                return Outcome.failed(n.path("errno").asText("EIO"), n.path("message").asText(null));
            }
            lines = n.path("text").asText().lines().toList();
        } else {
            try {
                // Path drops a trailing slash, which open(2) does not (tasks/: ENOTDIR); "/." opens alike
                lines = Files.readAllLines(typed.endsWith("/") ? f.resolve(".") : f, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return Outcome.failed(errno(e), e.getMessage());
            }
        }
        List<String> lexical = t.lexical();
        String leaf = lexical.isEmpty() ? "" : lexical.get(lexical.size() - 1);
        if (leaf.equals("tasks") || leaf.equals("cgroup.procs")) {
            boolean root = t.lexical().size() <= 1;
            Map<Long, Integer> back = reversePids();
            List<Integer> pids = new ArrayList<>();
            for (String l : lines) {
                Integer script = back.get(Long.parseLong(l.strip()));
                if (script != null) {
                    pids.add(script);
                } else if (!root) {
                    pids.add(-Integer.parseInt(l.strip()));
                }
            }
            pids.sort(null);
            return Outcome.ok(pids.stream().map(String::valueOf).toList());
        }
        return Outcome.ok(lines);
    }

    /**
     * {@code ls [-a] PATH} as GNU ls answers it: the names that do not begin with '.' (with -a, all,
     * '.' and '..' among them: readdir gives them for a live directory, none for a removed one, which
     * lists nothing), and for a file its name as given (its stat succeeds; tasks/ fails ENOTDIR).
     */
    private Outcome ls(String typed, boolean all) throws IOException {
        Target t = target(typed);
        if (t == null || !t.live) {
            return Outcome.notRun("model only: outside every mounted scenario hierarchy");
        }
        List<String> names = new ArrayList<>();
        if (t.here() != null) {
            JsonNode n = exchange(at(req("list"), t, typed));
            if (!n.path("ok").asBoolean()) {
                return Outcome.failed(n.path("errno").asText("EIO"), n.path("message").asText(null));
            }
            if (n.path("file").asBoolean()) {
                return Outcome.ok(List.of(typed));
            }
            n.path("names").forEach(x -> names.add(x.asText()));
        } else {
            // Path drops a trailing slash, which stat(2) does not (tasks/: ENOTDIR); "/." stats alike
            Path d = typed.endsWith("/") ? t.real().resolve(".") : t.real();
            try (Stream<Path> s = Files.list(d)) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            } catch (NotDirectoryException e) {
                try {
                    if (!Files.readAttributes(d, BasicFileAttributes.class).isDirectory()) {
                        return Outcome.ok(List.of(typed));
                    }
                } catch (IOException through) {
                    return Outcome.failed(errno(through), through.getMessage());
                }
                return Outcome.failed(errno(e), e.getMessage());
            } catch (IOException e) {
                return Outcome.failed(errno(e), e.getMessage());
            }
        }
        if (all && !names.isEmpty()) {
            names.add(".");
            names.add("..");
        }
        return Outcome.ok(names.stream().filter(x -> all || !x.startsWith(".")).sorted().toList());
    }

    /**
     * {@code cd [PATH]}: the helper opens the directory (from the one it holds, for a relative
     * path) and holds it instead. {@code cd} and {@code cd /} leave every hierarchy; a cd outside
     * the mounted scenario hierarchies runs on the model only, and the working directory is then
     * not known (relative paths run on the model only until a cd the harness can follow).
     */
    private Outcome cd(List<String> words) throws IOException {
        if (words.size() > 2) {
            return Outcome.notRun("model only: usage");
        }
        String typed = words.size() == 1 ? "/" : words.get(1);
        // / or a directory above a mount point (cd /m of /m/H1, cd .. from a mount point), by a
        // path whose every directory exists (no .. but from a known working directory): the run's
        // directory does not mirror them, so the kernel is asked to go to the run's own, and the
        // helper holds none (a relative path from there is taken as absolute)
        String whole = typed.startsWith("/") ? typed : cwdKnown ? (cwd == null ? "" : cwd) + "/" + typed : null;
        boolean dots = !typed.startsWith("/") && typed.matches("\\.\\.?(/+\\.\\.?)*/*");
        if (whole != null && (dots || !typed.contains("..")) && directoryAboveMounts(whole)) {
            Outcome o = call(req("cd").put("path", "."));
            if (o.isOk()) {
                call(req("cd"));
                String at = normalizeLexically(whole);
                cwd = at.equals("/") ? null : at;
                cwdKnown = true;
                cwdHeld = false;
            }
            return o;
        }
        Target t = target(typed);
        if (t != null && !t.live && t.here() == null && !Files.exists(t.real())) {
            // a directory that is not there (cd /H2/a with /H2 not mounted): the kernel answers
            // ENOENT for the run's missing one, and the working directory stays where it was
            return call(req("cd").put("path", rel(t.real())).put("at", "missing"));
        }
        if (t == null || !t.live) {
            call(req("cd"));
            cwd = null;
            cwdKnown = false;
            cwdHeld = false;
            return Outcome.notRun("model only: cd outside every mounted scenario hierarchy");
        }
        Outcome o = call(at(req("cd"), t, rel(t.real())));
        if (o.isOk()) {
            cwdKnown = true;
            cwdHeld = true;
            List<String> parts = new ArrayList<>(List.of(mountOfTarget(t).substring(1).split("/")));
            parts.addAll(t.lexical());
            cwd = "/" + String.join("/", parts);
        }
        return o;
    }

    /**
     * Whether {@code typed} (absolute), its . and .. taken by text, is / or a directory above a
     * mounted mount point ({@code /m} of {@code /m/H1}): directories the model knows and the run's
     * directory does not mirror (its mount points are flat directories of its own).
     */
    private boolean directoryAboveMounts(String typed) {
        String at = normalizeLexically(typed);
        String prefix = at.equals("/") ? "/" : at + "/";
        return at.equals("/") || mountDirs.entrySet().stream().anyMatch(e -> e.getKey().startsWith(prefix)
                && !mounted.getOrDefault(e.getValue(), new ArrayDeque<>()).isEmpty());
    }

    /** {@code path} (absolute) with its . and .. taken by text, none above /. */
    private static String normalizeLexically(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.equals("..")) {
                parts.pollLast();
            } else if (!c.isEmpty() && !c.equals(".")) {
                parts.addLast(c);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** The script's mount point of {@code t}. */
    private String mountOfTarget(Target t) {
        for (Map.Entry<String, Path> e : mountDirs.entrySet()) {
            if (e.getValue().equals(t.mount())) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("no mount point for " + t.mount());
    }

    /**
     * {@link #resolve} of a path as the script typed it: a relative one is taken from the working
     * directory of its cd lines (walked by the helper from the directory it holds, as the kernel
     * walks a removed one too), or null when the harness cannot follow it (the working directory
     * not known, or the path leaving the mounted scenario hierarchies).
     */
    private Target target(String typed) {
        if (typed.startsWith("/")) {
            return resolve(typed);
        }
        if (!cwdKnown) {
            return null;
        }
        if (!cwdHeld) {
            return resolve(absolute(typed));
        }
        Target t = resolve(cwd + "/" + typed);
        return t == null || !t.live ? null : new Target(t.mount(), t.rel(), true, typed);
    }

    /**
     * {@code typed} as an absolute path: as it is, or relative to a working directory the helper
     * does not hold (/, or one above a mount point); null for one it holds, or one not known.
     */
    private String absolute(String typed) {
        if (typed.startsWith("/")) {
            return typed;
        }
        return !cwdKnown || cwdHeld ? null : (cwd == null ? "" : cwd) + "/" + typed;
    }

    /** {@code request} naming {@code t}: by {@code realText} (relative to the run's directory), or from the working directory. */
    private static ObjectNode at(ObjectNode request, Target t, String realText) {
        return t.here() != null ? request.put("path", t.here()).put("at", "cwd") : request.put("path", realText);
    }

    private static String errno(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "ENOENT";
        }
        if (e instanceof NotDirectoryException) {
            return "ENOTDIR";
        }
        if (e instanceof AccessDeniedException) {
            return "EACCES";
        }
        String m = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (m != null) {
            for (org.cgledger.core.model.Errno x : org.cgledger.core.model.Errno.values()) {
                if (m.contains(x.message())) {
                    return x.name();
                }
            }
        }
        return "EIO";
    }

    // ---- the final state -------------------------------------------------------------------

    @Override
    public synchronized Snapshot snapshot(Set<String> expected) {
        stoppedIfClosed();
        Map<String, Map<String, List<Integer>>> all = new TreeMap<>();
        Map<Long, Integer> back = reversePids();
        for (Map.Entry<String, String> e : names.entrySet()) {
            String real = e.getValue();
            if (!created.contains(real)) {
                continue;
            }
            if (!expected.contains(e.getKey()) && mountOf(real) == null) {
                waitGone(real, 2_000);
            }
            if (!listedHierarchies().contains(real)) {
                continue;
            }
            Map<String, List<Integer>> groups = new TreeMap<>();
            try {
                withMount(real, dir -> {
                    for (Path d : directories(dir)) {
                        String rel = dir.relativize(d).toString();
                        List<Integer> pids = new ArrayList<>();
                        for (String l : readLines(d.resolve("tasks"))) {
                            Integer script = back.get(Long.parseLong(l.strip()));
                            if (script != null) {
                                pids.add(script);
                            } else if (!rel.isEmpty()) {
                                pids.add(-Integer.parseInt(l.strip()));
                            }
                        }
                        groups.put("/" + rel, pids);
                    }
                    return Outcome.ok();
                });
            } catch (IOException ex) {
                groups.put("(unreadable: " + ex.getMessage() + ")", List.of());
            }
            all.put(e.getKey(), groups);
        }
        return Snapshot.of(all);
    }

    // ---- cleanup -----------------------------------------------------------------------------

    /**
     * After {@link #close}: while the JVM stops (Ctrl-C, SIGTERM: the shutdown hook cleaned up),
     * the script's thread waits for the end rather than go on against a kernel side that is gone
     * (it had said "internal error ... cannot read /proc/N/cgroup", a sleeper killed under it).
     */
    private void stoppedIfClosed() {
        if (!closed) {
            return;
        }
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
        } catch (IllegalStateException stopping) {
            while (true) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("the kernel side is closed");
    }

    /**
     * Cleans up everything this run made: sleepers moved to the roots, killed and reaped; every
     * cgroup removed bottom-up; teardown awaited; every mount undone; a hierarchy still listed
     * mounted and unmounted once more; the temporary directory removed. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        try {
            // the working directory the helper holds keeps its mount busy
            call(req("cd"));
        } catch (IOException | RuntimeException e) {
            problems.add("leaving the working directory: " + e.getMessage());
        }
        try {
            for (String real : created) {
                if (!listedHierarchies().contains(real)) {
                    continue;
                }
                withMount(real, dir -> {
                    Path rootTasks = dir.resolve("tasks");
                    for (Process p : tasks.values()) {
                        if (p.isAlive()) {
                            call(req("write").put("path", rootTasks.toString()).put("data", p.pid() + "\n"));
                        }
                    }
                    return Outcome.ok();
                });
            }
        } catch (IOException | RuntimeException e) {
            problems.add("moving sleepers back: " + e.getMessage());
        }
        tasks.values().forEach(KernelSide::kill);
        tasks.clear();
        for (String real : created) {
            try {
                if (!listedHierarchies().contains(real)) {
                    continue;
                }
                withMount(real, dir -> {
                    List<Path> dirs = subdirectories(dir);
                    dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
                    for (Path d : dirs) {
                        call(req("rmdir").put("path", rel(d)));
                    }
                    settle(dir, real);
                    return Outcome.ok();
                });
            } catch (IOException | RuntimeException e) {
                problems.add("removing cgroups of " + real + ": " + e.getMessage());
            }
        }
        for (Map.Entry<Path, Deque<String>> e : mounted.entrySet()) {
            while (!e.getValue().isEmpty()) {
                try {
                    Outcome o = call(req("umount").put("dir", e.getKey().toString()));
                    if (!o.isOk()) {
                        problems.add("umount " + e.getKey() + ": " + o.describe());
                        break;
                    }
                } catch (IOException | RuntimeException x) {
                    problems.add("umount " + e.getKey() + ": " + x.getMessage());
                    break;
                }
                e.getValue().removeLast();
            }
        }
        for (String real : created) {
            if (!waitGone(real, 1_000)) {
                try {
                    // a root kept alive by children that were dying at umount: mount and umount once more
                    withMount(real, dir -> Outcome.ok());
                } catch (IOException | RuntimeException e) {
                    problems.add("re-mounting " + real + ": " + e.getMessage());
                }
                if (!waitGone(real, 2_000)) {
                    problems.add("hierarchy name=" + real + " is still listed in /proc/self/cgroup");
                }
            }
        }
        helper.destroy();
        try {
            helper.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Path d : mountDirs.values()) {
            deleteEmpty(d, problems);
        }
        try (Stream<Path> s = Files.list(base)) {
            for (Path p : s.toList()) {
                deleteEmpty(p, problems);
            }
        } catch (IOException e) {
            problems.add("listing " + base + ": " + e.getMessage());
        }
        deleteEmpty(base, problems);
        // the hook removed only now: a Ctrl-C during this cleanup runs it, and it waits for this
        // one to end (removed first, the JVM had stopped in the middle of it, leaving a mount)
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook, or it waits for this cleanup
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("conformance cleanup incomplete: " + String.join("; ", problems));
        }
    }

    private static void deleteEmpty(Path d, List<String> problems) {
        try {
            Files.deleteIfExists(d); // never recursive: a directory still mounted on is left, and reported
        } catch (IOException e) {
            problems.add("removing " + d + ": " + e.getMessage());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** A path of the script mapped to this run's directories; null for one the harness does not map. */
    private record Target(Path mount, List<String> rel, boolean live, String here) {
        Target(Path mount, List<String> rel, boolean live) {
            this(mount, rel, live, null);
        }

        Path real() {
            Path p = mount;
            for (String c : rel) {
                p = p.resolve(c);
            }
            return p;
        }

        /** {@link #rel} with its . and .. taken lexically (none climbs above the mount point). */
        List<String> lexical() {
            List<String> out = new ArrayList<>();
            for (String c : rel) {
                if (c.equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!c.equals(".")) {
                    out.add(c);
                }
            }
            return out;
        }

        /** Inside a mounted scenario hierarchy, or where the parent does not exist (ENOENT, nothing made). */
        boolean safe() {
            return live || (!rel.isEmpty() && !Files.exists(real().getParent()));
        }
    }

    private Target resolve(String typed) {
        if (!typed.startsWith("/")) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String c : typed.split("/")) {
            if (!c.isEmpty()) {
                parts.add(c);
            }
        }
        String best = null;
        for (String mp : mountDirs.keySet()) {
            List<String> m = List.of(mp.substring(1).split("/"));
            if (parts.size() >= m.size() && parts.subList(0, m.size()).equals(m)
                    && (best == null || mp.length() > best.length())) {
                best = mp;
            }
        }
        if (best == null && underModelOnlyMount(typed) != null) {
            // under a mount run on the model only: the kernel has nothing there
            return null;
        }
        if (best == null) {
            // a .. that would climb above "/" (mkdir /../..) would climb out of the run's
            // directory: not run (it had stopped the run, refused by the helper's guard)
            Deque<String> walked = new ArrayDeque<>();
            for (String c : parts) {
                if (c.equals("..") && walked.pollLast() == null) {
                    return null;
                }
                if (!c.equals("..") && !c.equals(".")) {
                    walked.addLast(c);
                }
            }
            // a last . or .. in / or in a directory above a mount point (mkdir /., or mkdir . in
            // /): the kernel answers for that component (EEXIST, EINVAL, ENOTEMPTY), which the
            // run's "nowhere" (missing: ENOENT) does not say
            if (directoryAboveMounts(typed)) {
                // a directory the run's directory does not mirror (mkdir /m with /m/H1 mounted:
                // EEXIST, rmdir ENOTEMPTY), where "nowhere" says ENOENT
                return null;
            }
            String last = parts.isEmpty() ? "" : parts.get(parts.size() - 1);
            if (last.equals(".") || last.equals("..")) {
                List<String> dir = new ArrayList<>();
                for (String c : parts.subList(0, parts.size() - 1)) {
                    if (c.equals("..")) {
                        if (!dir.isEmpty()) {
                            dir.remove(dir.size() - 1);
                        }
                    } else if (!c.equals(".")) {
                        dir.add(c);
                    }
                }
                String at = "/" + String.join("/", dir);
                if (dir.isEmpty() || mountDirs.entrySet().stream().anyMatch(e -> e.getKey().startsWith(at + "/")
                        && !mounted.getOrDefault(e.getValue(), new ArrayDeque<>()).isEmpty())) {
                    return null;
                }
            }
            return new Target(base.resolve("nowhere"), parts, false);
        }
        Path dir = mountDirs.get(best);
        int skip = best.substring(1).split("/").length;
        // the kernel walks a . or .. below the mount point itself (after a missing cgroup it says
        // ENOENT, after a file ENOTDIR), so they are passed as typed; one that would climb above
        // the mount point, or one before it, is not run
        int depth = 0;
        for (int i = 0; i < parts.size(); i++) {
            String c = parts.get(i);
            if (c.equals("..") && (i < skip || --depth < 0) || c.equals(".") && i < skip) {
                return null;
            }
            if (i >= skip && !c.equals("..") && !c.equals(".")) {
                depth++;
            }
        }
        Deque<String> stack = mounted.get(dir);
        boolean live = stack != null && !stack.isEmpty();
        Target t = new Target(dir, parts.subList(skip, parts.size()), live);
        Path real = t.real().toAbsolutePath().normalize();
        if (!real.startsWith(base) || real.startsWith(SYS_CGROUP)) {
            throw new IllegalStateException("refusing a path outside the run's directory: " + real);
        }
        return t;
    }

    private static String normalize(String typed) {
        if (!typed.startsWith("/")) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String c : typed.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                return null;
            }
            sb.append('/').append(c);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /**
     * {@code typed} (absolute) with its . and .. taken as the kernel walks them, or null when a ..
     * follows a directory other than a mounted mount point or one above it (which the run's
     * directories do not mirror: /H1 is a flat directory of the run's).
     */
    private String mountPointPath(String typed) {
        Deque<String> parts = new ArrayDeque<>();
        for (String c : typed.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                String at = "/" + String.join("/", parts);
                boolean onTheWay = parts.isEmpty() || mountDirs.entrySet().stream().anyMatch(e ->
                        (e.getKey().equals(at) || e.getKey().startsWith(at + "/"))
                                && !mounted.getOrDefault(e.getValue(), new ArrayDeque<>()).isEmpty());
                if (!onTheWay) {
                    return null;
                }
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return "/" + String.join("/", parts);
    }

    /**
     * The real name for script name {@code name}: this run's prefix before it, unique on the
     * machine. An empty name stays empty; a name near the 63-character limit keeps its length
     * (valid characters are dropped from its front), so it stays on the same side of the limit.
     */
    String realName(String name) {
        if (name.isEmpty()) {
            return name;
        }
        return names.computeIfAbsent(name, n -> {
            String r = prefix + n;
            if (r.length() > MAX_ROOT_NAME && n.length() <= MAX_ROOT_NAME) {
                StringBuilder tail = new StringBuilder(n);
                int drop = prefix.length();
                for (int i = 0; i < tail.length() && drop > 0; ) {
                    char c = tail.charAt(i);
                    if (c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
                        tail.deleteCharAt(i);
                        drop--;
                    } else {
                        i++;
                    }
                }
                r = prefix + tail;
            }
            logicalNames.put(r, n);
            return r;
        });
    }

    private interface InMount {
        Outcome run(Path dir) throws IOException;
    }

    /** Runs {@code body} on a mount of this run's hierarchy {@code real}: one already there, or a temporary one. */
    private Outcome withMount(String real, InMount body) throws IOException {
        if (!created.contains(real)) {
            throw new IllegalStateException("hierarchy name=" + real + " was not created by this run");
        }
        Path dir = mountOf(real);
        if (dir != null) {
            return body.run(dir);
        }
        Path tmp = base.resolve("t" + scratch++);
        Files.createDirectory(tmp);
        Outcome m = call(req("mount").put("dir", tmp.toString()).put("opts", "none,name=" + real));
        if (!m.isOk()) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot mount name=" + real + " again: " + m.describe());
        }
        try {
            return body.run(tmp);
        } finally {
            call(req("umount").put("dir", tmp.toString()));
            Files.deleteIfExists(tmp);
        }
    }

    /** A directory where this run has hierarchy {@code real} on top, or null. */
    private Path mountOf(String real) {
        for (Map.Entry<Path, Deque<String>> e : mounted.entrySet()) {
            if (!e.getValue().isEmpty() && real.equals(e.getValue().getLast())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Waits (at most 5 s) until the hierarchy on {@code dir} has no dying child: a no-op remount stops answering EBUSY. */
    private void settle(Path dir, String real) throws IOException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            Outcome o = call(req("remount").put("dir", dir.toString()).put("opts", "none,name=" + real));
            if (!"EBUSY".equals(o.result())) {
                return;
            }
            sleep(20);
        }
    }

    /** Waits until {@code real} is no longer listed in /proc/self/cgroup; whether it went. */
    private boolean waitGone(String real, long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (listedHierarchies().contains(real)) {
            if (System.nanoTime() > end) {
                return false;
            }
            sleep(20);
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The names of every named v1 hierarchy on the machine (each lists every process, in its root at least). */
    static Set<String> listedHierarchies() {
        Set<String> out = new HashSet<>();
        cgroupsOf(ProcessHandle.current().pid()).keySet().forEach(out::add);
        return out;
    }

    /** Named hierarchy to path, from /proc/PID/cgroup. */
    private static Map<String, String> cgroupsOf(long pid) {
        Map<String, String> out = new HashMap<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"), StandardCharsets.ISO_8859_1)) {
                String[] f = l.split(":", 3);
                if (f.length == 3) {
                    for (String o : f[1].split(",")) {
                        if (o.startsWith("name=")) {
                            out.put(o.substring(5), f[2]);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/cgroup: " + e.getMessage(), e);
        }
        return out;
    }

    private static Path inside(Path dir, String cgroupPath) {
        Path p = dir;
        for (String c : cgroupPath.split("/")) {
            if (!c.isEmpty()) {
                p = p.resolve(c);
            }
        }
        return p;
    }

    /**
     * {@code dir} and every directory under it, walked by the helper relative to the run's
     * directory: a tree reaching near PATH_MAX cannot be walked by absolute paths (Java's walk
     * failed there, and with it the comparison and the cleanup, which left hierarchies behind).
     */
    private List<Path> directories(Path dir) throws IOException {
        JsonNode n = exchange(req("dirs").put("path", rel(dir)));
        if (!n.path("ok").asBoolean()) {
            throw new IOException("walking " + dir + ": " + n.path("message").asText());
        }
        List<Path> out = new ArrayList<>();
        n.path("dirs").forEach(d -> out.add(base.resolve(d.asText())));
        return out;
    }

    /** The lines of {@code file}, read by the helper relative to the run's directory (see {@link #directories}). */
    private List<String> readLines(Path file) throws IOException {
        JsonNode n = exchange(req("read").put("path", rel(file)));
        if (!n.path("ok").asBoolean()) {
            throw new IOException("reading " + file + ": " + n.path("message").asText());
        }
        return n.path("text").asText().lines().toList();
    }

    private List<Path> subdirectories(Path dir) throws IOException {
        List<Path> all = directories(dir);
        all.remove(dir);
        return all;
    }

    private Map<Long, Integer> reversePids() {
        Map<Long, Integer> back = new HashMap<>();
        tasks.forEach((script, p) -> back.put(p.pid(), script));
        return back;
    }

    private static Process sleeper() throws IOException {
        // SIGINT ignored (kept across exec): a Ctrl-C at the terminal, sent to the whole process
        // group, had killed every sleeper under the script still running, before the cleanup
        return new ProcessBuilder("sh", "-c", "trap '' INT; exec sleep 100000").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** SIGKILL to one of the harness's own sleepers (by its handle), then reaps it. */
    private static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The run's directory for the script's mount point {@code mp}: its path with each '/' a '_'
     * ({@code /H1}: {@code _H1}), so that a path under it, relative to the run's directory (the
     * helper works there), is as long as the script's absolute path, and the kernel's PATH_MAX
     * meets both at the same length. {@code mN} when that name is taken or too long.
     */
    private Path mountDir(String mp) {
        Path named = base.resolve(mp.replace('/', '_'));
        boolean free = mp.length() <= 200 && !mountDirs.containsValue(named) && !mp.equals("/");
        return free ? named : base.resolve("m" + mountDirs.size());
    }

    /** {@code real} (a path in the run's directory) as the helper, working there, is given it. */
    private String rel(Path real) {
        // by text: Path.relativize takes the . and .. out, which the kernel must walk
        String b = base.toString() + "/";
        String r = real.toString();
        if (!r.startsWith(b)) {
            throw new IllegalStateException("refusing a path outside the run's directory: " + r);
        }
        return r.substring(b.length());
    }

    private Process startHelper() throws IOException {
        String source;
        try (InputStream in = KernelSide.class.getResourceAsStream("kernel-helper.py")) {
            if (in == null) {
                throw new IOException("kernel-helper.py is missing from the class path");
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // in the run's directory: paths are given relative to it (mountDir); SIGINT ignored from
        // its start (kept across exec), as a Ctrl-C while Python started, before the helper's own
        // SIG_IGN, had killed it and the cleanup with it ("Stream closed")
        return new ProcessBuilder("sh", "-c", "trap '' INT; exec \"$0\" -u -c \"$1\"", python, source)
                .directory(base.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private ObjectNode req(String op) {
        return mapper.createObjectNode().put("op", op);
    }

    /**
     * The kernel's mean time per call, in ns, as {@link #time} measured it.
     *
     * @param loopNanos the same loop around a write(2) to /dev/null: what the loop and a system call
     *                  cost by themselves, included in the others
     */
    public record Timing(double mkdirNanos, double moveNanos, double rmdirNanos, double loopNanos) {
    }

    /**
     * For {@code cgledger bench}: times the kernel's own cgroup mkdir, task move and rmdir, {@code n}
     * of each, in a named hierarchy this run mounts ({@code /bench}, under the safety rules above):
     * mkdir(2) of {@code n} children, a write(2) of script pid 1's sleeper to each one's
     * {@code tasks} file (opened beforehand), the sleeper moved back, rmdir(2) of each. The helper
     * times its own loop around the calls (Python's), and the same loop around a write(2) to
     * /dev/null, which says what the loop adds.
     */
    public Timing time(int n) throws IOException {
        Outcome m = run(0, "", List.of("mount", "-t", "cgroup", "-o", "none,name=bench", "none", "/bench"));
        if (!m.isOk()) {
            throw new IOException("mounting a named hierarchy: " + m.describe());
        }
        JsonNode a = exchange(req("time").put("dir", mountDirs.get("/bench").toString()).put("n", n)
                .put("pid", tasks.get(1).pid()));
        run(0, "", List.of("umount", "/bench"));
        if (!a.path("ok").asBoolean()) {
            throw new IOException("timing the kernel: " + a.path("errno").asText("EIO") + " "
                    + a.path("message").asText(""));
        }
        return new Timing(a.path("mkdir_ns").asDouble(), a.path("move_ns").asDouble(), a.path("rmdir_ns").asDouble(),
                a.path("loop_ns").asDouble());
    }

    /** One request to the helper, its answer as it came. */
    private synchronized JsonNode exchange(ObjectNode request) throws IOException {
        if (request.path("op").asText().equals("write")) {
            // the helper's own guard: the only live pids a tasks write may name
            ArrayNode allowed = request.putArray("pids");
            tasks.values().forEach(p -> allowed.add(p.pid()));
        }
        toHelper.write(mapper.writeValueAsString(request));
        toHelper.newLine();
        toHelper.flush();
        String answer = fromHelper.readLine();
        if (answer == null) {
            throw new IOException("the system-call helper stopped");
        }
        return mapper.readTree(answer);
    }

    /** One system call in the helper. */
    private Outcome call(ObjectNode request) throws IOException {
        JsonNode n = exchange(request);
        if (n.path("ok").asBoolean()) {
            return Outcome.ok();
        }
        String errno = n.path("errno").asText("EIO");
        if (errno.equals("EPERM") && n.path("message").asText("").contains("refused by the harness")) {
            throw new IllegalStateException(n.path("message").asText());
        }
        return Outcome.failed(errno, n.path("message").asText(null));
    }

    /** For a report: the run's temporary directory and name prefix. */
    public String describe() {
        return base + " (names " + prefix + "*)";
    }
}
