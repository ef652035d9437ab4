package org.cgledger.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.cgledger.persistence.LedgerException;

/** The process entry point: the system's writers, the production ledger opener, the exit code. */
public final class Main {

    private Main() {
    }

    /**
     * The production ledger. TODO(persistence): switch to {@code DurableLedger::open} once
     * {@code org.cgledger.persistence.DurableLedger} is on this branch; the one line to change is here.
     */
    static final LedgerOpener PRODUCTION = dir -> {
        throw new LedgerException("durable ledger not wired yet (use --in-memory for a dry run)");
    };

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            // quiet by default: Pekko and Slick log at DEBUG without a configuration (DESIGN.md §6)
            System.setProperty("logback.configurationFile", "cgledger-cli-logback.xml");
        }
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = CgLedger.createCommandLine(out, err, PRODUCTION).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
