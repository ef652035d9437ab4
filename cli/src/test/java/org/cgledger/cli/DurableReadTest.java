package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read side on a durable ledger directory, through the production opener (a few seconds). */
class DurableReadTest {

    @TempDir
    Path tmp;

    Harness.Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), Main.PRODUCTION,
                Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false).execute(args);
        return new Harness.Run(code, out.toString(), err.toString());
    }

    @Test
    @DisplayName("sh reads between writes (the ledger is closed for the read), history through the index, "
            + "export/import round trip, import refuses a ledger")
    void roundTrip() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String l = a.toString();
        Harness.Run w = run("""
                init --subsys A,B
                mount -o A none /H1
                mkdir /H1/foo
                attach 1 /H1/foo
                log --type CgroupCreated
                attach 1 /H1
                rmdir /H1/foo
                mkdir /H1/foo
                history /H1/foo
                tree --at-event 4
                """, "--ledger", l, "sh");
        assertThat(w.err()).isEmpty();
        assertThat(w.code()).isZero();
        assertThat(w.out()).contains("CgroupCreated  mkdir /H1/foo (cgroup #2, css A1, holds N1, new)\n/H1/foo: 2 incarnations\n"
                + "cgroup 2, 6 events:\n").contains("\ncgroup 3, 1 event:\n").endsWith("/H1 (A)  0 tasks  A0 refcount 1 online\n"
                + "└─foo  1 task  A1 refcount 1 online\n");
        assertThat(run("", "--ledger", l, "audit").out()).startsWith("audit: clean: 9 events (pin=css rmdir=strict)");

        Path file = tmp.resolve("a.jsonl");
        assertThat(run("", "--ledger", l, "export", file.toString()))
                .isEqualTo(new Harness.Run(0, "exported 9 events to " + file + "\n", ""));
        assertThat(run("", "--ledger", b.toString(), "import", file.toString()))
                .isEqualTo(new Harness.Run(0, "imported 9 events (up to event #9) into " + b + "\n", ""));
        assertThat(run("", "--ledger", b.toString(), "log").out()).isEqualTo(run("", "--ledger", l, "log").out());
        assertThat(run("", "--ledger", b.toString(), "export").out()).isEqualTo(Files.readString(file));
        assertThat(run("", "--ledger", b.toString(), "history", "/H1/foo").out()).isEqualTo(
                run("", "--ledger", l, "history", "/H1/foo").out());
        assertThat(run("", "--ledger", b.toString(), "tree").out()).isEqualTo("/H1 (A)  1 task  A0 refcount 1 online\n"
                + "└─foo  0 tasks  A2 refcount 1 online\n");
        assertThat(run("", "--ledger", l, "import", file.toString())).isEqualTo(new Harness.Run(1, "", "import: " + l
                + ": File exists (EEXIST: a ledger already exists there: import needs a fresh, empty ledger directory)\n"));
        // an empty journal file is not called a ledger (the views say it holds no journal), and is left as it is
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.createFile(empty.resolve("journal.mv.db"));
        assertThat(run("", "--ledger", empty.toString(), "import", file.toString())).isEqualTo(new Harness.Run(1, "",
                "import: " + empty + ": File exists (EEXIST: an empty journal.mv.db is there (it holds no journal): "
                        + "import needs a fresh, empty ledger directory; remove the file first)\n"));
        assertThat(Files.size(empty.resolve("journal.mv.db"))).isZero();
        // a journal that records nothing (a first write killed before its first event) is no ledger: the readers
        // and compact say so as the views do (export wrote 0 events, exit 0), and an import replaces it (it was refused)
        Path unfinished = tmp.resolve("unfinished");
        org.cgledger.persistence.DurableLedger.open(unfinished).close();
        assertThat(unfinished.resolve("journal.mv.db")).isNotEmptyFile();
        String none = "No such file or directory (ENOENT: no ledger at " + unfinished + " yet (the first write creates "
                + "one with subsystems A,B,cpu,memory,beancounter, pin=css, rmdir=strict))\n";
        // (compact too: it had compacted it)
        for (String reader : List.of("ls", "export", "log", "audit", "replay", "compact")) {
            assertThat(run("", "--ledger", unfinished.toString(), reader)).as(reader)
                    .isEqualTo(new Harness.Run(1, "", reader + ": " + none));
        }
        assertThat(run("", "--ledger", unfinished.toString(), "import", file.toString()))
                .isEqualTo(new Harness.Run(0, "imported 9 events (up to event #9) into " + unfinished + "\n", ""));
        assertThat(run("", "--ledger", unfinished.toString(), "log").out()).isEqualTo(run("", "--ledger", l, "log").out());
    }

    @Test
    @DisplayName("a mkdir -p refused at a later component (one-shot, and in an sh window) keeps the groups it made "
            + "before it: there when the ledger is opened again, in log and history, audit clean, export/import identical")
    void mkdirParentsRefusedHalfWay() throws Exception {
        String l = tmp.resolve("m").toString();
        assertThat(run("", "--ledger", l, "init", "--subsys", "A").code()).isZero();
        assertThat(run("", "--ledger", l, "mount", "-o", "A", "none", "/H1").code()).isZero();
        assertThat(run("", "--ledger", l, "mkdir", "-p", "/H1/a/b/tasks/x")).isEqualTo(new Harness.Run(1, "",
                "mkdir: /H1/a/b/tasks/x: Not a directory (ENOTDIR: /H1/a/b/tasks is a file)\n"));
        Harness.Run sh = run("mkdir -p /H1/c/tasks/y /H1/d\nls /H1/c\nmkdir /H1/e\n", "--ledger", l, "sh");
        assertThat(sh.code()).isEqualTo(1);
        assertThat(sh.err()).isEqualTo("mkdir: /H1/c/tasks/y: Not a directory (ENOTDIR: /H1/c/tasks is a file)\n");
        assertThat(sh.out()).contains("\ntasks\n");
        assertThat(run("", "--ledger", l, "tree").out()).isEqualTo("""
                /H1 (A)  1 task  A0 refcount 1 online
                ├─a  0 tasks  A1 refcount 1 online
                │ └─b  0 tasks  A2 refcount 1 online
                ├─c  0 tasks  A3 refcount 1 online
                ├─d  0 tasks  A4 refcount 1 online
                └─e  0 tasks  A5 refcount 1 online
                """);
        assertThat(run("", "--ledger", l, "audit").out()).startsWith("audit: clean: 7 events (pin=css rmdir=strict)");
        assertThat(run("", "--ledger", l, "log", "--type", "CgroupCreated").out().lines()
                .map(x -> x.substring(x.indexOf("CgroupCreated  ") + 15, x.indexOf(" (cgroup")))).containsExactly(
                "mkdir /H1/a", "mkdir /H1/a/b", "mkdir /H1/c", "mkdir /H1/d", "mkdir /H1/e");
        assertThat(run("", "--ledger", l, "history", "/H1/a/b").out()).startsWith("/H1/a/b: 1 incarnation\n"
                + "cgroup 3, 1 event:\n").contains("mkdir /H1/a/b (cgroup #3, css A2, holds N2, new)");
        Path file = tmp.resolve("m.jsonl");
        assertThat(run("", "--ledger", l, "export", file.toString()).code()).isZero();
        Path b = tmp.resolve("m2");
        assertThat(run("", "--ledger", b.toString(), "import", file.toString()))
                .isEqualTo(new Harness.Run(0, "imported 7 events (up to event #7) into " + b + "\n", ""));
        assertThat(run("", "--ledger", b.toString(), "export").out()).isEqualTo(Files.readString(file));
        // a .. into another hierarchy: each group in its own hierarchy's stream, the audit clean (it had found
        // /H1/k stored in the stream of hierarchy 2)
        assertThat(run("", "--ledger", l, "mount", "-o", "none,name=n1", "none", "/N1").code()).isZero();
        assertThat(run("", "--ledger", l, "mkdir", "-p", "/H1/k/../../N1/m/tasks/z").code()).isEqualTo(1);
        assertThat(run("", "--ledger", l, "mkdir", "-p", "/N1/n/../../H1/o").code()).isZero();
        assertThat(run("", "--ledger", l, "audit").out()).startsWith("audit: clean: 12 events");
    }

    @Test
    @DisplayName("import refuses a journal whose recorded refcounts replay does not give, before writing anything")
    void importTampered() throws Exception {
        String l = tmp.resolve("t").toString();
        assertThat(run("init --subsys A\nmount -o A none /H1\nmkdir /H1/a\n", "--ledger", l, "sh").code()).isZero();
        String journal = run("", "--ledger", l, "export").out();
        assertThat(journal).contains("\"refcounts\":\"A1=1 N1=1\"");
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), journal.replace("A1=1 N1=1", "A1=9 N1=1"));
        Path into = tmp.resolve("into");
        assertThat(run("", "--ledger", into.toString(), "import", bad.toString())).isEqualTo(new Harness.Run(2, "",
                "import: " + bad + ": line 3: a ledger made from it would not open: event #3 (CgroupCreated): A1 is 1 by "
                        + "definition, recorded 9, counted 1 by replay\n"));
        assertThat(into).doesNotExist();
        Path good = Files.writeString(tmp.resolve("good.jsonl"), journal);
        assertThat(run("", "--ledger", into.toString(), "import", good.toString()).code()).isZero();
        assertThat(run("", "--ledger", into.toString(), "mkdir", "/H1/b").code()).isZero();
    }

    @Test
    @DisplayName("a crash's torn tail (events after one lost) is cut before a reader reads, as opening cuts it: "
            + "log, audit, export and the views agree")
    void tornTailReaders() throws Exception {
        Path l = tmp.resolve("torn");
        assertThat(run("init --subsys A,B\nmount -o A none /H1\nmount -o B none /H2\nmkdir /H1/a\nmkdir /H2/b\n",
                "--ledger", l.toString(), "sh").code()).isZero();
        // as if the crash came before /H1/a's row (event #4) reached the file, after /H2/b's (#5)
        deleteRows(l, "\"persistence_id\" = 'cgledger-hierarchy-1'");

        Harness.Run log = run("", "--ledger", l.toString(), "log");
        assertThat(log.code()).isZero();
        assertThat(log.err()).isEmpty();
        assertThat(log.out().lines()).hasSize(3).last().asString().contains("HierarchyMounted");
        assertThat(run("", "--ledger", l.toString(), "audit").out()).startsWith("audit: clean: 3 events");
        Path file = tmp.resolve("torn.jsonl");
        assertThat(run("", "--ledger", l.toString(), "export", file.toString()).out())
                .isEqualTo("exported 3 events to " + file + "\n");
        assertThat(run("", "--ledger", tmp.resolve("back").toString(), "import", file.toString()).code()).isZero();
        assertThat(run("", "--ledger", l.toString(), "ls", "/H2").out()).doesNotContain("b\n");
    }

    @Test
    @DisplayName("export of a journal with an event missing fails there, exit 3, to a file, to stdout and in sh --json "
            + "alike, as log does (an export of it would not import)")
    void exportOfAHole() throws Exception {
        Path l = tmp.resolve("hole");
        assertThat(run("init --subsys A,B\nmount -o A none /H1\nmkdir /H1/a\nmkdir /H1/b\nmkdir /H1/c\n",
                "--ledger", l.toString(), "sh").code()).isZero();
        // /H1/a's row (event #3) gone, the later rows of its stream still there: a hole, not a torn tail
        deleteRows(l, "\"persistence_id\" = 'cgledger-hierarchy-1' AND \"sequence_number\" = 1");
        String missing = "follows event #2 (event #3 missing)\n";
        Path file = tmp.resolve("hole.jsonl");
        Harness.Run toFile = run("", "--ledger", l.toString(), "export", file.toString());
        assertThat(toFile.code()).isEqualTo(3);
        assertThat(toFile.err()).endsWith(missing);
        assertThat(file).doesNotExist();
        Harness.Run toStdout = run("", "--ledger", l.toString(), "export");
        assertThat(toStdout.code()).isEqualTo(3);
        assertThat(toStdout.out().lines()).hasSize(2);
        Harness.Run inSh = run("export\n", "--ledger", l.toString(), "--json", "sh");
        assertThat(inSh.code()).isEqualTo(3);
        assertThat(inSh.out().lines()).as("the rows before the hole, then the failure").hasSize(3).last().asString()
                .contains("\"ok\":false").contains("event #3 missing");
    }

    /** Deletes the one journal row {@code where} selects, from outside the ledger (a crash's or a damage's work). */
    private static void deleteRows(Path ledger, String where) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + ledger.resolve("journal"),
                "sa", ""); java.sql.Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM PUBLIC.\"event_journal\" WHERE " + where)).isOne();
            st.execute("SHUTDOWN");
        }
    }

    @Test
    @DisplayName("sh: import after lines that write a new ledger there is refused (EEXIST), those lines kept")
    void importAfterWritesInSh() throws Exception {
        String src = tmp.resolve("src").toString();
        assertThat(run("init --subsys A,B\nmount -o B none /HB\n", "--ledger", src, "sh").code()).isZero();
        Path file = tmp.resolve("src.jsonl");
        assertThat(run("", "--ledger", src, "export", file.toString()).code()).isZero();
        String l = tmp.resolve("l").toString();

        Harness.Run r = run("init --subsys A\nimport " + file + "\nmount -o A none /H1\n", "--ledger", l, "sh");

        assertThat(r).isEqualTo(new Harness.Run(1, "", "import: " + l + ": File exists (EEXIST: a ledger already exists "
                + "there: import needs a fresh, empty ledger directory)\n"));
        assertThat(run("", "--ledger", l, "subsys").out()).startsWith("#subsys_name\thierarchy\tnum_cgroups\tenabled\nA\t1\t1\t1\n");
    }

    @Test
    @DisplayName("export to a named pipe writes into it, as cp does, and leaves it a pipe; an empty file name is refused as such")
    void exportIntoPipe() throws Exception {
        String l = tmp.resolve("p").toString();
        assertThat(run("init --subsys A\nmount -o A none /H1\nmkdir /H1/a\n", "--ledger", l, "sh").code()).isZero();
        Path fifo = tmp.resolve("fifo");
        try {
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no mkfifo here: " + e.getMessage());
        }
        java.util.concurrent.CompletableFuture<String> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(run("", "--ledger", l, "export", fifo.toString()))
                .isEqualTo(new Harness.Run(0, "exported 3 events to " + fifo + "\n", ""));
        assertThat(read.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(run("", "--ledger", l, "export").out());
        assertThat(Files.isRegularFile(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();
        assertThat(run("", "--ledger", l, "export", ""))
                .isEqualTo(new Harness.Run(2, "", "export: cannot write '': the file name is empty\n"));
        assertThat(run("", "--ledger", tmp.resolve("q").toString(), "import", ""))
                .isEqualTo(new Harness.Run(2, "", "import: cannot read '': the file name is empty\n"));
    }

    @Test
    @DisplayName("export over one of the ledger's own files (its journal, its lock), by any name, is refused and the "
            + "ledger stays whole: it had replaced the journal it read, and the ledger was gone")
    void exportOverTheLedgersOwnFiles() throws Exception {
        Path dir = tmp.resolve("own");
        String l = dir.toString();
        assertThat(run("init --subsys A\nmount -o A none /H1\nmkdir /H1/a\n", "--ledger", l, "sh").code()).isZero();
        String journal = run("", "--ledger", l, "export").out();
        Path link = Files.createSymbolicLink(tmp.resolve("journal-link"), dir.resolve("journal.mv.db"));
        Path hard = Files.createLink(tmp.resolve("lock-link"), dir.resolve("ledger.lock"));
        for (String[] t : new String[][] {{dir.resolve("journal.mv.db").toString(), "journal.mv.db"},
            {dir.resolve("ledger.lock").toString(), "ledger.lock"}, {link.toString(), "journal.mv.db"},
            {hard.toString(), "ledger.lock"}, {dir.resolve("journal.trace.db").toString(), "journal.trace.db"},
            {dir.resolve("ledger.sock").toString(), "ledger.sock"}}) {
            assertThat(run("", "--ledger", l, "export", t[0])).isEqualTo(new Harness.Run(2, "", "export: cannot write "
                    + t[0] + ": it is the ledger's own " + t[1] + " (in " + l + "); export to another file\n"));
        }
        assertThat(dir.resolve("journal.trace.db")).doesNotExist();
        assertThat(run("", "--ledger", l, "export").out()).isEqualTo(journal);
        assertThat(run("", "--ledger", l, "ls", "/H1").out()).contains("a\n");
        // another file in the directory is the user's to write
        assertThat(run("", "--ledger", l, "export", dir.resolve("backup.jsonl").toString()).code()).isZero();
    }

    @Test
    @DisplayName("export to a file it cannot write says why and leaves nothing behind; to a file, one written whole")
    void exportFailures() throws Exception {
        String l = tmp.resolve("e").toString();
        assertThat(run("init --subsys A\nmount -o A none /H1\n", "--ledger", l, "sh").code()).isZero();
        Path missing = tmp.resolve("no/such/x.jsonl");
        assertThat(run("", "--ledger", l, "export", missing.toString()))
                .isEqualTo(new Harness.Run(2, "", "export: cannot write " + missing + ": No such file or directory\n"));
        Path dir = Files.createDirectory(tmp.resolve("d"));
        assertThat(run("", "--ledger", l, "export", dir.toString()))
                .isEqualTo(new Harness.Run(2, "", "export: cannot write " + dir + ": Is a directory\n"));
        assertThat(dir).isEmptyDirectory();
        Path file = tmp.resolve("out").resolve("x.jsonl");
        Files.createDirectory(file.getParent());
        Files.writeString(file, "an older export\n");
        assertThat(run("", "--ledger", l, "export", file.toString()).code()).isZero();
        assertThat(Files.readString(file)).isEqualTo(run("", "--ledger", l, "export").out());
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no temporary file left").containsExactly(file);
        }
        // what an export killed midway left (a process that is gone) goes with the next export there;
        // a live process's, or another name's, stays
        Path dead = Files.writeString(file.resolveSibling(".x.jsonl.2147483647999.tmp"), "");
        Path alive = Files.writeString(file.resolveSibling(".x.jsonl.1.tmp"), ""); // pid 1: alive
        Path otherName = Files.writeString(file.resolveSibling(".y.jsonl.2147483647999.tmp"), "");
        assertThat(run("", "--ledger", l, "export", file.toString()).code()).isZero();
        assertThat(dead).doesNotExist();
        assertThat(alive).exists();
        assertThat(otherName).exists();
        Files.delete(alive);
        Files.delete(otherName);
        // through a symbolic link (a chain of two, here), as cp onto it: the target is written, the links stay
        Path link = Files.createSymbolicLink(tmp.resolve("link.jsonl"), Path.of("link2.jsonl"));
        Files.createSymbolicLink(tmp.resolve("link2.jsonl"), file);
        Files.writeString(file, "an older export\n");
        assertThat(run("", "--ledger", l, "export", link.toString()).code()).isZero();
        assertThat(link).isSymbolicLink();
        assertThat(tmp.resolve("link2.jsonl")).isSymbolicLink();
        assertThat(Files.readString(file)).isEqualTo(run("", "--ledger", l, "export").out());
        Path loop = Files.createSymbolicLink(tmp.resolve("loop"), Path.of("loop"));
        assertThat(run("", "--ledger", l, "export", loop.toString()))
                .isEqualTo(new Harness.Run(2, "", "export: cannot write " + loop + ": Too many levels of symbolic links\n"));
        // no ledger to read: the export fails as the journal is read, after the file it writes was opened
        Path other = tmp.resolve("out").resolve("y.jsonl");
        assertThat(run("", "--ledger", tmp.resolve("nothing").toString(), "export", other.toString()).code()).isNotZero();
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    @DisplayName("a damaged journal file and a line import cannot read are said in words: no exception class, no H2 "
            + "version or error code")
    void damageInWords() throws Exception {
        String l = tmp.resolve("d").toString();
        assertThat(run("", "--ledger", l, "mount", "-o", "A", "none", "/H1").code()).isZero();
        Path file = Path.of(l, "journal.mv.db");
        byte[] bytes = Files.readAllBytes(file);
        // both copies of H2's file header
        java.util.Arrays.fill(bytes, 0, 8192, (byte) 'x');
        Files.write(file, bytes);
        String reason = "cannot open the journal in " + l + ": the journal file is damaged: Store header is corrupt";
        // the message names the ledger: the command line does not name it again
        assertThat(run("", "--ledger", l, "tree")).isEqualTo(new Harness.Run(3, "", "cgledger: " + reason + "\n"));
        assertThat(run("", "--ledger", l, "--json", "tree")).isEqualTo(new Harness.Run(3,
                "{\"ok\":false,\"error\":\"ledger\",\"reason\":\"" + reason + "\"}\n", ""));
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "garbage\n");
        assertThat(run("", "--ledger", tmp.resolve("fresh").toString(), "import", bad.toString())).isEqualTo(
                new Harness.Run(2, "", "import: " + bad + ": line 1: not JSON: Unrecognized token 'garbage': was "
                        + "expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n"));
    }

    @Test
    @DisplayName("import of a line with an event type or an event schema version this build does not read: the line "
            + "and the reason in words (no class name), exit 2, nothing written; the version as recovery reads it")
    void importUnreadableEvents() throws Exception {
        String l = tmp.resolve("src").toString();
        assertThat(run("", "--ledger", l, "mount", "-o", "A", "none", "/H1").code()).isZero();
        Path file = tmp.resolve("e.jsonl");
        assertThat(run("", "--ledger", l, "export", file.toString()).code()).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("\"v\":1,").contains("\"type\":\"HierarchyMounted\"");
        String types = "CgroupCreated, CgroupRemoved, CssReleased, CssSetFreed, HierarchyDestroyed, HierarchyMounted, "
                + "HoldDropped, LedgerInitialized, LimitSet, MountPointAdded, MountPointRemoved, MoveChargeSet, "
                + "NotifyOnReleaseSet, ObjectCharged, ObjectReleased, ReleaseNotified, RmdirRefused, TaskAttached, "
                + "TaskExited, TaskForked";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(lines.get(1).replace("\"type\":\"HierarchyMounted\"", "\"type\":\"Bogus\""),
                "unknown event type 'Bogus' (one of " + types + ")");
        cases.put(lines.get(1).replace("\"type\":\"HierarchyMounted\",", ""),
                "an event without a type (\"type\": one of " + types + ")");
        cases.put(lines.get(1).replace("\"v\":1,", "\"v\":99,"), "event schema version 99 is not one this build reads (1)");
        cases.put(lines.get(1).replace("\"v\":1,", "\"v\":\"x\","),
                "event schema version \"x\" is not one this build reads (1)");
        cases.put(lines.get(1).replace("\"v\":1,", ""), "no event schema version (\"v\"; this build reads 1)");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path bad = tmp.resolve("bad" + n + ".jsonl");
            Files.writeString(bad, lines.get(0) + "\n" + c.getKey() + "\n");
            Path into = tmp.resolve("into" + n++);
            assertThat(run("", "--ledger", into.toString(), "import", bad.toString()))
                    .isEqualTo(new Harness.Run(2, "", "import: " + bad + ": line 2: " + c.getValue() + "\n"));
            assertThat(into.resolve("journal.mv.db")).doesNotExist();
        }
        assertThat(run("", "--ledger", tmp.resolve("good").toString(), "import", file.toString()).code()).isZero();
    }

    @Test
    @DisplayName("a ledger in use: a command waits for the lock, then fails naming the ledger once, and the holder")
    void inUse() {
        String l = tmp.resolve("u").toString();
        assertThat(run("", "--ledger", l, "mount", "-o", "A", "none", "/H1").code()).isZero();
        try (org.cgledger.persistence.DurableLedger held = org.cgledger.persistence.DurableLedger.open(Path.of(l))) {
            Harness.Run r = run("", "--ledger", l, "mkdir", "/H1/a");
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).matches("cgledger: ledger " + java.util.regex.Pattern.quote(l) + ": in use by another "
                    + "process \\(pid " + ProcessHandle.current().pid() + ", since \\S+\\); waited \\d+ ms\n");
        }
    }

    @Test
    @DisplayName("import into a directory that holds other files but no ledger: refused as not empty, nothing written")
    void importIntoOtherFiles() throws Exception {
        String l = tmp.resolve("a").toString();
        assertThat(run("", "--ledger", l, "mount", "-o", "A", "none", "/H1").code()).isZero();
        Path file = tmp.resolve("a.jsonl");
        assertThat(run("", "--ledger", l, "export", file.toString()).code()).isZero();
        Path notes = Files.createDirectory(tmp.resolve("notes"));
        Files.writeString(notes.resolve("notes.txt"), "mine\n");
        assertThat(run("", "--ledger", notes.toString(), "import", file.toString())).isEqualTo(new Harness.Run(1, "",
                "import: " + notes + ": Directory not empty (ENOTEMPTY: no ledger there, but other files (notes.txt): "
                        + "import needs a fresh, empty ledger directory)\n"));
        assertThat(notes.toFile().list()).containsExactly("notes.txt");
        for (String name : new String[] {"b.txt", "c.txt", "d.txt"}) {
            Files.writeString(notes.resolve(name), "");
        }
        assertThat(run("", "--ledger", notes.toString(), "import", file.toString()).err()).contains("other files "
                + "(b.txt, c.txt, d.txt and 1 more)");
    }

    @Test
    @DisplayName("import refuses, exit 2 at the line and nothing written, a journal the ledger would not open or no "
            + "command could write: a gap in a stream's sequence numbers, a duplicate, a cgroup no mkdir makes, a row "
            + "without its time or refcounts")
    void importRefusesWhatNoLedgerHolds() throws Exception {
        String l = tmp.resolve("src").toString();
        String seed = Files.readString(ExamplesTest.EXAMPLES.resolve("seed.sh"));
        assertThat(run(seed, "--ledger", l, "sh").code()).as("step 8's first rmdir is refused").isEqualTo(1);
        List<String> lines = run("", "--ledger", l, "export").out().lines().toList();
        assertThat(lines.get(3)).contains("\"type\":\"CgroupCreated\"").contains("\"name\":\"foo\"");

        List<String> gap = new ArrayList<>();
        int renumbered = 0;
        for (String line : lines) {
            if (line.startsWith("{\"persistence_id\":\"cgledger-hierarchy-1\",") && ++renumbered >= 5) {
                long nr = Long.parseLong(line.replaceFirst(".*\"sequence_number\":(\\d+),.*", "$1"));
                line = line.replace("\"sequence_number\":" + nr + ",", "\"sequence_number\":" + (nr + 1) + ",");
            }
            gap.add(line);
        }
        List<String> twice = new ArrayList<>(lines);
        twice.add(8, lines.get(7));
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(gap, "line 10: stream cgledger-hierarchy-1 has a gap: sequence number 6 follows 4");
        cases.put(twice, "line 9: a duplicate of line 8: event #8 twice");
        cases.put(withLine4(lines, lines.get(3).replace("\"name\":\"foo\"", "\"name\":\"a/b\"")),
                "line 4: event #4 (CgroupCreated): no mkdir makes a cgroup 'a/b' under /H1: mkdir /H1/a/b is refused "
                        + "(ENOENT: /H1/a: no such cgroup)");
        cases.put(withLine4(lines, lines.get(3).replace("\"name\":\"foo\"", "\"name\":\"f\\u0000o\"")),
                "line 4: event #4 (CgroupCreated): no mkdir makes a cgroup 'f\\0o' under /H1: mkdir /H1/f\\0o is refused "
                        + "(EINVAL: a cgroup name cannot contain a NUL byte)");
        cases.put(withLine4(lines, lines.get(3).replace("\"name\":\"foo\"", "\"name\":\"..\"")),
                "line 4: event #4 (CgroupCreated): no mkdir makes a cgroup '..' under /H1: mkdir /H1/.. is refused "
                        + "(EEXIST: /H1/.. exists)");
        cases.put(withLine4(lines, lines.get(3).replaceFirst("\"time\":\\d+,", "")),
                "line 4: no \"time\" (epoch milliseconds)");
        cases.put(withLine4(lines, lines.get(3).replaceFirst(",\"refcounts\":\"[^\"]*\"", "")),
                "line 4: no \"refcounts\" (the counters the event changed, \"A1=3 N3=1\"; \"\" for none)");
        int n = 0;
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Path bad = Files.write(tmp.resolve("bad" + n + ".jsonl"), c.getKey());
            Path into = tmp.resolve("into" + n++);
            assertThat(run("", "--ledger", into.toString(), "import", bad.toString()))
                    .isEqualTo(new Harness.Run(2, "", "import: " + bad + ": " + c.getValue() + "\n"));
            assertThat(into).doesNotExist();
        }
    }

    @Test
    @DisplayName("import reads a file as it writes it: a refusal late in it (a refcount replay does not give, a line "
            + "that is none) leaves nothing behind, no directory nor lock file, names what reading it whole named "
            + "first, and comes before the directory's refusal; lines out of order are imported as they were")
    void importStreamed() throws Exception {
        StringBuilder script = new StringBuilder("init --subsys A\nmount -o A none /H1\n");
        for (int i = 0; i < 300; i++) {
            script.append("mkdir /H1/g").append(i).append('\n');
        }
        String l = tmp.resolve("src").toString();
        assertThat(run(script.toString(), "--ledger", l, "sh").code()).isZero();
        Path file = tmp.resolve("src.jsonl");
        assertThat(run("", "--ledger", l, "export", file.toString()).code()).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(302);
        List<String> tampered = new ArrayList<>(lines);
        tampered.set(301, lines.get(301).replace("\"refcounts\":\"A300=1 ", "\"refcounts\":\"A300=7 "));
        assertThat(tampered.get(301)).isNotEqualTo(lines.get(301));
        List<String> garbled = new ArrayList<>(tampered);
        garbled.add("garbage");
        List<String> cut = new ArrayList<>(lines);
        cut.add("garbage");
        String notJson = ": line 303: not JSON: Unrecognized token 'garbage': was expecting (JSON String, Number, Array, "
                + "Object or token 'null', 'true' or 'false')\n";
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(tampered, ": line 302: a ledger made from it would not open: event #302 (CgroupCreated): A300 is 1 by "
                + "definition, recorded 7, counted 1 by replay\n");
        cases.put(garbled, notJson);
        cases.put(cut, notJson);
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        int n = 0;
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Path bad = Files.write(tmp.resolve("bad" + n++ + ".jsonl"), c.getKey());
            for (Path into : List.of(tmp.resolve("new").resolve("into"), empty, Path.of(l))) {
                assertThat(run("", "--ledger", into.toString(), "import", bad.toString())).as(bad + " into " + into)
                        .isEqualTo(new Harness.Run(2, "", "import: " + bad + c.getValue()));
            }
            assertThat(tmp.resolve("new")).doesNotExist();
            assertThat(empty.toFile().list()).isEmpty();
        }
        List<String> reversed = new ArrayList<>(lines);
        java.util.Collections.reverse(reversed);
        Path back = Files.write(tmp.resolve("reversed.jsonl"), reversed);
        Path into = tmp.resolve("back");
        assertThat(run("", "--ledger", into.toString(), "import", back.toString()))
                .isEqualTo(new Harness.Run(0, "imported 302 events (up to event #302) into " + into + "\n", ""));
        assertThat(run("", "--ledger", into.toString(), "export").out()).isEqualTo(Files.readString(file));
    }

    private static List<String> withLine4(List<String> lines, String line4) {
        List<String> out = new ArrayList<>(lines);
        out.set(3, line4);
        return out;
    }

    @Test
    @DisplayName("export - writes the JSON lines alone to stdout (no file named -, no summary), which import - reads "
            + "back; --help says what FILE is")
    void exportToStdout() throws Exception {
        String l = tmp.resolve("a").toString();
        assertThat(run("init --subsys A\nmount -o A none /H1\nmkdir /H1/a\n", "--ledger", l, "sh").code()).isZero();
        String journal = run("", "--ledger", l, "export").out();
        assertThat(journal).hasLineCount(3);
        Path dash = Path.of("-").toAbsolutePath();
        assertThat(dash).doesNotExist();
        try {
            assertThat(run("", "--ledger", l, "export", "-")).isEqualTo(new Harness.Run(0, journal, ""));
            assertThat(run("", "--ledger", l, "--json", "export", "-")).isEqualTo(new Harness.Run(0, journal, ""));
            assertThat(dash).doesNotExist();
        } finally {
            Files.deleteIfExists(dash);
        }
        Path b = tmp.resolve("b");
        assertThat(run(journal, "--ledger", b.toString(), "import", "-"))
                .isEqualTo(new Harness.Run(0, "imported 3 events (up to event #3) into " + b + "\n", ""));
        assertThat(run("", "--ledger", b.toString(), "export", "-").out()).isEqualTo(journal);
        assertThat(run("", "export", "--help").out()).contains("[FILE]         The file to write (replaced whole, once written; an\n"
                + "                       existing file's owner, group and mode are kept); none or\n"
                + "                       - for stdout, which gets the JSON lines alone (as does\n"
                + "                       /dev/stdout, or another name of it).\n");

        // stdout that cannot be written (a full disk under '> backup.jsonl'): not a success
        java.io.Writer full = failing(0, "No space left on device", new long[1]);
        StringWriter err = new StringWriter();
        int code = CgLedger.createCommandLine(new PrintWriter(full, true), new PrintWriter(err, true), Main.PRODUCTION,
                Map.of(), new ByteArrayInputStream(new byte[0]), false).execute("--ledger", l, "export", "-");
        // the export stops and leaves the exit to the process, which knows why stdout failed: exit 2
        // and the reason for a full disk, 141 and nothing said for a reader gone, as for every
        // command (LauncherIT.unwritableOutput); here, in process, nothing is said
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    @DisplayName("export to a stdout that failed (a reader gone: | head) stops soon after, instead of reading and "
            + "writing the whole journal into nothing")
    void exportStopsWhenStdoutFails() {
        String l = tmp.resolve("big").toString();
        StringBuilder script = new StringBuilder("mount -o A none /H1\n");
        for (int i = 0; i < 2_000; i++) {
            script.append("mkdir /H1/g").append(i).append('\n');
        }
        assertThat(run(script.toString(), "--ledger", l, "sh").code()).isZero();
        long whole = run("", "--ledger", l, "export").out().length();
        assertThat(whole).isGreaterThan(300_000);
        // a reader that takes the first 4 KB and is gone
        long[] offered = {0};
        java.io.Writer gone = failing(4096, "Broken pipe", offered);
        StringWriter err = new StringWriter();
        int code = CgLedger.createCommandLine(new PrintWriter(gone, true), new PrintWriter(err, true), Main.PRODUCTION,
                Map.of(), new ByteArrayInputStream(new byte[0]), false).execute("--ledger", l, "export");
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        // checked every 64 KiB: stopped within the first 4 KB and 64 KiB (and a row) after
        assertThat(offered[0]).isBetween(4096L, 4096L + 64 * 1024 + 1024);
    }

    /**
     * Standard output that takes the first {@code after} characters and then fails every write with
     * {@code message}, counting in {@code offered} every character it was given.
     */
    static java.io.Writer failing(long after, String message, long[] offered) {
        return new java.io.Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws java.io.IOException {
                offered[0] += len;
                if (offered[0] > after) {
                    throw new java.io.IOException(message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** A ledger of two events (init, mount) in {@code name} under the test's directory, exported to {@code name}.jsonl there. */
    private Path exportedLedger(String name) {
        String l = tmp.resolve(name).toString();
        assertThat(run("init --subsys A\nmount -o A none /H1\n", "--ledger", l, "sh").code()).isZero();
        Path file = tmp.resolve(name + ".jsonl");
        assertThat(run("", "--ledger", l, "export", file.toString()).code()).isZero();
        return file;
    }

    @Test
    @DisplayName("import into a directory that holds only a lock file (no journal): no ledger, so it is filled; a lock "
            + "file beside other files is no ledger either")
    void importBesideAStaleLock() throws Exception {
        Path file = exportedLedger("a");
        Path stale = Files.createDirectory(tmp.resolve("stale"));
        Files.writeString(stale.resolve("ledger.lock"), "4242 2024-01-01T00:00:00Z\n");
        assertThat(run("", "--ledger", stale.toString(), "import", file.toString()))
                .isEqualTo(new Harness.Run(0, "imported 2 events (up to event #2) into " + stale + "\n", ""));
        assertThat(run("", "--ledger", stale.toString(), "export").out()).isEqualTo(Files.readString(file));
        assertThat(run("", "--ledger", stale.toString(), "audit").code()).isZero();

        Path notes = Files.createDirectory(tmp.resolve("notes"));
        Files.writeString(notes.resolve("ledger.lock"), "");
        Files.writeString(notes.resolve("notes.txt"), "mine\n");
        assertThat(run("", "--ledger", notes.toString(), "import", file.toString())).isEqualTo(new Harness.Run(1, "",
                "import: " + notes + ": Directory not empty (ENOTEMPTY: no ledger there, but other files (notes.txt): "
                        + "import needs a fresh, empty ledger directory)\n"));
    }

    @Test
    @DisplayName("a directory of other files holds no ledger: a view, or a first write, there creates none")
    void otherFilesAreNoLedger() throws Exception {
        Path project = Files.createDirectory(tmp.resolve("project"));
        Files.writeString(project.resolve("notes.txt"), "mine\n");
        Harness.Run view = run("", "--ledger", project.toString(), "tree");
        assertThat(view.code()).isEqualTo(1);
        // (not "yet (the first write creates one ...)": a first write refuses the directory)
        assertThat(view.err()).isEqualTo("tree: No such file or directory (ENOENT: no ledger at " + project + ", but "
                + "other files (notes.txt): a first write makes a ledger only in a new or empty directory)\n");
        // (a write is refused before the model decides it: the directory cannot become a ledger)
        assertThat(run("", "--ledger", project.toString(), "rmdir", "/H1/a").code()).isEqualTo(2);
        try (var entries = Files.list(project)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("notes.txt");
        }
    }

    @Test
    @DisplayName("import with the configuration keeping journals on a database server writes there, never an H2 "
            + "journal in the directory (that ledger would not read it): a server that does not answer, exit 3, "
            + "nothing written (PostgresReadTest imports onto one that does)")
    void importWithAServerJournal() throws Exception {
        Path file = exportedLedger("a");
        Path served = Files.createDirectory(tmp.resolve("served"));
        Files.writeString(served.resolve("ledger.lock"), "");
        System.setProperty("cgledger.journal.url", "jdbc:postgresql://127.0.0.1:1/none");
        com.typesafe.config.ConfigFactory.invalidateCaches();
        try {
            Harness.Run r = run("", "--ledger", served.toString(), "import", file.toString());
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).contains("jdbc:postgresql://127.0.0.1:1/none");
            // (an empty directory had been 'a ledger already exists there', exit 1)
            Path empty = Files.createDirectory(tmp.resolve("empty"));
            assertThat(run("", "--ledger", empty.toString(), "import", file.toString())).isEqualTo(new Harness.Run(3, "",
                    "cgledger: ledger " + empty + ": cannot read the journal on jdbc:postgresql://127.0.0.1:1/none: "
                            + "Connection refused\n"));
            try (var entries = Files.list(empty)) {
                assertThat(entries.toList()).isEmpty();
            }
        } finally {
            System.clearProperty("cgledger.journal.url");
            com.typesafe.config.ConfigFactory.invalidateCaches();
        }
        try (var entries = Files.list(served)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("ledger.lock");
        }
    }

    @Test
    @DisplayName("a command writing after the history index was built leaves it current: the next history needs no rebuild")
    void writersKeepTheHistoryIndex() {
        String l = tmp.resolve("h").toString();
        assertThat(run("init --subsys A\nmount -o A none /H1\nmkdir /H1/a\n", "--ledger", l, "sh").code()).isZero();
        assertThat(run("", "--ledger", l, "history", "/H1/a").out()).startsWith("/H1/a: 1 incarnation");
        assertThat(indexCurrent(l)).as("built by history").isTrue();
        assertThat(run("", "--ledger", l, "mkdir", "/H1/b").code()).isZero();
        assertThat(run("", "--ledger", l, "attach", "1", "/H1/b").code()).isZero();
        assertThat(indexCurrent(l)).as("after two one-shot writes, before any history").isTrue();
        assertThat(run("", "--ledger", l, "history", "/H1/b").out()).startsWith("/H1/b: 1 incarnation\ncgroup 3, 2 events:\n")
                .contains("mkdir /H1/b (cgroup #3, css A2, holds N2, new)  [A2=1 N2=1]")
                .contains("attach task 1 /H1 -> /H1/b");
    }

    @Test
    @DisplayName("history and log --path find a group by its path under the mount point its hierarchy has now, "
            + "and under the one it had: through the index built, and followed by a writer")
    void remounted() {
        String l = tmp.resolve("r").toString();
        for (String c : List.of("mount -o none,name=n1 none /N1", "mkdir /N1/a", "umount /N1",
                "mount -o none,name=n1 none /N2")) {
            List<String> args = new ArrayList<>(List.of("--ledger", l));
            args.addAll(List.of(c.split(" ")));
            assertThat(run("", args.toArray(String[]::new)).code()).as(c).isZero();
        }
        assertThat(run("", "--ledger", l, "stat", "/N2/a").out()).startsWith("/N2/a: cgroup 2 of hierarchy 1");
        Harness.Run now = run("", "--ledger", l, "history", "/N2/a");
        assertThat(now.code()).isZero();
        assertThat(now.out()).startsWith("/N2/a: 1 incarnation\ncgroup 2, 1 event:\n  #3  ")
                .contains("  mkdir /N1/a (cgroup #2, ").hasLineCount(3);
        assertThat(run("", "--ledger", l, "history", "/N1/a").out())
                .isEqualTo(now.out().replaceFirst("^/N2/a", "/N1/a"));
        assertThat(run("", "--ledger", l, "log", "--path", "/N2/a").out()).contains("CgroupCreated  mkdir /N1/a (cgroup #2, ")
                .hasLineCount(1);
        assertThat(run("", "--ledger", l, "mount", "-o", "none,name=n1", "none", "/N3").code()).isZero();
        assertThat(indexCurrent(l)).as("followed by the mount").isTrue();
        assertThat(run("", "--ledger", l, "history", "/N3/a").out()).isEqualTo(now.out().replaceFirst("^/N2/a", "/N3/a"));
    }

    @Test
    @DisplayName("through the index: the seed's #7 in history /H1/foo and #9 in history /H2/bar with their refcounts; "
            + "paths normalized, and in sh taken from the working directory")
    void touchesAndPathsThroughTheIndex() throws Exception {
        String l = tmp.resolve("s").toString();
        String seed = Files.readString(ExamplesTest.EXAMPLES.resolve("seed.sh"));
        assertThat(run(seed, "--ledger", l, "sh").code()).as("step 8's first rmdir is refused").isEqualTo(1);
        Harness.Run foo = run("", "--ledger", l, "history", "/H1/foo");
        assertThat(foo.code()).isZero();
        assertThat(foo.out()).contains("  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)  [A1=2 N1=1]\n");
        assertThat(indexCurrent(l)).isTrue();
        assertThat(run("", "--ledger", l, "history", "/H2/bar").out())
                .contains("  attach task 1 /H1/foo -> /H1 (N3 -> N2)  [B1=2 N2=2]\n");
        assertThat(run("", "--ledger", l, "history", "/H1//foo/.")).isEqualTo(foo);
        assertThat(run("", "--ledger", l, "log", "--path", "/H2/../H1/foo").out())
                .isEqualTo(run("", "--ledger", l, "log", "--path", "/H1/foo").out());
        // the seed removed /H1/foo: sh cannot cd there, but takes a path from its parent
        Harness.Run sh = run("cd /H1\nhistory foo/\n", "--ledger", l, "sh");
        assertThat(sh).isEqualTo(new Harness.Run(0, foo.out(), ""));
    }

    private static boolean indexCurrent(String ledger) {
        try (org.cgledger.persistence.JournalRows j = org.cgledger.persistence.JournalRows.open(Path.of(ledger),
                java.time.Duration.ofSeconds(10))) {
            return org.cgledger.replay.HistoryIndex.isCurrent(j);
        }
    }

    @Test
    @DisplayName("compact rewrites the ledger's file and says by how much; the ledger reads the same after")
    void compact() {
        String l = tmp.resolve("c").toString();
        assertThat(run("init --subsys A\nmount -o A none /H1\nmkdir /H1/a\nmkdir /H1/b\nrmdir /H1/a\n", "--ledger", l, "sh")
                .code()).isZero();
        String tree = run("", "--ledger", l, "tree").out();
        Harness.Run c = run("", "--ledger", l, "compact");
        assertThat(c.code()).isZero();
        assertThat(c.out()).matches("compacted " + java.util.regex.Pattern.quote(l)
                + ": [0-9.]+ [KM]iB -> [0-9.]+ KiB in [0-9.]+ s\n");
        assertThat(run("", "--ledger", l, "tree").out()).isEqualTo(tree);
        assertThat(run("", "--ledger", l, "--json", "compact").out()).contains("\"bytesAfter\":");
        Harness.Run none = run("", "--ledger", tmp.resolve("none").toString(), "compact");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no ledger at");
    }

    @Test
    @DisplayName("a history index that cannot be brought up to date (a journal file that cannot be written) says why "
            + "in words: H2's message had been cut at 'SQL statement:'")
    void indexOnAnUnwritableFile() throws Exception {
        Path dir = tmp.resolve("ro");
        try (org.cgledger.persistence.DurableLedger l = org.cgledger.persistence.DurableLedger.open(dir)) {
            // written without the index's follower, as a writer killed before it closed leaves it behind
            l.execute(Session.DEFAULT_INIT);
            assertThat(l.execute(new org.cgledger.core.command.Mount("A", "/H1")))
                    .isInstanceOf(org.cgledger.persistence.Outcome.Done.class);
        }
        Path file = dir.resolve("journal.mv.db");
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", file) == 0, "no chattr +i on this file system");
        try {
            assertThat(run("", "--ledger", dir.toString(), "history", "/H1")).isEqualTo(new Harness.Run(3, "",
                    "cgledger: ledger " + dir + ": the history index cannot be read or brought up to date: The database "
                            + "is read only\n"));
            Harness.Run log = run("", "--ledger", dir.toString(), "log", "--from", "1", "--to", "2");
            assertThat(log.code()).isEqualTo(3);
            assertThat(log.err()).startsWith("cgledger: ledger " + dir + ": ").contains("history index")
                    .endsWith(": The database is read only\n");
        } finally {
            chattr("-i", file);
        }
    }

    private static int chattr(String flag, Path file) throws Exception {
        try {
            return new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    @DisplayName("the interactive shell, which opens the ledger anew at each line, says so when its directory was "
            + "replaced by a file meanwhile, as a command run then would (it had said 'no ledger yet')")
    void shellsDirectoryReplaced() throws Exception {
        Path dir = tmp.resolve("l");
        Harness.Typed typed = Harness.Typed.open();
        java.io.PipedOutputStream keys = typed.keys();
        org.jline.terminal.Terminal terminal = typed.terminal();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        String[] sh = {"--ledger", dir.toString(), "sh"};
        picocli.CommandLine cl = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                Main.PRODUCTION, java.util.Map.of(), new java.io.ByteArrayInputStream(new byte[0]), true,
                CgLedger.invoked(sh));
        ((CgLedger) cl.getCommand()).cli.shellTerminal = () -> terminal;
        java.util.concurrent.CompletableFuture<Integer> shell = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cl.execute(sh));
        try {
            keys.write("mount -o A none /H1\rpwd\r".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            keys.flush();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (!out.toString().contains("/\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            Files.writeString(dir, "hello\n");
            keys.write("ls /\rlog\r".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            keys.close();
        }
        assertThat(shell.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(err.toString().lines().filter(l -> l.contains(dir + ": not a directory (a ledger is a directory of "
                + "its own)"))).as(err.toString()).hasSize(2);
        assertThat(err.toString()).doesNotContain("no ledger");
    }
}
