package org.cgledger.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sh [-e] [FILE]}: runs cgroupfs-style lines from FILE or stdin, all against one open
 * ledger; on a terminal without FILE, the interactive shell.
 */
@Command(name = "sh", description = {"Run cgroupfs-style lines from FILE or stdin (on a terminal: an interactive shell).",
        "Lines: mount -t container -o A none /H1, umount, mkdir [-p], rmdir, echo V > PATH/FILE, echo TEXT, "
                + "cat PATH/FILE, ls, cd, pwd, fork, exit PID, charge, uncharge, # comments, and every other cgledger "
                + "command (init, stat, tree, csssets, ps, subsys, attach, set, the journal's readers: log, audit, "
                + "history...) but those that run as processes of their own (sh, serve, bench, completion, "
                + "conformance).",
        "A failing line is reported like a shell (rmdir: /H1/foo: Device or resource busy) and the run goes on; "
                + "the exit code is 1 if any line failed (on a terminal: 0 at quit or Ctrl-D).",
        "'help' lists what a line can run."},
        footerHeading = "%nExample:%n", footer = {"  cgledger --in-memory sh examples/seed.sh",
                "  printf 'mount -t container -o A none /H1\\nmkdir /H1/foo\\n' | cgledger --ledger /tmp/l sh"})
final class ShCmd extends BaseCommand {

    /** Commands per group commit: each window's output is printed once its events are durable. */
    static final int WINDOW = 2_000;

    @Option(names = "-e", description = "Stop at the first failing line.")
    boolean exitOnError;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The script (default, or -: stdin).")
    Path file;

    ShCmd(CliContext cli) {
        super(cli);
    }

    @Override
    int run(Session session, Out out) {
        session.inSh = true;
        ShLines lines = new ShLines(cli, session, CgLedger.createLineCommandLine(cli));
        if (file == null && cli.terminal) {
            return new Interactive(cli, session, lines, exitOnError).run();
        }
        if (file != null && file.toString().isEmpty()) {
            throw new UsageError("cannot read '': the file name is empty");
        }
        Reader reader;
        try {
            // bytes that are not UTF-8 read as U+FFFD, so that a comment with them stays a comment:
            // a line that would use them is refused (ShLines), where the whole script used to fail
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            boolean stdin = file == null || file.toString().equals("-");
            reader = new InputStreamReader(stdin ? cli.stdin : Files.newInputStream(file), utf8);
        } catch (NoSuchFileException e) {
            throw new UsageError(file + ": No such file or directory");
        } catch (IOException e) {
            // (a file it may not read had said its own name again: 'sh: F: F')
            throw new UsageError(file + ": " + org.cgledger.persistence.IoReasons.of(e));
        }
        boolean failed = false;
        boolean bug = false;
        // group commit: decide each line at once, write the lines' events in windows, and print
        // each window's output only once its events are durable
        session.deferWrites();
        cli.gate.hold();
        boolean durable = false;
        int number = 0;
        int window = 1; // the first line whose output waits for the next write
        try (ScriptLines in = new ScriptLines(reader)) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                number++;
                int waiting = session.pendingCount();
                ShLines.Ran ran;
                try {
                    ran = lines.run(number, text);
                } catch (org.cgledger.persistence.LedgerException e) {
                    if (waiting == 0 && session.pendingCount() == 0) {
                        // nothing the lines before wrote waits: their output is whole (a script whose
                        // first view met a ledger in use had lost the echo and pwd before it)
                        cli.gate.release();
                        throw new org.cgledger.persistence.LedgerException(e.getMessage() + " (sh: line " + number
                                + ")", e);
                    }
                    if (waiting == 0) {
                        throw e;
                    }
                    if (session.pendingCount() == 0) {
                        // the line wrote what waited, then failed itself
                        throw new org.cgledger.persistence.LedgerException(e.getMessage() + " (sh: the output of "
                                + lines(window, number) + " was not printed; " + were(window, number - 1, "recorded")
                                + ")", e);
                    }
                    // a line that reads the journal (log, replay, ...) writes what waits first
                    throw lost(e, window, number);
                }
                if (waiting > 0 && session.pendingCount() == 0) {
                    // a line that reads the journal wrote what waited: durable, as a window written
                    cli.gate.release();
                    cli.gate.hold();
                    window = number + 1;
                }
                // a full window, or input that has nothing more for now (a pipe a program feeds
                // and waits on): write what is decided, and say it
                if (session.pendingCount() >= WINDOW || session.pendingCount() > 0 && !ran.quit() && !in.ready()) {
                    flush(session, window, number);
                    cli.gate.release();
                    cli.gate.hold();
                    window = number + 1;
                } else if (session.pendingCount() == 0 && !ran.quit() && !in.ready()) {
                    // nothing waits to be written, and the input has nothing more for now: the
                    // lines' output goes out (a program that sent 'cat /H1/tasks' or a refused line
                    // and waited for the answer had waited for ever)
                    cli.gate.release();
                    cli.gate.hold();
                    window = number + 1;
                }
                bug |= ran.code() == CgLedger.BUG;
                if (ran.code() != 0) {
                    failed = true;
                    if (exitOnError) {
                        break;
                    }
                }
                if (ran.quit()) {
                    break;
                }
            }
            flush(session, window, number);
            durable = true;
        } catch (IOException e) {
            throw new UsageError("cannot read " + (file == null ? "stdin" : file) + ": " + org.cgledger.persistence.IoReasons.of(e));
        } finally {
            if (durable) {
                // (a failure on its way out keeps the line it met: its answer names it)
                session.line = 0;
                cli.gate.release();
            } else {
                // the window's lines were not written: their outcomes were never acknowledged
                cli.gate.discard();
            }
        }
        return bug ? CgLedger.BUG : failed ? 1 : 0;
    }

    /** Writes the window of lines {@code from} to {@code to}; a write that fails says which lines it lost. */
    private static void flush(Session session, int from, int to) {
        try {
            session.flush();
        } catch (org.cgledger.persistence.LedgerException e) {
            throw lost(e, from, to);
        }
    }

    /**
     * The ledger's failure {@code e} to write the window of lines {@code from} to {@code to}, with
     * what sh adds: which of those lines were recorded (whose output it did not print either).
     */
    static org.cgledger.persistence.LedgerException lost(org.cgledger.persistence.LedgerException e, int from, int to) {
        Session.WindowLost lost = e instanceof Session.WindowLost w ? w : null;
        int kept = lost == null ? from - 1 : Math.max(from - 1, Math.min(to, lost.recordedThrough()));
        int partly = lost != null && lost.partly() > kept && lost.partly() <= to ? lost.partly() : 0;
        String said;
        if (kept < from && partly == 0) {
            said = lines(from, to) + ", whose output was not printed; every line before was recorded";
        } else {
            List<String> parts = new ArrayList<>();
            if (kept >= from) {
                parts.add(were(from, kept, "recorded"));
            }
            if (partly != 0) {
                parts.add("line " + partly + (lost.certain() ? " was partly recorded" : " was at least partly recorded")
                        + " (see 'log')");
            }
            int rest = Math.max(kept, partly) + 1;
            if (rest <= to) {
                parts.add(lost.certain() ? were(rest, to, "not") : lines(rest, to) + " may not be");
            }
            said = "the output of " + lines(from, to) + " was not printed; " + String.join(", ", parts);
        }
        return new org.cgledger.persistence.LedgerException(e.getMessage() + " (sh: " + said + ")", e);
    }

    /** {@code line 4 was WHAT} or {@code lines 4-9 were WHAT}. */
    static String were(int from, int to, String what) {
        return lines(from, to) + (from == to ? " was " : " were ") + what;
    }

    /** {@code line 4} or {@code lines 4-9}. */
    static String lines(int from, int to) {
        return from == to ? "line " + from : "lines " + from + "-" + to;
    }
}
