package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every script in examples/ through {@code sh}: exact stdout, stderr and exit code (golden files, reviewed by hand). */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seed,1", "seed-offline,0", "seed-unchecked,0", "seed-cssset,1", "webserver,1", "leak-offline,0"})
    @DisplayName("sh runs each example with exactly the reviewed output")
    void example(String name, int exit) throws IOException {
        Harness h = new Harness();
        Harness.Run r = h.run("--in-memory", "sh", EXAMPLES.resolve(name + ".sh").toString());
        assertThat(r.out()).isEqualTo(read(name + ".out"));
        assertThat(r.err()).isEqualTo(read(name + ".err"));
        assertThat(r.code()).isEqualTo(exit);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seed", "webserver"})
    @DisplayName("the same script from stdin gives the same output")
    void fromStdin(String name) throws IOException {
        Harness h = new Harness();
        String script = Files.readString(EXAMPLES.resolve(name + ".sh"), StandardCharsets.UTF_8);
        Harness.Run r = h.runWithInput(script, "--in-memory", "sh");
        assertThat(r.out()).isEqualTo(read(name + ".out"));
    }

    static String read(String file) throws IOException {
        return Files.readString(GOLDEN.resolve(file), StandardCharsets.UTF_8);
    }
}
