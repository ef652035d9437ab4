package org.cgledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
import org.cgledger.core.command.Umount;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.decide.Paths;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.MountPointAdded;
import org.cgledger.core.event.NotifyOnReleaseSet;
import org.cgledger.core.event.RmdirRefused;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.Result;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Counters;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN.md §1-2 and what the live kernel answers (the conformance corpus checks it): every refusal, with the kernel's errno, and
 * proof that a refused command changes nothing. The fixture: catalog A, B; A mounted at /H1, B at
 * /H2; /H1/foo and /H2/bar exist; task 2 is a child of task 1.
 */
@DisplayName("Refusal rules: the kernel's errno, and nothing changes")
class RefusalRulesTest {

    Fixture f;

    @BeforeEach
    void given() {
        f = Fixture.seed(PinPolicy.CSS, RmdirPolicy.STRICT);
        f.mount("A", "/H1").mount("B", "/H2").mkdir("/H1/foo").mkdir("/H2/bar").fork(1, 2);
    }

    /**
     * When {@code c} is decided, then it is refused with {@code errno}, nothing is emitted, and the
     * state is the same object, equal to itself before and to the fold of the journal so far. A
     * refused rmdir of an existing cgroup records one {@code RmdirRefused}, whose fold changes only
     * the event count; a mkdir -p refused at a later component records the groups it made before
     * it ({@code CgroupCreated}, as accepted); any other refusal records nothing.
     */
    static Decision.Rejected refused(Fixture f, Command c, Errno errno) {
        State before = f.state;
        int journal = f.events.size();
        long lastEvent = before.lastEvent();
        Decision d = Decider.decide(before, c);
        assertThat(d).as("%s", c).isInstanceOf(Decision.Rejected.class);
        Decision.Rejected r = (Decision.Rejected) d;
        assertThat(r.errno()).as("%s: %s", c, r.reason()).isEqualTo(errno);
        assertThat(r.reason()).as("a refusal says why").isNotBlank();
        assertThat(f.state).isSameAs(before);
        assertThat(f.events).hasSize(journal);
        assertThat(before.lastEvent()).as("no event applied").isEqualTo(lastEvent);
        assertThat(Evolver.evolveAll(State.EMPTY, f.events)).as("state is the fold of the journal").isEqualTo(before);
        if (r.records() && c instanceof Mkdir m) {
            assertThat(m.parents()).as("only mkdir -p keeps what it made before a refusal").isTrue();
            assertThat(r.recorded()).allMatch(e -> e instanceof CgroupCreated);
            assertThat(r.state()).isEqualTo(Evolver.evolveAll(before, r.recorded()));
        } else if (r.records()) {
            assertThat(c).as("only a refused rmdir or mkdir -p leaves a record").isInstanceOf(Rmdir.class);
            assertThat(r.recorded()).hasSize(1).first().isInstanceOf(RmdirRefused.class);
            assertOnlyCounted(before, r.state());
        } else {
            assertThat(r.state()).isNull();
        }
        return r;
    }

    /** {@code after} is {@code before} with one more event counted, and nothing else changed. */
    static void assertOnlyCounted(State before, State after) {
        Counters b = before.counters();
        assertThat(after.counters()).isEqualTo(new Counters(b.nextHierarchy(), b.nextCgroup(), b.nextCssSet(),
                b.nextCss(), b.maxPid(), b.events() + 1));
        State recounted = new State(after.catalog(), after.pin(), after.rmdir(), after.hierarchies(),
                after.bindings(), after.mountPoints(), after.cgroups(), after.css(), after.cssSets(),
                after.cssSetIndex(), after.tasks(), after.objects(), b);
        assertThat(recounted).isEqualTo(before);
    }

    Decision.Rejected refused(Command c, Errno errno) {
        return refused(f, c, errno);
    }

    Cgroup cgroupAt(String parentPath, String name) {
        for (Cgroup c : f.state.cgroups().values()) {
            if (!c.removed() && c.name().equals(name) && f.state.path(c.id()).equals(parentPath + "/" + name)) {
                return c;
            }
        }
        return null;
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Nested
    @DisplayName("init")
    class InitRules {
        @Test
        @DisplayName("a second init: EEXIST")
        void twice() {
            refused(new Init(List.of("C"), PinPolicy.CSS, RmdirPolicy.STRICT), Errno.EEXIST);
        }

        @Test
        @DisplayName("any command before init: EINVAL")
        void beforeInit() {
            Fixture empty = new Fixture();
            refused(empty, new Mkdir("/H1/x", false), Errno.EINVAL);
        }

        @Test
        @DisplayName("a subsystem named like a mount option, or listed twice: EINVAL")
        void badCatalog() {
            Fixture empty = new Fixture();
            refused(empty, new Init(List.of("A", "none"), PinPolicy.CSS, RmdirPolicy.STRICT), Errno.EINVAL);
            refused(empty, new Init(List.of("A", "A"), PinPolicy.CSS, RmdirPolicy.STRICT), Errno.EINVAL);
        }
    }

    @Nested
    @DisplayName("mkdir")
    class MkdirRules {
        @Test
        @DisplayName("missing parent: ENOENT")
        void missingParent() {
            refused(new Mkdir("/H1/nope/x", false), Errno.ENOENT);
        }

        @Test
        @DisplayName("outside every mount point: ENOENT")
        void notMounted() {
            refused(new Mkdir("/elsewhere/x", false), Errno.ENOENT);
        }

        @Test
        @DisplayName("existing name: EEXIST")
        void existing() {
            refused(new Mkdir("/H1/foo", false), Errno.EEXIST);
        }

        @Test
        @DisplayName("the mount point itself: EEXIST")
        void mountPoint() {
            refused(new Mkdir("/H1", false), Errno.EEXIST);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"tasks", "cgroup.procs", "notify_on_release", "release_agent", "cgroup.clone_children",
                "cgroup.sane_behavior", "A.limit", "A.usage", "A.move_charge_at_immigrate"})
        @DisplayName("a name equal to a control file of the root: EEXIST")
        void controlFileAtRoot(String name) {
            refused(new Mkdir("/H1/" + name, false), Errno.EEXIST);
        }

        @Test
        @DisplayName("tasks inside a child: EEXIST; release_agent inside a child is free (the child has no such file)")
        void controlFileInChild() {
            refused(new Mkdir("/H1/foo/tasks", false), Errno.EEXIST);
            f.mkdir("/H1/foo/release_agent");
            assertThat(cgroupAt("/H1/foo", "release_agent")).isNotNull();
        }

        @Test
        @DisplayName("a subsystem file of a subsystem bound elsewhere is a free name (B.limit under /H1)")
        void otherSubsystemFile() {
            f.mkdir("/H1/B.limit");
            assertThat(cgroupAt("/H1", "B.limit")).isNotNull();
        }

        @Test
        @DisplayName("tasks/x: ENOTDIR (also with -p)")
        void underAFile() {
            refused(new Mkdir("/H1/tasks/x", false), Errno.ENOTDIR);
            refused(new Mkdir("/H1/foo/tasks/x", true), Errno.ENOTDIR);
        }

        @Test
        @DisplayName("a name with a newline: EINVAL")
        void newline() {
            refused(new Mkdir("/H1/a\nb", false), Errno.EINVAL);
            refused(new Mkdir("/H1/new/a\nb", true), Errno.EINVAL);
        }

        @Test
        @DisplayName("a name with a NUL byte: EINVAL (no path the kernel is given can name it)")
        void nulByte() {
            Decision.Rejected r = refused(new Mkdir("/H1/a\0b", false), Errno.EINVAL);
            assertThat(r.reason()).contains("NUL byte");
            refused(new Mkdir("/H1/new/a\0b", true), Errno.EINVAL);
            refused(new Mkdir("/H1/\0", false), Errno.EINVAL);
            assertThat(cgroupAt("/H1", "new")).as("-p refused creates nothing").isNull();
        }

        @Test
        @DisplayName("-p refused half-way keeps the components made before the refusal, as coreutils' mkdir -p "
                + "(one mkdir(2) a component) leaves them, recorded as a mkdir -p of them records them")
        void parentsKeepMade() {
            State before = f.state;
            Decision.Rejected r = refused(new Mkdir("/H1/p1/p2/bad\nname", true), Errno.EINVAL);
            assertThat(r.reason()).isEqualTo("a cgroup name cannot contain a newline");
            Decision.Accepted made = (Decision.Accepted) Decider.decide(before, new Mkdir("/H1/p1/p2", true));
            assertThat(r.recorded()).hasSize(2).isEqualTo(made.events());
            assertThat(r.state()).isEqualTo(made.state());
            assertThat(r.stream()).isEqualTo(made.stream()).isEqualTo(cgroupAt("/H1", "foo").hierarchy());
            f.refused(new Mkdir("/H1/p1/p2/bad\nname", true), Errno.EINVAL); // (applied, as a ledger journals it)
            assertThat(cgroupAt("/H1/p1", "p2")).isNotNull();
            // a control file on the way (ENOTDIR), the answer as before; with dots, each prefix in turn
            Decision.Rejected file = f.refused(new Mkdir("/H1/x/tasks/y", true), Errno.ENOTDIR);
            assertThat(file.reason()).isEqualTo("/H1/x/tasks is a file");
            assertThat(file.recorded()).hasSize(1);
            assertThat(cgroupAt("/H1", "x")).isNotNull();
            assertThat(f.refused(new Mkdir("/H1/q/./tasks/../r", true), Errno.ENOTDIR).recorded()).hasSize(1);
            assertThat(cgroupAt("/H1", "q")).isNotNull();
            assertThat(cgroupAt("/H1/q", "r")).isNull();
            // nothing made before the refusal: nothing recorded; a NUL byte, which no path the kernel
            // is given holds, is refused before any component is made
            assertThat(f.refused(new Mkdir("/H1/foo/tasks/x", true), Errno.ENOTDIR).records()).isFalse();
            assertThat(f.refused(new Mkdir("/H1/n1/a\0b", true), Errno.EINVAL).records()).isFalse();
            assertThat(cgroupAt("/H1", "n1")).isNull();
            // without -p, a missing parent makes nothing
            assertThat(f.refused(new Mkdir("/H1/m1/m2", false), Errno.ENOENT).records()).isFalse();
        }

        @Test
        @DisplayName("a path of 4096 bytes or more: ENAMETOOLONG")
        void pathTooLong() {
            String prefix = "/H1/";
            refused(new Mkdir(prefix + repeat('x', 4096 - prefix.length()), false), Errno.ENAMETOOLONG);
            refused(new Mkdir(prefix + repeat('x', 4569 - prefix.length()), false), Errno.ENAMETOOLONG);
            // multi-byte characters count as their UTF-8 bytes: 2100 × 'é' is 4200 bytes
            refused(new Mkdir(prefix + repeat('é', 2100), false), Errno.ENAMETOOLONG);
        }

        @Test
        @DisplayName("a path of 4095 bytes is fine, and a component of 256 or 300 bytes is fine (kernfs has no NAME_MAX)")
        void longComponentOk() {
            f.mkdir("/H1/" + repeat('c', 300));
            assertThat(cgroupAt("/H1", repeat('c', 300))).isNotNull();
            f.mkdir("/H1/" + repeat('d', 256));
            // 130 × 'é': 130 characters, 260 UTF-8 bytes (the conformance corpus: mkdir-long-names.sh)
            f.mkdir("/H1/" + repeat('é', 130));
            assertThat(cgroupAt("/H1", repeat('é', 130))).isNotNull();
            assertThat(Paths.find(f.state, "/H1/" + repeat('d', 256))).isInstanceOf(Result.Ok.class);
            String prefix = "/H1/";
            f.mkdir(prefix + repeat('y', 4095 - prefix.length()));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"/H1/.", "/H1/..", "/H1/foo/.", "/H1/foo/..", "/H1/foo/./"})
        @DisplayName(". and ..: EEXIST")
        void dots(String path) {
            refused(new Mkdir(path, false), Errno.EEXIST);
        }

        @Test
        @DisplayName(". and .. under a missing parent: the parent is looked up first (ENOENT), under a file ENOTDIR")
        void dotsUnderMissingParent() {
            refused(new Mkdir("/H1/nope/..", false), Errno.ENOENT);
            refused(new Mkdir("/H1/nope/.", false), Errno.ENOENT);
            refused(new Mkdir("/H1/tasks/..", false), Errno.ENOTDIR);
        }

        @Test
        @DisplayName(". and .. under a directory outside every mount point: ENOENT; under / EEXIST")
        void dotsOutsideTheMounts() {
            refused(new Mkdir("/nowhere/.", false), Errno.ENOENT);
            refused(new Mkdir("/nowhere/x/..", false), Errno.ENOENT);
            refused(new Mkdir("/.", false), Errno.EEXIST);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"with space", "ünïcødé", ".hidden", "a:b", "-dash", "x\ty"})
        @DisplayName("only a newline or a NUL byte is refused in a name")
        void oddNamesOk(String name) {
            f.mkdir("/H1/" + name);
            assertThat(cgroupAt("/H1", name)).isNotNull();
        }

        @Test
        @DisplayName("a relative path: EINVAL")
        void relative() {
            refused(new Mkdir("H1/x", false), Errno.EINVAL);
        }
    }

    @Nested
    @DisplayName("rmdir")
    class RmdirRules {
        @Test
        @DisplayName("missing: ENOENT")
        void missing() {
            refused(new Rmdir("/H1/nope"), Errno.ENOENT);
            refused(new Rmdir("/nowhere/x"), Errno.ENOENT);
        }

        @Test
        @DisplayName("the mount point (root of the hierarchy): EBUSY")
        void mountPoint() {
            refused(new Rmdir("/H1"), Errno.EBUSY);
            refused(new Rmdir("/H1/"), Errno.EBUSY);
        }

        @Test
        @DisplayName("rmdir PATH/. : EINVAL")
        void dot() {
            refused(new Rmdir("/H1/foo/."), Errno.EINVAL);
        }

        @Test
        @DisplayName("rmdir PATH/. under a missing parent: ENOENT (the parent is looked up first); under a file: ENOTDIR")
        void dotUnderMissingParent() {
            refused(new Rmdir("/H1/nope/."), Errno.ENOENT);
            refused(new Rmdir("/H1/nope/.."), Errno.ENOENT);
            refused(new Rmdir("/H1/tasks/."), Errno.ENOTDIR);
        }

        @Test
        @DisplayName("rmdir PATH/. or PATH/.. outside every mount point: ENOENT (as the kernel walks to PATH); /. EINVAL")
        void dotOutsideTheMounts() {
            refused(new Rmdir("/nowhere/."), Errno.ENOENT);
            refused(new Rmdir("/nowhere/x/.."), Errno.ENOENT);
            refused(new Rmdir("/."), Errno.EINVAL);
            refused(new Rmdir("/.."), Errno.ENOTEMPTY);
        }

        @Test
        @DisplayName("a control file: ENOTDIR")
        void controlFile() {
            refused(new Rmdir("/H1/tasks"), Errno.ENOTDIR);
            refused(new Rmdir("/H1/foo/tasks"), Errno.ENOTDIR);
        }

        @Test
        @DisplayName("with a task attached: EBUSY; after it moved out: OK")
        void withTask() {
            f.attach(2, "/H1/foo");
            refused(new Rmdir("/H1/foo"), Errno.EBUSY);
            f.attach(2, "/H1");
            f.rmdir("/H1/foo");
            assertThat(cgroupAt("/H1", "foo")).isNull();
        }

        @Test
        @DisplayName("refused for tasks, children or a pin: records exactly one RmdirRefused in the cgroup's stream")
        void refusalRecorded() {
            f.attach(2, "/H1/foo");
            CgroupId foo = cgroupAt("/H1", "foo").id();
            State before = f.state;
            Decision.Rejected r = refused(new Rmdir("/H1/foo"), Errno.EBUSY);
            assertThat(r.recorded()).containsExactly(new RmdirRefused(foo, Errno.EBUSY, r.reason()));
            assertThat(r.reason()).contains("/H1/foo").contains("tasks");
            assertThat(r.stream()).isEqualTo(f.state.cgroup(foo).hierarchy());
            assertThat(r.state()).isEqualTo(Evolver.evolve(before, r.recorded().get(0)));
            assertOnlyCounted(before, r.state());
            // with a child, and (strict) with a pinned css: the same, with their own reasons
            f.attach(2, "/H1");
            f.mkdir("/H1/foo/child");
            Decision.Rejected child = refused(new Rmdir("/H1/foo"), Errno.EBUSY);
            assertThat(child.recorded()).containsExactly(new RmdirRefused(foo, Errno.EBUSY, child.reason()));
            f.rmdir("/H1/foo/child");
            f.attach(2, "/H1/foo");
            f.charge(2, "A", "file:1", 1);
            f.attach(2, "/H1");
            Decision.Rejected pinned = refused(new Rmdir("/H1/foo"), Errno.EBUSY);
            assertThat(pinned.recorded()).containsExactly(new RmdirRefused(foo, Errno.EBUSY, pinned.reason()));
            assertThat(pinned.reason()).contains("file:1");
        }

        @Test
        @DisplayName("refused before the cgroup is found, or at a root: nothing recorded")
        void refusalNotRecorded() {
            for (Decision.Rejected r : List.of(refused(new Rmdir("/H1/nope"), Errno.ENOENT),
                    refused(new Rmdir("/H1/tasks"), Errno.ENOTDIR), refused(new Rmdir("/H1/foo/."), Errno.EINVAL),
                    refused(new Rmdir("/H1"), Errno.EBUSY))) {
                assertThat(r.recorded()).as(r.reason()).isEmpty();
                assertThat(r.state()).isNull();
                assertThat(r.stream()).isEqualTo(HierarchyId.DEFAULT);
            }
        }

        @Test
        @DisplayName("with an empty child: EBUSY")
        void withChild() {
            f.mkdir("/H1/foo/child");
            refused(new Rmdir("/H1/foo"), Errno.EBUSY);
        }

        @Test
        @DisplayName("with tasks only in a grandchild: EBUSY at every level above it")
        void grandchild() {
            f.ok(new Mkdir("/H1/g1/g2/g3", true));
            f.attach(2, "/H1/g1/g2/g3");
            refused(new Rmdir("/H1/g1"), Errno.EBUSY);
            refused(new Rmdir("/H1/g1/g2"), Errno.EBUSY);
            refused(new Rmdir("/H1/g1/g2/g3"), Errno.EBUSY);
        }

        @Test
        @DisplayName("strict: a css still pinned by an object: EBUSY")
        void strictPinned() {
            f.attach(2, "/H1/foo");
            f.charge(2, "A", "file:1", 1);
            f.attach(2, "/H1");
            refused(new Rmdir("/H1/foo"), Errno.EBUSY);
        }
    }

    @Nested
    @DisplayName("attach (echo PID > tasks)")
    class AttachRules {
        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"abc", "-1", "1 2", "", "\n", " ", "1\n2", "1x", "4294967296", "0", "08", "++1",
                "0x", "１", "١", "-0", "+-2", "-+2", "2147483648", "-2147483648", "0x1g", "\u001c2", "2\u00a0",
                "99999999999999999999999"})
        @DisplayName("a value that is not one pid: EINVAL")
        void notOnePid(String value) {
            refused(new Attach(value, "/H1/foo"), Errno.EINVAL);
            refused(new SetFile("/H1/foo", "tasks", value), Errno.EINVAL);
            refused(new SetFile("/H1/foo", "cgroup.procs", value), Errno.EINVAL);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"2", "0x2", " 2 ", "+2", "2\n", "  2  \n", "02", "0X2", "\t\u000b\f\r2\n\n",
                "0000000000000000000000000000000000000000000000000000000000002",
                "0x00000000000000000000000000000000000000000000000000000000002"})
        @DisplayName("one pid, as kstrtoint(strstrip(buf), 0) reads it: accepted, and the task moves")
        void accepted(String value) {
            f.ok(new Attach(value, "/H1/foo"));
            assertThat(cgroupAt("/H1", "foo").tasks().contains(Pid.of(2))).isTrue();
        }

        @Test
        @DisplayName("through the tasks and cgroup.procs files, a pid moves the task too")
        void throughFiles() {
            f.set("/H1/foo", "tasks", "2");
            assertThat(cgroupAt("/H1", "foo").tasks().contains(Pid.of(2))).isTrue();
            f.set("/H1", "cgroup.procs", " 0x2\n");
            assertThat(cgroupAt("/H1", "foo").tasks().contains(Pid.of(2))).isFalse();
        }

        @Test
        @DisplayName("a write of more than a page (4096 bytes) is E2BIG, whatever it holds; a page is taken")
        void overAPage() {
            String page = " ".repeat(4094) + "2\n";
            refused(new SetFile("/H1/foo", "tasks", " " + page), Errno.E2BIG);
            refused(new SetFile("/H1/foo", "notify_on_release", "0".repeat(4096) + "\n"), Errno.E2BIG);
            // counted in bytes: 2,049 two-byte characters are 4,098 bytes
            refused(new SetFile("/H1/foo", "tasks", "é".repeat(2049)), Errno.E2BIG);
            f.set("/H1/foo", "tasks", page);
            assertThat(cgroupAt("/H1", "foo").tasks().contains(Pid.of(2))).isTrue();
        }

        @Test
        @DisplayName("'010' is octal: pid 8, not pid 10")
        void octal() {
            f.fork(1, 8);
            f.fork(1, 10);
            f.ok(new Attach("010", "/H1/foo"));
            assertThat(cgroupAt("/H1", "foo").tasks().contains(Pid.of(8))).isTrue();
            assertThat(cgroupAt("/H1", "foo").tasks().contains(Pid.of(10))).isFalse();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"30000", "99999999", "3"})
        @DisplayName("an unknown pid: ESRCH")
        void unknownPid(String pid) {
            refused(new Attach(pid, "/H1/foo"), Errno.ESRCH);
            refused(new SetFile("/H1/foo", "tasks", pid), Errno.ESRCH);
            refused(new SetFile("/H1/foo", "cgroup.procs", pid), Errno.ESRCH);
        }

        @Test
        @DisplayName("an exited pid: ESRCH")
        void exitedPid() {
            f.exit(2);
            refused(new Attach("2", "/H1/foo"), Errno.ESRCH);
        }

        @Test
        @DisplayName("a missing cgroup: ENOENT; a removed one: ENOENT; a file: ENOTDIR")
        void missingCgroup() {
            refused(new Attach("2", "/H1/nope"), Errno.ENOENT);
            refused(new SetFile("/H1/nope", "tasks", "2"), Errno.ENOENT);
            f.mkdir("/H1/gone").rmdir("/H1/gone");
            refused(new Attach("2", "/H1/gone"), Errno.ENOENT);
            refused(new Attach("2", "/H1/tasks"), Errno.ENOTDIR);
        }

        @Test
        @DisplayName("move_charge_at_immigrate: a move that would exceed a limit: ENOSPC")
        void moveChargeOverLimit() {
            f.mkdir("/H1/bar");
            f.set("/H1/bar", "A.move_charge_at_immigrate", "1");
            f.set("/H1/bar", "A.limit", "5");
            f.attach(2, "/H1/foo").charge(2, "A", "file:1", 6);
            refused(new Attach("2", "/H1/bar"), Errno.ENOSPC);
            refused(new SetFile("/H1/bar", "tasks", "2"), Errno.ENOSPC);
        }
    }

    @Nested
    @DisplayName("fork")
    class ForkRules {
        @Test
        @DisplayName("unknown parent: ESRCH")
        void unknownParent() {
            refused(new Fork(Pid.of(99), null), Errno.ESRCH);
            refused(new Fork(Pid.of(99), Pid.of(100)), Errno.ESRCH);
        }

        @Test
        @DisplayName("--pid already in use: EEXIST (pid 1 too)")
        void pidInUse() {
            refused(new Fork(Pid.of(1), Pid.of(2)), Errno.EEXIST);
            refused(new Fork(Pid.of(2), Pid.of(1)), Errno.EEXIST);
        }

        @Test
        @DisplayName("a pid above the kernel's largest, 4194303: EINVAL, as clone3(2) with set_tid at or above pid_max "
                + "(at most 4194304)")
        void pidAboveMax() {
            refused(new Fork(Pid.of(1), Pid.of(4_194_304)), Errno.EINVAL);
            refused(new Fork(Pid.of(1), Pid.of(4_194_305)), Errno.EINVAL);
            refused(new Fork(Pid.of(1), Pid.of(Integer.MAX_VALUE)), Errno.EINVAL);
        }

        @Test
        @DisplayName("past the largest pid, a fork gets the lowest free one from 300 up, as the kernel's allocator wraps")
        void pidsWrap() {
            f.ok(new Fork(Pid.of(1), Pid.of(4_194_303)));
            f.ok(new Fork(Pid.of(1), Pid.of(300)));
            f.ok(new Fork(Pid.of(1), null));
            assertThat(f.state.task(Pid.of(301))).isNotNull();
            f.exit(300);
            f.ok(new Fork(Pid.of(1), null));
            assertThat(f.state.task(Pid.of(300))).isNotNull();
            f.ok(new Fork(Pid.of(1), null));
            assertThat(f.state.task(Pid.of(302))).isNotNull();
        }
    }

    @Nested
    @DisplayName("exit")
    class ExitRules {
        @Test
        @DisplayName("pid 1: EPERM")
        void init() {
            refused(new Exit(Pid.of(1)), Errno.EPERM);
        }

        @Test
        @DisplayName("unknown pid: ESRCH; twice: ESRCH")
        void unknown() {
            refused(new Exit(Pid.of(99)), Errno.ESRCH);
            f.exit(2);
            refused(new Exit(Pid.of(2)), Errno.ESRCH);
        }
    }

    @Nested
    @DisplayName("charge")
    class ChargeRules {
        @Test
        @DisplayName("unknown subsystem: EINVAL")
        void unknownSubsystem() {
            refused(new Charge(Pid.of(1), "C", "file:1", 1, false), Errno.EINVAL);
            refused(new Charge(Pid.of(1), "none", "file:1", 1, false), Errno.EINVAL);
        }

        @Test
        @DisplayName("unknown task: ESRCH")
        void unknownTask() {
            refused(new Charge(Pid.of(99), "A", "file:1", 1, false), Errno.ESRCH);
        }

        @Test
        @DisplayName("a negative amount or an invalid object name: EINVAL")
        void badInput() {
            refused(new Charge(Pid.of(1), "A", "file:1", -1, false), Errno.EINVAL);
            refused(new Charge(Pid.of(1), "A", "two words", 1, false), Errno.EINVAL);
            refused(new Charge(Pid.of(1), "A", "", 1, false), Errno.EINVAL);
        }

        @Test
        @DisplayName("a live object name again: EEXIST, even from another task or subsystem")
        void existing() {
            f.charge(1, "A", "file:1", 1);
            refused(new Charge(Pid.of(1), "A", "file:1", 1, false), Errno.EEXIST);
            refused(new Charge(Pid.of(2), "B", "file:1", 1, true), Errno.EEXIST);
        }

        @Test
        @DisplayName("over the limit of its css: ENOSPC; exactly at the limit: OK")
        void overLimit() {
            f.set("/H1/foo", "A.limit", "10").attach(2, "/H1/foo");
            f.charge(2, "A", "file:1", 6);
            refused(new Charge(Pid.of(2), "A", "file:2", 5, false), Errno.ENOSPC);
            f.charge(2, "A", "file:2", 4);
            assertThat(f.usage("A1")).isEqualTo(10);
        }

        @Test
        @DisplayName("hierarchical: a limit on the parent stops a charge in the child")
        void hierarchical() {
            f.mkdir("/H1/foo/child");
            f.set("/H1/foo", "A.limit", "10").attach(2, "/H1/foo/child");
            f.charge(2, "A", "file:1", 6);
            assertThat(f.usage("A1")).as("usage counts on the parent").isEqualTo(6);
            refused(new Charge(Pid.of(2), "A", "file:2", 5, false), Errno.ENOSPC);
            // the root's usage is hierarchical too
            assertThat(f.usage("A0")).isEqualTo(6);
        }

        @Test
        @DisplayName("an amount that would overflow usage: ENOSPC, not a negative usage")
        void overflow() {
            f.charge(1, "A", "file:1", Long.MAX_VALUE - 1);
            assertThat(refused(new Charge(Pid.of(1), "A", "file:2", 10, false), Errno.ENOSPC).reason())
                    .as("the reason is the overflow, not a limit of max").isEqualTo("charging 10 to A0 would take the "
                            + "usage of A0 past 9223372036854775807 (usage 9223372036854775806)");
        }
    }

    @Nested
    @DisplayName("uncharge")
    class UnchargeRules {
        @Test
        @DisplayName("unknown object: ENOENT (also for a name that could never exist)")
        void unknown() {
            refused(new Uncharge("file:9", null), Errno.ENOENT);
            refused(new Uncharge("two words", null), Errno.ENOENT);
        }

        @Test
        @DisplayName("a task that does not hold it: EINVAL (also an unknown task)")
        void nonHolder() {
            f.charge(1, "A", "file:1", 1);
            refused(new Uncharge("file:1", Pid.of(2)), Errno.EINVAL);
            refused(new Uncharge("file:1", Pid.of(99)), Errno.EINVAL);
        }

        @Test
        @DisplayName("a released object: ENOENT")
        void released() {
            f.charge(1, "A", "file:1", 1).uncharge("file:1");
            refused(new Uncharge("file:1", null), Errno.ENOENT);
        }
    }

    @Nested
    @DisplayName("set (echo VALUE > PATH/FILE)")
    class SetRules {
        @Test
        @DisplayName("SUBSYS.limit below the (hierarchical) usage: EBUSY; at the usage: OK")
        void limitBelowUsage() {
            f.mkdir("/H1/foo/child").attach(2, "/H1/foo/child").charge(2, "A", "file:1", 6);
            refused(new SetFile("/H1/foo", "A.limit", "5"), Errno.EBUSY);
            refused(new SetFile("/H1/foo/child", "A.limit", "0"), Errno.EBUSY);
            f.set("/H1/foo", "A.limit", "6");
            assertThat(f.state.css(f.css("A1")).limit().value()).isEqualTo(6);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"abc", "-1", "", "1 2", "1.5", "max1", "99999999999999999999"})
        @DisplayName("SUBSYS.limit, a bad value: EINVAL")
        void limitBadValue(String value) {
            refused(new SetFile("/H1/foo", "A.limit", value), Errno.EINVAL);
        }

        @Test
        @DisplayName("SUBSYS.limit: the reason says what is wrong with the value")
        void limitBadReasons() {
            assertThat(refused(new SetFile("/H1/foo", "A.limit", "9223372036854775807"), Errno.EINVAL).reason())
                    .isEqualTo("a limit is at most 999999999999999999 (or max), not 9223372036854775807");
            assertThat(refused(new SetFile("/H1/foo", "A.limit", "1.5"), Errno.EINVAL).reason())
                    .isEqualTo("a limit is a non-negative number or max, not '1.5'");
            f.set("/H1/foo", "A.limit", "999999999999999999");
            assertThat(f.state.css(f.css("A1")).limit().isMax()).isFalse();
            assertThat(refused(new SetFile("/H1/foo", "notify_on_release", "-1"), Errno.EINVAL).reason())
                    .isEqualTo("'-1' is not an unsigned number");
        }

        @Test
        @DisplayName("SUBSYS.limit: a number or max")
        void limitOk() {
            f.set("/H1/foo", "A.limit", "7");
            assertThat(f.state.css(f.css("A1")).limit().value()).isEqualTo(7);
            f.set("/H1/foo", "A.limit", "max");
            assertThat(f.state.css(f.css("A1")).limit().isMax()).isTrue();
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"2", "abc", "-1", "", "yes"})
        @DisplayName("SUBSYS.move_charge_at_immigrate, not 0 or 1: EINVAL")
        void moveChargeBad(String value) {
            refused(new SetFile("/H1/foo", "A.move_charge_at_immigrate", value), Errno.EINVAL);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"abc", "-1", " 1", "\n", "1 2", "yes", "1\n\n", "0x", "08", "１", "١"})
        @DisplayName("notify_on_release, not a number as kstrtoull reads it: EINVAL")
        void notifyBad(String value) {
            refused(new SetFile("/H1/foo", "notify_on_release", value), Errno.EINVAL);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"99999999999999999999", "1234567890123456789012345", "18446744073709551616"})
        @DisplayName("notify_on_release, a number over 64 bits: ERANGE")
        void notifyRange(String value) {
            refused(new SetFile("/H1/foo", "notify_on_release", value), Errno.ERANGE);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"1", "1\n", "2", "0x10", "18446744073709551615", "+1"})
        @DisplayName("notify_on_release, any non-zero u64 sets it to 1")
        void notifyNonZero(String value) {
            f.set("/H1/foo", "notify_on_release", value);
            assertThat(cgroupAt("/H1", "foo").notifyOnRelease()).isTrue();
            assertThat(f.events.get(f.events.size() - 1)).isInstanceOf(NotifyOnReleaseSet.class);
            f.set("/H1/foo", "notify_on_release", "0");
            assertThat(cgroupAt("/H1", "foo").notifyOnRelease()).isFalse();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"A.usage", "cgroup.sane_behavior"})
        @DisplayName("a read-only file: EINVAL")
        void readOnly(String file) {
            refused(new SetFile("/H1", file, "1"), Errno.EINVAL);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"nope", "B.limit", "B.move_charge_at_immigrate", "C.limit", "A.nope", "release_agent",
                "cgroup.sane_behavior", "A", ".limit"})
        @DisplayName("a file the directory does not have: ENOENT")
        void unknownFile(String file) {
            refused(new SetFile("/H1/foo", file, "1"), Errno.ENOENT);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"foo", ".", "..", ""})
        @DisplayName("a directory: EISDIR, as opening one for writing")
        void directory(String file) {
            refused(new SetFile("/H1", file, "1"), Errno.EISDIR);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"foo/tasks", "tasks/.", "/tasks"})
        @DisplayName("a name with a '/' (a path, not a file's name): EINVAL")
        void slash(String file) {
            refused(new SetFile("/H1", file, "1"), Errno.EINVAL);
        }

        @Test
        @DisplayName("a file of a missing cgroup: ENOENT")
        void missingCgroup() {
            refused(new SetFile("/H1/nope", "A.limit", "1"), Errno.ENOENT);
            refused(new SetFile("/H1/nope", "notify_on_release", "1"), Errno.ENOENT);
        }
    }

    @Nested
    @DisplayName("rmdir of a cgroup of a hierarchy without subsystems (no css to keep referenced)")
    class StrictWithoutSubsystems {
        @ParameterizedTest(name = "{0}")
        @org.junit.jupiter.params.provider.EnumSource(value = RmdirPolicy.class, names = {"OFFLINE", "UNCHECKED"})
        @DisplayName("offline, unchecked: accepted; the cgroup is kept, removed, while a pinned css_set names it, "
                + "and goes with the last")
        void keptWhileNamed(RmdirPolicy policy) {
            Fixture p = Fixture.seed(PinPolicy.CSSSET, policy);
            p.mount("A", "/H1").mount("none,name=n1", "/N1").mkdir("/N1/x").attach(1, "/N1/x")
                    .charge(1, "A", "f1", 1).attach(1, "/N1");
            CgroupId x = p.state.hierarchy(p.state.mountPoints().get("/N1")).root();
            x = p.state.cgroup(x).children().get("x");
            p.rmdir("/N1/x");
            assertThat(p.state.cgroup(x)).as("kept").isNotNull().satisfies(c -> assertThat(c.removed()).isTrue());
            assertThat(p.state.path(x)).as("the pinned css_set names a cgroup views still show").isEqualTo("/N1/x");
            p.uncharge("f1");
            assertThat(p.state.isGone(x)).as("gone with the last css_set naming it").isTrue();
        }

        @Test
        @DisplayName("offline: a kept removed child keeps its removed parent (its path stays), and both go with the last pin")
        void keptChildKeepsParent() {
            Fixture p = Fixture.seed(PinPolicy.CSSSET, RmdirPolicy.OFFLINE);
            p.mount("A", "/H1").mount("none,name=n1", "/N1").ok(new org.cgledger.core.command.Mkdir("/N1/p/x", true))
                    .attach(1, "/N1/p/x").charge(1, "A", "f1", 1).attach(1, "/N1");
            CgroupId pp = p.state.cgroup(p.state.hierarchy(p.state.mountPoints().get("/N1")).root()).children().get("p");
            CgroupId x = p.state.cgroup(pp).children().get("x");
            p.rmdir("/N1/p/x").rmdir("/N1/p");
            assertThat(p.state.cgroup(pp)).as("kept for its child").isNotNull()
                    .satisfies(c -> assertThat(c.removed()).isTrue());
            assertThat(p.state.path(x)).isEqualTo("/N1/p/x");
            p.uncharge("f1");
            assertThat(p.state.isGone(x)).isTrue();
            assertThat(p.state.isGone(pp)).as("goes with its child").isTrue();
        }

        @Test
        @DisplayName("offline: umount keeps such a hierarchy (detached) while a kept removed cgroup is in it; "
                + "mounted again it comes back with it")
        void keptCgroupKeepsHierarchy() {
            Fixture p = Fixture.seed(PinPolicy.CSSSET, RmdirPolicy.OFFLINE);
            p.mount("A", "/H1").mount("none,name=n1", "/N1").mkdir("/N1/x").attach(1, "/N1/x")
                    .charge(1, "A", "f1", 1).attach(1, "/N1").rmdir("/N1/x");
            var h = p.state.mountPoints().get("/N1");
            p.ok(new org.cgledger.core.command.Umount("/N1"));
            assertThat(p.state.hierarchy(h)).as("detached, not destroyed").isNotNull();
            p.mount("none,name=n1", "/N2");
            assertThat(p.state.mountPoints().get("/N2")).isEqualTo(h);
            // with nothing kept, umount destroys it, as before
            p.uncharge("f1").ok(new org.cgledger.core.command.Umount("/N2"));
            assertThat(p.state.hierarchy(h)).isNull();
        }

        @Test
        @DisplayName("a css_set an object pins (pin=cssset) that names it: EBUSY, naming the css_set and the object")
        void pinnedCssSetNamesIt() {
            Fixture p = Fixture.seed(PinPolicy.CSSSET, RmdirPolicy.STRICT);
            p.mount("A", "/H1").mount("none,name=n1", "/N1").mkdir("/N1/x").attach(1, "/N1/x")
                    .charge(1, "A", "f1", 1).attach(1, "/N1");
            Decision.Rejected r = refused(p, new Rmdir("/N1/x"), Errno.EBUSY);
            assertThat(r.reason()).startsWith("/N1/x: css_set N").contains(" would still name it, pinned by f1 "
                    + "charged by task 1 at event #");
            // once the object is gone, nothing names it: the rmdir goes through
            p.uncharge("f1").rmdir("/N1/x");
            // under pin=css the object pins a css, not the css_set: nothing names the cgroup
            Fixture c = Fixture.seed(PinPolicy.CSS, RmdirPolicy.STRICT);
            c.mount("A", "/H1").mount("none,name=n1", "/N1").mkdir("/N1/x").attach(1, "/N1/x")
                    .charge(1, "A", "f1", 1).attach(1, "/N1").rmdir("/N1/x");
        }
    }

    @Nested
    @DisplayName("the directories above the mount points (/, and those leading to a mount point)")
    class AboveMountsRules {
        @Test
        @DisplayName("mkdir of one: EEXIST, as the directory is there; with -p nothing to do")
        void mkdir() {
            f.mount("none,name=deep", "/sys/fs/cgroup/deep");
            refused(new Mkdir("/", false), Errno.EEXIST);
            refused(new Mkdir("/sys/fs", false), Errno.EEXIST);
            State before = f.state;
            f.ok(new Mkdir("/sys/fs", true));
            assertThat(f.state).isSameAs(before);
            refused(new Mkdir("/sys/fs/other", false), Errno.ENOENT);
        }

        @Test
        @DisplayName("rmdir of /: EBUSY; of a directory holding a mount point: ENOTEMPTY")
        void rmdir() {
            f.mount("none,name=deep", "/sys/fs/cgroup/deep");
            refused(new Rmdir("/"), Errno.EBUSY);
            refused(new Rmdir("/sys/fs"), Errno.ENOTEMPTY);
            refused(new Rmdir("/nowhere"), Errno.ENOENT);
        }
    }

    @Nested
    @DisplayName("a path's . and .. (the kernel's walk, checked on a named v1 hierarchy)")
    class PathWalkRules {
        @Test
        @DisplayName("after a cgroup that does not exist: ENOENT, for every command that takes a path")
        void afterMissing() {
            refused(new Mkdir("/H1/nope/../d", false), Errno.ENOENT);
            refused(new Mkdir("/H1/nope/./d", false), Errno.ENOENT);
            // (with -p, coreutils makes each prefix in turn: nope first, and then its .. is there)
            refused(new Rmdir("/H1/nope/../foo"), Errno.ENOENT);
            refused(new Attach("2", "/H1/nope/.."), Errno.ENOENT);
            refused(new SetFile("/H1/nope/../foo", "notify_on_release", "1"), Errno.ENOENT);
            refused(new Mount("A", "/H1/nope/../M"), Errno.ENOENT);
            assertThat(cgroupAt("/H1", "d")).isNull();
        }

        @Test
        @DisplayName("after a control file: ENOTDIR")
        void afterFile() {
            refused(new Mkdir("/H1/tasks/../e", false), Errno.ENOTDIR);
            refused(new Attach("2", "/H1/foo/tasks/.."), Errno.ENOTDIR);
            refused(new Rmdir("/H1/foo/A.limit/../../foo"), Errno.ENOTDIR);
        }

        @Test
        @DisplayName("after a cgroup that exists, and above the mount points, they step as ever")
        void afterExisting() {
            f.mkdir("/H1/foo/../d");
            assertThat(cgroupAt("/H1", "d")).isNotNull();
            f.attach(2, "/H2/../H1/foo/./");
            f.ok(new Rmdir("/H1/foo/../d"));
            assertThat(cgroupAt("/H1", "d")).isNull();
            assertThat(Paths.parse(f.state, "/nowhere/../H1/foo")).isEqualTo(CgroupPath.parse("/H1/foo"));
        }
    }

    @Nested
    @DisplayName("mount")
    class MountRules {
        @ParameterizedTest(name = "-o {0}")
        @ValueSource(strings = {"bogus", "none,name=O,bogus", "nosuchctl,name=O", "none=1,name=O", "C"})
        @DisplayName("an unknown option or subsystem: EINVAL")
        void unknownOption(String options) {
            refused(new Mount(options, "/M"), Errno.EINVAL);
        }

        @Test
        @DisplayName("none without a name: EINVAL")
        void noneWithoutName() {
            refused(new Mount("none", "/M"), Errno.EINVAL);
        }

        @Test
        @DisplayName("none with a subsystem: EINVAL")
        void noneWithSubsystem() {
            f.umount("/H1");
            refused(new Mount("none,A,name=x", "/M"), Errno.EINVAL);
        }

        @Test
        @DisplayName("name=x alone for a new name: EINVAL (it does not default to all)")
        void nameAloneNew() {
            refused(new Mount("name=x", "/M"), Errno.EINVAL);
        }

        @Test
        @DisplayName("a name of 64 characters: EINVAL; 63: OK")
        void nameLength() {
            refused(new Mount("none,name=" + repeat('n', 64), "/M"), Errno.EINVAL);
            f.mount("none,name=" + repeat('n', 63), "/M");
            assertThat(f.state.mountPoints().get("/M")).isNotNull();
        }

        @ParameterizedTest(name = "name=''{0}''")
        @ValueSource(strings = {"a/b", "a b", "a:b", "a=b", "é", "", "a\nb"})
        @DisplayName("an empty or invalid name: EINVAL")
        void invalidName(String name) {
            refused(new Mount("none,name=" + name, "/M"), Errno.EINVAL);
        }

        @ParameterizedTest(name = "name=''{0}''")
        @ValueSource(strings = {"a.b", "a-b", "a_b", "Z9"})
        @DisplayName("., - and _ are valid in a name")
        void validName(String name) {
            f.mount("none,name=" + name, "/M");
            assertThat(f.state.hierarchy(f.state.mountPoints().get("/M")).name()).isEqualTo(name);
        }

        @Test
        @DisplayName("a mount point with a NUL byte: EINVAL")
        void mountPointNul() {
            Decision.Rejected r = refused(new Mount("none,name=x", "/M\0x"), Errno.EINVAL);
            assertThat(r.reason()).contains("NUL byte");
        }

        @Test
        @DisplayName("name respecified: EINVAL")
        void twoNames() {
            refused(new Mount("none,name=O,name=O2", "/M"), Errno.EINVAL);
        }

        @Test
        @DisplayName("a subsystem bound to another hierarchy: EBUSY")
        void boundElsewhere() {
            refused(new Mount("A,B", "/M"), Errno.EBUSY);
            f.umount("/H2");
            refused(new Mount("A,B", "/M"), Errno.EBUSY);
        }

        @Test
        @DisplayName("an existing name with a different subsystem set: EBUSY")
        void nameDifferentSet() {
            f.rmdir("/H2/bar").umount("/H2");
            f.mount("none,name=x", "/X");
            refused(new Mount("B,name=x", "/M"), Errno.EBUSY);
            f.mount("B,name=y", "/Y");
            refused(new Mount("none,name=y", "/M"), Errno.EBUSY);
        }

        @Test
        @DisplayName("the same name and set again: a second mount point of the same hierarchy, "
                + "and a mkdir through one is visible through the other")
        void sameNameAgain() {
            f.mount("none,name=x", "/X1");
            var events = f.lastEvents(new Mount("none,name=x", "/X2"));
            assertThat(events).singleElement().isInstanceOf(MountPointAdded.class);
            assertThat(f.state.mountPoints().get("/X2")).isEqualTo(f.state.mountPoints().get("/X1"));
            // name alone attaches to it too, in either order
            f.mount("name=x", "/X3");
            f.mount("name=x,none", "/X4");
            f.mkdir("/X1/made");
            f.ok(new Attach("2", "/X2/made"));
            refused(new Mkdir("/X4/made", false), Errno.EEXIST);
            refused(new Rmdir("/X3/made"), Errno.EBUSY);
            f.ok(new Attach("2", "/X4"));
            f.rmdir("/X3/made");
            refused(new Attach("2", "/X1/made"), Errno.ENOENT);
        }

        @Test
        @DisplayName("all with a subsystem: EINVAL; none with all: EINVAL")
        void allWithSubsystem() {
            f.umount("/H1");
            f.umount("/H2");
            refused(new Mount("all,A", "/M"), Errno.EINVAL);
            refused(new Mount("none,all,name=O", "/M"), Errno.EINVAL);
        }

        @Test
        @DisplayName("the same mount point twice: EBUSY")
        void sameMountPoint() {
            f.mount("none,name=x", "/X");
            refused(new Mount("none,name=x", "/X"), Errno.EBUSY);
            refused(new Mount("A", "/H1"), Errno.EBUSY);
            refused(new Mount("none,name=other", "/X"), Errno.EBUSY);
        }

        @Test
        @DisplayName("options are parsed before the mount point is grafted: bad options at a busy mount point: EINVAL")
        void optionsBeforeMountPoint() {
            refused(new Mount("bogus", "/H1"), Errno.EINVAL);
            refused(new Mount("none", "/H1"), Errno.EINVAL);
            refused(new Mount("name=nosuch", "/H1"), Errno.EINVAL);
            refused(new Mount("none,name=" + repeat('n', 64), "/H2"), Errno.EINVAL);
        }

        @Test
        @DisplayName("release_agent respecified: EINVAL")
        void twoReleaseAgents() {
            refused(new Mount("none,name=O,release_agent=/a,release_agent=/b", "/M"), Errno.EINVAL);
            // an empty one too, as the kernel's fs_parse refuses it (conformance: Bad value for 'release_agent')
            refused(new Mount("none,name=O,release_agent=", "/M"), Errno.EINVAL);
        }
    }

    @Nested
    @DisplayName("umount")
    class UmountRules {
        @Test
        @DisplayName("not a mount point: EINVAL")
        void notMountPoint() {
            refused(new Umount("/H1/foo"), Errno.EINVAL);
            refused(new Umount("/nowhere"), Errno.EINVAL);
            refused(new Umount("/H1/foo/"), Errno.EINVAL);
            refused(new Umount("/H1/tasks"), Errno.EINVAL);
        }

        @Test
        @DisplayName("inside a hierarchy the path walk answers first, as umount2(2) does: ENOENT, ENOTDIR")
        void pathWalk() {
            refused(new Umount("/H1/nonexist"), Errno.ENOENT);
            refused(new Umount("/H1/nonexist/x"), Errno.ENOENT);
            refused(new Umount("/H1/tasks/"), Errno.ENOTDIR);
            refused(new Umount("/H1/tasks/x"), Errno.ENOTDIR);
            refused(new Umount("/H1/foo/nonexist"), Errno.ENOENT);
        }

        @Test
        @DisplayName("a mount point already unmounted: EINVAL")
        void twice() {
            f.umount("/H1");
            refused(new Umount("/H1"), Errno.EINVAL);
        }
    }

    @Test
    @DisplayName("a rejected command leaves an object's holders and usage exactly as they were")
    void rejectedLeavesObjects() {
        f.attach(2, "/H1/foo").charge(2, "A", "file:1", 3);
        State before = f.state;
        refused(new Charge(Pid.of(2), "A", "file:1", 3, false), Errno.EEXIST);
        assertThat(f.state.object(ObjectName.of("file:1"))).isEqualTo(before.object(ObjectName.of("file:1")));
        assertThat(f.usage("A1")).isEqualTo(3);
    }
}
