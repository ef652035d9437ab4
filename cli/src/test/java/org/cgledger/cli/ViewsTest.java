package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The views on the seed after step 7 (DESIGN.md §3), each command a separate execute() on one ledger. */
class ViewsTest {

    /** What {@code ls} lists in a group of the hierarchy with subsystem B (nothing in it but its files). */
    private static final String BAR_FILES = """
            B.limit
            B.move_charge_at_immigrate
            B.usage
            cgroup.clone_children
            cgroup.procs
            notify_on_release
            tasks
            """;


    Harness h;

    @BeforeEach
    void seedToStep7() {
        h = new Harness();
        String[][] steps = {{"init", "--subsys", "A,B"}, {"mount", "-o", "A", "none", "/H1"},
            {"mount", "-t", "container", "-o", "B", "none", "/H2"}, {"mkdir", "/H1/foo"}, {"mkdir", "/H2/bar"},
            {"attach", "1", "/H1/foo"}, {"set", "/H2/bar", "tasks", "1"}, {"charge", "1", "A", "file:1"},
            {"attach", "1", "/H1"}, {"attach", "1", "/H2"}};
        for (String[] s : steps) {
            assertThat(h.run(s)).isEqualTo(new Harness.Run(0, "", ""));
        }
    }

    @Test
    @DisplayName("csssets marks a removed cgroup that a pinned css_set still names, as tree marks it")
    void removedCgroupInATuple() {
        Harness r = new Harness();
        Harness.Run run = r.runWithInput("init --subsys A --pin cssset --rmdir offline\nmount -o none,name=n1 none /N1\n"
                + "mkdir /N1/a\nattach 1 /N1/a\ncharge 1 A file:1 --amount 1\nattach 1 /N1\nrmdir /N1/a\ncsssets\n", "sh");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("N1  refcount 1  (A0, /N1/a (removed))  object file:1\n");
        // and --json lists it among the removed as well as among the css_set's groups
        Harness.Run json = r.runWithInput("init --subsys A --pin cssset --rmdir offline\nmount -o none,name=n1 none /N1\n"
                + "mkdir /N1/a\nmkdir /N1/b\nattach 1 /N1/a\ncharge 1 A file:1 --amount 1\nattach 1 /N1/b\nrmdir /N1/a\n"
                + "csssets\n", "--json", "sh");
        assertThat(json.out()).contains("{\"id\":\"N1\",\"refcount\":1,\"css\":[\"A0\"],\"cgroups\":[\"/N1/a\"],"
                + "\"removed\":[\"/N1/a\"],").contains("\"cgroups\":[\"/N1/b\"],\"removed\":[],");
    }

    @Test
    @DisplayName("tree names a hierarchy's other mount points")
    void treeMountedTwice() {
        h.runAll("mount -o A none /M1");
        assertThat(h.run("tree", "/M1").out()).startsWith("/M1 (A) also at /H1  1 task");
        assertThat(h.run("tree").out()).startsWith("/H1 (A) also at /M1  1 task");
        h.runAll("umount /M1");
        assertThat(h.run("tree").out()).startsWith("/H1 (A)  1 task");
    }

    @Test
    @DisplayName("tree draws each hierarchy with task counts and each css's refcount and state")
    void tree() {
        assertThat(h.run("tree")).isEqualTo(new Harness.Run(0, """
                /H1 (A)  1 task  A0 refcount 2 online
                └─foo  0 tasks  A1 refcount 2 online
                /H2 (B)  1 task  B0 refcount 2 online
                └─bar  0 tasks  B1 refcount 1 online
                """, ""));
        h.run("mkdir", "-p", "/H1/foo/x/y", "/H1/zed");
        assertThat(h.run("tree", "/H1").out()).isEqualTo("""
                /H1 (A)  1 task  A0 refcount 2 online
                ├─foo  0 tasks  A1 refcount 2 online
                │ └─x  0 tasks  A2 refcount 1 online
                │   └─y  0 tasks  A3 refcount 1 online
                └─zed  0 tasks  A4 refcount 1 online
                """);
    }

    @Test
    @DisplayName("tree draws a removed cgroup without css that a pinned css_set keeps (offline), as it draws dying ones")
    void treeKeptWithoutCss() {
        Harness o = new Harness();
        o.runAll("init --subsys A,B --pin cssset --rmdir offline", "mount -o A none /H1", "mount -o none,name=n1 none /N1",
                "mkdir /N1/x", "attach 1 /N1/x", "charge 1 A f1", "attach 1 /N1", "rmdir /N1/x");
        assertThat(o.run("tree", "/N1").out()).isEqualTo("""
                /N1 (name=n1)  1 task
                └─x (removed)  0 tasks
                """);
        o.runAll("uncharge f1");
        assertThat(o.run("tree", "/N1").out()).isEqualTo("/N1 (name=n1)  1 task\n");
    }

    @Test
    @DisplayName("stat breaks each css's refcount down by holder, with who charged each object and when")
    void stat() {
        assertThat(h.run("stat", "/H1/foo")).isEqualTo(new Harness.Run(0, """
                /H1/foo: cgroup 3 of hierarchy 1, 0 tasks, 0 children; pin=css rmdir=strict
                A1: refcount 2, online, usage 1, limit max
                  N1  css_set (A1, B0), refcount 1
                  file:1  object, amount 1, charged by task 1 at event #8, held by task 1
                """, ""));
    }

    @Test
    @DisplayName("csssets lists every css_set with its tuple, refcount and holders")
    void csssets() {
        assertThat(h.run("csssets")).isEqualTo(new Harness.Run(0, """
                N0  refcount 3  (A0, B0)  task 1, dir /H1, dir /H2
                N1  refcount 1  (A1, B0)  dir /H1/foo
                N2  refcount 1  (A0, B1)  dir /H2/bar
                """, ""));
    }

    @Test
    @DisplayName("ps, subsys, cat and ls")
    void others() {
        h.run("fork", "1", "--pid", "20");
        h.run("attach", "20", "/H2/bar");
        assertThat(h.run("ps").out()).isEqualTo("""
                PID  CSS_SET  CGROUPS
                1    N0       /H1 /H2
                20   N2       /H1 /H2/bar
                """);
        assertThat(h.run("subsys").out()).isEqualTo("""
                #subsys_name	hierarchy	num_cgroups	enabled
                A	1	2	1
                B	2	2	1
                """);
        // a removed cgroup counts until it is freed, as the kernel's num_cgroups: /H1/foo's A1 is
        // held by file:1 (strict refuses the rmdir, so the policy is offline here)
        Harness o = new Harness();
        o.runAll("init --subsys A,B --rmdir offline", "mount -o A none /H1", "mkdir /H1/foo /H1/bar",
                "attach 1 /H1/foo", "charge 1 A file:1", "attach 1 /H1", "rmdir /H1/foo /H1/bar");
        assertThat(o.run("subsys").out()).isEqualTo("""
                #subsys_name	hierarchy	num_cgroups	enabled
                A	1	2	1
                B	0	1	1
                """);
        o.runAll("uncharge file:1");
        assertThat(o.run("subsys").out()).contains("A\t1\t1\t1");
        assertThat(h.run("cat", "/H2/bar/tasks", "/H1/foo/A.usage", "/H1/foo/A.limit").out()).isEqualTo("20\n1\nmax\n");
        // as cat(1): a file that is not there is said, and the others are still printed
        assertThat(h.run("cat", "/H2/bar/tasks", "/H1/nope/tasks", "/H1/foo/A.limit")).isEqualTo(new Harness.Run(1,
                "20\nmax\n", "cat: /H1/nope/tasks: No such file or directory (ENOENT: /H1/nope: no such cgroup)\n"));
        assertThat(h.run("--json", "cat", "/H2/bar/tasks", "/H1/foo/A.limit").out()).isEqualTo(
                "{\"ok\":true,\"file\":\"/H2/bar/tasks\",\"lines\":[\"20\"]}\n"
                        + "{\"ok\":true,\"file\":\"/H1/foo/A.limit\",\"lines\":[\"max\"]}\n");
        // in sh, a name relative to the working directory is named absolute, as ls and stat name theirs
        assertThat(h.runWithInput("cd /H2/bar\ncat tasks A.limit\n", "--json", "sh").out()).contains(
                "\"file\":\"/H2/bar/tasks\"");
        assertThat(h.run("--json", "cat", "/H2/bar/tasks").out()).isEqualTo("{\"ok\":true,\"file\":\"/H2/bar/tasks\",\"lines\":[\"20\"]}\n");
        assertThat(h.run("ls", "/").out()).isEqualTo("H1\nH2\n");
        // in LC_ALL=C ls's order, by UTF-8 bytes: U+FF01 before U+1F600 (UTF-16's order has them the other way)
        h.runAll("mkdir /H2/bar/\ud83d\ude00", "mkdir /H2/bar/\uff01", "mkdir /H2/bar/Z");
        assertThat(h.run("ls", "/H2/bar").out()).startsWith("B.limit\n").contains("tasks\n\uff01\n\ud83d\ude00\n");
        assertThat(h.run("ls", "/H2/bar").out().lines()).contains("Z");
        h.runAll("rmdir /H2/bar/\ud83d\ude00", "rmdir /H2/bar/\uff01", "rmdir /H2/bar/Z");
        assertThat(h.run("ls", "/H2/bar").out()).isEqualTo(BAR_FILES);
    }

    @Test
    @DisplayName("ls hides the names that begin with '.', as ls does; -a lists them, '.' and '..' too; ls FILE prints "
            + "the name as given (FILE/ is ENOTDIR), under --json too")
    void lsAsLs() throws Exception {
        h.runAll("mkdir /H2/bar/.hidden", "mkdir /H2/bar/..x", "mkdir /H2/bar/.hidden/in");
        assertThat(h.run("ls", "/H2/bar").out()).isEqualTo(BAR_FILES);
        assertThat(h.run("ls", "-a", "/H2/bar").out()).startsWith(".\n..\n..x\n.hidden\nB.limit\n").endsWith("\ntasks\n");
        assertThat(h.run("ls", "--all", "/H2/bar").out()).isEqualTo(h.run("ls", "-a", "/H2/bar").out());
        assertThat(h.run("ls", "/H2/bar/.hidden").out()).startsWith("B.limit\n").contains("\nin\n");
        assertThat(h.run("--json", "ls", "-a", "/H2/bar/.hidden").out()).startsWith(
                "{\"ok\":true,\"path\":\"/H2/bar/.hidden\",\"entries\":[\".\",\"..\",\"B.limit\",");
        // a file: its name, as given (ls prints the operand); through a file, or with a slash after it: ENOTDIR
        assertThat(h.run("ls", "/H2//bar/tasks")).isEqualTo(new Harness.Run(0, "/H2//bar/tasks\n", ""));
        assertThat(h.run("ls", "-a", "/H1/notify_on_release").out()).isEqualTo("/H1/notify_on_release\n");
        assertThat(h.run("--json", "ls", "/H2//bar/tasks").out()).isEqualTo(
                "{\"ok\":true,\"path\":\"/H2/bar/tasks\",\"entries\":[\"/H2//bar/tasks\"]}\n");
        assertThat(h.run("ls", "/H2/bar/tasks/")).isEqualTo(new Harness.Run(1, "",
                "ls: /H2/bar/tasks/: Not a directory (ENOTDIR: /H2/bar/tasks is a file, not a cgroup)\n"));
        assertThat(h.run("ls", "/H2/bar/tasks/x").code()).isEqualTo(1);
        assertThat(h.run("ls", "/H2/bar/nope").code()).isEqualTo(1);
        // in sh, a relative name as typed
        assertThat(h.runWithInput("cd /H2/bar\nls tasks\nls ./cgroup.procs\nls -a .hidden\n", "sh").out()).startsWith(
                "tasks\n./cgroup.procs\n.\n..\nB.limit\n");
    }

    @Nested
    @DisplayName("step 8")
    class Step8 {
        @Test
        @DisplayName("strict: rmdir is refused like a shell, exit 1, and names the pin")
        void strict() {
            assertThat(h.run("rmdir", "/H1/foo")).isEqualTo(new Harness.Run(1, "",
                    "rmdir: /H1/foo: Device or resource busy (EBUSY: /H1/foo: css A1 would keep refcount 1 "
                            + "(file:1 charged by task 1 at event #8))\n"));
        }

        @Test
        @DisplayName("fork prints the new pid")
        void fork() {
            assertThat(h.run("fork", "1")).isEqualTo(new Harness.Run(0, "2\n", ""));
        }
    }
}
