package org.cgledger.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.cgledger.persistence.InMemoryLedger;
import org.cgledger.persistence.Ledger;

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

    InMemoryLedger ledger() {
        return ledgers.get(Path.of("/ledgers/test"));
    }
}
