package org.cgledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.cgledger.persistence.InMemoryLedger;
import org.cgledger.persistence.LedgerDirectory;

/**
 * What one command line shares: its writers, how it opens ledgers, its environment, and the
 * {@link Session} of the command running (one per top-level command; one for a whole {@code sh} run).
 */
final class CliContext {

    final PrintWriter out;
    final PrintWriter err;
    final LedgerOpener opener;
    final Map<String, String> environment;
    final InputStream stdin;
    final boolean terminal;
    /** For JSON output; built on first use (building one costs a command that prints text about 0.1 s). */
    private ObjectMapper mapper;
    /** The root command's options (they may be given before the command name). */
    GlobalOptions rootOptions = new GlobalOptions();
    boolean verbose;
    private Session session;
    /** The ledger directory of the last session, to name it when the ledger fails. */
    String lastDir;

    /** Holds stdout and stderr while a window of {@code sh} lines is not yet durable. */
    final OutputGate gate;
    /** Ctrl-C in the interactive shell: stops the line at its next output or before its next write. */
    final LineCancel cancel = new LineCancel();
    /** Opens the interactive shell's terminal; null: the process's own (tests give one over streams). */
    ShellTerminal shellTerminal;
    /** Standard output as given, behind the gate: where a failure to write it shows. */
    private final PrintWriter stdout;

    CliContext(PrintWriter out, PrintWriter err, LedgerOpener opener, Map<String, String> environment,
               InputStream stdin, boolean terminal) {
        this.gate = new OutputGate(out, err);
        this.stdout = out;
        this.out = new PrintWriter(cancel.guard(gate.out()), true);
        this.err = new PrintWriter(cancel.guard(gate.err()), true);
        this.opener = opener;
        this.environment = Map.copyOf(environment);
        this.stdin = stdin;
        this.terminal = terminal;
    }

    /**
     * Whether writing standard output has failed so far (a full disk, a closed pipe): a
     * {@link PrintWriter}, and {@code System.out} under it in a process, keep such failures to
     * themselves. Flushes what is written first.
     */
    boolean stdoutFailed() {
        out.flush();
        return stdout.checkError() || System.out.checkError();
    }

    ObjectMapper mapper() {
        if (mapper == null) {
            // no nesting limit on what it writes: a tree answer nests two levels a group, and
            // hierarchies have no depth limit (Jackson's default of 1,000 refused 500 levels)
            mapper = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder()
                            .maxNestingDepth(Integer.MAX_VALUE).build())
                    .build());
        }
        return mapper;
    }

    /** The session of the running command: the one open (inside {@code sh}), else a new one for {@code options}. */
    Session session(GlobalOptions options) {
        verbose |= options.verbose || rootOptions.verbose;
        if (session != null) {
            if (session.inSh && (options.ledger != null || options.inMemory)) {
                throw new UsageError("--ledger and --in-memory cannot be given inside sh");
            }
            return session;
        }
        boolean json = options.json || rootOptions.json;
        if (options != rootOptions && options.ledger != null && rootOptions.ledger != null) {
            // before and after the command's name: which one was meant cannot be told
            throw new UsageError("--ledger given twice (" + rootOptions.ledger + " and " + options.ledger
                    + "): give it once");
        }
        Path given = options.ledger != null ? options.ledger : rootOptions.ledger;
        if (options.inMemory || rootOptions.inMemory) {
            if (given != null) {
                throw new UsageError("--ledger and --in-memory cannot both be given");
            }
            InMemoryLedger memory = new InMemoryLedger();
            session = new Session(new LedgerOpener() {
                @Override
                public org.cgledger.persistence.Ledger open(Path dir) {
                    return memory;
                }

                @Override
                public boolean exists(Path dir) {
                    return false;
                }
            }, Path.of("(in-memory)"), json, cancel);
            session.memory = true;
            return session;
        }
        Path dir = given;
        if (dir != null && dir.toString().isBlank()) {
            // Path.of("") is the current directory: a ledger would be made there, unasked
            throw new UsageError("--ledger needs a directory, not an empty string");
        }
        if (dir == null) {
            String env = environment.get("CGLEDGER_LEDGER");
            if (env == null || env.isBlank()) {
                throw new UsageError("no ledger chosen: give --ledger DIR, set CGLEDGER_LEDGER, or use --in-memory");
            }
            dir = Path.of(env);
        }
        String origin = (given != null ? "--ledger " : "CGLEDGER_LEDGER=") + dir;
        // one path for the lock, the journal, the socket and the messages: the operating system's
        // ('LINK/../l' is beside the link's target, not beside the link)
        Path resolved = opener.directory(dir);
        String unusable = LedgerDirectory.unusable(resolved);
        if (unusable != null) {
            throw new UsageError(origin + (resolved.equals(dir) ? "" : " (" + resolved + ")")
                    + ": cannot be a ledger directory: " + unusable);
        }
        String dangling = LedgerDirectory.danglingLink(resolved);
        if (dangling != null) {
            // (a first write had failed, exit 3: 'it exists and is not a directory')
            throw new UsageError(origin + ": cannot be a ledger directory: " + dangling);
        }
        if (java.nio.file.Files.exists(resolved) && !java.nio.file.Files.isDirectory(resolved)) {
            throw new UsageError(origin + ": not a directory (a ledger is a directory of its own)");
        }
        dir = resolved;
        session = new Session(opener, dir, json, cancel);
        lastDir = dir.toString();
        return session;
    }

    /** Opens the terminal of the interactive shell. */
    @FunctionalInterface
    interface ShellTerminal {
        org.jline.terminal.Terminal open() throws java.io.IOException;
    }

    /** Whether a command is running with JSON output (for errors met before or outside a session). */
    boolean json() {
        return session != null ? session.json : rootOptions.json;
    }

    /** The session of the running command, or null before one is needed. */
    Session currentSession() {
        return session;
    }

    /**
     * The line of {@code sh} a session was at when it closed: a failure that ended the script is
     * answered after its session closed, and its JSON answer names that line.
     */
    int closedAtLine;

    /** Closes the session's ledger, if one was opened. */
    void closeSession() {
        Session s = session;
        session = null;
        if (s != null) {
            closedAtLine = s.line;
            s.close();
        }
    }
}
