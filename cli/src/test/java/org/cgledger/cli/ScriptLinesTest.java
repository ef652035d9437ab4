package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sh's script lines: a newline ends one, a carriage return only before it (CRLF) is dropped")
class ScriptLinesTest {

    static List<String> lines(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (ScriptLines in = new ScriptLines(new StringReader(text))) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                out.add(l);
            }
        }
        return out;
    }

    /** What a shell reads: split at every newline, the piece after the last one only if not empty, one CR before each newline gone. */
    static List<String> expected(String text) {
        List<String> out = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        out.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        return out;
    }

    @Test
    @DisplayName("CRLF, a lone CR kept, a last line without its newline, empty lines")
    void cases() throws IOException {
        assertThat(lines("")).isEmpty();
        assertThat(lines("\n")).containsExactly("");
        assertThat(lines("a\r\nb\r\n")).containsExactly("a", "b");
        assertThat(lines("mkdir \"/H1/a\rb\"\nbogus\n")).containsExactly("mkdir \"/H1/a\rb\"", "bogus");
        assertThat(lines("a\r\r\nb")).containsExactly("a\r", "b");
        assertThat(lines("\r")).containsExactly("");
        assertThat(lines("x\n\n\ny")).containsExactly("x", "", "", "y");
    }

    @Test
    @DisplayName("any text of newlines, CRs and letters, in lines longer and shorter than the buffer, reads as a shell reads it")
    void anyText() throws IOException {
        SplittableRandom random = new SplittableRandom(17);
        char[] alphabet = {'\n', '\r', 'a', 'b'};
        for (int i = 0; i < 2_000; i++) {
            int n = random.nextInt(i < 1_900 ? 40 : 30_000);
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < n; k++) {
                b.append(i >= 1_900 && random.nextInt(1000) != 0 ? 'c' : alphabet[random.nextInt(alphabet.length)]);
            }
            String text = b.toString();
            assertThat(lines(text)).as("%s", text.length() < 60 ? text.replace("\r", "\\r").replace("\n", "\\n") : "long")
                    .isEqualTo(text.isEmpty() ? List.of() : expected(text));
        }
    }

    @Test
    @DisplayName("words: spaces and tabs separate them, as a shell's IFS; a CR or a form feed is part of a word")
    void words() {
        assertThat(Tokens.split("a\rb  c\fd\te")).containsExactly("a\rb", "c\fd", "e");
        assertThat(Tokens.split(" \t mkdir\t/H1/x ")).containsExactly("mkdir", "/H1/x");
    }

    @Test
    @DisplayName("a name's control characters print as escapes in every view and reader (a CR had rewritten a line of "
            + "log on a terminal), raw in JSON; echo prints its text as it is")
    void namesPrintable() {
        Harness h = new Harness();
        String script = "mount -o A none /H1\nmkdir \"/H1/r\r#99 FAKE\"\nmkdir \"/H1/e\u001b[31mred\"\nls /H1\ntree\nlog\n"
                + "history \"/H1/r\r#99 FAKE\"\necho \"x\u001b[0my\"\n";
        Harness.Run r = h.runWithInput(script, "--in-memory", "sh");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("r\\r#99 FAKE").contains("e\\x1b[31mred").contains("x\u001b[0my\n");
        assertThat(r.out().replace("x\u001b[0my", "")).doesNotContain("\r").doesNotContain("\u001b");
        Harness.Run json = h.runWithInput(script, "--in-memory", "--json", "sh");
        assertThat(json.out()).contains("r\\r#99 FAKE").doesNotContain("\\\\r");
        assertThat(Out.printable("a\tb\nc\rd\u0000")).isEqualTo("a\tb\nc\\rd\\0");
    }

    @Test
    @DisplayName("in sh: a quoted name with a CR is made, and the lines after it keep their numbers")
    void inSh() {
        Harness h = new Harness();
        Harness.Run r = h.runWithInput("mount -o A none /H1\nmkdir \"/H1/a\rb\"\nbogus\r\nls /H1/a\rb\n", "--in-memory", "sh");
        assertThat(r.err()).isEqualTo("sh: line 3: unknown command 'bogus' (see 'help')\n");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("tasks\n");
    }
}
