package org.cgledger.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.cgledger.core.command.Command;
import org.cgledger.persistence.Outcome;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand: gets its {@link Session} and {@link Out}, runs, and answers an exit code. Writes go
 * through {@link #write}, which renders a refusal as the shell would; a {@link Refused} thrown by a
 * view is rendered the same way.
 */
abstract class BaseCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    final CliContext cli;

    BaseCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public final Integer call() {
        Session session;
        try {
            session = cli.session(global);
        } catch (UsageError e) {
            String why = e.getMessage();
            if (spec.findOption("--in-memory") != null && spec.findOption("--in-memory").hidden()) {
                // serve, import, compact: a ledger directory only
                why = why.replace(", set CGLEDGER_LEDGER, or use --in-memory", " or set CGLEDGER_LEDGER");
            }
            Session current = cli.currentSession();
            return new Out(cli, global.json || cli.json(), current == null ? 0 : current.line).usage(name(), why);
        }
        Out out = new Out(cli, session.json || global.json, session.line);
        try {
            return run(session, out);
        } catch (Refused r) {
            return out.refused(name(), r.subject, r.errno, r.reason);
        } catch (UsageError e) {
            // in sh, named by its line as picocli's usage errors there are
            return out.usage(session.inSh && session.line > 0 ? "sh: line " + session.line + ": " + name() : name(),
                    e.getMessage());
        }
    }

    String name() {
        return spec.name();
    }

    abstract int run(Session session, Out out);

    /** Executes {@code command}; renders its refusal as {@code verb: subject: ...}. */
    static int write(Session session, Out out, String verb, String subject, Command command, ObjectNode extra) {
        Outcome o = session.execute(command);
        if (o instanceof Outcome.Refused r) {
            return out.refused(verb, subject, r.errno(), r.reason(), r.events());
        }
        out.done(((Outcome.Done) o).events(), extra);
        return 0;
    }
}
