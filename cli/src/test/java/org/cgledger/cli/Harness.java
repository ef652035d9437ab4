package org.cgledger.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.cgledger.persistence.InMemoryLedger;
import org.cgledger.persistence.Ledger;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import picocli.CommandLine;

/**
 * Drives the real command line with captured writers. Ledgers live in a map by directory, so
 * state survives from one {@code execute} to the next as it would in a durable ledger.
 */
final class Harness {

    /** What one run gave. */
    record Run(int code, String out, String err) {
    }

    /** The first command is recorded at {@link #START} plus one second, each later one a second after. */
    static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    final Clock clock = new Clock() {
        private long millis = START.toEpochMilli();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            millis += 1_000;
            return Instant.ofEpochMilli(millis);
        }
    };

    final Map<Path, InMemoryLedger> ledgers = new HashMap<>();
    final Map<String, String> env = new HashMap<>();
    int opened;

    final LedgerOpener opener = new LedgerOpener() {
        @Override
        public Ledger open(Path dir) {
            opened++;
            return ledgers.computeIfAbsent(dir, d -> new InMemoryLedger(clock));
        }

        @Override
        public boolean exists(Path dir) {
            return ledgers.containsKey(dir);
        }
    };

    Harness() {
        env.put("CGLEDGER_LEDGER", "/ledgers/test");
    }

    Run run(String... args) {
        return runWithInput("", args);
    }

    /** Runs each line (split at spaces) as one command; each must succeed. */
    void runAll(String... lines) {
        for (String line : lines) {
            Run r = run(line.split(" "));
            if (r.code() != 0) {
                throw new AssertionError(line + ": " + r);
            }
        }
    }

    Run runWithInput(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), false, args);
    }

    /** Runs with {@code stdin} as these bytes, UTF-8 or not. */
    Run runWithBytes(byte[] stdin, String... args) {
        return run(stdin, false, args);
    }

    /** Runs as if stdin, stdout and stderr were a terminal (a non-interactive command, or sh would start a shell). */
    Run runOnTerminal(String... args) {
        return run("", true, args);
    }

    private Run run(String stdin, boolean terminal, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), terminal, args);
    }

    private Run run(byte[] stdin, boolean terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // as Main builds it: only the invoked subcommand when the arguments name one
        int code = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), opener, env,
                new ByteArrayInputStream(stdin), terminal, CgLedger.invoked(args))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Runs {@code args} (none, or {@code sh}) as on a terminal: the interactive shell reads
     * {@code keys} through JLine on a terminal of its own (input ends: Ctrl-D). Out and err are what
     * the commands printed; what JLine drew (prompts, echo) goes to the terminal, not here.
     */
    Run runInteractive(String keys, String... args) {
        return runInteractive(opener, keys, (terminal, out) -> out, args);
    }

    /**
     * {@link #runInteractive(String, String...)} on ledgers from {@code ledgers}, with the shell's
     * stdout given to {@code tap} first (with the terminal, to send it a signal as the shell prints).
     */
    Run runInteractive(LedgerOpener ledgers, String keys, BiFunction<Terminal, Writer, Writer> tap, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            Terminal terminal = new ExternalTerminal("cgledger-test", "xterm-256color",
                    new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                    StandardCharsets.UTF_8);
            terminal.setSize(new Size(200, 50));
            CommandLine cl = CgLedger.createCommandLine(new PrintWriter(tap.apply(terminal, out), true),
                    new PrintWriter(err, true), ledgers, env, new ByteArrayInputStream(new byte[0]), true,
                    CgLedger.invoked(args));
            ((CgLedger) cl.getCommand()).cli.shellTerminal = () -> terminal;
            int code = cl.execute(args);
            return new Run(code, out.toString(), err.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A terminal of 200 columns whose keys the test types into {@code keys} while a shell reads them. */
    record Typed(java.io.PipedOutputStream keys, Terminal terminal) {
        static Typed open() throws IOException {
            java.io.PipedOutputStream keys = new java.io.PipedOutputStream();
            Terminal terminal = new ExternalTerminal("cgledger-test", "xterm-256color",
                    new java.io.PipedInputStream(keys, 1 << 16), new ByteArrayOutputStream(), StandardCharsets.UTF_8);
            terminal.setSize(new Size(200, 50));
            return new Typed(keys, terminal);
        }
    }

    InMemoryLedger ledger() {
        return ledgers.get(Path.of("/ledgers/test"));
    }
}
