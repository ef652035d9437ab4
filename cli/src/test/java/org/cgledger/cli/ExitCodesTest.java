package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cgledger.persistence.LedgerException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** 0 ok, 1 refused by the model, 2 usage, 3 the ledger itself, 70 a bug: each one line, never a stack trace. */
class ExitCodesTest {

    @Test
    @DisplayName("0: a write prints nothing; the ledger is created with the defaults on the first write")
    void ok() {
        Harness h = new Harness();
        assertThat(h.run("mount", "-o", "memory", "none", "/m")).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(h.run("subsys").out()).isEqualTo("""
                #subsys_name	hierarchy	num_cgroups	enabled
                A	0	1	1
                B	0	1	1
                cpu	0	1	1
                memory	1	1	1
                beancounter	0	1	1
                """);
    }

    @Test
    @DisplayName("1: refused by the model, with errno name, kernel message and reason")
    void refused() {
        Harness h = new Harness();
        h.run("mount", "-o", "A", "none", "/H1");
        assertThat(h.run("rmdir", "/H1")).isEqualTo(new Harness.Run(1, "",
                "rmdir: /H1: Device or resource busy (EBUSY: /H1 is the root of its hierarchy (a mount point))\n"));
        assertThat(h.run("exit", "1")).isEqualTo(new Harness.Run(1, "",
                "exit: 1: Operation not permitted (EPERM: pid 1 never exits)\n"));
    }

    @Test
    @DisplayName("1: a view of a ledger that does not exist yet creates nothing")
    void noLedgerYet() {
        Harness h = new Harness();
        Harness.Run r = h.run("tree");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("tree: No such file or directory (ENOENT: no ledger at /ledgers/test yet (the first "
                + "write creates one with subsystems A,B,cpu,memory,beancounter, pin=css, rmdir=strict))\n");
        assertThat(h.run("--ledger", "/a", "tree", "--ledger", "/b")).isEqualTo(new Harness.Run(2, "",
                "tree: --ledger given twice (/a and /b): give it once\n"));
        assertThat(h.ledgers).isEmpty();
    }

    @Test
    @DisplayName("2: usage errors are one line")
    void usage() {
        Harness h = new Harness();
        assertThat(h.run("frob")).isEqualTo(new Harness.Run(2, "", "cgledger: unknown command 'frob' (see 'cgledger help')\n"));
        // help of an unknown command says it as an unknown command is said (it had been picocli's 'Unknown
        // subcommand 'frob'. (see 'cgledger --help')'); in sh, 'help' lists what a line can run; a command's own
        // usage error there is named by its line, as picocli's are
        assertThat(h.run("help", "frob")).isEqualTo(new Harness.Run(2, "",
                "cgledger: unknown command 'frob' (see 'cgledger help')\n"));
        assertThat(h.runWithInput("frob\ncharge 1 A f 3 --amount 4\n", "sh").err()).isEqualTo("""
                sh: line 1: unknown command 'frob' (see 'help')
                sh: line 2: charge: give the amount once (AMOUNT or --amount)
                """);
        assertThat(h.run("mkdir")).isEqualTo(new Harness.Run(2, "",
                "cgledger: Missing required parameter: 'PATH' (see 'cgledger mkdir --help')\n"));
        assertThat(h.run("init", "--pin", "nope")).isEqualTo(new Harness.Run(2, "",
                "init: pin policy must be css or cssset, not nope\n"));
        assertThat(h.run()).isEqualTo(new Harness.Run(2, "", "cgledger: no command given (see 'cgledger --help')\n"));
        // the device alone is no mount point (in sh it would have become /none)
        assertThat(h.run("--in-memory", "mount", "-t", "cgroup", "-o", "A", "none")).isEqualTo(new Harness.Run(2, "",
                "mount: no mount point: 'none' is the device; give the mount point after it (mount -t cgroup -o A none "
                        + "/H1)\n"));
        assertThat(h.runWithInput("mount -o A cgroup\nls /\n", "--in-memory", "sh").err()).startsWith(
                "sh: line 1: mount: no mount point: 'cgroup' is the device").contains("ls: No such file or directory (ENOENT: nothing "
                + "in memory yet: an --in-memory ledger starts empty and lasts one command or one sh session; its first "
                + "write creates it with subsystems A,B,cpu,memory,beancounter, pin=css, rmdir=strict)");
        h.env.clear();
        assertThat(h.run("tree")).isEqualTo(new Harness.Run(2, "",
                "tree: no ledger chosen: give --ledger DIR, set CGLEDGER_LEDGER, or use --in-memory\n"));
        assertThat(h.run("sh", "/no/such/script")).isEqualTo(new Harness.Run(2, "",
                "sh: no ledger chosen: give --ledger DIR, set CGLEDGER_LEDGER, or use --in-memory\n"));
        // serve, import and compact take a ledger directory only: no --in-memory offered
        assertThat(h.run("serve")).isEqualTo(new Harness.Run(2, "",
                "serve: no ledger chosen: give --ledger DIR or set CGLEDGER_LEDGER\n"));
        assertThat(h.run("serve", "--help").out()).containsIgnoringWhitespaces("it must hold a ledger already")
                .doesNotContain("created on the first write");
        assertThat(h.run("--in-memory", "sh", "/no/such/script")).isEqualTo(new Harness.Run(2, "",
                "sh: /no/such/script: No such file or directory\n"));
        assertThat(h.ledgers).isEmpty();
    }

    @Test
    @DisplayName("2: an argument the JVM could not decode (U+FFFD in place of its bytes) is refused, not recorded changed")
    void undecodableArgument() {
        Harness h = new Harness();
        h.run("mount", "-o", "none,name=h1", "none", "/H1");
        String charset = System.getProperty("sun.jnu.encoding", "UTF-8").replace("-", "");
        String locale = charset.equalsIgnoreCase("UTF8") ? "" : " (this process reads its arguments as "
                + System.getProperty("sun.jnu.encoding") + ": run it under a UTF-8 locale, such as LC_ALL=C.UTF-8)";
        assertThat(h.run("mkdir", "/H1/caf\uFFFD")).isEqualTo(new Harness.Run(2, "",
                "cgledger: argument 2 ('/H1/caf\uFFFD') is not valid UTF-8 at character 8" + locale
                        + " (see 'cgledger mkdir --help')\n"));
        Harness.Run json = h.run("--json", "attach", "1", "/H1/\uFFFD");
        assertThat(json.code()).isEqualTo(2);
        assertThat(json.out()).startsWith("{\"ok\":false,\"error\":\"usage\",\"reason\":\"argument 4 ('/H1/\uFFFD') is not "
                + "valid UTF-8 at character 5");
        assertThat(h.run("ls", "/H1").out()).doesNotContain("\uFFFD").doesNotContain("caf");
        assertThat(h.run("mkdir", "/H1/caf\u00e9")).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(h.run("ls", "/H1").out()).startsWith("caf\u00e9\n");
    }

    @Test
    @DisplayName("3: the ledger itself failed (locked, corrupt): one line naming the directory")
    void ledger() {
        Harness.Run r = run(dir -> {
            throw new LedgerException("locked by another process");
        }, "--ledger", "/l", "mkdir", "/H1/x");
        assertThat(r).isEqualTo(new Harness.Run(3, "", "cgledger: ledger /l: locked by another process\n"));
        // a message that names the directory itself is not prefixed with it again; the directory is
        // named as the system resolves it (a relative one from the working directory)
        Path l = Path.of("l").toAbsolutePath();
        r = run(dir -> {
            throw new LedgerException("cannot open the journal in " + dir + ": damaged");
        }, "--ledger", "l", "mkdir", "/H1/x");
        assertThat(r).isEqualTo(new Harness.Run(3, "", "cgledger: cannot open the journal in " + l + ": damaged\n"));
        r = run(dir -> {
            throw new LedgerException("cannot open the journal in " + l + "2: damaged");
        }, "--ledger", "l", "mkdir", "/H1/x");
        assertThat(r).isEqualTo(new Harness.Run(3, "", "cgledger: ledger " + l + ": cannot open the journal in " + l
                + "2: damaged\n"));
        r = run(dir -> {
            throw new LedgerException("corrupt");
        }, "--ledger", "/l", "--json", "mkdir", "/H1/x");
        assertThat(r).isEqualTo(new Harness.Run(3, "{\"ok\":false,\"error\":\"ledger\",\"reason\":\"corrupt\"}\n", ""));
    }

    @Test
    @DisplayName("3: a journal too large for the heap says so, and how to give the JVM more")
    void outOfMemory() {
        long mb = Runtime.getRuntime().maxMemory() / (1 << 20);
        Harness.Run r = run(dir -> {
            throw new LedgerException("cannot read the journal in " + dir + ": GC overhead limit exceeded",
                    new java.sql.SQLException("wrapped", new OutOfMemoryError("GC overhead limit exceeded")));
        }, "--ledger", "/l", "mkdir", "/H1/x");
        assertThat(r).isEqualTo(new Harness.Run(3, "", "cgledger: cannot read the journal in /l: GC overhead limit "
                + "exceeded (the JVM's heap, at most " + mb + " MB, is too small for this; give it more, as "
                + "CGLEDGER_JAVA_OPTS=-Xmx4g does)\n"));
        assertThat(CgLedger.outOfMemory(new LedgerException("corrupt"))).isFalse();
        assertThat(CgLedger.outOfMemory(new OutOfMemoryError())).isTrue();
        // a ledger path with a control character: escaped, the message one line
        assertThat(run(dir -> {
            throw new LedgerException("in use by another process (pid 7, since then); waited 0 ms");
        }, "--ledger", "/odd/nl\nx", "mkdir", "/H1/x")).isEqualTo(new Harness.Run(3, "", "cgledger: ledger /odd/nl\\nx: in "
                + "use by another process (pid 7, since then); waited 0 ms\n"));
        assertThat(run(dir -> {
            throw new LedgerException("cannot open the journal in " + dir + ": it is cut short");
        }, "--ledger", "/odd/nl\nx", "mkdir", "/H1/x")).isEqualTo(new Harness.Run(3, "", "cgledger: cannot open the journal "
                + "in /odd/nl\\nx: it is cut short\n"));
        // --json after the command's name asks for a JSON answer as much as before it
        for (String[] args : List.of(new String[] {"--ledger", "/l", "mkdir", "--json", "/H1/x"},
                new String[] {"--ledger", "/l", "--json", "mkdir", "/H1/x"})) {
            assertThat(run(dir -> {
                throw new LedgerException("in use by another process (pid 7, since then); waited 0 ms");
            }, args)).isEqualTo(new Harness.Run(3, "{\"ok\":false,\"error\":\"ledger\",\"reason\":\"in use by another "
                    + "process (pid 7, since then); waited 0 ms\"}\n", ""));
        }
        // the ledger opening on a thread of its own: its error comes wrapped through a future, not a bug
        r = run(dir -> {
            throw new java.util.concurrent.CompletionException(new OutOfMemoryError("Java heap space"));
        }, "--ledger", "/l", "mkdir", "/H1/x");
        assertThat(r).isEqualTo(new Harness.Run(3, "", "cgledger: out of memory: the JVM's heap, at most " + mb
                + " MB, is too small for this; give it more, as CGLEDGER_JAVA_OPTS=-Xmx4g does\n"));
    }

    @Test
    @DisplayName("in sh, a ledger that cannot be opened (in use) ends the script at the line that first needs it, "
            + "naming that line; the lines before it, which wrote nothing, print their output")
    void ledgerInUseInSh() {
        LedgerOpener inUse = dir -> {
            throw new LedgerException("in use by another process (pid 7, since then); waited 500 ms");
        };
        Harness.Run r = runWithInput(inUse, "echo first\npwd\nls\necho after\n", "--ledger", "/l", "sh");
        assertThat(r).isEqualTo(new Harness.Run(3, "first\n/\n", "cgledger: ledger /l: in use by another process "
                + "(pid 7, since then); waited 500 ms (sh: line 3)\n"));
        r = runWithInput(inUse, "echo first\nls\n", "--ledger", "/l", "--json", "sh");
        assertThat(r).isEqualTo(new Harness.Run(3, "{\"line\":1,\"ok\":true,\"echo\":\"first\"}\n"
                + "{\"line\":2,\"ok\":false,\"error\":\"ledger\",\"reason\":\"in use by another process (pid 7, "
                + "since then); waited 500 ms (sh: line 2)\"}\n", ""));
    }

    @Test
    @DisplayName("2: words after a request for help or the version, or after '--', are usage errors naming the "
            + "word (they had been passed over without one)")
    void extraWords() {
        Harness h = new Harness();
        assertThat(h.run("help", "mkdir", "rmdir")).isEqualTo(new Harness.Run(2, "",
                "cgledger: unexpected argument 'rmdir' (see 'cgledger help --help')\n"));
        assertThat(h.run("--version", "extra")).isEqualTo(new Harness.Run(2, "",
                "cgledger: unknown command 'extra' (see 'cgledger help')\n"));
        assertThat(h.run("--version", "ls")).isEqualTo(new Harness.Run(2, "",
                "cgledger: --version takes no command: 'ls' (see 'cgledger --help')\n"));
        assertThat(h.run("--", "ls")).isEqualTo(new Harness.Run(2, "",
                "cgledger: unexpected argument 'ls' after '--': cgledger takes none (see 'cgledger help')\n"));
        // the unknown command before '--' is what is said, not the same word after it
        assertThat(h.run("frob", "--", "frob")).isEqualTo(new Harness.Run(2, "",
                "cgledger: unknown command 'frob' (see 'cgledger help')\n"));
        assertThat(h.runWithInput("help mkdir rmdir\necho after\n", "--in-memory", "sh")).isEqualTo(new Harness.Run(1,
                "after\n", "sh: line 1: unexpected argument 'rmdir' (see 'help')\n"));
        // a command's word too many is named so too, not as picocli's 'Unmatched argument at index 5', which
        // counted the words of the whole command line (--ledger's among them), or of the sh line
        assertThat(h.run("--ledger", "/l", "attach", "1", "/H1", "extra")).isEqualTo(new Harness.Run(2, "",
                "cgledger: unexpected argument 'extra' (see 'cgledger attach --help')\n"));
        assertThat(h.run("--json", "exit", "1", "2")).isEqualTo(new Harness.Run(2, "{\"ok\":false,\"error\":\"usage\","
                + "\"reason\":\"unexpected argument '2' (see 'cgledger exit --help')\"}\n", ""));
        assertThat(h.runWithInput("tree /H1 /H2\n", "--in-memory", "sh")).isEqualTo(new Harness.Run(1, "",
                "sh: line 1: unexpected argument '/H2' (see 'help tree')\n"));
        // --json after help, as after any other command's name, is no word too many
        assertThat(h.run("help", "mkdir", "--json")).isEqualTo(h.run("--json", "help", "mkdir"));
        assertThat(h.run("help", "--json")).isEqualTo(h.run("--json", "help"));
        assertThat(h.run("help", "--json").out()).startsWith("{\"ok\":true,\"help\":\"Usage: cgledger [-hvV]");
        // still answered
        assertThat(h.run("help", "mkdir").out()).startsWith("Usage: cgledger mkdir");
        assertThat(h.run("--version")).isEqualTo(new Harness.Run(0, "cgledger 0.1.0\n", ""));
    }

    @Test
    @DisplayName("in sh: 'quit' with an argument is a usage error, not the end; an unknown command's control "
            + "characters are written as escapes")
    void shQuitAndUnknownCommand() {
        Harness h = new Harness();
        Harness.Run r = h.runWithInput("quit now\necho after\n", "--in-memory", "sh");
        assertThat(r).isEqualTo(new Harness.Run(1, "after\n",
                "sh: line 1: quit takes no argument (exit PID: a task exits)\n"));
        r = h.runWithInput("foo\u001b[31mbar\n\u0001\n", "--in-memory", "sh");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("sh: line 1: unknown command 'foo\\x1b[31mbar' (see 'help')\n"
                + "sh: line 2: unknown command '\\x01' (see 'help')\n");
        assertThat(h.run("--in-memory", "fo\u001bo").err()).isEqualTo("cgledger: unknown command 'fo\\x1bo' (see "
                + "'cgledger help')\n");
    }

    @Test
    @DisplayName("a thread that ends with an uncaught failure: one line, H2's internals cut, never the JVM's trace")
    void threadStopped() {
        assertThat(CgLedger.threadStopped("H2-lob-cleaner", new IllegalStateException("Map lobRef(8) is closed. "
                + "org.h2.mvstore.MVStoreException: Writing to sun.nio.ch.FileChannelImpl@17baae6e failed; length 1843200 "
                + "at 31465472 [2.5.252/2] [2.5.252/4]"))).isEqualTo("cgledger: thread H2-lob-cleaner stopped: Map "
                + "lobRef(8) is closed");
        assertThat(CgLedger.threadStopped("x\ny", new NullPointerException())).isEqualTo(
                "cgledger: thread x\\ny stopped: NullPointerException");
    }

    @Test
    @DisplayName("70: a bug is one line; the stack trace only with --verbose")
    void bug() {
        LedgerOpener broken = dir -> {
            throw new IllegalStateException("boom");
        };
        Harness.Run r = run(broken, "--ledger", "/l", "mkdir", "/H1/x");
        assertThat(r).isEqualTo(new Harness.Run(70, "",
                "cgledger: internal error: java.lang.IllegalStateException: boom (a bug; run with --verbose for the stack trace)\n"));
        r = run(broken, "--ledger", "/l", "--verbose", "mkdir", "/H1/x");
        assertThat(r.code()).isEqualTo(70);
        assertThat(r.err()).contains("\tat org.cgledger.cli.");
    }

    @Test
    @DisplayName("what fails under a command while a signal ends the JVM (Ctrl-C to conformance as it starts: its "
            + "probe killed too, 'Shutdown in progress') is said only with --verbose: no bug, the signal's exit code")
    void failureWhileShuttingDown() {
        assertThat(CgLedger.jvmShuttingDown()).isFalse();
        java.util.function.BooleanSupplier was = CgLedger.SHUTTING_DOWN;
        CgLedger.SHUTTING_DOWN = () -> true;
        try {
            LedgerOpener broken = dir -> {
                throw new IllegalStateException("Shutdown in progress");
            };
            assertThat(run(broken, "--ledger", "/l", "mkdir", "/H1/x")).isEqualTo(new Harness.Run(70, "", ""));
            assertThat(run(broken, "--ledger", "/l", "--json", "mkdir", "/H1/x")).isEqualTo(new Harness.Run(70, "", ""));
            assertThat(run(broken, "--ledger", "/l", "--verbose", "mkdir", "/H1/x").err())
                    .startsWith("cgledger: internal error: java.lang.IllegalStateException: Shutdown in progress");
            // a refusal is still said (what was decided before the signal)
            assertThat(run(broken, "mkdir").code()).isEqualTo(2);
        } finally {
            CgLedger.SHUTTING_DOWN = was;
        }
    }

    @Test
    @DisplayName("in sh, a bug in a line is that line's one-line failure and the script goes on (70 at the end); "
            + "a ledger failure ends it (3); never a stack trace")
    void bugAndLedgerFailureInSh() {
        Harness.Run r = runWithInput(failingJournal(() -> new IllegalStateException("boom")), "init\nlog\necho after\n",
                "--ledger", "/l", "sh");
        assertThat(r).isEqualTo(new Harness.Run(70, "after\n",
                "cgledger: internal error: java.lang.IllegalStateException: boom (a bug; run with --verbose for the stack trace)\n"));
        r = runWithInput(failingJournal(() -> new IllegalStateException("boom")), "init\nlog\n", "--ledger", "/l", "--json", "sh");
        assertThat(r.code()).isEqualTo(70);
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).last().isEqualTo(
                "{\"line\":2,\"ok\":false,\"error\":\"internal\",\"reason\":\"java.lang.IllegalStateException: boom\"}");
        r = runWithInput(failingJournal(() -> new LedgerException("the disk is gone")), "init\nlog\necho after\n",
                "--ledger", "/l", "sh");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).doesNotContain("after");
        // log wrote line 1 (init) before it read the journal, which failed
        assertThat(r.err()).isEqualTo("cgledger: ledger /l: the disk is gone (sh: the output of lines 1-2 was not "
                + "printed; line 1 was recorded)\n");
        // with --json, the failure's answer names its line as every other answer of sh does
        r = runWithInput(failingJournal(() -> new LedgerException("the disk is gone")), "init\nlog\n", "--ledger", "/l",
                "--json", "sh");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out().lines().toList()).last().isEqualTo(
                "{\"line\":2,\"ok\":false,\"error\":\"ledger\",\"reason\":\"the disk is gone (sh: the output of "
                        + "lines 1-2 was not printed; line 1 was recorded)\"}");
        r = new Harness().runWithInput("pwd\nmkdir --ledger /x y\n", "--in-memory", "--json", "sh");
        assertThat(r.out().lines().toList()).last().isEqualTo("{\"line\":2,\"ok\":false,\"error\":\"usage\","
                + "\"reason\":\"--ledger and --in-memory cannot be given inside sh\"}");
    }

    /** An opener of one in-memory ledger (seen as stored) whose journal, which log reads, throws {@code failure}. */
    static LedgerOpener failingJournal(java.util.function.Supplier<RuntimeException> failure) {
        org.cgledger.persistence.Ledger ledger = new org.cgledger.persistence.ForwardingLedger(
                new org.cgledger.persistence.InMemoryLedger(java.time.Clock.systemUTC())) {
        };
        return new LedgerOpener() {
            @Override
            public org.cgledger.persistence.Ledger open(java.nio.file.Path dir) {
                return ledger;
            }

            @Override
            public java.util.List<org.cgledger.persistence.Journals.Stored> journal(java.nio.file.Path dir) {
                throw failure.get();
            }
        };
    }

    @Test
    @DisplayName("a ledger that fails as it closes, after the command's answer: one line and exit 3, not picocli's "
            + "stack trace and exit 1 (a refusal's code)")
    void closeFails() {
        LedgerOpener closing = dir -> new org.cgledger.persistence.ForwardingLedger(
                new org.cgledger.persistence.InMemoryLedger(java.time.Clock.systemUTC())) {
            @Override
            public void close() {
                throw new LedgerException("cannot close: No space left on device");
            }
        };
        Harness.Run r = run(closing, "--ledger", "/l", "mount", "-o", "A", "none", "/H1");
        assertThat(r).isEqualTo(new Harness.Run(3, "", "cgledger: ledger /l: cannot close: No space left on device\n"));
        // a command that failed keeps its own answer and code alone
        r = run(closing, "--ledger", "/l", "mkdir", "/H1/x");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("mkdir: /H1/x: No such file or directory").doesNotContain("cannot close");
        r = run(closing, "--ledger", "/l", "--json", "mkdir", "/H1/x");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().lines()).hasSize(1);
    }

    @Test
    @DisplayName("serve, import and compact do not offer --in-memory in their help, and refuse it in words (exit 2)")
    void inMemoryOnlyWhereItWorks() {
        Harness h = new Harness();
        for (String name : java.util.List.of("serve", "import", "compact")) {
            assertThat(h.run(name, "--help").out()).as(name).doesNotContain("--in-memory");
            Harness.Run r = name.equals("import") ? h.run("--in-memory", name, "x.jsonl") : h.run("--in-memory", name);
            assertThat(r.code()).as(name).isEqualTo(2);
            assertThat(r.err()).as(name).startsWith(name + ": ").contains("not --in-memory");
        }
        assertThat(h.run("mkdir", "--help").out()).contains("--in-memory");
    }

    @Test
    @DisplayName("fork's --help gives the default pid as the model gives it: past 4194303, the lowest free pid from "
            + "300 up (it had said only 'the highest so far + 1')")
    void forkDefaultPid() {
        Harness h = new Harness();
        assertThat(h.run("fork", "--help").out()).containsIgnoringWhitespaces("(default: the highest so far + 1; past "
                + "4194303, the largest the kernel gives, the lowest free pid from 300 up, as the kernel wraps)");
        assertThat(h.runWithInput("fork 1 --pid 4194303\nfork 1\n", "sh").out()).isEqualTo("4194303\n300\n");
    }

    @Test
    @DisplayName("the command list of --help shows each command's first line: a whole sentence, none cut at a ':'")
    void summaries() {
        for (Class<?> c : CgLedger.subcommands()) {
            picocli.CommandLine.Command command = c.getAnnotation(picocli.CommandLine.Command.class);
            if (command.description().length > 0) {
                assertThat(command.description()[0]).as(command.name()).doesNotEndWith(":");
            }
        }
        assertThat(new Harness().run("--help").out()).contains("line by line, and report every divergence.\n");
    }

    @Test
    @DisplayName("--help on every command shows an example, and every text formats (picocli warns on stderr otherwise)")
    void help() {
        Harness h = new Harness();
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (Class<?> c : CgLedger.subcommands()) {
                String name = c.getAnnotation(picocli.CommandLine.Command.class).name();
                Harness.Run r = h.run(name, "--help");
                assertThat(r.code()).as(name).isZero();
                assertThat(r.out()).as(name).contains("Usage: cgledger " + name).contains("Example:");
                // each example line as written, so that it can be copied: never wrapped mid-word
                for (String line : c.getAnnotation(picocli.CommandLine.Command.class).footer()) {
                    assertThat(r.out().lines()).as(name).contains(String.format(line));
                }
            }
            assertThat(h.run("--help").out()).contains("Example:").contains("Exit codes: 0 ok, 1 refused")
                    .contains("141 stdout is a pipe its reader closed");
            assertThat(h.run("help", "--help").out()).contains("Example:\n  cgledger help mkdir\n");
            // examples that name no ledger say how to name one (run as shown: 'no ledger chosen')
            assertThat(h.run("mkdir", "--help").out()).endsWith("Example:\n  cgledger mkdir -p /H1/web/workers\n"
                    + "  (the ledger: --ledger DIR after cgledger, or CGLEDGER_LEDGER=DIR in the environment)\n");
            assertThat(h.run("import", "--help").out()).doesNotContain("(the ledger:");
            // and at the shell's prompt, or in a script: each example as a line types it, none that is no line
            Harness.Run sh = h.runWithInput("help\nhelp mkdir\nhelp export\nhelp graph\nhelp log\n", "sh");
            assertThat(sh.code()).isZero();
            assertThat(sh.out()).contains("\n  mkdir ").contains("Usage: sh mkdir ")
                    .contains("Example:\n  mkdir -p /H1/web/workers\nUsage: sh export")
                    .contains("Example:\n  export l.jsonl\nUsage: sh graph")
                    .contains("Example:\n  graph\n  graph --format svg --at-event 9\nUsage: sh log")
                    .contains("  log --from 100 --to 120\n  log --json\n")
                    .doesNotContain("cgledger mkdir").doesNotContain("--ledger").doesNotContain("(the ledger:");
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(CgLedger.asLine("  cgledger --ledger ./l export - | cgledger --ledger ./copy import -")).isNull();
        assertThat(CgLedger.asLine("  cgledger --ledger ./l export l.jsonl && cgledger --ledger ./copy import l.jsonl"))
                .isEqualTo("  export l.jsonl");
        assertThat(CgLedger.asLine("  cgledger graph > refs.dot")).isEqualTo("  graph");
        assertThat(CgLedger.asLine("  cgledger --ledger ./l")).isNull();
        assertThat(CgLedger.asLine("  source <(cgledger completion)")).isNull();
    }

    @Test
    @DisplayName("bench: bad arguments are usage errors, exit 2, said before anything runs or is made (they had been "
            + "internal errors, exit 70, or said after the kernel's part); a row it could not measure has no verdict")
    void benchArguments(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        Harness h = new Harness();
        assertThat(h.run("bench", "--events", "5")).isEqualTo(new Harness.Run(2, "",
                "bench: --events must be at least 10000\n"));
        assertThat(h.run("--json", "bench", "--events", "-1")).isEqualTo(new Harness.Run(2,
                "{\"ok\":false,\"error\":\"usage\",\"reason\":\"--events must be at least 10000\"}\n", ""));
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("f"), "x");
        assertThat(h.run("bench", "--events", "10000", "--dir", file.toString())).isEqualTo(new Harness.Run(2, "",
                "bench: --dir " + file + ": File exists\n"));
        java.nio.file.Path semicolon = tmp.resolve("x;y");
        Harness.Run bad = h.run("bench", "--events", "10000", "--dir", semicolon.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("bench: --dir " + semicolon + " cannot hold the workload ledger: its path holds ';'");
        assertThat(semicolon).doesNotExist();
        java.io.StringWriter table = new java.io.StringWriter();
        BenchCmd.text(new java.io.PrintWriter(table, true), List.of(
                new org.cgledger.cli.bench.Bench.Row("kernel mkdir", Double.NaN, "us", "", Double.NaN, "< the kernel's", null),
                new org.cgledger.cli.bench.Bench.Row("core", 300_000, "commands/s", "", Double.NaN, ">= 500,000", false)));
        assertThat(table.toString().lines()).hasSize(3).anyMatch(l -> l.endsWith("< the kernel's  not measured"))
                .anyMatch(l -> l.endsWith(">= 500,000  MISSED"));
        // columns as wide as their widest cell: a long baseline does not push the ratio of its row out of line
        java.io.StringWriter wide = new java.io.StringWriter();
        BenchCmd.text(new java.io.PrintWriter(wide, true), List.of(
                new org.cgledger.cli.bench.Bench.Row("core", 300_000, "commands/s",
                        "the same commands on flat arrays changed in place, a much longer name", 2_000_000, "", null),
                new org.cgledger.cli.bench.Bench.Row("a measure whose name is longer than the others' by far", 5, "ms",
                        "short", 10, "", null)));
        List<String> lines = wide.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).indexOf("0.15")).isEqualTo(lines.get(2).indexOf("0.50")).isPositive();
        assertThat(lines.get(0).indexOf("ratio") + "ratio".length()).isEqualTo(lines.get(1).indexOf("0.15") + 4);
        // the machine: a load above its cores is said to slow the absolute figures
        assertThat(new BenchCmd.Load(2, 11.5, 12.25).said()).isEqualTo("machine: 2 cores, load average 11.50 at the "
                + "start and 12.25 at the end: other work shared the cores, so the absolute figures are slowed; compare "
                + "the ratios");
        assertThat(new BenchCmd.Load(2, 0.5, 1.25).said()).isEqualTo(
                "machine: 2 cores, load average 0.50 at the start and 1.25 at the end");
        // the load at the end counts the bench's own threads: only the start says other work shared them
        assertThat(new BenchCmd.Load(2, 0.5, 3.5).said()).isEqualTo(
                "machine: 2 cores, load average 0.50 at the start and 3.50 at the end");
        assertThat(new BenchCmd.Load(4, Double.NaN, 1).said()).isEqualTo("machine: 4 cores (load average unknown)");
    }

    @Test
    @DisplayName("completion prints a bash completion script")
    void completion() {
        Harness.Run r = new Harness().run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F _complete_cgledger").contains("csssets");
        // and the values of the options that take a few: graph --format, init --pin and --rmdir, log --type, mount -t
        assertThat(r.out()).contains("\"dot\" \"svg\"", "\"css\" \"cssset\"", "\"strict\" \"offline\" \"unchecked\"",
                "\"cgroup\" \"container\"", "\"TaskAttached\"");
        // under --json, one object holding it (it was the script itself)
        Harness.Run json = new Harness().run("--json", "completion");
        assertThat(json.out()).startsWith("{\"ok\":true,\"shell\":\"bash\",\"script\":\"#!/usr/bin/env bash\\n")
                .endsWith("}\n").hasLineCount(1);
    }

    static Harness.Run run(LedgerOpener opener, String... args) {
        return runWithInput(opener, "", args);
    }

    static Harness.Run runWithInput(LedgerOpener opener, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        LedgerOpener missing = new LedgerOpener() {
            @Override
            public org.cgledger.persistence.Ledger open(java.nio.file.Path dir) {
                return opener.open(dir);
            }

            @Override
            public boolean exists(java.nio.file.Path dir) {
                return true;
            }

            @Override
            public java.util.List<org.cgledger.persistence.Journals.Stored> journal(java.nio.file.Path dir) {
                return opener.journal(dir);
            }
        };
        int code = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), missing, Map.of(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false).execute(args);
        return new Harness.Run(code, out.toString(), err.toString());
    }
}
