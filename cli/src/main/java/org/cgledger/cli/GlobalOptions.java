package org.cgledger.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command takes (a mixin): which ledger, JSON output, verbosity. */
final class GlobalOptions {

    @Option(names = "--ledger", paramLabel = "DIR",
            description = "The ledger directory (default: $CGLEDGER_LEDGER). A missing ledger is created on the "
                    + "first write, with subsystems A,B,cpu,memory,beancounter, pin=css, rmdir=strict.")
    Path ledger;

    @Option(names = "--in-memory", description = "Use a throwaway in-memory ledger: a dry run, nothing is saved.")
    boolean inMemory;

    @Option(names = "--json", description = "Print one JSON object per command on stdout, errors included.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and an example.")
    boolean help;

    @Option(names = {"-v", "--verbose"}, description = "Show a stack trace for an internal error (a bug).")
    boolean verbose;
}
