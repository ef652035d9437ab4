package org.cgledger.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cgledger.core.state.State;
import org.cgledger.persistence.LedgerException;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive shell (JLine): history, TAB completion of commands, paths, pids, subsystems and
 * object names, {@code cd}/{@code pwd}. What one Enter accepts runs exactly as typed, one
 * {@code sh} line per line of it (a pasted block of lines runs line by line, in order): JLine's
 * history expansion ({@code !word}, and the backslashes it removes) is off.
 *
 * <p>The ledger is held only while a line runs: at the prompt it is let go ({@link Session#letGo}),
 * with a server's lease, so that other writers need not wait for a shell left open.
 *
 * <p>A line that fails is reported and the shell goes on, a ledger failure included (the next
 * line opens the ledger again); with {@code -e} the shell ends at the first failing line, with the
 * exit code {@code sh -e FILE} would give. Ctrl-C stops the line running ({@link LineCancel}) and
 * gives a new prompt. Ended by {@code quit}, {@code exit} without a pid, or Ctrl-D: exit code 0.
 */
final class Interactive {

    private final CliContext cli;
    private final Session session;
    private final ShLines lines;
    private final boolean exitOnError;
    /**
     * JLine's logger (java.util.logging), kept quiet for as long as the shell runs: it printed a
     * stack trace for a completion that failed or a history it could not save. Held here because
     * the logging framework keeps only weak references to loggers, and a collected one forgets
     * its level.
     */
    private final java.util.logging.Logger jline = java.util.logging.Logger.getLogger("org.jline");

    Interactive(CliContext cli, Session session, ShLines lines, boolean exitOnError) {
        this.cli = cli;
        this.session = session;
        this.lines = lines;
        this.exitOnError = exitOnError;
    }

    int run() {
        jline.setLevel(java.util.logging.Level.OFF);
        Terminal terminal;
        try {
            terminal = cli.shellTerminal != null ? cli.shellTerminal.open()
                    : org.jline.terminal.TerminalBuilder.builder().system(true).build();
        } catch (IOException e) {
            throw new UsageError("cannot open the terminal: " + e.getMessage());
        }
        if (terminal.getWidth() <= 0) {
            // a pty whose size was never set ('script' from a pipe, some 'docker exec -t'): JLine
            // drew the prompt as '>....' and echoed nothing at width 0
            terminal.setSize(new org.jline.terminal.Size(80, Math.max(terminal.getHeight(), 24)));
        }
        try (terminal) {
            // Ctrl-C while a line runs (JLine handles it itself at the prompt): SIGINT ended the JVM
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> cli.cancel.request());
            try {
                return run(terminal);
            } finally {
                terminal.handle(Terminal.Signal.INT, previous);
            }
        } catch (IOException e) {
            throw new UsageError("cannot close the terminal: " + e.getMessage());
        } finally {
            session.line = 0;
        }
    }

    /**
     * Binds the arrow, Home and End keys as a terminal in normal cursor-key mode sends them
     * ({@code ESC [ A}): JLine binds what the terminal's description gives, the application mode's
     * ({@code ESC O A}), having asked the terminal to switch; one that does not (some emulators, a
     * terminal under another program) sent {@code ESC [ A}, and up typed {@code [A} into the line.
     */
    static void normalCursorKeys(LineReader reader) {
        KeyMap<Binding> keys = reader.getKeyMaps().get(LineReader.MAIN);
        String[][] normal = {{"A", LineReader.UP_LINE_OR_HISTORY}, {"B", LineReader.DOWN_LINE_OR_HISTORY},
            {"C", LineReader.FORWARD_CHAR}, {"D", LineReader.BACKWARD_CHAR}, {"H", LineReader.BEGINNING_OF_LINE},
            {"F", LineReader.END_OF_LINE}};
        for (String[] k : normal) {
            String seq = "\u001b[" + k[0];
            if (keys.getBound(seq) == null) {
                keys.bind(new Reference(k[1]), seq);
            }
        }
    }

    private int run(Terminal terminal) {
        List<String> commands = lines.commands();
        ShellHistory history = new ShellHistory(this::say);
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("cgledger").history(history)
                .parser(new QuotesEscaped())
                // the line as typed: no '!' expansion, no backslash removed
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                // saved after each Enter by ShellHistory, which says once if it cannot be
                .option(LineReader.Option.HISTORY_INCREMENTAL, false)
                .completer((reader, parsed, candidates) -> {
                    State s = parsed.wordIndex() == 0 ? State.EMPTY : stateForCompletion();
                    for (String c : Completions.candidates(s, session.cwd, commands, parsed.words(),
                            parsed.wordIndex())) {
                        boolean dir = c.endsWith("/");
                        candidates.add(new Candidate(c, c, null, null, null, null, !dir));
                    }
                });
        cli.out.println("cgledger shell on " + session.dir + " (TAB completes; Ctrl-C stops a command; 'quit' or "
                + "Ctrl-D ends)");
        cli.out.flush();
        Path file = ShellHistory.file(cli.environment.get("HOME"), this::say);
        if (file != null) {
            b.variable(LineReader.HISTORY_FILE, file);
        }
        LineReader reader = b.build();
        normalCursorKeys(reader);
        Optional<String> holder = session.heldBy();
        if (holder.isPresent()) {
            String wait;
            try {
                wait = "up to " + Main.lockTimeout(cli.environment.get("CGLEDGER_LOCK_TIMEOUT")).toMillis() + " ms";
            } catch (LedgerException e) {
                wait = "as CGLEDGER_LOCK_TIMEOUT says";
            }
            say("ledger " + session.dir + " is in use by another process (" + holder.get() + "): each command that "
                    + "needs it waits " + wait + " for it, then fails");
        }
        // the ledger, and a server's lease, are held only while a line runs: a shell left at its
        // prompt had kept every other writer out (a server's clients failed after their lock timeout)
        letGo();
        int number = 0;
        while (true) {
            String text;
            try {
                text = reader.readLine("cgledger:" + Out.visible(session.cwd) + "> ");
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return 0;
            }
            cli.cancel.reset();
            history.saveTo(reader);
            for (String line : ShellHistory.lines(text)) {
                if (cli.cancel.requested()) {
                    // Ctrl-C drops the rest of a pasted block too, as a terminal drops what is typed ahead
                    break;
                }
                if (line.isEmpty()) {
                    continue;
                }
                number++;
                cli.cancel.nextLine();
                ShLines.Ran ran = run(number, line);
                if (ran.quit()) {
                    return 0;
                }
                if (exitOnError && ran.code() != 0 && !cli.cancel.requested()) {
                    // as sh -e FILE ends: 3 for the ledger, 70 for a bug, 1 for any other failure
                    return ran.code() == CgLedger.LEDGER || ran.code() == CgLedger.BUG ? ran.code() : 1;
                }
            }
            letGo();
            if (cli.cancel.requested()) {
                // after the terminal's ^C, the prompt on a line of its own
                terminal.writer().println();
                terminal.flush();
            }
        }
    }

    /** Lets the ledger go while the shell waits at its prompt ({@link Session#letGo}); a failure to close it is said. */
    private void letGo() {
        try {
            session.letGo();
        } catch (LedgerException e) {
            CgLedger.failure(cli, e);
        } finally {
            cli.out.flush();
            cli.err.flush();
        }
    }

    /** Runs one line: a ledger failure is its failure (exit code 3) and the next line opens the ledger again. */
    private ShLines.Ran run(int number, String line) {
        try {
            try {
                return lines.run(number, line);
            } catch (LedgerException e) {
                try {
                    session.close();
                } catch (LedgerException again) {
                    // said below: the ledger failed
                }
                return new ShLines.Ran(CgLedger.failure(cli, e), false);
            }
        } catch (LineCancel.Cancelled e) {
            // Ctrl-C: the line stopped where it was safe to, and prints nothing more
            return new ShLines.Ran(0, false);
        } finally {
            cli.out.flush();
            cli.err.flush();
        }
    }

    /**
     * The model TAB completes from: the session's, or none when the ledger is held by another
     * process (completion never waits for its lock) or cannot be opened (the next line says why).
     */
    private State stateForCompletion() {
        if (session.lastSeen() != null) {
            // as the last line left it: the prompt holds no ledger (another process may have
            // written since; a completion is a suggestion)
            return session.lastSeen();
        }
        try {
            State s = session.stateWithoutWaiting();
            return s == null ? State.EMPTY : s;
        } catch (LedgerException e) {
            return State.EMPTY;
        } finally {
            // (the first TAB, before any line: the ledger it opened is let go again)
            letGo();
        }
    }

    /** One line on stderr about the shell itself (history, a busy ledger). */
    private void say(String message) {
        try {
            cli.err.println("cgledger: " + message);
            cli.err.flush();
        } catch (LineCancel.Cancelled e) {
            // Ctrl-C came just now: this line is not said
        }
    }

    /**
     * JLine's parser, but a completion outside quotes escapes a quote in a name too: JLine took a
     * quote in the middle of a candidate for quoting and inserted {@code it's/} as it is, a line
     * that then failed as an unterminated quote ({@code Tokens} reads it as the shell does).
     */
    static final class QuotesEscaped extends org.jline.reader.impl.DefaultParser {
        @Override
        public org.jline.reader.ParsedLine parse(String line, int cursor, ParseContext context) {
            org.jline.reader.ParsedLine parsed = super.parse(line, cursor, context);
            return parsed instanceof org.jline.reader.CompletingParsedLine c ? new Escaping(c) : parsed;
        }
    }

    /** A parsed line whose completions, typed outside quotes, escape what the shell would read. */
    record Escaping(org.jline.reader.CompletingParsedLine parsed) implements org.jline.reader.CompletingParsedLine {
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            if (openQuote(parsed.line(), parsed.cursor()) != 0) {
                // typed inside quotes: JLine's own (a name holding that very quote is not escaped right)
                return parsed.escape(candidate, complete);
            }
            StringBuilder b = new StringBuilder(candidate.length() + 4);
            for (int i = 0; i < candidate.length(); i++) {
                char c = candidate.charAt(i);
                if (Character.isWhitespace(c) || c == '\\' || c == '\'' || c == '"') {
                    b.append('\\');
                }
                b.append(c);
            }
            return b;
        }

        /** The quote open at {@code cursor} in {@code line} as the shell reads it ({@code '} or {@code "}), or 0. */
        static char openQuote(String line, int cursor) {
            char open = 0;
            for (int i = 0; i < cursor && i < line.length(); i++) {
                char c = line.charAt(i);
                if (open == '\'') {
                    open = c == '\'' ? 0 : open;
                } else if (c == '\\') {
                    i++;
                } else if (open == '"') {
                    open = c == '"' ? 0 : open;
                } else if (c == '\'' || c == '"') {
                    open = c;
                }
            }
            return open;
        }

        @Override
        public int rawWordCursor() {
            return parsed.rawWordCursor();
        }

        @Override
        public int rawWordLength() {
            return parsed.rawWordLength();
        }

        @Override
        public String word() {
            return parsed.word();
        }

        @Override
        public int wordCursor() {
            return parsed.wordCursor();
        }

        @Override
        public int wordIndex() {
            return parsed.wordIndex();
        }

        @Override
        public List<String> words() {
            return parsed.words();
        }

        @Override
        public String line() {
            return parsed.line();
        }

        @Override
        public int cursor() {
            return parsed.cursor();
        }
    }
}
