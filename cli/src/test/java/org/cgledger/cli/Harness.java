package org.cgledger.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    final Map<Path, InMemoryLedger> ledgers = new HashMap<>();
    final Map<String, String> env = new HashMap<>();
    int opened;

    final LedgerOpener opener = new LedgerOpener() {
        @Override
        public Ledger open(Path dir) {
            opened++;
            return ledgers.computeIfAbsent(dir, d -> new InMemoryLedger());
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

    Run runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), opener, env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    InMemoryLedger ledger() {
        return ledgers.get(Path.of("/ledgers/test"));
    }
}
