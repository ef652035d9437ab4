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
                + ": [0-9.]+ MiB -> [0-9.]+ MiB in [0-9.]+ s\n");
        assertThat(run("", "--ledger", l, "tree").out()).isEqualTo(tree);
        assertThat(run("", "--ledger", l, "--json", "compact").out()).contains("\"bytesAfter\":");
        Harness.Run none = run("", "--ledger", tmp.resolve("none").toString(), "compact");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no ledger at");
    }
}
