package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Mkdir;
import org.cgledger.persistence.ForwardingLedger;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Outcome;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell, driven through JLine on a terminal over streams: keys in, what the commands print out. */
class InteractiveTest {

    /** Enter. */
    static final String ENTER = "\r";
    static final String PASTE_BEGIN = "\u001b[200~";
    static final String PASTE_END = "\u001b[201~";

    /** Each line typed and Enter. */
    static String typed(String... lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append(line).append(ENTER);
        }
        return b.toString();
    }

    /** The lines pasted as one block (bracketed paste, each ending in a newline), then Enter. */
    static String pasted(String... lines) {
        return PASTE_BEGIN + String.join("\n", lines) + "\n" + PASTE_END + ENTER;
    }

    /** What the shell printed on stdout after its banner. */
    static List<String> output(Harness.Run r) {
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("cgledger shell on ");
        return lines.subList(1, lines.size());
    }

    @Nested
    @DisplayName("a line runs exactly as typed, as sh FILE runs it")
    class AsTyped {

        @Test
        @DisplayName("no history expansion: '!' and backslashes stay what sh makes of them")
        void noHistoryExpansion() {
            Harness h = new Harness();
            Harness.Run r = h.runInteractive(typed("mount -o A none /H1", "echo hi", "mkdir /H1/n!e",
                    "mkdir '/H1/a\\b'", "mkdir /H1/my\\ group", "ls /H1/my\\ group", "ls /H1"), "sh");
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
            // ls /H1/my\ group lists the group's files; ls /H1 the three groups as named (a\b's
            // backslash written as \\, as ls writes every backslash of a name)
            assertThat(output(r)).startsWith("hi", "A.limit").contains("a\\\\b", "my group", "n!e")
                    .doesNotContain("ab", "necho hi", "my", "group");
        }

        @Test
        @DisplayName("TAB completes a name with a space as my\\ group/, which the line then reads as sh does")
        void completedSpace() {
            Harness h = new Harness();
            Harness.Run r = h.runInteractive(typed("mount -o A none /H1", "mkdir '/H1/my group'", "cd /H1/my\t",
                    "pwd"), "sh");
            assertThat(r.err()).isEmpty();
            assertThat(output(r)).containsExactly("/H1/my group");
        }

        @Test
        @DisplayName("TAB completes a name with a quote as it\\'s/ (and q\\\"x/), which the line then reads as sh does")
        void completedQuotes() {
            Harness h = new Harness();
            Harness.Run r = h.runInteractive(typed("mount -o A none /H1", "mkdir \"/H1/it's\" '/H1/q\"x'",
                    "cd /H1/it\t", "pwd", "cd /H1/q\t", "pwd", "cd \"/H1/it\t\"", "pwd"), "sh");
            assertThat(r.err()).isEmpty();
            assertThat(output(r)).containsExactly("/H1/it's", "/H1/q\"x", "/H1/it's");
        }

        @Test
        @DisplayName("the arrow keys as a terminal in either cursor-key mode sends them (ESC O A and ESC [ A): up "
                + "recalls the line before, left and right move in the line (ESC [ A had typed '[A' into the line)")
        void arrowKeys() {
            for (String csi : List.of("\u001bO", "\u001b[")) {
                Harness h = new Harness();
                Harness.Run r = h.runInteractive(typed("echo one", csi + "A", "echo tw" + csi + "D" + csi + "Do" + csi
                        + "C" + csi + "C!"), "sh");
                assertThat(r.err()).as(csi).isEmpty();
                assertThat(output(r)).as(csi).containsExactly("one", "one", "otw!");
            }
        }

        @Test
        @DisplayName("an unclosed quote or a trailing backslash fails its line alone, as in sh")
        void unclosed() {
            Harness h = new Harness();
            Harness.Run r = h.runInteractive(typed("echo 'a", "echo b \\", "echo c"), "sh");
            assertThat(r.err()).isEqualTo("sh: line 1: unterminated quote (')\nsh: line 2: trailing backslash\n");
            assertThat(output(r)).containsExactly("c");
        }
    }

    @Nested
    @DisplayName("a pasted block of lines runs line by line, in order")
    class Paste {

        @Test
        @DisplayName("each line of the block is a line of its own")
        void lineByLine() {
            Harness h = new Harness();
            Harness.Run r = h.runInteractive(typed("mount -o A none /H1")
                    + pasted("mkdir /H1/a", "rmdir /H1/b", "mkdir /H1/c") + typed("ls /H1"), "sh");
            assertThat(r.err()).startsWith("rmdir: /H1/b: No such file or directory");
            assertThat(output(r)).contains("a", "c").doesNotContain("b", "rmdir");
        }

        @Test
        @DisplayName("200 lines")
        void long_() {
            String[] lines = new String[200];
            for (int i = 0; i < lines.length; i++) {
                lines[i] = "mkdir /H1/g" + i;
            }
            Harness h = new Harness();
            h.runAll("mount -o A none /H1");
            int before = h.ledger().state().cgroups().size();
            Harness.Run r = h.runInteractive(pasted(lines), "sh");
            assertThat(r.err()).isEmpty();
            assertThat(h.ledger().state().cgroups().size()).isEqualTo(before + 200);
        }

        @Test
        @DisplayName("and is one history entry a line")
        void history(@TempDir Path home) throws IOException {
            Harness h = new Harness();
            h.env.put("HOME", home.toString());
            h.runInteractive(pasted("echo a", "echo b") + typed("echo c"), "sh");
            assertThat(Files.readAllLines(home.resolve(".cgledger_history")))
                    .map(l -> l.substring(l.indexOf(':') + 1)).containsExactly("echo a", "echo b", "echo c");
        }
    }

    @Nested
    @DisplayName("Ctrl-C stops the line running, never the shell, never a write midway")
    class CtrlC {

        @Test
        @DisplayName("a reader prints nothing more; the next line runs")
        void reader() {
            Harness h = new Harness();
            StringBuilder script = new StringBuilder("mount -o A none /H1\n");
            for (int i = 0; i < 2_000; i++) {
                script.append("mkdir /H1/g").append(i).append('\n');
            }
            assertThat(h.runWithInput(script.toString(), "sh").code()).isZero();
            Harness.Run r = h.runInteractive(h.opener, typed("log", "echo after"), ctrlCAfter(50), "sh");
            assertThat(r.code()).isZero();
            List<String> out = output(r);
            assertThat(out).hasSizeBetween(50, 52).endsWith("after");
        }

        @Test
        @DisplayName("a Ctrl-C while a line waits for the ledger (another process's lock) stops it before its write: "
                + "it had written once the lock was free")
        void whileOpening() {
            Harness h = new Harness();
            h.runAll("mount -o A none /H1");
            Terminal[] shell = new Terminal[1];
            LedgerOpener waiting = new LedgerOpener() {
                @Override
                public Ledger open(Path dir) {
                    shell[0].raise(Terminal.Signal.INT); // as the lock is waited for
                    return h.opener.open(dir);
                }

                @Override
                public boolean exists(Path dir) {
                    return h.opener.exists(dir);
                }
            };
            Harness.Run r = h.runInteractive(waiting, typed("mkdir /H1/c"), (t, out) -> {
                shell[0] = t;
                return out;
            }, "sh");
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(h.run("ls", "/H1").out().lines()).doesNotContain("c");
        }

        @Test
        @DisplayName("a write under way is made and said; the line makes no further write")
        void write() {
            Harness h = new Harness();
            h.runAll("mount -o A none /H1");
            Terminal[] shell = new Terminal[1];
            LedgerOpener interrupting = around(h, c -> c instanceof Fork || c instanceof Mkdir m
                    && m.path().equals("/H1/a"), () -> shell[0].raise(Terminal.Signal.INT));
            Harness.Run r = h.runInteractive(interrupting, typed("fork 1", "mkdir /H1/a /H1/b", "ls /H1"),
                    (t, out) -> {
                        shell[0] = t;
                        return out;
                    }, "sh");
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(output(r)).startsWith("2", "A.limit").contains("a").doesNotContain("b");
            assertThat(h.ledger().state().tasks().size()).isEqualTo(2);
        }

        @Test
        @DisplayName("the rest of a pasted block is dropped")
        void paste() {
            Harness h = new Harness();
            Harness.Run r = h.runInteractive(h.opener, pasted("echo 1", "echo 2", "echo 3") + typed("echo after"),
                    ctrlCAfter(1), "sh");
            assertThat(output(r)).containsExactly("1", "after");
        }
    }

    @Nested
    @DisplayName("a ledger failure fails its line, not the shell")
    class LedgerFails {

        @Test
        @DisplayName("the line says why in one line; the next line opens the ledger again")
        void nextLineTriesAgain() {
            Harness h = new Harness();
            AtomicInteger opens = new AtomicInteger();
            LedgerOpener failingOnce = new LedgerOpener() {
                @Override
                public Ledger open(Path dir) {
                    if (opens.incrementAndGet() == 1) {
                        throw new LedgerException("in use by another process (pid 4242); waited 5000 ms");
                    }
                    return h.opener.open(dir);
                }

                @Override
                public boolean exists(Path dir) {
                    return h.opener.exists(dir);
                }
            };
            Harness.Run r = h.runInteractive(failingOnce, typed("mount -o A none /H1", "mount -o B none /H2", "ls"),
                    (t, out) -> out, "sh");
            assertThat(r.err()).isEqualTo("cgledger: ledger /ledgers/test: in use by another process (pid 4242); "
                    + "waited 5000 ms\n");
            assertThat(output(r)).containsExactly("H2");
            assertThat(r.code()).isZero();
        }

        @Test
        @DisplayName("a ledger another process holds is said once at start; TAB does not wait for it, nor print a trace")
        void held() {
            Harness h = new Harness();
            h.runAll("mount -o A none /H1");
            AtomicInteger opens = new AtomicInteger();
            LedgerOpener held = new LedgerOpener() {
                @Override
                public Ledger open(Path dir) {
                    opens.incrementAndGet();
                    throw new LedgerException("in use by another process (pid 4242, since 2024-01-01T00:00:00Z); "
                            + "waited 5000 ms");
                }

                @Override
                public boolean exists(Path dir) {
                    return h.opener.exists(dir);
                }

                @Override
                public Optional<String> heldBy(Path dir) {
                    return Optional.of("pid 4242, since 2024-01-01T00:00:00Z");
                }
            };
            String stderr = systemErr(() -> {
                Harness.Run r = h.runInteractive(held, typed("ls /H1/\t"), (t, out) -> out, "sh");
                assertThat(r.err()).isEqualTo("cgledger: ledger /ledgers/test is in use by another process (pid 4242, "
                        + "since 2024-01-01T00:00:00Z): each command that needs it waits up to 5000 ms for it, then "
                        + "fails\n"
                        + "cgledger: ledger /ledgers/test: in use by another process (pid 4242, since "
                        + "2024-01-01T00:00:00Z); waited 5000 ms\n");
            });
            assertThat(opens).hasValue(1); // the line's, not TAB's
            assertThat(stderr).isEmpty();
        }
    }

    @Nested
    @DisplayName("the history file")
    class HistoryFile {

        @Test
        @DisplayName("in HOME, created readable by its owner only")
        void ownerOnly(@TempDir Path home) throws IOException {
            Harness h = new Harness();
            h.env.put("HOME", home.toString());
            assertThat(h.runInteractive(typed("echo a"), "sh").err()).isEmpty();
            Path file = home.resolve(".cgledger_history");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file)).endsWith(":echo a\n");
        }

        @Test
        @DisplayName("none where HOME cannot hold one: said once, in one line, without a trace")
        void unwritableHome(@TempDir Path tmp) throws IOException {
            Path file = tmp.resolve("file");
            Files.writeString(file, "");
            for (String home : List.of("/proc", file.toString(), tmp.resolve("missing/dir").toString())) {
                Harness h = new Harness();
                h.env.put("HOME", home);
                String stderr = systemErr(() -> {
                    Harness.Run r = h.runInteractive(typed("echo a", "echo b"), "sh");
                    assertThat(r.err()).as(home).startsWith("cgledger: history not kept: ").hasLineCount(1);
                    assertThat(output(r)).containsExactly("a", "b");
                });
                assertThat(stderr).as(home).isEmpty();
            }
            assertThat(tmp.resolve("missing")).doesNotExist();
        }

        @Test
        @DisplayName("none for an empty HOME (not one in the working directory)")
        void emptyHome() {
            List<String> said = new java.util.ArrayList<>();
            assertThat(ShellHistory.file("", said::add)).isNull();
            assertThat(ShellHistory.file(null, said::add)).isNull();
            assertThat(said).isEmpty();
        }

        @Test
        @DisplayName("a history that cannot be saved any more is said once")
        void saveFails(@TempDir Path home) {
            Harness h = new Harness();
            h.env.put("HOME", home.toString());
            Path file = home.resolve(".cgledger_history");
            String stderr = systemErr(() -> {
                Harness.Run r = h.runInteractive(h.opener, typed("echo a", "echo b", "echo c"), (t, out) -> new Writer() {
                    @Override
                    public void write(char[] cbuf, int off, int len) throws IOException {
                        out.write(cbuf, off, len);
                        if (new String(cbuf, off, len).equals("a") && Files.isRegularFile(file)) {
                            // the file replaced by a directory: every later save fails
                            Files.delete(file);
                            Files.createDirectory(file);
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                    }

                    @Override
                    public void close() throws IOException {
                        out.close();
                    }
                }, "sh");
                assertThat(r.err()).startsWith("cgledger: history not saved from now on: ").hasLineCount(1);
                assertThat(output(r)).containsExactly("a", "b", "c");
            });
            assertThat(stderr).isEmpty();
        }
    }

    @Nested
    @DisplayName("how the shell ends")
    class Ending {

        @Test
        @DisplayName("a terminal that says it is 0 columns wide (a pty whose size was never set) is taken as 80: JLine "
                + "drew the prompt as '>....' and echoed nothing")
        void zeroWidthTerminal() throws java.io.IOException {
            Harness h = new Harness();
            org.jline.terminal.Terminal terminal = new org.jline.terminal.impl.ExternalTerminal("cgledger-test",
                    "xterm-256color", new java.io.ByteArrayInputStream(typed("echo hi").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)), new java.io.ByteArrayOutputStream(),
                    java.nio.charset.StandardCharsets.UTF_8);
            terminal.setSize(new org.jline.terminal.Size(0, 0));
            java.io.StringWriter out = new java.io.StringWriter();
            picocli.CommandLine cl = CgLedger.createCommandLine(new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(new java.io.StringWriter(), true), h.opener, h.env,
                    new java.io.ByteArrayInputStream(new byte[0]), true, CgLedger.invoked(new String[] {"sh"}));
            ((CgLedger) cl.getCommand()).cli.shellTerminal = () -> terminal;
            assertThat(cl.execute("sh")).isZero();
            assertThat(terminal.getWidth()).isEqualTo(80);
            assertThat(out.toString()).endsWith("hi\n");
        }

        @Test
        @DisplayName("quit or Ctrl-D: exit code 0, whatever lines failed before")
        void zero() {
            Harness h = new Harness();
            assertThat(h.runInteractive(typed("frob", "quit", "echo never")).code()).isZero();
            Harness.Run r = h.runInteractive(typed("rmdir /nope"), "sh");
            assertThat(r.err()).startsWith("rmdir: /nope: ");
            assertThat(r.code()).isZero();
        }

        @Test
        @DisplayName("sh -e: at the first line that fails, as sh -e FILE (the rest of a pasted block unrun)")
        void exitOnError() {
            Harness h = new Harness();
            Harness.Run r = h.runInteractive(typed("echo a", "frob", "echo never"), "sh", "-e");
            assertThat(r.code()).isEqualTo(1);
            assertThat(output(r)).containsExactly("a");
            r = h.runInteractive(pasted("echo a", "rmdir /nope", "echo never"), "sh", "-e");
            assertThat(r.code()).isEqualTo(1);
            assertThat(output(r)).containsExactly("a");
        }
    }

    @Nested
    @DisplayName("help and TAB offer what a line can run")
    class Offered {

        @Test
        @DisplayName("help lists the shell's own words and the commands a line runs, one line each")
        void help() {
            Harness.Run r = new Harness().runInteractive(typed("help", "help cd", "help mkdir"), "sh");
            assertThat(r.err()).isEmpty();
            String out = r.out();
            assertThat(out).contains("\n  cd [PATH] ", "\n  pwd ", "\n  echo [-n] V > PATH/FILE ", "\n  quit, exit ",
                    "\n  mkdir ", "\n  cat ", "\n  log ", "\n  help ");
            for (String process : List.of("serve", "bench", "completion", "conformance", "sh")) {
                assertThat(out).doesNotContain("\n  " + process + " ");
            }
            // one line each, within 80 columns
            String list = out.substring(out.indexOf("Each line runs"), out.indexOf("cd [PATH]: "));
            assertThat(list.lines().toList()).hasSize(2 + ShLines.WORDS.size() + 1 + 30)
                    .allMatch(l -> !l.startsWith("   ") && l.length() <= 80);
            assertThat(out).contains("\ncd [PATH]: Change the working directory");
            String mkdir = out.substring(out.indexOf("Usage: sh mkdir"));
            assertThat(mkdir).doesNotContain("--ledger", "--in-memory").contains("--json");
        }

        @Test
        @DisplayName("with --json, help is one JSON object a line, as every other line's answer; help of a process "
                + "or of nothing is one usage line")
        void helpAsJson() throws Exception {
            Harness h = new Harness();
            Harness.Run r = h.runWithInput("help\nhelp cd\nhelp mkdir\nhelp help\n", "--json", "sh");
            assertThat(r.err()).isEmpty();
            List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
            for (String l : r.out().lines().toList()) {
                lines.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l));
            }
            assertThat(lines).hasSize(4).allSatisfy(n -> assertThat(n.get("ok").asBoolean()).isTrue());
            assertThat(lines.get(0).get("line").asInt()).isEqualTo(1);
            assertThat(lines.get(0).get("shell").get(0).get("form").asText()).startsWith("cd");
            assertThat(lines.get(0).get("commands").findValuesAsText("name")).contains("mkdir", "log")
                    .doesNotContain("serve", "sh");
            assertThat(lines.get(1).get("help").asText()).startsWith("cd [PATH]: ");
            assertThat(lines.get(2).get("help").asText()).startsWith("Usage: sh mkdir").doesNotContain("--ledger");
            assertThat(lines.get(3).get("commands")).isNotNull();
            r = h.runWithInput("help sh\nhelp serve\nhelp bogus\n", "sh");
            assertThat(r.err()).isEqualTo("help: sh runs as a process of its own, not as a line of sh (see 'cgledger sh "
                    + "--help')\nhelp: serve runs as a process of its own, not as a line of sh (see 'cgledger serve "
                    + "--help')\nhelp: no command 'bogus' (see 'help')\n");
        }

        @Test
        @DisplayName("a command that runs as a process of its own is refused as a line, in one line")
        void processes() {
            Harness h = new Harness();
            // (bench with too few events: were it run, it would refuse them at once rather than run for minutes)
            Harness.Run r = h.runWithInput("serve\nbench --events 1\ncompletion\n", "sh");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("sh: line 1: serve runs as a process of its own (cgledger serve), not as a "
                    + "line of sh\nsh: line 2: bench runs as a process of its own (cgledger bench), not as a line of sh\n"
                    + "sh: line 3: completion runs as a process of its own (cgledger completion), not as a line of "
                    + "sh\n");
        }

        @Test
        @DisplayName("TAB offers no command a line refuses")
        void tab() {
            // each word completed, then echoed rather than run (Ctrl-A: to the start of the line)
            String keys = "";
            for (String word : List.of("ser", "benc", "complet", "conf", "pw", "qu")) {
                keys += word + "\t\u0001echo " + ENTER;
            }
            Harness.Run r = new Harness().runInteractive(keys, "sh");
            assertThat(r.err()).isEmpty();
            assertThat(output(r)).containsExactly("ser", "benc", "complet", "conf", "pwd", "quit");
        }
    }

    /** What {@code run} printed on the process's own stderr (JLine's logging goes there). */
    static String systemErr(Runnable run) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(stderr);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Sends Ctrl-C (SIGINT) to the shell's terminal once the shell has printed {@code lines} lines after its banner. */
    static java.util.function.BiFunction<Terminal, Writer, Writer> ctrlCAfter(int lines) {
        return (terminal, out) -> new Writer() {
            private int newlines;

            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                out.write(cbuf, off, len);
                for (int i = off; i < off + len; i++) {
                    if (cbuf[i] == '\n' && ++newlines == lines + 1) {
                        terminal.raise(Terminal.Signal.INT);
                    }
                }
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    /** {@code h}'s ledgers, running {@code action} as a command that {@code when} accepts is being written. */
    static LedgerOpener around(Harness h, Predicate<Command> when, Runnable action) {
        return new LedgerOpener() {
            @Override
            public Ledger open(Path dir) {
                return new ForwardingLedger(h.opener.open(dir)) {
                    @Override
                    public Outcome execute(Command command) {
                        if (when.test(command)) {
                            action.run();
                        }
                        return super.execute(command);
                    }
                };
            }

            @Override
            public boolean exists(Path dir) {
                return h.opener.exists(dir);
            }
        };
    }
}
