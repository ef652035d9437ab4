package org.cgledger.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sh [-e] [FILE]}: runs cgroupfs-style lines from FILE or stdin, all against one open
 * ledger; on a terminal without FILE, the interactive shell.
 */
@Command(name = "sh", description = {"Run cgroupfs-style lines from FILE or stdin (on a terminal: an interactive shell).",
        "Lines: mount -t container -o A none /H1, umount, mkdir [-p], rmdir, echo V > PATH/FILE, echo TEXT, "
                + "cat PATH/FILE, ls, cd, pwd, fork, exit PID, charge, uncharge, # comments, and every cgledger "
                + "command (init, stat, tree, csssets, ps, subsys, attach, set).",
        "A failing line is reported like a shell (rmdir: /H1/foo: Device or resource busy) and the run goes on; "
                + "the exit code is 1 if any line failed."},
        footerHeading = "%nExample:%n", footer = {"  cgledger --in-memory sh examples/seed.sh",
                "  printf 'mount -t container -o A none /H1\\nmkdir /H1/foo\\n' | cgledger --ledger /tmp/l sh"})
final class ShCmd extends BaseCommand {

    @Option(names = "-e", description = "Stop at the first failing line.")
    boolean exitOnError;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The script (default: stdin).")
    Path file;

    ShCmd(CliContext cli) {
        super(cli);
    }

    @Override
    int run(Session session, Out out) {
        session.inSh = true;
        ShLines lines = new ShLines(cli, session, CgLedger.createLineCommandLine(cli));
        if (file == null && cli.terminal) {
            return new Interactive(cli, session, lines).run();
        }
        Reader reader;
        try {
            reader = file == null ? new InputStreamReader(cli.stdin, StandardCharsets.UTF_8)
                    : Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageError(file + ": No such file or directory");
        } catch (IOException e) {
            throw new UsageError(file + ": " + e.getMessage());
        }
        boolean failed = false;
        try (BufferedReader in = new BufferedReader(reader)) {
            int number = 0;
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                number++;
                ShLines.Ran ran = lines.run(number, text);
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
        } catch (IOException e) {
            throw new UsageError("cannot read " + (file == null ? "stdin" : file) + ": " + e.getMessage());
        } finally {
            session.line = 0;
        }
        return failed ? 1 : 0;
    }
}
