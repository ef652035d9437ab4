package org.cgledger.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The system-call helper's own guard, without a kernel: a tasks write whose data the kernel would
 * read as the pid of a live process not the run's is refused before the file is opened. The paths
 * do not exist, so a write the guard lets through fails ENOENT, and none reaches a cgroup.
 */
@DisplayName("kernel-helper.py: no tasks write names a live process the run did not start")
class KernelHelperGuardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Process helper;
    private static BufferedWriter in;
    private static BufferedReader out;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("kernel-helper.py");
        try (InputStream s = KernelSide.class.getResourceAsStream("kernel-helper.py")) {
            Files.copy(s, script);
        }
        try {
            helper = new ProcessBuilder("python3", script.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("no python3 here: " + e.getMessage());
        }
        in = new BufferedWriter(new OutputStreamWriter(helper.getOutputStream(), StandardCharsets.UTF_8));
        out = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (helper != null) {
            helper.destroy();
        }
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "tasks        | '1\n'                 | refused",
        "tasks        | '  1  '               | refused",
        "cgroup.procs | '0000000000000000001' | refused",
        "tasks        | '0x0001'              | refused",
        "tasks        | '+1'                  | refused",
        "tasks/       | '1'                   | refused",
        "tasks/x      | '1'                   | passed",
        "tasks/.      | '1'                   | passed",
        "tasks        | '-0'                  | refused",
        "tasks        | '0'                   | refused",
        "tasks        | '08'                  | passed",
        "tasks        | '-1'                  | passed",
        "tasks        | '+-1'                 | passed",
        "tasks        | '1 2'                 | passed",
        "tasks        | '2000000000'          | passed",
        "notify_on_release | '1'              | passed",
    })
    void guard(String file, String data, String expected) throws IOException {
        JsonNode answer = write("/tmp/cgledger-guard-test-missing/a/" + file, data.replace("\\n", "\n"), false);

        if (expected.equals("refused")) {
            assertThat(answer.path("errno").asText()).isEqualTo("EPERM");
            assertThat(answer.path("message").asText()).contains("refused by the harness");
        } else {
            assertThat(answer.path("errno").asText()).isEqualTo("ENOENT");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pid 1 listed as the run's, 1", "pid 0 from a child of ours, 0", "over a page, 1"})
    void allowed(String what, String pid) throws IOException {
        boolean page = what.startsWith("over");
        ObjectNode req = JSON.createObjectNode().put("op", "write")
                .put("path", "/tmp/cgledger-guard-test-missing/a/tasks")
                .put("data", page ? " ".repeat(4096) + pid : pid).put("fork", pid.equals("0"));
        req.putArray("pids").add(what.contains("listed") ? 1 : 424242);

        assertThat(exchange(req).path("errno").asText()).isIn("ENOENT");
    }

    @Test
    @DisplayName("a path from the working directory (a cd line's) is walked only from one held inside the helper's own "
            + "directory, never from none")
    void workingDirectory(@TempDir Path elsewhere) throws IOException {
        ObjectNode mkdir = JSON.createObjectNode().put("op", "mkdir").put("path", "x").put("at", "cwd");
        assertThat(exchange(mkdir).path("message").asText()).contains("refused by the harness: no working directory");
        assertThat(exchange(JSON.createObjectNode().put("op", "cd").put("path", "/")).path("message").asText())
                .contains("refused by the harness");
        try {
            assertThat(exchange(JSON.createObjectNode().put("op", "cd").put("path", elsewhere.toString()))
                    .path("ok").asBoolean()).isTrue();
            assertThat(exchange(mkdir).path("message").asText())
                    .contains("refused by the harness: the working directory is " + elsewhere);
            assertThat(elsewhere.resolve("x")).doesNotExist();
        } finally {
            exchange(JSON.createObjectNode().put("op", "cd"));
        }
    }

    private static JsonNode write(String path, String data, boolean fork) throws IOException {
        ObjectNode req = JSON.createObjectNode().put("op", "write").put("path", path).put("data", data).put("fork", fork);
        req.putArray("pids").add(424242);
        return exchange(req);
    }

    private static JsonNode exchange(ObjectNode req) throws IOException {
        in.write(JSON.writeValueAsString(req));
        in.newLine();
        in.flush();
        return JSON.readTree(out.readLine());
    }
}
