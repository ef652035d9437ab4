package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The directory {@code --ledger} names, through the production opener: one path, the operating
 * system's, for the lock, the journal, the socket and the messages; refused, before anything is
 * created, when H2 would read its path otherwise, or, for a first write, when it holds files that
 * are not a ledger's; an export over a file keeps its mode.
 */
@DisplayName("The ledger directory a command is given")
class LedgerPathsTest {

    @TempDir
    Path tmp;

    Harness.Run run(String... args) {
        return runWithInput("", args);
    }

    Harness.Run runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), Main.PRODUCTION,
                Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false).execute(args);
        return new Harness.Run(code, out.toString(), err.toString());
    }

    static String[] on(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of("--ledger", dir.toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Every path under {@code root}, relative to it, sorted. */
    static List<String> tree(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** Commands of every kind that open a ledger: writes, views, readers, import, export, compact, serve. */
    static final String[][] EVERY_KIND = {
        {"mount", "-o", "A", "none", "/H1"},
        {"init"},
        {"ls"},
        {"tree"},
        {"log"},
        {"history", "/H1"},
        {"audit"},
        {"export", "-"},
        {"import", "-"},
        {"compact"},
        {"serve"},
        {"sh", "-"},
    };

    @Nested
    @DisplayName("a path H2 would read otherwise in its URL: usage, one line naming the character, nothing created")
    class ReadOtherwiseByH2 {

        @ParameterizedTest
        @ValueSource(strings = {"semi;colon", "inj;INIT=CREATE TABLE PWNED(A INT)--", "back\\slash"})
        void refused(String name) throws Exception {
            Path dir = tmp.resolve(name);
            // (a backslash written as \\, as in every name the text quotes)
            String character = name.contains(";") ? "';' (character " + (dir.toString().indexOf(';') + 1) + ")"
                    : "'\\\\' (character " + (dir.toString().indexOf('\\') + 1) + ")";
            for (String[] command : EVERY_KIND) {
                Harness.Run r = run(on(dir, command));
                assertThat(r.code()).as(String.join(" ", command)).isEqualTo(CgLedger.USAGE);
                assertThat(r.out()).isEmpty();
                assertThat(r.err()).as(String.join(" ", command))
                        .startsWith(command[0] + ": --ledger " + dir.toString().replace("\\", "\\\\")
                                + ": cannot be a ledger directory: its path holds "
                                + character + ", which H2, the journal's database, reads in its URL as ")
                        .endsWith("\n").hasLineCount(1);
                assertThat(tree(tmp)).as("nothing created by " + String.join(" ", command)).containsExactly("");
            }
            assertThat(EarlyOpen.ledgerDir(on(dir, "ls"), Map.of())).as("nothing opens it early").isNull();
        }

        @Test
        @DisplayName("also when a link without one leads there: the operating system's path is H2's")
        void throughALink() throws Exception {
            Path target = Files.createDirectory(tmp.resolve("a;b"));
            Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
            assertThat(run(on(link, "mount", "-o", "A", "none", "/H1"))).isEqualTo(new Harness.Run(CgLedger.USAGE, "",
                    "mount: --ledger " + link + " (" + target + "): cannot be a ledger directory: its path holds ';' "
                            + "(character " + (target.toString().indexOf(';') + 1) + "), which H2, the journal's "
                            + "database, reads in its URL as the end of the file name and the start of settings "
                            + "(SQL among them)\n"));
            assertThat(target).isEmptyDirectory();
        }

        @Test
        @DisplayName("--json: the usage answer")
        void json() {
            Harness.Run r = run(on(tmp.resolve("x;y"), "--json", "mkdir", "/H1/a"));
            assertThat(r.code()).isEqualTo(CgLedger.USAGE);
            assertThat(r.out()).startsWith("{\"ok\":false,\"error\":\"usage\",\"reason\":\"--ledger " + tmp.resolve("x;y")
                    + ": cannot be a ledger directory: its path holds ';'");
        }
    }

    @Test
    @DisplayName("a --ledger link that leads to no directory: every kind of command refuses it, exit 2, naming its "
            + "target; nothing is created")
    void danglingLink() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("lnk"), tmp.resolve("nowhere/x"));
        for (String[] kind : EVERY_KIND) {
            Harness.Run r = runWithInput("ls\n", on(link, kind));
            assertThat(r.code()).as(kind[0]).isEqualTo(2);
            assertThat(r.err()).as(kind[0]).contains("--ledger " + link + ": cannot be a ledger directory: it is a "
                    + "symbolic link to " + tmp.resolve("nowhere/x") + ", which leads to no directory");
        }
        assertThat(tree(tmp)).containsExactly("", "lnk");
    }

    @Nested
    @DisplayName("LINK/../NAME: where the operating system puts NAME, beside the link's target, for everything")
    class ThroughALink {

        Path d1;
        Path link;

        @BeforeEach
        void links() throws Exception {
            d1 = Files.createDirectories(tmp.resolve("d1/d2")).getParent();
            link = Files.createSymbolicLink(tmp.resolve("link"), d1.resolve("d2"));
        }

        @Test
        @DisplayName("the lock and the journal together in d1/NAME, nothing beside the link; messages name d1/NAME")
        void oneDirectory() throws Exception {
            Path given = link.resolve("../lx");
            assertThat(run(on(given, "mount", "-o", "A", "none", "/H1"))).isEqualTo(new Harness.Run(0, "", ""));
            assertThat(tree(d1.resolve("lx"))).containsExactly("", "journal.mv.db", "ledger.lock");
            assertThat(tmp.resolve("lx")).doesNotExist();
            assertThat(run(on(d1.resolve("lx"), "ls")).out()).isEqualTo("H1\n");
            assertThat(run(on(link.resolve("../none"), "ls"))).isEqualTo(new Harness.Run(1, "", "ls: No such file or "
                    + "directory (ENOENT: no ledger at " + d1.resolve("none") + " yet (the first write creates one with "
                    + "subsystems A,B,cpu,memory,beancounter, pin=css, rmdir=strict))\n"));
            assertThat(Wire.socket(given)).isEqualTo(d1.resolve("lx/ledger.sock"));
            assertThat(EarlyOpen.ledgerDir(on(given, "ls"), Map.of())).isEqualTo(d1.resolve("lx"));
        }

        @Test
        @DisplayName("a ledger where text alone would put it (beside the link) is not opened, with or without its lock")
        void notTheTextualOne() throws Exception {
            Path beside = tmp.resolve("lx");
            assertThat(run(on(beside, "mount", "-o", "A", "none", "/H1")).code()).isZero();
            String log = run(on(beside, "log")).out();
            assertThat(run(on(link.resolve("../lx"), "ls"))).as("d1/lx holds no ledger yet").isEqualTo(new Harness.Run(1,
                    "", "ls: No such file or directory (ENOENT: no ledger at " + d1.resolve("lx") + " yet (the first "
                    + "write creates one with subsystems A,B,cpu,memory,beancounter, pin=css, rmdir=strict))\n"));
            assertThat(run(on(link.resolve("../lx"), "mount", "-o", "B", "none", "/H2")).code()).isZero();
            assertThat(run(on(beside, "log")).out()).isEqualTo(log);
            assertThat(run(on(d1.resolve("lx"), "ls")).out()).isEqualTo("H2\n");
        }

        @Test
        @DisplayName("a server of LINK/../NAME listens in d1/NAME, where the launcher's -S looks; a client through the link is served")
        void served() throws Exception {
            Path given = link.resolve("../lx");
            assertThat(run(on(given, "mount", "-o", "A", "none", "/H1")).code()).isZero();
            LedgerServer server = LedgerServer.start(given, Main.PRODUCTION, message -> { });
            Thread serving = new Thread(server::serve, "test-serve");
            serving.start();
            try {
                assertThat(server.socket()).isEqualTo(d1.resolve("lx/ledger.sock"));
                assertThat(Files.exists(d1.resolve("lx/ledger.sock"))).isTrue();
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                assertThat(Client.viaServer(on(given, "ls"), Map.of(), false, out, java.io.OutputStream.nullOutputStream()))
                        .hasValue(0);
                assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("H1\n");
            } finally {
                server.stop();
                serving.join(10_000);
                server.close();
            }
        }
    }

    @Nested
    @DisplayName("a first write in a directory holding other files: usage, naming the directory and its files, nothing created")
    class NotALedgersDirectory {

        @Test
        @DisplayName("writes, init and sh are refused; the files are left alone")
        void refused() throws Exception {
            Path project = Files.createDirectory(tmp.resolve("project"));
            Files.writeString(project.resolve("notes.txt"), "mine\n");
            Files.createDirectory(project.resolve("src"));
            String refusal = project + ": no ledger there, but other files (notes.txt, src): a first write makes a "
                    + "ledger only in a new or empty directory (give one of its own, such as " + project.resolve("ledger")
                    + ")\n";
            assertThat(run(on(project, "mount", "-o", "A", "none", "/H1")))
                    .isEqualTo(new Harness.Run(CgLedger.USAGE, "", "mount: " + refusal));
            assertThat(run(on(project, "init"))).isEqualTo(new Harness.Run(CgLedger.USAGE, "", "init: " + refusal));
            assertThat(run(on(project, "--json", "mkdir", "/H1"))).isEqualTo(new Harness.Run(CgLedger.USAGE,
                    "{\"ok\":false,\"error\":\"usage\",\"reason\":\"" + refusal.strip() + "\"}\n", ""));
            assertThat(runWithInput("mount -o A none /H1\nmkdir /H1/a\n", on(project, "sh"))).as("each line refused")
                    .isEqualTo(new Harness.Run(CgLedger.REFUSED, "", "sh: line 1: mount: " + refusal + "sh: line 2: mkdir: "
                            + refusal));
            // a view, as before, but not saying that the first write would create the ledger
            assertThat(run(on(project, "ls"))).isEqualTo(new Harness.Run(CgLedger.REFUSED, "", "ls: No such file or "
                    + "directory (ENOENT: no ledger at " + project + ", but other files (notes.txt, src): a first write "
                    + "makes a ledger only in a new or empty directory)\n"));
            assertThat(run(on(project, "log")).err()).startsWith("log: No such file or directory (ENOENT: no ledger at "
                    + project + ", but other files (notes.txt, src)");
            assertThat(tree(project)).containsExactly("", "notes.txt", "src");
        }

        @Test
        @DisplayName("a new, an empty, or a directory holding only a ledger's own files is made a ledger, as before")
        void stillMade() throws Exception {
            assertThat(run(on(tmp.resolve("new/ledger"), "mount", "-o", "A", "none", "/H1")).code()).isZero();
            Path empty = Files.createDirectory(tmp.resolve("empty"));
            assertThat(run(on(empty, "mount", "-o", "A", "none", "/H1")).code()).isZero();
            Path leftover = Files.createDirectory(tmp.resolve("leftover"));
            Files.writeString(leftover.resolve("ledger.lock"), "");
            Files.writeString(leftover.resolve("journal.trace.db"), "");
            assertThat(run(on(leftover, "mount", "-o", "A", "none", "/H1")).code()).isZero();
            assertThat(run(on(leftover, "ls")).out()).isEqualTo("H1\n");
        }
    }

    @Test
    @DisplayName("export over an existing file keeps its mode, as cp does")
    void exportKeepsMode() throws Exception {
        Path l = tmp.resolve("l");
        assertThat(run(on(l, "mount", "-o", "A", "none", "/H1")).code()).isZero();
        Path file = Files.writeString(tmp.resolve("e.jsonl"), "an older export\n");
        for (String mode : new String[] {"rw-------", "rw-r-----", "rw-rw-r--"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThat(run(on(l, "export", file.toString())).code()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo(mode);
            assertThat(Files.readString(file)).contains("HierarchyMounted");
        }
    }
}
