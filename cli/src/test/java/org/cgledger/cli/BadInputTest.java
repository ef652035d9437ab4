package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cgledger.persistence.Recorded;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bad input: one clear line each, and nothing changes in the ledger. */
class BadInputTest {

    Harness h;
    List<Recorded> before;

    @BeforeEach
    void setUp() {
        h = new Harness();
        assertThat(h.run("mount", "-o", "A", "none", "/H1").code()).isZero();
        before = h.ledger().journal();
    }

    void assertOneLineNoChange(Harness.Run r, int code, String err) {
        assertThat(r).isEqualTo(new Harness.Run(code, "", err + "\n"));
        assertThat(h.ledger().journal()).isEqualTo(before);
    }

    @Test
    @DisplayName("unknown command")
    void unknownCommand() {
        // a typo is named with the closest command
        assertOneLineNoChange(h.run("mkdr", "/H1/x"), 2, "cgledger: unknown command 'mkdr', did you mean 'mkdir'? (see "
                + "'cgledger help')");
        assertThat(h.runWithInput("whoholds A0\n", "--in-memory", "sh")).isEqualTo(new Harness.Run(1, "",
                "sh: line 1: unknown command 'whoholds', did you mean 'who-holds'? (see 'help')\n"));
    }

    @Test
    @DisplayName("a pid argument is decimal, as ps shows it: fork --pid 010 makes pid 10 (it was 8, and 0x10 was 16), "
            + "while a tasks file still reads its text as the kernel does")
    void decimalPids() {
        Harness fresh = new Harness();
        assertThat(fresh.run("--in-memory", "fork", "1", "--pid", "010")).isEqualTo(new Harness.Run(0, "10\n", ""));
        assertThat(fresh.run("--in-memory", "fork", "1", "--pid", "0x10")).isEqualTo(new Harness.Run(2, "",
                "cgledger: Invalid value for option '--pid': '0x10' is not one pid (a decimal number) (see 'cgledger fork "
                + "--help')\n"));
        Harness.Run sh = fresh.runWithInput("mount -o A none /H1\nfork 1 --pid 010\nmkdir /H1/a\necho 012 > /H1/a/tasks\n"
                + "cat /H1/a/tasks\nexit 010\nps\n", "--in-memory", "sh");
        assertThat(sh.err()).isEmpty();
        assertThat(sh.out()).startsWith("10\n10\n").doesNotContain("\n10 ");
    }

    @Test
    @DisplayName("sh: exit PID reads its number as bash's exit reads its own (' 5' is 5, 0x10 refused), and 'help exit' "
            + "says so, and that exit without a PID ends the script")
    void exitPidAsBashReadsIt() {
        Harness.Run sh = new Harness().runWithInput("fork 1 --pid 5\nfork 1 --pid 16\nexit \" 5\"\nexit 0x10\nps\n"
                + "help exit\n", "--in-memory", "sh");
        assertThat(sh.err()).isEqualTo("sh: line 4: Invalid value for positional parameter at index 0 (PID): '0x10' is "
                + "not one pid (a decimal number) (see 'help exit')\n");
        assertThat(sh.out()).startsWith("5\n16\nPID  CSS_SET  CGROUPS\n1    N0       -\n16   N0       -\n");
        // (the help's lines wrapped as wide as it is printed)
        assertThat(sh.out().replaceAll("\\s+", " ")).contains("(' 5' is 5) and 010 is 10, while 0x10 is refused, as "
                + "bash's own exit reads its number. In sh, exit without a PID ends the script (as quit).");
    }

    @Test
    @DisplayName("conformance with a missing deviations file or script says why, not the path twice")
    void conformanceMissingFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path script = java.nio.file.Files.writeString(tmp.resolve("s.sh"), "mount -o none,name=x none /x\n");
        String none = tmp.resolve("none").toString();
        assertThat(h.run("conformance", "--deviations", none, script.toString())).isEqualTo(new Harness.Run(2, "",
                "conformance: " + none + ": No such file or directory\n"));
    }

    @Test
    @DisplayName("conformance takes no ledger (each script runs on a fresh model of its own): --ledger or --in-memory "
            + "is a usage error, not taken and ignored, and its help does not offer them")
    void conformanceTakesNoLedger(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String script = java.nio.file.Files.writeString(tmp.resolve("s.sh"), "mount -o none,name=x none /x\n").toString();
        String why = "conformance: it runs each script on a fresh in-memory model of its own, never on a ledger: "
                + "give no --ledger or --in-memory\n";
        assertThat(h.run("conformance", "--ledger", tmp.resolve("l").toString(), script))
                .isEqualTo(new Harness.Run(2, "", why));
        assertThat(h.run("--ledger", tmp.resolve("l").toString(), "conformance", script))
                .isEqualTo(new Harness.Run(2, "", why));
        assertThat(h.run("conformance", "--in-memory", script)).isEqualTo(new Harness.Run(2, "", why));
        assertThat(h.run("conformance", "--help").out()).doesNotContain("--ledger").doesNotContain("--in-memory")
                .contains("--json");
    }

    @Test
    @DisplayName("bench takes no ledger (it builds a workload ledger of its own): --ledger or --in-memory before it "
            + "is a usage error, before anything is made or run, not taken and ignored")
    void benchTakesNoLedger(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        String why = "bench: it builds a workload ledger of its own in a scratch directory (--dir DIR), never on a "
                + "ledger given: give no --ledger or --in-memory\n";
        java.nio.file.Path scratch = tmp.resolve("scratch");
        assertThat(h.run("--ledger", tmp.resolve("l").toString(), "bench", "--dir", scratch.toString(),
                "--events", "5")).isEqualTo(new Harness.Run(2, "", why));
        assertThat(h.run("--in-memory", "bench", "--dir", scratch.toString(), "--events", "5"))
                .isEqualTo(new Harness.Run(2, "", why));
        assertThat(h.run("--in-memory", "--json", "bench", "--events", "5")).isEqualTo(new Harness.Run(2, "{\"ok\":false,"
                + "\"error\":\"usage\",\"reason\":\"" + why.strip().substring("bench: ".length()) + "\"}\n", ""));
        // (--events 5, refused after the ledger, keeps a build without the check from running a whole bench)
        assertThat(scratch).doesNotExist();
    }

    @Test
    @DisplayName("conformance's report writes a script line's control characters as escapes (a NUL byte had made it "
            + "a binary file to grep)")
    void conformanceReportEscapes() {
        Harness.Run r = h.run("conformance", java.nio.file.Path.of("..", "examples", "conformance", "mkdir-nul-byte.sh")
                .toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(r.code() != ConformanceCmd.UNAVAILABLE, "no kernel side: " + r.err());
        assertThat(r.out()).contains("  line 3: mkdir /H1/a\\0b: model only: ").doesNotContain("\0");
    }

    @Test
    @DisplayName("a malformed --at is a usage error before the ledger is looked for (exit 2, with or without one)")
    void malformedAtWithoutLedger() {
        Harness empty = new Harness();
        for (Harness x : List.of(empty, h)) {
            assertThat(x.run("tree", "--at", "x")).isEqualTo(new Harness.Run(2, "",
                    "tree: 'x' is not an ISO-8601 instant (like 2024-05-01T12:00:00Z)\n"));
            assertThat(x.run("replay", "--at", "x").code()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("explain / says what rmdir / says (EBUSY), and a missing path is refused as rmdir refuses it")
    void explainRoot() {
        Harness.Run r = h.run("explain", "/");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).startsWith("rmdir /: would fail: EBUSY Device or resource busy: / is the root of the filesystem");
        assertOneLineNoChange(h.run("explain", "/H1/zz"), 1,
                "explain: /H1/zz: No such file or directory (ENOENT: /H1/zz: no such cgroup)");
    }

    @Test
    @DisplayName("bad path")
    void badPath() {
        assertOneLineNoChange(h.run("mkdir", "/H9/x"), 1,
                "mkdir: /H9/x: No such file or directory (ENOENT: /H9/x is not under a cgroup mount point)");
        assertOneLineNoChange(h.run("mkdir", "H1/x"), 1, "mkdir: H1/x: Invalid argument (EINVAL: path must be absolute: H1/x)");
        assertOneLineNoChange(h.run("stat", "/H1/tasks"), 1,
                "stat: /H1/tasks: Not a directory (ENOTDIR: /H1/tasks is a file, not a cgroup)");
    }

    @Test
    @DisplayName("log --object with what cannot be an object name: usage, not an internal error")
    void badObjectName() {
        assertOneLineNoChange(h.run("log", "--object", "a b"), 2, "log: --object 'a b': not an object name "
                + "(1 to 255 characters, no white space or control character)");
        assertOneLineNoChange(h.run("log", "--object", ""), 2, "log: --object '': not an object name "
                + "(1 to 255 characters, no white space or control character)");
    }

    @Test
    @DisplayName("a ledger path that is a file: usage, not 'no ledger yet' (a view) or a model refusal (a write)")
    void ledgerIsAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("notes.txt"), "x");
        assertThat(h.run("--ledger", file.toString(), "tree")).isEqualTo(new Harness.Run(2, "",
                "tree: --ledger " + file + ": not a directory (a ledger is a directory of its own)\n"));
        assertThat(h.run("--ledger", file.toString(), "mkdir", "/H1/x")).isEqualTo(new Harness.Run(2, "",
                "mkdir: --ledger " + file + ": not a directory (a ledger is a directory of its own)\n"));
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("x");
    }

    @Test
    @DisplayName("a refusal quoting a name with control characters stays one line: they are written as escapes")
    void controlCharactersEscaped() {
        assertOneLineNoChange(h.run("mkdir", "/H1/a\nb"), 1,
                "mkdir: /H1/a\\nb: Invalid argument (EINVAL: a cgroup name cannot contain a newline)");
        assertOneLineNoChange(h.run("stat", "/H1/x\u001by"), 1,
                "stat: /H1/x\\x1by: No such file or directory (ENOENT: /H1/x\\x1by: no such cgroup)");
    }

    @Test
    @DisplayName("non-numeric pid")
    void nonNumericPid() {
        assertOneLineNoChange(h.run("fork", "one"), 2,
                "cgledger: Invalid value for positional parameter at index 0 (PARENT): 'one' is not one pid "
                        + "(a decimal number) (see 'cgledger fork --help')");
        assertOneLineNoChange(h.run("attach", "one", "/H1"), 1,
                "attach: /H1: Invalid argument (EINVAL: 'one' is not one pid)");
    }

    @Test
    @DisplayName("a number that is not one, or too large: in words, not a Java type")
    void badNumbers() {
        assertOneLineNoChange(h.run("charge", "1", "A", "file:1", "abc"), 2,
                "cgledger: Invalid value for positional parameter at index 3 (AMOUNT): 'abc' is not a whole number "
                        + "(see 'cgledger charge --help')");
        assertOneLineNoChange(h.run("charge", "1", "A", "file:1", "99999999999999999999"), 2,
                "cgledger: Invalid value for positional parameter at index 3 (AMOUNT): '99999999999999999999' is out of "
                        + "range (0 to 9223372036854775807) (see 'cgledger charge --help')");
        // no command takes a negative number: the range said is the one taken (it had been a long's)
        assertOneLineNoChange(h.run("log", "--from", "-99999999999999999999"), 2,
                "cgledger: Invalid value for option '--from': '-99999999999999999999' is out of range "
                        + "(0 to 9223372036854775807) (see 'cgledger log --help')");
        // one within a long is the command's to refuse, in its words
        assertOneLineNoChange(h.run("charge", "1", "A", "file:1", "-5"), 1,
                "charge: file:1: Invalid argument (EINVAL: a charge cannot be negative)");
        assertOneLineNoChange(h.run("tree", "--at-event", "1x"), 2,
                "cgledger: Invalid value for option '--at-event': '1x' is not a whole number (see 'cgledger tree --help')");
    }

    @Test
    @DisplayName("mount -o given twice: the lists joined, as mount(8) joins them")
    void mountOptionsTwice() {
        assertThat(h.run("mount", "-o", "none", "-o", "name=h5", "none", "/H5").code()).isZero();
        assertThat(h.run("mount", "-o", "B", "-o", "name=hb", "none", "/HB").code()).isZero();
        assertThat(h.run("subsys").out()).containsPattern("(?m)^B\\s+\\d+");
        assertThat(h.run("ls").out()).isEqualTo("H1\nH5\nHB\n");
    }

    @Test
    @DisplayName("mount with more than one mount point")
    void mountTwoMountPoints() {
        assertOneLineNoChange(h.run("mount", "-o", "B", "none", "/H2", "/H3"), 2, "mount: one mount point, not 2: /H2 /H3");
    }

    @Test
    @DisplayName("--ledger with --in-memory, or an empty --ledger: usage errors, nothing opened")
    void ledgerOptions() {
        assertThat(h.run("--in-memory", "--ledger", "/nonexistent/l", "tree"))
                .isEqualTo(new Harness.Run(2, "", "tree: --ledger and --in-memory cannot both be given\n"));
        assertThat(h.run("--ledger", "", "mount", "-o", "A", "none", "/H1"))
                .isEqualTo(new Harness.Run(2, "", "mount: --ledger needs a directory, not an empty string\n"));
    }

    @Test
    @DisplayName("unknown subsystem")
    void unknownSubsystem() {
        assertOneLineNoChange(h.run("mount", "-o", "nosuch", "none", "/H2"), 1,
                "mount: /H2: Invalid argument (EINVAL: unknown subsystem or option 'nosuch')");
        assertOneLineNoChange(h.run("charge", "1", "nosuch", "file:1"), 1,
                "charge: file:1: Invalid argument (EINVAL: unknown subsystem 'nosuch')");
    }

    @Test
    @DisplayName("an extra word is 'unexpected argument', not picocli's 'Unmatched argument at index N'; in sh a line's "
            + "usage error points to 'help NAME', the sh's own help, not 'cgledger NAME --help'")
    void extraWordsAndShHelp() {
        assertThat(h.run("--in-memory", "exit", "1", "2")).isEqualTo(new Harness.Run(2, "",
                "cgledger: unexpected argument '2' (see 'cgledger exit --help')\n"));
        Harness.Run sh = h.runWithInput("exit 1 2\nls --frob\nrmdir\n", "--in-memory", "sh");
        assertThat(sh.err()).isEqualTo("""
                sh: line 1: unexpected argument '2' (see 'help exit')
                sh: line 2: Unknown option: '--frob' (see 'help ls')
                sh: line 3: Missing required parameter: 'PATH' (see 'help rmdir')
                """);
    }

    @Test
    @DisplayName("sh: 'help --json' answers the shell's list in JSON, as 'help mkdir --json' answers mkdir's (it had been "
            + "\"no command '--json'\")")
    void shHelpJson() {
        Harness.Run sh = h.runWithInput("help --json\n", "--in-memory", "sh");
        assertThat(sh.err()).isEmpty();
        assertThat(sh.out()).startsWith("{\"line\":1,\"ok\":true,\"shell\":[{\"form\":\"cd [PATH]\"")
                .contains("\"commands\":[").hasLineCount(1);
    }

    @Test
    @DisplayName("a line sh cannot parse")
    void badShLine() {
        Harness.Run r = h.runWithInput("echo 'open\nls /H1 > /H1/tasks\necho 1 > /H1/tasks /H1/x\nmkdir\n", "sh");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                sh: line 1: unterminated quote (')
                sh: line 2: only echo can write to a file (echo VALUE > PATH/FILE)
                sh: line 3: echo VALUE > PATH/FILE takes one file after >
                sh: line 4: Missing required parameter: 'PATH' (see 'help mkdir')
                """);
        assertThat(h.ledger().journal()).isEqualTo(before);
    }

    @Test
    @DisplayName("sh: from a removed working directory, .. still leads to the directory it was in (as the kernel's walk)")
    void dotDotFromRemovedDirectory() {
        Harness.Run r = h.runWithInput("mkdir -p /H1/a/b\ncd /H1/a/b\nrmdir ../b\nmkdir x\ncd ..\nrmdir b\n"
                + "cd b/..\nrmdir ./../a\ncd ./..\nmkdir again\n", "sh");
        assertThat(r.err()).isEqualTo("""
                mkdir: x: No such file or directory (ENOENT: the working directory /H1/a/b was removed)
                rmdir: b: No such file or directory (ENOENT: /H1/a/b: no such cgroup)
                cd: b/..: No such file or directory (ENOENT: /H1/a/b: no such cgroup)
                """);
        assertThat(r.code()).isEqualTo(1);
        assertThat(h.run("ls", "/H1").out()).contains("again\n").doesNotContain("a\n");
    }

    @Test
    @DisplayName("sh: nothing is found or made in a removed working directory (mkdir -p had made it again); "
            + "cd .. climbs through removed ones")
    void removedWorkingDirectory() {
        Harness.Run r = h.runWithInput("mkdir -p /H1/k/j\ncd /H1/k/j\nrmdir /H1/k/j\nrmdir /H1/k\nmkdir -p w/../v\n"
                + "mkdir w\necho 1 > tasks\ncd ..\npwd\ncd ..\npwd\n", "sh");
        assertThat(r.err()).isEqualTo("""
                mkdir: w/../v: No such file or directory (ENOENT: the working directory /H1/k/j was removed)
                mkdir: w: No such file or directory (ENOENT: the working directory /H1/k/j was removed)
                echo: tasks: No such file or directory (ENOENT: the working directory /H1/k/j was removed)
                """);
        assertThat(r.out()).isEqualTo("/H1/k\n/H1\n");
        assertThat(h.run("ls", "/H1").out()).doesNotContain("k\n");
    }

    @Test
    @DisplayName("sh: the working directory is the group cd went to, not one made at its path since: a relative name "
            + "finds nothing in it (echo 1 > tasks had moved the task into the new group), and . makes nothing (mkdir . "
            + "had made the removed group again): as in the kernel, . still exists (mkdir: EEXIST, mkdir -p: nothing to "
            + "do) and cannot be removed (rmdir: EINVAL)")
    void workingDirectoryByGroup() {
        Harness.Run r = h.runWithInput("mkdir /H1/a\ncd /H1/a\nrmdir /H1/a\nmkdir /H1/a\necho 1 > tasks\nls\nmkdir .\n"
                + "mkdir x\ncd ..\npwd\nmkdir /H1/dead\ncd /H1/dead\nrmdir /H1/dead\nmkdir .\nmkdir -p ./.\nrmdir .\n"
                + "cd /H1/a\necho 1 > tasks\n", "sh");
        assertThat(r.err()).isEqualTo("""
                echo: tasks: No such file or directory (ENOENT: the working directory /H1/a was removed)
                mkdir: .: File exists (EEXIST: '.' is the working directory /H1/a, removed but still in use)
                mkdir: x: No such file or directory (ENOENT: the working directory /H1/a was removed)
                mkdir: .: File exists (EEXIST: '.' is the working directory /H1/dead, removed but still in use)
                rmdir: .: Invalid argument (EINVAL: cannot remove '.')
                """);
        assertThat(r.out()).as("ls lists the removed directory empty; cd .. leads to /H1").isEqualTo("/H1\n");
        assertThat(h.run("ls", "/H1").out()).contains("a\n").doesNotContain("dead").doesNotContain("x\n");
        // the new /H1/a, once cd went to it, is the working directory like any other
        assertThat(h.run("cat", "/H1/a/tasks").out()).isEqualTo("1\n");
    }

    @Test
    @DisplayName("sh: a path of mkdir, rmdir or cat refused in a removed working directory does not stop the paths "
            + "after it, as mkdir(1), rmdir(1) and cat(1) go on to the next")
    void refusedPathInRemovedDirectoryLetsTheOthersRun() {
        Harness.Run r = h.runWithInput("mkdir -p /H1/a /H1/gone\ncd /H1/a\nrmdir /H1/a\nmkdir /H1/b . x /H1/c\n"
                + "rmdir /H1/b y /H1/c\ncat tasks /H1/gone/notify_on_release\n", "sh");
        assertThat(r.err()).isEqualTo("""
                mkdir: .: File exists (EEXIST: '.' is the working directory /H1/a, removed but still in use)
                mkdir: x: No such file or directory (ENOENT: the working directory /H1/a was removed)
                rmdir: y: No such file or directory (ENOENT: the working directory /H1/a was removed)
                cat: tasks: No such file or directory (ENOENT: the working directory /H1/a was removed)
                """);
        assertThat(r.out()).isEqualTo("0\n");
        assertThat(r.code()).isEqualTo(1);
        assertThat(h.run("ls", "/H1").out()).contains("gone\n").doesNotContain("b\n").doesNotContain("c\n");
        assertThat(h.run("log").out()).contains("/H1/b").contains("/H1/c");
    }

    @Test
    @DisplayName("sh --json: mkdir -p . in a removed working directory answers its line as for any existing directory "
            + "(ok, no events), one object a line")
    void mkdirParentsDotOfRemovedDirectoryJson() throws Exception {
        Harness.Run r = h.runWithInput("mkdir -p /H1/b\ncd /H1/b\nrmdir /H1/b\nmkdir -p .\nmkdir -p /H1\n", "--json", "sh");
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(3)).isEqualTo("{\"line\":4,\"ok\":true,\"events\":[]}");
        assertThat(lines.get(4)).isEqualTo("{\"line\":5,\"ok\":true,\"events\":[]}");
    }

    @Test
    @DisplayName("sh: in a removed working directory cd . stays there (chdir(\".\") succeeds) and cat . is EISDIR, "
            + "as in the kernel")
    void dotOfRemovedDirectoryIsStillADirectory() {
        Harness.Run r = h.runWithInput("mkdir /H1/a\ncd /H1/a\nrmdir /H1/a\ncd .\ncd ./.\npwd\ncat .\ncd ..\npwd\n",
                "sh");
        assertThat(r.err()).isEqualTo("""
                cat: .: Is a directory (EISDIR: '.' is the working directory /H1/a, removed but still a directory)
                """);
        assertThat(r.out()).isEqualTo("/H1/a\n/H1\n");
    }

    @Test
    @DisplayName("sh: a last .. or . walked from a removed working directory answers for that component, as the kernel's "
            + "walk does (measured): rmdir .. is ENOTEMPTY (it had removed the parent), mkdir ../. EEXIST (it had made "
            + "the removed parent again), echo 1 > . EISDIR (was ENOENT), ls ../. of a removed parent lists it empty")
    void lastDotsWalkedFromRemovedDirectory() {
        Harness.Run r = h.runWithInput("mkdir -p /H1/a/b\ncd /H1/a/b\nrmdir /H1/a/b\nrmdir ..\nrmdir ./..\nmkdir ..\n"
                + "echo 1 > .\necho 1 > ..\ncat ..\nrmdir /H1/a\nmkdir ../.\nmkdir -p ../.\nrmdir ../.\nrmdir ../..\n"
                + "echo 1 > ../.\nls ../.\nls ..\n", "sh");
        assertThat(r.err()).isEqualTo("""
                rmdir: ..: Directory not empty (ENOTEMPTY: cannot remove '..')
                rmdir: ./..: Directory not empty (ENOTEMPTY: cannot remove '..')
                mkdir: ..: File exists (EEXIST: '..' names a directory (walked from the removed working directory /H1/a/b))
                echo: .: Is a directory (EISDIR: '.' names a directory (walked from the removed working directory /H1/a/b))
                echo: ..: Is a directory (EISDIR: '..' names a directory (walked from the removed working directory /H1/a/b))
                cat: ..: Is a directory (EISDIR: '..' names a directory (walked from the removed working directory /H1/a/b))
                mkdir: ../.: File exists (EEXIST: '.' is the working directory /H1/a/b, removed but still in use)
                rmdir: ../.: Invalid argument (EINVAL: cannot remove '.')
                rmdir: ../..: Directory not empty (ENOTEMPTY: cannot remove '..')
                echo: ../.: Is a directory (EISDIR: '../.' names a directory (walked from the removed working directory /H1/a/b))
                """);
        assertThat(r.out()).as("the removed parent lists empty").isEmpty();
        assertThat(h.run("ls", "/H1").out()).doesNotContain("a\n");
        assertThat(h.run("log").out()).containsOnlyOnce("CgroupRemoved  rmdir /H1/a ");
    }

    @Test
    @DisplayName("sh: cd .. from a removed working directory climbs into the removed parent, not into a group made at "
            + "its path since: it lists empty and nothing is made or found in it (ls had listed the new group, mkdir x "
            + "made a group in it, echo 1 > tasks moved the task there); cd by the path reaches the new one")
    void climbIntoReplacedParent() {
        Harness.Run r = h.runWithInput("mkdir -p /H1/a/b\ncd /H1/a/b\nrmdir /H1/a/b /H1/a\nmkdir -p /H1/a/new\ncd ..\n"
                + "ls\nmkdir x\necho 1 > tasks\ncd ../a\nls\n", "sh");
        assertThat(r.err()).isEqualTo("""
                mkdir: x: No such file or directory (ENOENT: the working directory /H1/a was removed)
                echo: tasks: No such file or directory (ENOENT: the working directory /H1/a was removed)
                """);
        assertThat(r.out()).as("only the second ls, of the new group, lists").isEqualTo(h.run("ls", "/H1/a").out());
        assertThat(h.run("ls", "/H1/a").out()).contains("new\n").doesNotContain("x\n");
        assertThat(h.run("cat", "/H1/tasks").out()).isEqualTo("1\n");
    }

    @Test
    @DisplayName("sh: the working directory holds its mount busy, as a process's does in the kernel: umount is EBUSY until cd leaves it")
    void workingDirectoryHoldsItsMount() {
        Harness.Run r = h.runWithInput("cd /H1\numount .\nmkdir a\ncd a\numount /H1/\ncd /\numount /H1\n", "sh");
        assertThat(r.err()).isEqualTo("""
                umount: /H1/.: Device or resource busy (EBUSY: the working directory /H1 is on this mount (cd out of it first))
                umount: /H1/: Device or resource busy (EBUSY: the working directory /H1/a is on this mount (cd out of it first))
                """);
        assertThat(r.code()).isEqualTo(1);
        assertThat(h.run("ls", "/").out()).doesNotContain("H1");
    }

    @Test
    @DisplayName("sh: a removed working directory lists empty (ls, ls ., ls ./), as the kernel lists it; by its path it is gone")
    void removedWorkingDirectoryListsEmpty() {
        Harness.Run r = h.runWithInput("mkdir -p /H1/k/j\ncd /H1/k/j\nrmdir /H1/k/j\nls\nls .\nls ./\nls /H1/k/j\n"
                + "ls ..\n", "sh");
        assertThat(r.err()).isEqualTo("ls: /H1/k/j: No such file or directory (ENOENT: /H1/k/j: no such cgroup)\n");
        // nothing from the three lists of the removed directory; ls .. lists its parent
        assertThat(r.out()).isEqualTo(h.run("ls", "/H1/k").out()).doesNotContain("j\n");
        assertThat(h.runWithInput("mkdir -p /H1/k/j\ncd /H1/k/j\nrmdir /H1/k/j\nls .\n", "--json", "sh").out())
                .endsWith("\n{\"line\":4,\"ok\":true,\"path\":\"/H1/k/j\",\"entries\":[]}\n");
    }

    @Test
    @DisplayName("sh: echo to a name ending in / is EISDIR (a shell's > opens to create), file or not; cat of a file so named ENOTDIR")
    void echoTrailingSlash() {
        Harness.Run r = h.runWithInput("mkdir /H1/a\necho 1 > /H1/a/tasks/\necho 1 > /H1/a/new/\necho 1 > /H1/a/\n"
                + "cat /H1/a/tasks/\n", "sh");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                echo: /H1/a/tasks/: Is a directory (EISDIR: /H1/a/tasks/ names a directory (it ends in /): a file cannot be opened so)
                echo: /H1/a/new/: Is a directory (EISDIR: /H1/a/new/ names a directory (it ends in /): a file cannot be opened so)
                echo: /H1/a/: Is a directory (EISDIR: /H1/a/ names a directory (it ends in /))
                cat: /H1/a/tasks/: Not a directory (ENOTDIR: /H1/a/tasks is a file, not a directory)
                """);
        assertThat(h.run("cat", "/H1/a/tasks").out()).isEmpty();
    }

    @Test
    @DisplayName("sh: echo to a directory above a mount point (/m of /m/H2) is EISDIR, as to / and as echo -n '' and cat "
            + "already said (it had been ENOENT, as for a file outside every hierarchy)")
    void echoToDirectoryAboveMountPoint() {
        Harness.Run r = h.runWithInput("mount -o none,name=h2 none /m/H2\necho 1 > /m\necho 1 > /m/H2/..\ncd /m\n"
                + "echo 1 > .\necho 1 > /m/x\n", "sh");
        assertThat(r.err()).isEqualTo("""
                echo: /m: Is a directory (EISDIR: /m is a directory)
                echo: /m/H2/..: Is a directory (EISDIR: /m is a directory)
                echo: /m/.: Is a directory (EISDIR: /m is a directory)
                echo: /m/x: No such file or directory (ENOENT: /m is not under a cgroup mount point)
                """);
    }

    @Test
    @DisplayName("sh: ; & | <, backquotes and 2> are shell syntax it does not run, refused, never part of a name; quoted they are")
    void shellSyntax() {
        Harness.Run r = h.runWithInput("mkdir /H1/x; mkdir /H1/y\nmkdir /H1/a && mkdir /H1/b\nls /H1 | grep x\n"
                + "mkdir '/H1/quoted;name'\necho 1> /H1/notify_on_release\necho \"1\"> /H1/notify_on_release\n", "sh");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                sh: line 1: ';' is shell syntax sh does not run (one command per line; quote it to use it in a name)
                sh: line 2: '&' is shell syntax sh does not run (one command per line; quote it to use it in a name)
                sh: line 3: '|' is shell syntax sh does not run (one command per line; quote it to use it in a name)
                sh: line 5: '1>' redirects a file descriptor, which sh does not do (to write 1: echo 1 > FILE)
                """);
        assertThat(h.run("cat", "/H1/notify_on_release").out()).isEqualTo("1\n");
        assertThat(h.run("ls", "/H1").out()).contains("quoted;name\n").doesNotContain("x").doesNotContain("y\n")
                .doesNotContain("a\n");
    }

    @Test
    @DisplayName("sh: a byte that is not UTF-8 fails its line (in a comment, nothing), not the whole script")
    void notUtf8() {
        byte[] script = "# caf\u00ff\nmkdir /H1/ok\nmkdir /H1/caf\u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        Harness.Run r = h.runWithBytes(script, "sh");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("sh: line 3: not valid UTF-8 at character 14\n");
        assertThat(h.run("ls", "/H1").out()).contains("ok\n").doesNotContain("caf");
    }

    @Test
    @DisplayName("sh - reads the script from stdin")
    void dashIsStdin() {
        Harness.Run r = h.runWithInput("mkdir /H1/fromstdin\n", "sh", "-");
        assertThat(r.code()).isZero();
        assertThat(h.run("ls", "/H1").out()).contains("fromstdin\n");
    }

    @Test
    @DisplayName("sh -e stops at the first failing line")
    void stopAtFirst() {
        Harness.Run r = h.runWithInput("mkdir /H1/a\nrmdir /H1/zzz\nmkdir /H1/b\n", "sh", "-e");
        assertThat(r.code()).isEqualTo(1);
        assertThat(h.run("ls", "/H1").out()).contains("a\n").doesNotContain("b\n");
    }

    @Test
    @DisplayName("a refused first write leaves no ledger behind")
    void refusedFirstWrite() {
        Harness fresh = new Harness();
        assertThat(fresh.run("mkdir", "/H1/x").code()).isEqualTo(1);
        assertThat(fresh.ledgers).isEmpty();
    }
}
