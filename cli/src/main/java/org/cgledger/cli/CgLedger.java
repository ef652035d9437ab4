package org.cgledger.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Result;
import org.cgledger.persistence.LedgerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The root command, and the one place that maps outcomes to exit codes: 0 ok, 1 refused by the
 * model, 2 usage, 3 the ledger itself (locked, unreadable, corrupt), 70 a bug (one line; the stack
 * trace only with {@code --verbose}).
 */
@Command(name = "cgledger", version = "cgledger 0.1.0",
        description = {"An event-sourced model of Linux cgroups v1 (the 2007 containers patch).",
                "With no command on a terminal: an interactive shell."},
        footerHeading = "%nExample:%n",
        footer = {"  cgledger --ledger /tmp/l mount -t cgroup -o A none /H1 && cgledger --ledger /tmp/l tree",
                "",
                "A missing ledger is created on the first write with subsystems A,B,cpu,memory,beancounter,",
                "pin=css and rmdir=strict; use 'init' first to choose others.",
                "Exit codes: 0 ok, 1 refused by the model, 2 usage, 3 the ledger itself, 70 a bug,",
                "141 stdout is a pipe its reader closed (| head)."})
public final class CgLedger implements Callable<Integer> {

    /** Exit code for a refusal by the model. */
    public static final int REFUSED = 1;
    /** Exit code for a usage error. */
    public static final int USAGE = 2;
    /** Exit code for a failure of the ledger itself. */
    public static final int LEDGER = 3;
    /** Exit code for a bug (EX_SOFTWARE). */
    public static final int BUG = 70;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    /** What the command line shares (package-private for tests that give the shell a terminal of their own). */
    final CliContext cli;

    CgLedger(CliContext cli) {
        this.cli = cli;
        cli.rootOptions = global;
    }

    /**
     * The command line of a process: the system's environment and stdin, a terminal if there is a
     * console, and only the subcommands {@code invoked} names ({@link #invoked} of its arguments:
     * picocli reads every command's annotations to build its model, and building all of them cost
     * each one-shot command about 0.1 s).
     */
    public static CommandLine createCommandLine(PrintWriter out, PrintWriter err, LedgerOpener opener,
                                                List<Class<?>> invoked) {
        return createCommandLine(out, err, opener, System.getenv(), System.in, System.console() != null, invoked);
    }

    /** The command line with every subcommand, with everything it reads from outside given. */
    public static CommandLine createCommandLine(PrintWriter out, PrintWriter err, LedgerOpener opener,
                                                Map<String, String> environment, InputStream stdin, boolean terminal) {
        return createCommandLine(out, err, opener, environment, stdin, terminal, subcommands());
    }

    /** The command line with the given subcommands (all of them, or the one invoked). */
    static CommandLine createCommandLine(PrintWriter out, PrintWriter err, LedgerOpener opener,
                                         Map<String, String> environment, InputStream stdin, boolean terminal,
                                         List<Class<?>> subcommands) {
        CliContext cli = new CliContext(out, err, opener, environment, stdin, terminal);
        CgLedger root = new CgLedger(cli);
        CommandLine cl = new CommandLine(root, factory(cli));
        for (Class<?> c : subcommands) {
            cl.addSubcommand(factoryCreate(cli, c));
        }
        if (subcommands.size() > 1) {
            cl.addSubcommand(new CommandLine.HelpCommand());
        }
        configure(cl, cli, "cgledger");
        cl.setExecutionStrategy(parseResult -> {
            int code;
            try {
                String undecodable = undecodable(parseResult.originalArgs());
                if (undecodable != null) {
                    List<CommandLine> parsed = parseResult.asCommandLineList();
                    throw new ParameterException(parsed.get(parsed.size() - 1), undecodable);
                }
                refuseExtras(parseResult);
                Integer helped = jsonHelp(cli, parseResult);
                code = helped != null ? helped : new CommandLine.RunLast().execute(parseResult);
            } catch (RuntimeException | Error e) {
                try {
                    cli.closeSession();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            try {
                cli.closeSession();
            } catch (RuntimeException e) {
                // closing the ledger failed after the command's answer (it had been picocli's stack
                // trace and exit 1, a refusal's code): one line, or one JSON object, after an answer
                // that succeeded; a command that failed keeps its own answer and code alone
                return code == 0 ? failure(cli, e, jsonAsked(parseResult)) : code;
            }
            return code;
        });
        return cl;
    }

    /**
     * Refuses the words picocli leaves unmatched when help is asked for ({@code help mkdir rmdir},
     * {@code --version extra}): it prints the help and passes over them, so they had been taken
     * without a word, where any other extra word is a usage error.
     */
    static void refuseExtras(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                if (p.commandSpec().parent() == null) {
                    // the root's extra word is an unknown command ('--version extra')
                    throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
                }
                // (picocli's own words: 'Unmatched argument at index 2')
                throw new ParameterException(p.commandSpec().commandLine(), "unexpected argument '"
                        + p.unmatched().get(0) + "'");
            }
            if (p.isVersionHelpRequested() && p.subcommand() != null) {
                // 'cgledger --version ls' had printed the version and run nothing
                throw new ParameterException(p.commandSpec().commandLine(), "--version takes no command: '"
                        + p.subcommand().commandSpec().name() + "'");
            }
        }
    }

    /**
     * {@code COMMAND --help} under {@code --json}: the help text in one JSON object, as {@code sh}'s
     * {@code help COMMAND} answers it (it was the plain text, in the middle of {@code sh --json}'s
     * lines), and {@code --version} likewise; null when no help was asked for with JSON.
     */
    static Integer jsonHelp(CliContext cli, CommandLine.ParseResult parsed) {
        if (!jsonAsked(parsed) && !cli.json()) {
            return null;
        }
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            CommandLine of = null;
            if (p.isVersionHelpRequested()) {
                // '--json --version' as '--json --help': one object (it was the plain line)
                return helpJson(cli, "version", String.join("\n", p.commandSpec().version()));
            }
            if (p.isUsageHelpRequested()) {
                of = p.commandSpec().commandLine();
            } else if (p.commandSpec().userObject() instanceof CommandLine.HelpCommand && p.commandSpec().parent() != null) {
                // 'help mkdir': picocli's own command, which prints the page itself
                List<String> names = p.matchedPositionals().isEmpty() ? List.of()
                        : p.matchedPositionals().get(0).stringValues();
                CommandLine parent = p.commandSpec().parent().commandLine();
                of = names.isEmpty() ? parent : parent.getSubcommands().get(names.get(0));
            }
            if (of != null) {
                return helpJson(cli, "help", of.getUsageMessage().stripTrailing());
            }
        }
        return null;
    }

    /** The one JSON object of a help or version request: {@code field} and its text. */
    private static int helpJson(CliContext cli, String field, String text) {
        Session s = cli.currentSession();
        Out out = new Out(cli, true, s == null ? 0 : s.line);
        out.emit(out.okNode().put(field, text));
        return 0;
    }

    /**
     * The command line that runs one {@code sh} line: the same subcommands, sharing {@code cli}'s
     * open session. A ledger failure or a bug is thrown to the enclosing {@code sh}.
     */
    static CommandLine createLineCommandLine(CliContext cli) {
        CommandLine cl = new CommandLine(new LineRoot(), factory(cli));
        for (Class<?> c : subcommands()) {
            if (!NOT_LINES.contains(c)) {
                cl.addSubcommand(factoryCreate(cli, c));
            }
        }
        // 'help mkdir' at the shell's prompt, as on the command line ('help' alone: ShLines)
        cl.addSubcommand(new CommandLine.HelpCommand());
        configure(cl, cli, "sh");
        cl.setExecutionStrategy(parseResult -> {
            refuseExtras(parseResult);
            Integer helped = jsonHelp(cli, parseResult);
            return helped != null ? helped : new CommandLine.RunLast().execute(parseResult);
        });
        for (CommandLine sub : cl.getSubcommands().values()) {
            // a line runs on the shell's ledger: it refuses these in words (CliContext.session),
            // and its help does not offer them
            hide(sub.getCommandSpec(), "--ledger");
            hide(sub.getCommandSpec(), "--in-memory");
        }
        return cl;
    }

    /**
     * The commands that are not lines of {@code sh}: they run as processes of their own ({@code sh}
     * itself, a server, the conformance run against the live kernel, the bench, the completion
     * script for bash).
     */
    static final List<Class<?>> NOT_LINES = List.of(ShCmd.class, ServeCmd.class, ConformanceCmd.class, BenchCmd.class,
            CompletionCmd.class);

    /**
     * The subcommand {@code args} invoke, alone, when their first word after the root's options
     * names one; otherwise (no command, {@code help}, {@code completion}, an unknown word,
     * {@code --}) every one.
     */
    static List<Class<?>> invoked(String[] args) {
        List<Class<?>> all = subcommands();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return all;
            }
            if (a.equals("--ledger")) {
                i++;
                continue;
            }
            if (a.startsWith("-")) {
                continue;
            }
            for (Class<?> c : all) {
                Command command = c.getAnnotation(Command.class);
                if (command.name().equals(a) || Arrays.asList(command.aliases()).contains(a)) {
                    // the completion script describes every command
                    return c == CompletionCmd.class ? all : List.of(c);
                }
            }
            return all;
        }
        return all;
    }

    /** The commands that work on the model: they open the ledger, and read nothing else of it. */
    static List<Class<?>> modelCommands() {
        List<Class<?>> all = WriteCommands.all();
        all.addAll(views());
        return all;
    }

    /** The model's commands that only read it. */
    static List<Class<?>> views() {
        return Arrays.asList(ViewCommands.LsCmd.class, ViewCommands.CatCmd.class, ViewCommands.TreeCmd.class,
                ViewCommands.StatCmd.class, ViewCommands.CssSetsCmd.class, ViewCommands.PsCmd.class,
                ViewCommands.SubsysCmd.class);
    }

    static List<Class<?>> subcommands() {
        List<Class<?>> all = modelCommands();
        all.addAll(ReplayCommands.all());
        all.addAll(Arrays.asList(ShCmd.class, ServeCmd.class, ConformanceCmd.class, BenchCmd.class, CompletionCmd.class));
        return all;
    }

    private static CommandLine.IFactory factory(CliContext cli) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return cls.getDeclaredConstructor(CliContext.class).newInstance(cli);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        };
    }

    private static Object factoryCreate(CliContext cli, Class<?> c) {
        try {
            return factory(cli).create(c);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + c, e);
        }
    }

    /** Registers the converters on {@code cl} and every subcommand added so far. */
    private static void registerConverters(CommandLine cl) {
        cl.registerConverter(Pid.class, text -> {
            // a pid argument is the number ps shows: decimal, 010 is 10 (it had been read as a
            // tasks file's text is, 010 as 8 and 0x10 as 16; attach and echo > tasks still read so)
            if (!text.strip().matches("[-+]?[0-9]+")) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not one pid (a decimal number)");
            }
            java.math.BigInteger v = new java.math.BigInteger(text.strip());
            if (v.bitLength() > 31) {
                // past an int: no pid at all (one past a long had quoted Java's range); within it, the
                // model answers (fork --pid above the largest: EINVAL; exit of one: ESRCH)
                throw new CommandLine.TypeConversionException("'" + text + "' is " + (v.signum() < 0 ? "negative: no pid"
                        : "above the largest pid, " + Pid.MAX));
            }
            Result<Pid> r = Pid.parse(v.toString());
            if (r instanceof Result.Refused<Pid> bad) {
                throw new CommandLine.TypeConversionException(bad.reason());
            }
            return ((Result.Ok<Pid>) r).value();
        });
        // picocli's own say "'abc' is not a long": a Java type name, and the same for a number too large.
        // A negative one is read, and its command refuses it in words of its own (event numbers start
        // at 1; a charge cannot be negative: EINVAL), but none takes one: one past a long is said out
        // of the range taken, from 0 (it had quoted a long's, from -9223372036854775808)
        CommandLine.ITypeConverter<Long> longs = text -> number(text, Long.MIN_VALUE, Long.MAX_VALUE, 0);
        CommandLine.ITypeConverter<Integer> ints = text -> (int) number(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
        cl.registerConverter(Long.class, longs);
        cl.registerConverter(long.class, longs);
        cl.registerConverter(Integer.class, ints);
        cl.registerConverter(int.class, ints);
    }

    /** {@code text} as a whole number within [{@code min}, {@code max}], or a conversion error saying why not. */
    static long number(String text, long min, long max) {
        return number(text, min, max, min);
    }

    /**
     * {@link #number(String, long, long)}, an error saying the range from {@code said} (the least
     * any command takes, where a smaller {@code min} is read for the command to refuse in its words).
     */
    static long number(String text, long min, long max, long said) {
        String t = text.strip();
        if (!t.matches("[-+]?[0-9]+")) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number");
        }
        try {
            long v = Long.parseLong(t);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // out of range: said below
        }
        throw new CommandLine.TypeConversionException("'" + text + "' is out of range (" + said + " to " + max + ")");
    }

    /**
     * Option {@code name} left out of {@code spec}'s help (every command shares {@code --ledger}
     * and {@code --in-memory}, and the help offered them where they are refused: {@code --in-memory}
     * to the commands that work on a directory, both to a line of {@code sh}); still parsed, so
     * that the command refuses it in words of its own.
     */
    private static void hide(CommandLine.Model.CommandSpec spec, String name) {
        CommandLine.Model.OptionSpec option = spec.findOption(name);
        if (option != null && !option.hidden()) {
            spec.remove(option);
            spec.addOption(CommandLine.Model.OptionSpec.builder(option).hidden(true).build());
        }
    }

    private static void describe(CommandLine.Model.CommandSpec spec, String name, String description) {
        CommandLine.Model.OptionSpec option = spec.findOption(name);
        if (option != null) {
            spec.remove(option);
            spec.addOption(CommandLine.Model.OptionSpec.builder(option).description(description).build());
        }
    }

    /**
     * The footers (examples) of {@code cl} and its subcommands printed line for line: picocli wraps
     * them at the usage width, which broke example commands in the middle of a word, so that a
     * copied example did not run.
     */
    private static void footersAsWritten(CommandLine cl, boolean asLines) {
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
            StringBuilder b = new StringBuilder();
            for (String line : footer(help.commandSpec(), asLines)) {
                b.append(line).append(System.lineSeparator());
            }
            return b.toString();
        });
        // no heading over examples of which none is a line of sh
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING,
                help -> footer(help.commandSpec(), asLines).isEmpty() ? "" : help.footerHeading());
        for (CommandLine sub : cl.getSubcommands().values()) {
            footersAsWritten(sub, asLines);
        }
    }

    /** The lines of a command's footer as {@link #footersAsWritten} prints them. */
    private static List<String> footer(CommandLine.Model.CommandSpec spec, boolean asLines) {
        List<String> lines = new ArrayList<>();
        boolean namesNoLedger = false;
        for (String line : spec.usageMessage().footer()) {
            String shown = asLines ? asLine(String.format(line)) : String.format(line);
            if (shown != null) {
                lines.add(shown);
                namesNoLedger |= !asLines && shown.startsWith("  cgledger ") && !shown.contains("--ledger")
                        && !shown.contains("--in-memory");
            }
        }
        if (namesNoLedger && spec.findOption("--ledger") != null) {
            // run as shown, they answered 'no ledger chosen'
            lines.add("  (the ledger: --ledger DIR after cgledger, or CGLEDGER_LEDGER=DIR in the environment)");
        }
        return lines;
    }

    /**
     * An example of the command line as a line of {@code sh} types it ({@code cgledger --ledger ./l
     * mkdir /H1/a} is {@code mkdir /H1/a} there, {@code cgledger graph > refs.dot} is {@code graph}),
     * or null for one that is no line: one that pipes into another process, or no example at all. A
     * chain ({@code &&}) keeps its first command.
     */
    static String asLine(String example) {
        String line = example;
        if (line.startsWith("  cgledger ")) {
            line = "  " + line.substring("  cgledger ".length());
            if (line.startsWith("  --ledger ")) {
                int end = line.indexOf(' ', "  --ledger ".length());
                line = end < 0 ? "  " : "  " + line.substring(end + 1);
            }
        } else {
            return null;
        }
        for (String cut : List.of(" && ", " > ")) {
            int at = line.indexOf(cut);
            if (at >= 0) {
                line = line.substring(0, at);
            }
        }
        if (line.contains(" | ") || line.contains("cgledger") || line.isBlank()) {
            return null;
        }
        return line;
    }

    /** The commands that work on a ledger directory only, and refuse {@code --in-memory}. */
    private static final Set<String> DIRECTORY_ONLY = Set.of("serve", "import", "compact");

    /** Writers, converters and handlers, on {@code cl} and every subcommand (so call it after adding them). */
    private static CommandLine configure(CommandLine cl, CliContext cli, String prefix) {
        registerConverters(cl);
        CommandLine help = cl.getSubcommands().get("help");
        if (help != null) {
            // picocli's own command: every command's help has an example (README)
            help.getCommandSpec().usageMessage().footerHeading("%nExample:%n").footer("  cgledger help mkdir");
            // after the command's name, as every other command takes it ('help mkdir --json' had been refused,
            // 'unexpected argument', where 'mkdir --help --json' answers): jsonHelp answers it
            help.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("--json").arity("0")
                    .description("Print the help text in one JSON object.").build());
        }
        footersAsWritten(cl, prefix.equals("sh"));
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (sub.getKey().equals("conformance")) {
                // a fresh model of its own for each script: it refuses a ledger in words (ConformanceCmd)
                hide(sub.getValue().getCommandSpec(), "--ledger");
                hide(sub.getValue().getCommandSpec(), "--in-memory");
            }
            if (DIRECTORY_ONLY.contains(sub.getKey())) {
                hide(sub.getValue().getCommandSpec(), "--in-memory");
                // these never create a ledger by a first write: the option says what they take
                describe(sub.getValue().getCommandSpec(), "--ledger", sub.getKey().equals("import")
                        ? "The ledger directory to create (default: $CGLEDGER_LEDGER): new or empty."
                        : "The ledger directory (default: $CGLEDGER_LEDGER); it must hold a ledger already.");
            }
        }
        cl.setOut(cli.out);
        cl.setErr(cli.err);
        cl.setParameterExceptionHandler((ex, args) -> usageError(cli, prefix, ex, args));
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> failure(cli, ex, jsonAsked(parseResult)));
        return cl;
    }

    /**
     * Why an argument is not text, or null if every one is. The JVM decodes its arguments in the
     * locale's character set and puts U+FFFD in place of every byte sequence that is not a
     * character of it: a name so decoded would be recorded changed, so it is refused instead, as
     * {@code sh} refuses such a line (the launcher runs the JVM under a UTF-8 locale).
     */
    static String undecodable(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int at = a.indexOf('\uFFFD');
            if (at < 0) {
                continue;
            }
            String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
            String shown = a.length() > 60 ? a.substring(0, 60) + "..." : a;
            // (where: the character counted from 1, as the name shows it; it had said 'a byte at
            // character 8 is not one of a UTF-8 character')
            return "argument " + (i + 1) + " ('" + shown + "') is not valid UTF-8 at character "
                    + (a.codePointCount(0, at) + 1)
                    + (charset.replace("-", "").equalsIgnoreCase("UTF8") ? ""
                    : " (this process reads its arguments as " + charset + ": run it under a UTF-8 locale, "
                    + "such as LC_ALL=C.UTF-8)");
        }
        return null;
    }

    /**
     * {@code ", did you mean 'mount'?"} for a typo of a command ({@code moun}, {@code mkdr}, {@code whoholds}):
     * the command within two edits of it, fewer than half its length; else nothing. (picocli's own suggestions
     * name a command for any word: 'extra' was 'tree', 'frob' 'fork'.)
     */
    static String closest(String word, java.util.Collection<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int d = editDistance(word, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= 2 && bestDistance * 2 < word.length()
                ? ", did you mean '" + best + "'?" : "";
    }

    /** Levenshtein's distance between {@code a} and {@code b}: the fewest insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                int substitution = diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), substitution);
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    private static int usageError(CliContext cli, String prefix, ParameterException ex, String[] args) {
        String message;
        Session s = cli.currentSession();
        // in sh, its own help lists what a line can run
        String listing = s != null && s.inSh ? "help" : "cgledger help";
        if (ex instanceof UnmatchedArgumentException u && u.getCommandLine().getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            String word = u.getUnmatched().get(0);
            int end = Arrays.asList(args).indexOf("--");
            // after '--' every word is an argument, and the root takes none ('cgledger -- ls')
            // (the word itself after '--', not the same word before it: 'cgledger frob -- frob')
            message = end >= 0 && Arrays.asList(args).indexOf(word) > end
                    ? "unexpected argument '" + word + "' after '--': cgledger takes none (see '" + listing + "')"
                    : "unknown command '" + word + "'" + closest(word, u.getCommandLine().getSubcommands().keySet())
                    + " (see '" + listing + "')";
        } else if (ex.getMessage() != null && ex.getMessage().startsWith("Unknown subcommand '")) {
            // picocli's help: 'Unknown subcommand 'x'. (see 'cgledger --help')', worded as an unknown command is
            String name = ex.getMessage().substring("Unknown subcommand '".length());
            message = "unknown command '" + name.substring(0, Math.max(0, name.lastIndexOf('\''))) + "' (see '"
                    + listing + "')";
        } else {
            String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
            // in sh, a line's help is 'help NAME' ('cgledger exit --help' is no line of it)
            String name = ex.getCommandLine().getCommandName();
            String help = s == null || !s.inSh ? cmd.replaceFirst("^sh", "cgledger") + " --help"
                    : ex.getCommandLine().getParent() == null || name.equals("help") ? "help" : "help " + name;
            // (picocli's own words for an extra word: 'Unmatched argument at index 2: '2'')
            String what = ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                    && !u.getUnmatched().get(0).startsWith("-")
                    ? "unexpected argument '" + u.getUnmatched().get(0) + "'" : oneLine(ex.getMessage());
            message = what + " (see '" + help + "')";
        }
        // --json asked for JSON unless it is the very option refused (an sh line '--json ls', where
        // --json is no option of the line: its refusal had come as JSON in a script of text)
        boolean refusedJson = ex instanceof UnmatchedArgumentException u && u.getUnmatched().contains("--json");
        boolean json = cli.json() || Arrays.asList(args).contains("--json") && !refusedJson;
        String where = s != null && s.inSh && s.line > 0 ? "sh: line " + s.line : prefix;
        return new Out(cli, json, s == null ? 0 : s.line).usage(where, message);
    }

    /** Whether {@code --json} was given anywhere on the command line, before the command's name or after it. */
    static boolean jsonAsked(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--json")) {
                return true;
            }
        }
        return false;
    }

    static int failure(CliContext cli, Exception ex) {
        return failure(cli, ex, false);
    }

    /** The answer to a command that failed with {@code ex}: one line, or a JSON object when {@code json} or asked before. */
    static int failure(CliContext cli, Exception ex, boolean asked) {
        boolean json = asked || cli.json();
        Session s = cli.currentSession();
        Out out = new Out(cli, json, s == null ? cli.closedAtLine : s.line);
        if (ex instanceof LedgerException) {
            // the ledger's path with its control characters written as escapes, as every name quoted
            // (a newline in it had cut the message, or split it over two lines)
            String dir = cli.lastDir == null ? null : Out.visible(cli.lastDir);
            String raw = String.valueOf(ex.getMessage());
            String message = oneLine(dir == null ? raw : raw.replace(cli.lastDir, dir))
                    + (outOfMemory(ex) ? " (" + heapAdvice() + ")" : "");
            if (json) {
                out.emit(out.okNode().put("ok", false).put("error", "ledger").put("reason", message));
            } else if (dir == null || names(message, dir)) {
                // ("cannot open the journal in L: ...": the ledger named once)
                cli.err.println("cgledger: " + message);
            } else {
                cli.err.println("cgledger: ledger " + dir + ": " + message);
            }
            return LEDGER;
        }
        if (outOfMemory(ex)) {
            // (wrapped: the ledger opens on a thread of its own, whose failure comes through a future)
            if (json) {
                out.emit(out.okNode().put("ok", false).put("error", "ledger").put("reason", "out of memory: "
                        + heapAdvice()));
            } else {
                outOfMemoryLine(cli.err);
            }
            return LEDGER;
        }
        if (SHUTTING_DOWN.getAsBoolean() && !cli.verbose) {
            // a signal is ending the JVM (Ctrl-C, SIGTERM): what failed under the command then (a
            // process it started, killed by the same Ctrl-C; "Shutdown in progress") is no bug, and
            // the process exits by the signal's code whatever this returns
            return BUG;
        }
        if (json) {
            out.emit(out.okNode().put("ok", false).put("error", "internal").put("reason", String.valueOf(ex)));
        } else {
            cli.err.println("cgledger: internal error: " + oneLine(String.valueOf(ex))
                    + (cli.verbose ? "" : " (a bug; run with --verbose for the stack trace)"));
        }
        if (cli.verbose) {
            ex.printStackTrace(cli.err);
        }
        return BUG;
    }

    /** Whether the JVM is shutting down ({@link #jvmShuttingDown}); replaced by tests. */
    static java.util.function.BooleanSupplier SHUTTING_DOWN = CgLedger::jvmShuttingDown;

    /** Whether the JVM is shutting down: it then takes no shutdown hook ("Shutdown in progress"). */
    static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdown) {
            return true;
        }
    }

    /** Whether {@code ex} failed for want of memory (H2 wraps the error it met reading rows). */
    static boolean outOfMemory(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** The line {@link #outOfMemoryLine} prints, made before memory runs out. */
    private static final String OUT_OF_MEMORY = "cgledger: out of memory: " + heapAdvice();
    /** Whether the process is one command's ({@link #reportOutOfMemoryOn}), which says it once. */
    private static volatile boolean oncePerProcess;
    private static final java.util.concurrent.atomic.AtomicBoolean OUT_OF_MEMORY_SAID =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Says that the heap ran out, once in a command's process: its own failure and threads of its
     * own (the ledger opening, reading the journal ahead) may all meet it.
     */
    static void outOfMemoryLine(java.io.PrintWriter err) {
        if (!oncePerProcess || OUT_OF_MEMORY_SAID.compareAndSet(false, true)) {
            err.println(OUT_OF_MEMORY);
        }
    }

    /**
     * A thread of the process that dies of an out-of-memory error says so in {@link #outOfMemoryLine}'s
     * one line, not the JVM's trace (the command then fails, exit 3; the calling thread, the main
     * one, exits 3 itself); any other uncaught error is printed as the JVM prints it.
     */
    static void reportOutOfMemoryOn(java.io.PrintWriter err) {
        oncePerProcess = true;
        Thread main = Thread.currentThread();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof OutOfMemoryError) {
                outOfMemoryLine(err);
                if (t == main) {
                    // out of memory before the command ran (the JVM would exit 1, a refusal's code)
                    System.exit(LEDGER);
                }
            } else if (!(e instanceof ThreadDeath)) {
                // one line, not the JVM's stack trace (H2's background threads end so once its store
                // has failed, a full disk say: "Map lobRef(8) is closed. org.h2.mvstore...", its
                // internals cut)
                err.println(threadStopped(t.getName(), e));
                err.flush();
            }
        });
    }

    /** The line that says a thread ended with {@code e} uncaught: its message, without H2's internals after it. */
    static String threadStopped(String thread, Throwable e) {
        String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : oneLine(e.getMessage());
        int internals = why.indexOf(" org.h2.");
        why = internals > 0 ? why.substring(0, internals).replaceFirst("\\.$", "") : why;
        return "cgledger: thread " + Out.visible(thread) + " stopped: " + Out.visible(why);
    }

    /** What to do when the JVM's heap is too small: how large it is and how to give it more. */
    static String heapAdvice() {
        return "the JVM's heap, at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MB, is too small for this; give it more, as CGLEDGER_JAVA_OPTS=-Xmx4g does";
    }

    /** Whether {@code message} names the directory {@code dir} as a word of its own (not inside another path). */
    static boolean names(String message, String dir) {
        return java.util.regex.Pattern.compile("(^|\\s)" + java.util.regex.Pattern.quote(dir) + "(:|\\s|$)")
                .matcher(message).find();
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    @Override
    public Integer call() {
        if (cli.terminal) {
            Session session;
            try {
                session = cli.session(global);
            } catch (UsageError e) {
                return new Out(cli, global.json, 0).usage("cgledger", e.getMessage());
            }
            session.inSh = true;
            return new Interactive(cli, session, new ShLines(cli, session, createLineCommandLine(cli)), false).run();
        }
        return new Out(cli, global.json, 0).usage("cgledger", "no command given (see 'cgledger --help')");
    }

    /** The root of an {@code sh} line's command line: never runs by itself. */
    @Command(name = "sh")
    static final class LineRoot implements Runnable {
        @Override
        public void run() {
            throw new UsageError("empty line");
        }
    }
}
