package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** A process builds only the subcommand it runs: it must behave as the command line with all of them. */
class InvokedCommandTest {

    @Test
    @DisplayName("the first word after the root's options picks the one subcommand; anything else builds all")
    void invoked() {
        assertThat(CgLedger.invoked(new String[] {"mkdir", "/H1/a"})).containsExactly(WriteCommands.MkdirCmd.class);
        assertThat(CgLedger.invoked(new String[] {"--ledger", "/l", "--json", "-v", "mkdir", "/H1/a"}))
                .containsExactly(WriteCommands.MkdirCmd.class);
        assertThat(CgLedger.invoked(new String[] {"--ledger=/l", "ls"})).containsExactly(ViewCommands.LsCmd.class);
        List<Class<?>> all = CgLedger.subcommands();
        assertThat(CgLedger.invoked(new String[] {})).isEqualTo(all);
        assertThat(CgLedger.invoked(new String[] {"--ledger", "/l"})).isEqualTo(all);
        assertThat(CgLedger.invoked(new String[] {"help", "mkdir"})).isEqualTo(all);
        assertThat(CgLedger.invoked(new String[] {"completion"})).isEqualTo(all);
        assertThat(CgLedger.invoked(new String[] {"frob"})).isEqualTo(all);
        assertThat(CgLedger.invoked(new String[] {"--", "mkdir"})).isEqualTo(all);
    }

    @Test
    @DisplayName("every subcommand's help, bad option and alias run the same with only that subcommand built")
    void sameAsAll() {
        for (Class<?> c : CgLedger.subcommands()) {
            Command command = c.getAnnotation(Command.class);
            List<String> names = new ArrayList<>(List.of(command.aliases()));
            names.add(0, command.name());
            for (String name : names) {
                for (String[] args : List.of(new String[] {name, "--help"}, new String[] {name, "--bogus"},
                        new String[] {"--json", name, "--bogus"})) {
                    List<Class<?>> invoked = CgLedger.invoked(args);
                    assertThat(invoked).as(name).hasSize(c == CompletionCmd.class ? CgLedger.subcommands().size() : 1);
                    assertThat(run(invoked, args)).as(String.join(" ", args)).isEqualTo(run(CgLedger.subcommands(), args));
                }
            }
        }
    }

    private static String run(List<Class<?>> subcommands, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Harness h = new Harness();
        int code = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), h.opener,
                Map.of("CGLEDGER_LEDGER", "/ledgers/test"), new ByteArrayInputStream(new byte[0]), false, subcommands)
                .execute(args);
        return code + "\n" + out + "\n" + err;
    }
}
