package org.cgledger.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell (JLine): history, TAB completion of commands, paths, pids, subsystems and
 * object names, {@code cd}/{@code pwd}; each line runs as an {@code sh} line. Ends on {@code quit},
 * {@code exit} without a pid, or end of input.
 */
final class Interactive {

    private final CliContext cli;
    private final Session session;
    private final ShLines lines;

    Interactive(CliContext cli, Session session, ShLines lines) {
        this.cli = cli;
        this.session = session;
        this.lines = lines;
    }

    int run() {
        List<String> commands = new ArrayList<>();
        for (Class<?> c : CgLedger.subcommands()) {
            picocli.CommandLine.Command a = c.getAnnotation(picocli.CommandLine.Command.class);
            if (a != null && !a.name().equals("sh") && !a.name().equals("conformance")) {
                commands.add(a.name());
            }
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("cgledger")
                    .completer((reader, parsed, candidates) -> {
                        for (String c : Completions.candidates(session.state(), session.cwd, commands, parsed.words(),
                                parsed.wordIndex())) {
                            boolean dir = c.endsWith("/");
                            candidates.add(new Candidate(c, c, null, null, null, null, !dir));
                        }
                    });
            String home = cli.environment.get("HOME");
            if (home != null) {
                b.variable(LineReader.HISTORY_FILE, Path.of(home, ".cgledger_history"));
            }
            LineReader reader = b.build();
            cli.out.println("cgledger shell on " + session.dir + " (TAB completes; 'quit' or Ctrl-D ends)");
            cli.out.flush();
            boolean failed = false;
            int number = 0;
            while (true) {
                String text;
                try {
                    text = reader.readLine("cgledger:" + session.cwd + "> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                number++;
                ShLines.Ran ran = lines.run(number, text);
                cli.out.flush();
                cli.err.flush();
                failed |= ran.code() != 0;
                if (ran.quit()) {
                    break;
                }
            }
            return failed ? 1 : 0;
        } catch (IOException e) {
            throw new UsageError("cannot open the terminal: " + e.getMessage());
        } finally {
            session.line = 0;
        }
    }
}
