package org.cgledger.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code completion}: a bash completion script (zsh loads it through bashcompinit). */
@Command(name = "completion", description = "Print a bash/zsh completion script for cgledger.",
        footerHeading = "%nExample:%n", footer = {"  source <(cgledger completion)",
                "  zsh: autoload -U +X bashcompinit && bashcompinit && source <(cgledger completion)"})
final class CompletionCmd implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and an example.")
    boolean help;

    private final CliContext cli;

    CompletionCmd(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String script = AutoComplete.bash("cgledger", spec.root().commandLine());
        if (cli.json()) {
            // one object, as every command answers under --json
            Out out = new Out(cli, true, 0);
            out.emit(out.okNode().put("shell", "bash").put("script", script));
        } else {
            cli.out.print(script);
        }
        cli.out.flush();
        return 0;
    }
}
