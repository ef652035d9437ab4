package org.cgledger.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerException;

/** The process entry point: the system's writers, the production ledger opener, the exit code. */
public final class Main {

    private Main() {
    }

    /**
     * The production ledger: the durable one, waiting for another process's lock as long as
     * {@code CGLEDGER_LOCK_TIMEOUT} says (milliseconds; 5,000 by default).
     */
    static final LedgerOpener PRODUCTION = new LedgerOpener() {
        @Override
        public Ledger open(Path dir) {
            DurableLedger.Options options = DurableLedger.Options.defaults();
            String timeout = System.getenv("CGLEDGER_LOCK_TIMEOUT");
            if (timeout != null && !timeout.isBlank()) {
                try {
                    options = options.withLockTimeout(Duration.ofMillis(Long.parseLong(timeout.strip())));
                } catch (NumberFormatException e) {
                    throw new LedgerException("CGLEDGER_LOCK_TIMEOUT must be milliseconds, not '" + timeout + "'");
                }
            }
            return DurableLedger.open(dir, options);
        }

        @Override
        public boolean exists(Path dir) {
            return Files.exists(dir.resolve("journal.mv.db")) || LedgerOpener.super.exists(dir);
        }
    };

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            // quiet by default: Pekko and Slick log at DEBUG without a configuration (DESIGN.md §6)
            System.setProperty("logback.configurationFile", "cgledger-cli-logback.xml");
        }
        // initialise logging before Pekko's threads do, or SLF4J prints a warning about replayed calls
        org.slf4j.LoggerFactory.getLogger(Main.class);
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = CgLedger.createCommandLine(out, err, PRODUCTION).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
