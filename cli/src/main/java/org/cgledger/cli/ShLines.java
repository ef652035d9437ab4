package org.cgledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cgledger.core.command.SetFile;
import org.cgledger.core.decide.Paths;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Result;
import org.cgledger.core.query.CgroupFiles;
import org.cgledger.core.state.State;
import org.cgledger.persistence.LedgerException;
import picocli.CommandLine;

/**
 * Runs {@code sh} lines against one session: cgroupfs-style shell lines ({@code echo V > PATH/FILE},
 * {@code echo TEXT}, {@code cd}, {@code pwd}, {@code #} comments) and every cgledger command
 * ({@code mount -t container -o A none /H1}, {@code mkdir -p}, {@code cat}, {@code fork}, ...).
 */
final class ShLines {

    /** What one line gave: its exit code, and whether the shell should stop ({@code quit}). */
    record Ran(int code, boolean quit) {
    }

    private final CliContext cli;
    private final Session session;
    private final CommandLine line;

    /**
     * What a line's command threw that ends the line rather than being answered as a bug: a
     * ledger failure, or Ctrl-C ({@link LineCancel.Cancelled}); thrown on from {@link #run}.
     */
    private RuntimeException escaped;

    /** One of the shell's own words as {@code help} shows it: its name, its form, what it does. */
    record Word(String name, String form, String what) {
    }

    /** The shell's own words, listed by {@code help} before the commands ({@code exit PID} is a command). */
    static final List<Word> WORDS = List.of(
            new Word("cd", "cd [PATH]", "Change the working directory (no PATH: /)."),
            new Word("pwd", "pwd", "Print the working directory."),
            new Word("echo", "echo [-n] TEXT", "Print TEXT."),
            new Word("echo", "echo [-n] V > PATH/FILE", "Write V to a cgroup file (and a newline, unless -n)."),
            new Word("#", "# ...", "A comment."),
            new Word("quit", "quit, exit", "End the shell (exit PID: a task exits)."));

    ShLines(CliContext cli, Session session, CommandLine line) {
        this.cli = cli;
        this.session = session;
        this.line = line;
        // picocli prints a stack trace for whatever its handler throws, and goes on: a ledger
        // failure is kept to be thrown on past it, a bug is reported as on the command line (one
        // line, or a JSON answer with the line number) and the script goes on
        line.setExecutionExceptionHandler((ex, cl, parsed) -> {
            if (ex instanceof LedgerException || ex instanceof LineCancel.Cancelled) {
                escaped = (RuntimeException) ex;
                return CgLedger.LEDGER;
            }
            return CgLedger.failure(cli, ex);
        });
    }

    /** Every word that begins a line this runs: the commands, then the shell's own words (TAB offers these). */
    List<String> commands() {
        List<String> names = new ArrayList<>(line.getSubcommands().keySet());
        for (Word w : WORDS) {
            if (!w.name().equals("#") && !names.contains(w.name())) {
                names.add(w.name());
            }
        }
        return names;
    }

    Session session() {
        return session;
    }

    /**
     * Runs line {@code number} ({@code text}); a ledger failure is thrown, and so is Ctrl-C in the
     * interactive shell ({@link LineCancel.Cancelled}); a bug is answered as the line's failure
     * with exit code {@link CgLedger#BUG}.
     */
    Ran run(int number, String text) {
        session.line = number;
        Out out = new Out(cli, session.json, number);
        List<String> words;
        try {
            words = Tokens.split(text);
        } catch (UsageError e) {
            return new Ran(out.usage("sh: line " + number, e.getMessage()), false);
        }
        if (words.isEmpty()) {
            return new Ran(0, false);
        }
        int invalid = text.indexOf('\uFFFD');
        if (invalid >= 0) {
            // (how ShCmd reads a byte that is not UTF-8; where, as the character of the line counted from 1)
            return new Ran(out.usage("sh: line " + number, "not valid UTF-8 at character "
                    + (text.codePointCount(0, invalid) + 1)), false);
        }
        String cmd = words.get(0);
        int redirect = indexOfRedirect(words);
        if (redirect >= 0) {
            if (!cmd.equals("echo")) {
                return new Ran(out.usage("sh: line " + number, "only echo can write to a file (echo VALUE > PATH/FILE)"),
                        false);
            }
            try {
                return new Ran(echoTo(out, words, redirect), false);
            } catch (Refused r) {
                // (a path from a removed working directory: the line fails, not the script)
                return new Ran(out.refused("echo", r.subject, r.errno, r.reason), false);
            }
        }
        switch (cmd) {
            case "echo":
                return new Ran(echo(out, words), false);
            case "cd":
                try {
                    return new Ran(cd(out, words), false);
                } catch (Refused r) {
                    return new Ran(out.refused("cd", r.subject, r.errno, r.reason), false);
                }
            case "pwd":
                if (words.size() > 1) {
                    return new Ran(out.usage("pwd", "too many arguments"), false);
                }
                if (out.json) {
                    out.emit(out.okNode().put("cwd", session.cwd));
                } else {
                    out.println(session.cwd);
                }
                return new Ran(0, false);
            case "quit":
                if (words.size() > 1) {
                    // (it had ended the script whatever followed: 'quit now')
                    return new Ran(out.usage("sh: line " + number, "quit takes no argument (exit PID: a task exits)"),
                            false);
                }
                return new Ran(0, true);
            case "exit":
                if (words.size() == 1) {
                    return new Ran(0, true);
                }
                break;
            case "sh":
                return new Ran(out.usage("sh: line " + number, "sh cannot run inside sh"), false);
            case "help":
                // (help help: the shell's help is its list, not picocli's page on its help command)
                if (words.size() == 1 || words.size() == 2 && words.get(1).equals("help")) {
                    help(out);
                    return new Ran(0, false);
                }
                if (words.size() == 2 && words.get(1).equals("--json")) {
                    // as 'help mkdir --json' answers in JSON: the shell's list (it had been "no command '--json'")
                    help(new Out(cli, true, number));
                    return new Ran(0, false);
                }
                if (words.size() == 2) {
                    return new Ran(help(out, words.get(1)), false);
                }
                break;
            default:
                for (Class<?> c : CgLedger.NOT_LINES) {
                    if (c.getAnnotation(CommandLine.Command.class).name().equals(cmd)) {
                        return new Ran(out.usage("sh: line " + number, cmd + " runs as a process of its own (cgledger "
                                + cmd + "), not as a line of sh"), false);
                    }
                }
                break;
        }
        int code = line.execute(words.toArray(new String[0]));
        if (escaped != null) {
            RuntimeException e = escaped;
            escaped = null;
            throw e;
        }
        return new Ran(code, false);
    }

    /**
     * {@code help}: what a line can run, one line each: the shell's own words, then the commands
     * with the gist of their description ({@code help COMMAND}: picocli's help of one).
     */
    private void help(Out out) {
        if (out.json) {
            ObjectNode n = out.okNode();
            ArrayNode own = n.putArray("shell");
            for (Word w : WORDS) {
                own.addObject().put("form", w.form()).put("what", w.what());
            }
            ArrayNode commands = n.putArray("commands");
            for (Map.Entry<String, CommandLine> c : line.getSubcommands().entrySet()) {
                commands.addObject().put("name", c.getKey()).put("what", gistOf(c.getValue()));
            }
            out.emit(n);
            return;
        }
        StringBuilder b = new StringBuilder("Each line runs one command; 'help COMMAND' shows its options.\n");
        b.append("The shell's own:\n");
        for (Word w : WORDS) {
            b.append(String.format("  %-24s %s%n", w.form(), w.what()));
        }
        b.append("Commands:\n");
        for (Map.Entry<String, CommandLine> c : line.getSubcommands().entrySet()) {
            b.append(String.format("  %-11s %s%n", c.getKey(), gistOf(c.getValue())));
        }
        out.println(b.toString().stripTrailing());
    }

    private static String gistOf(CommandLine command) {
        CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        String[] text = usage.header().length > 0 ? usage.header() : usage.description();
        return text.length == 0 ? "" : gist(String.format(text[0]).strip());
    }

    /**
     * {@code help NAME}: a word of the shell's own, a command's help (as {@code COMMAND --help}
     * prints it; with {@code --json}, in one object), or why there is none.
     */
    private int help(Out out, String name) {
        List<Word> forms = name.equals("exit") ? List.of() : WORDS.stream().filter(w -> w.name().equals(name)).toList();
        CommandLine command = line.getSubcommands().get(name);
        if (forms.isEmpty() && command == null) {
            for (Class<?> c : CgLedger.NOT_LINES) {
                if (c.getAnnotation(CommandLine.Command.class).name().equals(name)) {
                    return out.usage("help", name + " runs as a process of its own, not as a line of sh (see 'cgledger "
                            + name + " --help')");
                }
            }
            return out.usage("help", "no command '" + name + "' (see 'help')");
        }
        String text = command != null ? command.getUsageMessage().stripTrailing()
                : String.join("\n", forms.stream().map(w -> w.form() + ": " + w.what()).toList());
        if (out.json) {
            out.emit(out.okNode().put("help", text));
        } else {
            // picocli's page, coloured on a terminal: printed as it is, as COMMAND --help prints it
            out.printlnAsIs(text);
        }
        return 0;
    }

    /** Characters of a command's gist in {@code help}: a line of 80 columns with its name. */
    static final int GIST = 66;

    /**
     * The gist of a description, at most {@link #GIST} characters: its first sentence, or else what
     * comes before its first colon outside parentheses, or before its first parenthesis, or else
     * its words that fit, and "...".
     */
    static String gist(String text) {
        int end = text.length();
        for (String stop : List.of(". ", "? ")) {
            int at = text.indexOf(stop);
            if (at >= 0 && at + 1 < end) {
                end = at + 1;
            }
        }
        String sentence = text.substring(0, end);
        if (sentence.length() <= GIST) {
            return sentence;
        }
        for (String stop : List.of(": ", " (")) {
            for (int at = sentence.indexOf(stop, 10); at >= 0 && at <= GIST; at = sentence.indexOf(stop, at + 1)) {
                String before = sentence.substring(0, at);
                if (before.chars().filter(c -> c == '(').count() == before.chars().filter(c -> c == ')').count()) {
                    return before;
                }
            }
        }
        int space = sentence.lastIndexOf(' ', GIST - 3);
        return sentence.substring(0, space < 0 ? GIST - 3 : space) + "...";
    }

    private static int indexOfRedirect(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equals(Tokens.REDIRECT) || words.get(i).equals(Tokens.APPEND)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code echo [-n] VALUE... > PATH/FILE}: one write of the value (with echo's newline unless -n). */
    private int echoTo(Out out, List<String> words, int redirect) {
        if (redirect != words.size() - 2) {
            return out.usage("sh: line " + session.line, "echo VALUE > PATH/FILE takes one file after >");
        }
        List<String> args = words.subList(1, redirect);
        boolean newline = true;
        if (!args.isEmpty() && args.get(0).equals("-n")) {
            newline = false;
            args = args.subList(1, args.size());
        }
        String value = String.join(" ", args) + (newline ? "\n" : "");
        String typed = words.get(words.size() - 1);
        // '.' or '..' walked from a removed working directory still names a directory: the
        // shell's > opens it to write, EISDIR (it had been ENOENT)
        Refused directory = new Refused(typed, Errno.EISDIR, "'" + typed + "' names a directory (walked from the"
                + " removed working directory " + session.cwd + ")");
        String target = session.resolve(typed, directory, directory);
        if (value.isEmpty()) {
            // a zero-byte write(2) is a no-op on every cgroupfs file, but the shell's > opens the
            // file first, as a write would: a directory is EISDIR, a missing group ENOENT, a name
            // that is no file of its group EACCES (cgroupfs creates none); it had never looked
            return emptyWrite(out, target);
        }
        Result<CgroupPath> parsed = Paths.parse(session.state(), target);
        if (parsed instanceof Result.Refused<CgroupPath> bad) {
            return out.refused("echo", target, bad.errno(), bad.reason());
        }
        CgroupPath p = ((Result.Ok<CgroupPath>) parsed).value();
        if (p.isRoot() || Paths.aboveMounts(session.state(), p)) {
            // a directory above a mount point (/m of /m/H1) is one too, as echo -n '' and cat
            // already said (it had been ENOENT, as for a file outside every hierarchy)
            return out.refused("echo", target, Errno.EISDIR, p + " is a directory");
        }
        if (target.endsWith("/") && Paths.find(session.state(), p.parent().toString()).isOk()) {
            // a shell's > opens to create (O_CREAT), which a name ending in / refuses, file or not
            return out.refused("echo", target, Errno.EISDIR, target + " names a directory (it ends in /)"
                    + (Paths.find(session.state(), p.toString()).isOk() ? "" : ": a file cannot be opened so"));
        }
        return BaseCommand.write(session, out, "echo", target, new SetFile(p.parent().toString(), p.name(), value),
                null);
    }

    /** {@code echo -n '' > target}: opened as a write opens it, and nothing written. */
    private int emptyWrite(Out out, String target) {
        State s = session.state();
        Result<List<String>> opened = s.initialized() ? CgroupFiles.read(s, target)
                : Result.refused(Errno.ENOENT, target + ": no such file or directory");
        if (opened instanceof Result.Refused<List<String>> bad) {
            Errno errno = bad.errno();
            String reason = bad.reason();
            if (target.endsWith("/") && errno != Errno.ENOENT) {
                // a shell's > opens to create (O_CREAT), which a name ending in / refuses, file or not
                errno = Errno.EISDIR;
                reason = target + " names a directory (it ends in /)";
            } else if (errno == Errno.ENOENT && Paths.parse(s, target) instanceof Result.Ok<CgroupPath> p
                    && !p.value().isRoot() && Paths.find(s, p.value().parent().toString()).isOk()) {
                errno = Errno.EACCES;
                reason = target + ": cgroupfs creates no file (no such control file)";
            }
            return out.refused("echo", target, errno, reason);
        }
        if (out.json) {
            // as a write that records nothing answers
            com.fasterxml.jackson.databind.node.ObjectNode n = out.okNode();
            n.putArray("events");
            out.emit(n);
        }
        return 0;
    }

    private int echo(Out out, List<String> words) {
        List<String> args = words.subList(1, words.size());
        boolean newline = true;
        if (!args.isEmpty() && args.get(0).equals("-n")) {
            newline = false;
            args = args.subList(1, args.size());
        }
        String text = String.join(" ", args);
        if (out.json) {
            out.emit(out.okNode().put("echo", text));
        } else if (newline) {
            out.printlnAsIs(text);
        } else {
            cli.out.print(text);
            cli.out.flush();
        }
        return 0;
    }

    private int cd(Out out, List<String> words) {
        if (words.size() > 2) {
            return out.usage("cd", "too many arguments");
        }
        // '.' of a removed working directory: chdir(".") stays in it, as the kernel's does
        Refused stays = new Refused(null, Errno.ENOENT, "");
        String target;
        try {
            target = words.size() == 1 ? "/" : session.resolve(words.get(1), stays);
        } catch (Refused r) {
            if (r != stays) {
                throw r;
            }
            if (out.json) {
                out.emit(out.okNode().put("cwd", session.cwd));
            }
            return 0;
        }
        State s = session.state();
        Result<CgroupPath> parsed = Paths.parse(s, target);
        if (parsed instanceof Result.Refused<CgroupPath> bad) {
            return out.refused("cd", words.size() == 1 ? target : words.get(1), bad.errno(), bad.reason());
        }
        String normalized = ((Result.Ok<CgroupPath>) parsed).value().toString();
        // up from a removed working directory, into a directory removed too: the kernel's dead
        // directories still lead to their parents, and cd goes there
        boolean climbing = words.size() == 2 && words.get(1).matches("\\.\\.?(/+\\.\\.?)*/*")
                && session.cwd.startsWith(normalized.equals("/") ? "/" : normalized + "/") && session.cwdGone();
        if (!normalized.equals("/") && !climbing) {
            Result<?> r = s.initialized() ? CgroupFiles.list(s, normalized)
                    : Result.refused(Errno.ENOENT, "no ledger yet");
            if (r instanceof Result.Refused<?> bad) {
                return out.refused("cd", words.get(1), bad.errno(), bad.reason());
            }
        }
        // each directory up to the new one, as the group there now; climbing, as the groups the
        // working directory was in (ls had listed, and mkdir made in, a group made since at the
        // path of a removed one cd .. climbed into)
        Map<String, CgroupId> ancestors = new HashMap<>();
        CgroupId group = null;
        if (climbing) {
            group = session.cwdAncestors.get(normalized);
            session.cwdAncestors.forEach((dir, id) -> {
                if (normalized.startsWith(dir.equals("/") ? "/" : dir + "/")) {
                    ancestors.put(dir, id);
                }
            });
        } else if (s.initialized()) {
            for (int end = normalized.indexOf('/', 1); ; end = normalized.indexOf('/', end + 1)) {
                String dir = end < 0 ? normalized : normalized.substring(0, end);
                if (Paths.find(s, dir) instanceof Result.Ok<Paths.Found> f) {
                    if (end < 0) {
                        group = f.value().c().id();
                    } else {
                        ancestors.put(dir, f.value().c().id());
                    }
                }
                if (end < 0) {
                    break;
                }
            }
        }
        session.cwd = normalized;
        session.cwdGroup = group;
        session.cwdAncestors = ancestors;
        if (out.json) {
            out.emit(out.okNode().put("cwd", normalized));
        }
        return 0;
    }
}
