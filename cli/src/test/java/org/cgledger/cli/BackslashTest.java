package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backslash in a name is written as {@code \\} wherever the text shows the name, once: a group
 * named {@code x\ry} (a backslash and an r) had read exactly as one named x, carriage return, y
 * (written {@code x\r}); and a message that escaped a name before the line was escaped as a whole
 * would have doubled it. JSON escapes them itself.
 */
class BackslashTest {

    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness();
        // /H1/x\ry: a backslash and an r; /H1/x<CR>y: a carriage return
        h.runAll("mount -o A none /H1", "mkdir /H1/x\\ry", "mkdir /H1/x\ry", "fork 1", "attach 2 /H1/x\\ry");
    }

    @Test
    @DisplayName("the views and readers write a backslash as \\\\, a carriage return as \\r: the two names differ")
    void viewsAndReaders() {
        assertThat(h.run("ls", "/H1").out()).contains("\nx\\\\ry\n", "\nx\\ry\n");
        assertThat(h.run("tree").out()).isEqualTo("""
                /H1 (A)  1 task  A0 refcount 1 online
                ├─x\\ry  0 tasks  A2 refcount 1 online
                └─x\\\\ry  1 task  A1 refcount 1 online
                """);
        assertThat(h.run("ps").out()).isEqualTo("""
                PID  CSS_SET  CGROUPS
                1    N0       /H1
                2    N1       /H1/x\\\\ry
                """);
        assertThat(h.run("stat", "/H1/x\\ry").out()).startsWith("/H1/x\\\\ry: cgroup 2 of hierarchy 1, 1 task (2)");
        assertThat(h.run("log").out()).contains("  CgroupCreated  mkdir /H1/x\\\\ry (cgroup #2,",
                "  CgroupCreated  mkdir /H1/x\\ry (cgroup #3,", "attach task 2 /H1 -> /H1/x\\\\ry (N0 -> N1)");
        assertThat(h.run("history", "/H1/x\\ry").out()).startsWith("/H1/x\\\\ry: 1 incarnation\n")
                .contains("mkdir /H1/x\\\\ry (cgroup #2,");
        assertThat(h.run("explain", "/H1/x\\ry").out())
                .startsWith("rmdir /H1/x\\\\ry: would fail: EBUSY Device or resource busy: /H1/x\\\\ry has tasks");
        assertThat(h.run("who-holds", "N1").out()).contains("dir /H1/x\\\\ry");
    }

    @Test
    @DisplayName("csssets: the columns line up by the tuple as printed, its backslash escaped once")
    void cssSetsColumns() {
        assertThat(h.run("csssets").out()).isEqualTo("""
                N0  refcount 2  (A0, B0, cpu0, memory0, beancounter0)  task 1, dir /H1
                N1  refcount 2  (A1, B0, cpu0, memory0, beancounter0)  task 2, dir /H1/x\\\\ry
                N2  refcount 1  (A2, B0, cpu0, memory0, beancounter0)  dir /H1/x\\ry
                """);
    }

    @Test
    @DisplayName("a refusal names the path with its backslash as \\\\, once")
    void refusal() {
        assertThat(h.run("rmdir", "/H1/x\\ry/z")).isEqualTo(new Harness.Run(1, "",
                "rmdir: /H1/x\\\\ry/z: No such file or directory (ENOENT: /H1/x\\\\ry/z: no such cgroup)\n"));
        assertThat(h.run("rmdir", "/H1/x\ry/z")).isEqualTo(new Harness.Run(1, "",
                "rmdir: /H1/x\\ry/z: No such file or directory (ENOENT: /H1/x\\ry/z: no such cgroup)\n"));
    }

    @Test
    @DisplayName("sh: the removed working directory a refusal names is escaped once (its reason was escaped twice)")
    void removedWorkingDirectory() {
        Harness.Run r = h.runWithInput("""
                mkdir '/H1/a\\b'
                cd '/H1/a\\b'
                rmdir '/H1/a\\b'
                cat .
                cat ..
                mkdir .
                mkdir ..
                ls x
                echo 1 > ..
                pwd
                """, "sh");
        assertThat(r.out()).isEqualTo("/H1/a\\\\b\n");
        assertThat(r.err()).isEqualTo("""
                cat: .: Is a directory (EISDIR: '.' is the working directory /H1/a\\\\b, removed but still a directory)
                cat: ..: Is a directory (EISDIR: '..' names a directory (walked from the removed working directory /H1/a\\\\b))
                mkdir: .: File exists (EEXIST: '.' is the working directory /H1/a\\\\b, removed but still in use)
                mkdir: ..: File exists (EEXIST: '..' names a directory (walked from the removed working directory /H1/a\\\\b))
                ls: x: No such file or directory (ENOENT: the working directory /H1/a\\\\b was removed)
                echo: ..: Is a directory (EISDIR: '..' names a directory (walked from the removed working directory /H1/a\\\\b))
                """);
    }

    @Test
    @DisplayName("--json: names as they are, escaped by JSON only")
    void json() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(h.run("--json", "ps").out()).toString()).contains("\"path\":\"/H1/x\\\\ry\"");
        assertThat(m.readTree(h.run("--json", "ls", "/H1").out()).get("entries").toString())
                .contains("\"x\\ry\",\"x\\\\ry\"");
        assertThat(h.run("--json", "rmdir", "/H1/x\\ry/z").out()).isEqualTo("{\"ok\":false,\"command\":\"rmdir\","
                + "\"errno\":\"ENOENT\",\"error\":\"No such file or directory\",\"reason\":\"/H1/x\\\\ry/z: no such cgroup\"}\n");
        Harness.Run sh = h.runWithInput("mkdir '/H1/a\\b'\ncd '/H1/a\\b'\nrmdir '/H1/a\\b'\nls x\n", "--json", "sh");
        assertThat(m.readTree(sh.out().lines().toList().get(3)).get("reason").asText())
                .isEqualTo("the working directory /H1/a\\b was removed");
    }

    @Test
    @DisplayName("a usage error naming a directory or a file escapes it once (it had been escaped, then its line)")
    void usageErrors(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("not\ta dir"), "x");
        assertThat(h.run("--ledger", file.toString(), "tree")).isEqualTo(new Harness.Run(2, "",
                "tree: --ledger " + tmp + "/not\\ta dir: not a directory (a ledger is a directory of its own)\n"));
        Path project = Files.createDirectory(tmp.resolve("project"));
        Files.writeString(project.resolve("a\\b"), "x");
        assertThat(h.run("--ledger", project.toString(), "mkdir", "/H1/y").err()).isEqualTo("mkdir: " + project
                + ": no ledger there, but other files (a\\\\b): a first write makes a ledger only in a new or empty "
                + "directory (give one of its own, such as " + project + "/ledger)\n");
        assertThat(h.run("bench", "--dir", tmp + "/a\\b").err()).startsWith("bench: --dir " + tmp
                + "/a\\\\b cannot hold the workload ledger: its path holds '\\\\' (character ");
        // a journal whose last mkdir makes p\q again: the refusal Transfer words quotes the name
        Harness g = new Harness();
        g.runAll("mount -o A none /H1", "mkdir /H1/p\\q", "mkdir /H1/p\\q/c");
        String journal = g.run("export").out();
        assertThat(journal).contains("\"parent\":2,\"name\":\"c\"");
        Path export = Files.writeString(tmp.resolve("e\\x.json"), journal.replace("\"parent\":2,\"name\":\"c\"",
                "\"parent\":1,\"name\":\"p\\\\q\""));
        assertThat(h.run("--ledger", tmp.resolve("new").toString(), "import", export.toString())).isEqualTo(
                new Harness.Run(2, "", "import: " + tmp + "/e\\\\x.json: line 4: event #4 (CgroupCreated): no mkdir "
                        + "makes a cgroup 'p\\\\q' under /H1: mkdir /H1/p\\\\q is refused (EEXIST: /H1/p\\\\q exists)\n"));
    }

    @Test
    @DisplayName("export names the file it wrote escaped as every name is (a newline in its name had split the line)")
    void exportedFile(@TempDir Path tmp) {
        Harness e = new Harness();
        e.runAll("mount -o A none /H1");
        Path file = tmp.resolve("x\ny\\z.jsonl");
        assertThat(e.run("export", file.toString())).isEqualTo(new Harness.Run(0, "exported 2 events to " + tmp
                + "/x\\ny\\\\z.jsonl\n", ""));
        assertThat(file).exists();
    }
}
