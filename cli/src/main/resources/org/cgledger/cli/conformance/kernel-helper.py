# cgledger conformance: the kernel side's system calls, one JSON request per line on stdin, one
# JSON answer per line on stdout: {"ok": true} or {"ok": false, "errno": "EBUSY"}. It makes exactly
# the calls asked (mkdir(2), rmdir(2), open+one write(2), mount(2), umount2(2)), so the errno is the
# kernel's own; and, for cgledger bench, times a loop of those calls ("time"). The Java side decides what may be asked (KernelSide's safety rules); this refuses
# anything under /sys/fs/cgroup and any mount option other than none, name=, xattr,
# clone_children, noprefix as a second guard.
import ctypes, errno, json, os, re, signal, stat, sys

# Ctrl-C reaches the whole process group: the harness's cleanup still needs this helper
signal.signal(signal.SIGINT, signal.SIG_IGN)

libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
MS_REMOUNT = 32
SAFE_FLAGS = {"", "none", "xattr", "clone_children", "noprefix"}


def guard(path):
    real = os.path.abspath(path)
    if real == "/sys/fs/cgroup" or real.startswith("/sys/fs/cgroup/") or not real.startswith("/tmp/"):
        raise OSError(errno.EPERM, "refused by the harness: " + real)


def guard_opts(opts):
    parts = opts.split(",")
    if not any(p == "none" or p.startswith("name=") for p in parts):
        raise OSError(errno.EPERM, "refused by the harness: no none or name= in " + opts)
    for p in parts:
        if p not in SAFE_FLAGS and not p.startswith("name="):
            raise OSError(errno.EPERM, "refused by the harness: option " + p)


def guard_pids(req, data):
    """A second guard for a write to a tasks or cgroup.procs file: the pid the kernel reads from it
    (kstrtoint(strstrip(buf), 0), a negative one refused) must be one of the run's own processes,
    a pid no process has, or 0 (the writer itself) only when a child of ours is to write. Over a
    page the kernel reads nothing (E2BIG)."""
    # only a tasks or cgroup.procs file itself reads a pid: a path through one (tasks/x, tasks/.)
    # fails on its own (ENOTDIR) before any write, and had stopped the whole run as refused here
    parts = req["path"].rstrip("/").split("/")
    if parts[-1] not in ("tasks", "cgroup.procs") or len(data) > 4096:
        return
    t = data.strip(b" \t\n\v\f\r\xa0")
    negative = t[:1] == b"-"
    if t[:1] in (b"+", b"-"):
        t = t[1:]
    if re.fullmatch(rb"0[xX][0-9a-fA-F]+", t):
        pid = int(t[2:], 16)
    elif re.fullmatch(rb"0[0-7]*", t):
        pid = int(t, 8)
    elif re.fullmatch(rb"[1-9][0-9]*", t):
        pid = int(t, 10)
    else:
        return
    if negative and pid != 0:
        return
    if pid == 0 and not req.get("fork") or pid > 0 and pid not in set(req.get("pids", [])) \
            and os.path.exists("/proc/%d" % pid):
        raise OSError(errno.EPERM, "refused by the harness: the write names pid %d, not one of the run's" % pid)


# the directory a script's cd went to, held open (None: the run's directory): it holds its mount
# busy, and a relative path ("at": "cwd") is walked from it, removed or not, as a shell's is
cwd = None


def at(req):
    """The directory descriptor a request's path is walked from: the working directory for
    "at": "cwd" (the Java side has checked that the path stays in a hierarchy of the run's), else
    the run's directory, where the path is checked here too."""
    if req.get("at") == "cwd":
        if cwd is None:
            raise OSError(errno.EPERM, "refused by the harness: no working directory")
        where = os.readlink("/proc/self/fd/%d" % cwd)
        if not where.startswith(os.getcwd() + "/"):
            raise OSError(errno.EPERM, "refused by the harness: the working directory is " + where)
        return cwd
    guard(req["path"])
    return None


def check(r):
    if r != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def write(path, data, dir_fd=None):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666, dir_fd=dir_fd)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def time_ops(req):
    """mkdir(2) of n children of a mounted scenario directory, a move of one pid into each (write(2) on
    its tasks file, opened beforehand), the pid moved back, rmdir(2) of each: mean ns per call; and
    the same loop writing to /dev/null, what the loop and a system call cost by themselves."""
    import time
    top = req["dir"]
    guard(top)
    n = int(req["n"])
    data = str(int(req["pid"])).encode()
    names = [os.path.join(top, "cgledger-bench-%d" % i) for i in range(n)]
    fds = []
    made = 0
    try:
        t = time.perf_counter_ns()
        for p in names:
            os.mkdir(p)
            made += 1
        mkdir = (time.perf_counter_ns() - t) / n
        for p in names:
            fds.append(os.open(os.path.join(p, "tasks"), os.O_WRONLY))
        t = time.perf_counter_ns()
        for fd in fds:
            os.write(fd, data)
        move = (time.perf_counter_ns() - t) / n
    finally:
        write(os.path.join(top, "tasks"), data)
        for fd in fds:
            os.close(fd)
    t = time.perf_counter_ns()
    for p in names:
        os.rmdir(p)
    rmdir = (time.perf_counter_ns() - t) / n
    # the same loop around the cheapest system call of the same shape: what the loop itself costs
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        t = time.perf_counter_ns()
        for _ in names:
            os.write(null, data)
        floor = (time.perf_counter_ns() - t) / n
    finally:
        os.close(null)
    return {"mkdir_ns": mkdir, "move_ns": move, "rmdir_ns": rmdir, "loop_ns": floor}


def run(req):
    op = req["op"]
    global cwd
    if op == "mkdir":
        os.mkdir(req["path"], dir_fd=at(req))
    elif op == "rmdir":
        os.rmdir(req["path"], dir_fd=at(req))
    elif op == "cd" and req.get("at") == "missing":
        # a cd to a directory that is not there: its answer (ENOENT), the one held kept
        guard(req["path"])
        os.close(os.open(req["path"], os.O_RDONLY | os.O_DIRECTORY))
    elif op == "cd":
        # a cd line: the directory opened (O_DIRECTORY: a file is ENOTDIR) and held; no path: /
        fd = os.open(req["path"], os.O_RDONLY | os.O_DIRECTORY, dir_fd=at(req)) if "path" in req else None
        if cwd is not None:
            os.close(cwd)
        cwd = fd
    elif op == "list":
        try:
            fd = os.open(req["path"], os.O_RDONLY | os.O_DIRECTORY, dir_fd=at(req))
        except NotADirectoryError:
            # ls FILE prints its name: a file whose stat succeeds (tasks/ fails it, ENOTDIR)
            if not stat.S_ISDIR(os.stat(req["path"], dir_fd=at(req)).st_mode):
                return {"file": True}
            raise
        try:
            return {"names": os.listdir(fd)}
        finally:
            os.close(fd)
    elif op == "write":
        dfd = at(req)
        data = req["data"].encode("utf-8", "surrogateescape")
        guard_pids(req, data)
        if req.get("fork"):
            # the writer moves itself (pid 0): a child of ours that exits right after
            pid = os.fork()
            if pid == 0:
                try:
                    write(req["path"], data, dfd)
                    os._exit(0)
                except OSError as e:
                    os._exit(e.errno)
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                raise OSError(code, os.strerror(code))
        else:
            write(req["path"], data, dfd)
    elif op in ("mount", "remount"):
        guard(req["dir"]); guard_opts(req["opts"])
        check(libc.mount(b"cgroup", req["dir"].encode(), b"cgroup", MS_REMOUNT if op == "remount" else 0,
                         req["opts"].encode("utf-8", "surrogateescape")))
    elif op == "umount":
        guard(req["dir"]); check(libc.umount2(req["dir"].encode(), 0))
    elif op == "dirs":
        # every directory from path down, relative to the run's directory, as this helper works
        # there: a path near PATH_MAX is reached relative, where an absolute one is too long
        guard(req["path"])
        out = []
        for top, subdirs, _ in os.walk(req["path"], onerror=lambda e: (_ for _ in ()).throw(e)):
            out.append(top)
        return {"dirs": out}
    elif op == "read":
        # opened from its directory's descriptor: a file in a directory of a path near PATH_MAX
        # has no path short enough of its own
        parent, name = os.path.split(req["path"])
        dfd = os.open(parent or ".", os.O_RDONLY | os.O_DIRECTORY, dir_fd=at(req))
        try:
            fd = os.open(name, os.O_RDONLY, dir_fd=dfd)
        finally:
            os.close(dfd)
        # read(2) itself, closed whatever happens: fdopen refuses a directory (cat ..: EISDIR)
        # without closing it, and the descriptor left open held the mount busy
        chunks = []
        try:
            while True:
                b = os.read(fd, 65536)
                if not b:
                    break
                chunks.append(b)
        finally:
            os.close(fd)
        return {"text": b"".join(chunks).decode("utf-8", "surrogateescape")}
    elif op == "time":
        return time_ops(req)
    else:
        raise OSError(errno.ENOSYS, "unknown op " + op)


for line in sys.stdin:
    try:
        ans = {"ok": True}
        ans.update(run(json.loads(line)) or {})
    except OSError as e:
        ans = {"ok": False, "errno": errno.errorcode.get(e.errno, str(e.errno)), "message": str(e)}
    sys.stdout.write(json.dumps(ans) + "\n")
    sys.stdout.flush()
