package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** --json: one object per command on stdout (per line for sh), errors included; the shapes the README documents. */
class JsonTest {

    final ObjectMapper mapper = new ObjectMapper();
    Harness h;

    @BeforeEach
    void seed() {
        h = new Harness();
        for (String line : List.of("init --subsys A,B", "mount -o A none /H1", "mount -o B none /H2", "mkdir /H1/foo",
                "attach 1 /H1/foo", "charge 1 A file:1", "attach 1 /H1")) {
            assertThat(h.run(line.split(" ")).code()).isZero();
        }
    }

    JsonNode json(Harness.Run r) throws Exception {
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().count()).isEqualTo(1);
        return mapper.readTree(r.out());
    }

    @Test
    @DisplayName("stat: css with id, subsys, refcount, state, holders, usage, limit")
    void stat() throws Exception {
        JsonNode n = json(h.run("--json", "stat", "/H1/foo"));
        assertThat(n.toString()).isEqualTo("{\"ok\":true,\"path\":\"/H1/foo\",\"cgroup\":3,\"hierarchy\":1,\"pin\":\"css\","
                + "\"rmdir\":\"strict\",\"tasks\":[],\"children\":[],\"css\":[{\"id\":\"A1\",\"subsys\":\"A\",\"refcount\":2,"
                + "\"state\":\"online\",\"holders\":[{\"kind\":\"cssset\",\"id\":\"N1\"},{\"kind\":\"object\",\"name\":\"file:1\","
                + "\"subsys\":\"A\",\"amount\":1,\"cache\":false,\"chargedBy\":1,\"chargedAt\":6,\"heldBy\":[1],\"pins\":\"A1\"}],"
                + "\"usage\":1,\"limit\":\"max\"}]}");
    }

    @Test
    @DisplayName("a view (and who-holds) asked for another time says which event's state it shows (\"atEvent\"), as "
            + "--at TIME does not tell; a view of now does not")
    void atEvent() throws Exception {
        for (String view : List.of("tree", "csssets", "ps", "subsys", "graph")) {
            assertThat(json(h.run("--json", view, "--at-event", "4")).get("atEvent").asLong()).as(view).isEqualTo(4);
            assertThat(json(h.run("--json", view)).has("atEvent")).as(view).isFalse();
        }
        assertThat(json(h.run("--json", "stat", "/H1/foo", "--at-event", "4")).get("atEvent").asLong()).isEqualTo(4);
        // an answer that is not ok says it too (explain: rmdir would fail then)
        JsonNode explain = mapper.readTree(h.run("--json", "explain", "/H1/foo", "--at-event", "6").out());
        assertThat(explain.get("ok").asBoolean()).isFalse();
        assertThat(explain.get("atEvent").asLong()).isEqualTo(6);
        assertThat(json(h.run("--json", "tree", "--at", "2999-01-01T00:00:00Z")).get("atEvent").asLong()).isEqualTo(7);
        // who-holds too, which reads the journal, not a view
        assertThat(json(h.run("--json", "who-holds", "N0", "--at-event", "4")).get("atEvent").asLong()).isEqualTo(4);
        assertThat(json(h.run("--json", "who-holds", "N0")).has("atEvent")).isFalse();
    }

    @Test
    @DisplayName("COMMAND --help under --json: the help text in one object, on the command line and as a line of sh "
            + "(it was the plain text, in the middle of sh's JSON lines)")
    void help() throws Exception {
        Harness.Run r = h.run("--json", "mkdir", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().count()).isOne();
        assertThat(json(r).get("help").asText()).startsWith("Usage: cgledger mkdir ").contains("Example:");
        assertThat(json(h.run("mkdir", "--help", "--json")).get("ok").asBoolean()).isTrue();
        assertThat(h.run("mkdir", "--help").out()).startsWith("Usage: cgledger mkdir ");
        // picocli's 'help COMMAND' too, and 'help' alone
        assertThat(json(h.run("--json", "help", "mkdir")).get("help").asText()).startsWith("Usage: cgledger mkdir ");
        assertThat(json(h.run("--json", "help")).get("help").asText()).startsWith("Usage: cgledger ");
        // and --version (it was the plain line)
        assertThat(h.run("--json", "--version")).isEqualTo(new Harness.Run(0, "{\"ok\":true,\"version\":\"cgledger 0.1.0\"}\n",
                ""));
        assertThat(h.run("--version").out()).isEqualTo("cgledger 0.1.0\n");
        Harness.Run sh = h.runWithInput("mkdir --help\nls -h\necho x\n", "--json", "sh");
        List<String> lines = sh.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(mapper.readTree(lines.get(0)).get("help").asText()).startsWith("Usage: sh mkdir ");
        assertThat(mapper.readTree(lines.get(1)).get("line").asInt()).isEqualTo(2);
        assertThat(lines.get(2)).isEqualTo("{\"line\":3,\"ok\":true,\"echo\":\"x\"}");
    }

    @Test
    @DisplayName("csssets, ps, cat, ls, tree, subsys")
    void views() throws Exception {
        JsonNode sets = json(h.run("csssets", "--json")).get("csssets");
        assertThat(sets.get(0).toString()).isEqualTo("{\"id\":\"N0\",\"refcount\":3,\"css\":[\"A0\",\"B0\"],\"cgroups\":[],\"removed\":[],"
                + "\"holders\":[{\"kind\":\"task\",\"pid\":1},{\"kind\":\"dir\",\"path\":\"/H1\",\"cgroup\":1},"
                + "{\"kind\":\"dir\",\"path\":\"/H2\",\"cgroup\":2}]}");
        assertThat(json(h.run("--json", "ps")).toString()).isEqualTo("{\"ok\":true,\"tasks\":[{\"pid\":1,\"cssset\":\"N0\",\"forkedAt\":1,"
                + "\"cgroups\":[{\"hierarchy\":1,\"path\":\"/H1\"},{\"hierarchy\":2,\"path\":\"/H2\"}],\"holds\":[\"file:1\"]}]}");
        assertThat(json(h.run("--json", "cat", "/H1/tasks")).toString()).isEqualTo("{\"ok\":true,\"file\":\"/H1/tasks\",\"lines\":[\"1\"]}");
        assertThat(json(h.run("--json", "ls", "/")).toString()).isEqualTo("{\"ok\":true,\"path\":\"/\",\"entries\":[\"H1\",\"H2\"]}");
        JsonNode tree = json(h.run("--json", "tree", "/H1")).get("hierarchies").get(0);
        assertThat(tree.get("root").get("children").get(0).toString()).isEqualTo("{\"name\":\"foo\",\"path\":\"/H1/foo\","
                + "\"removed\":false,\"tasks\":0,\"css\":[{\"id\":\"A1\",\"refcount\":2,\"state\":\"online\"}],\"children\":[]}");
        assertThat(json(h.run("--json", "subsys")).get("subsys").get(1).toString())
                .isEqualTo("{\"name\":\"B\",\"hierarchy\":2,\"cgroups\":1,\"enabled\":true}");
    }

    @Test
    @DisplayName("writes: ok and the events with the refcounts they changed; refusals: errno, error, reason")
    void writes() throws Exception {
        JsonNode ok = json(h.run("--json", "mkdir", "/H1/bar"));
        assertThat(ok.get("ok").asBoolean()).isTrue();
        assertThat(ok.get("events").get(0).get("event").asText()).isEqualTo("CgroupCreated");
        assertThat(ok.get("events").get(0).get("seq").asLong()).isEqualTo(8);
        assertThat(json(h.run("--json", "rmdir", "/H1/foo")).toString()).isEqualTo("{\"ok\":false,\"command\":\"rmdir\","
                + "\"errno\":\"EBUSY\",\"error\":\"Device or resource busy\",\"reason\":\"/H1/foo: css A1 would keep "
                + "refcount 1 (file:1 charged by task 1 at event #6)\",\"events\":[{\"seq\":9,\"event\":\"RmdirRefused\","
                + "\"refcounts\":{}}]}");
        assertThat(json(h.run("--json", "fork", "1", "--pid", "5")).get("pid").asInt()).isEqualTo(5);
        assertThat(json(h.run("--json", "frob")).toString()).isEqualTo("{\"ok\":false,\"error\":\"usage\","
                + "\"reason\":\"unknown command 'frob' (see 'cgledger help')\"}");
    }

    @Test
    @DisplayName("a refused rmdir lists the RmdirRefused event it journaled under \"events\", as a write lists its own;"
            + " a refusal that journals nothing has none")
    void refusedRmdirEvents() throws Exception {
        assertThat(json(h.run("--json", "rmdir", "/H1/foo")).get("events").toString())
                .isEqualTo("[{\"seq\":8,\"event\":\"RmdirRefused\",\"refcounts\":{}}]");
        assertThat(json(h.run("--json", "rmdir", "/H1/nope")).has("events")).isFalse();
        // sh: decided at once, answered once durable; the number is the one the journal gives it
        Harness.Run r = h.runWithInput("rmdir /H1/foo\nmkdir /H1/x\nrmdir /H1/foo\n", "--json", "sh");
        List<String> events = new ArrayList<>();
        for (String l : r.out().lines().toList()) {
            events.add(mapper.readTree(l).get("events").toString());
        }
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isEqualTo("[{\"seq\":9,\"event\":\"RmdirRefused\",\"refcounts\":{}}]");
        assertThat(events.get(1)).startsWith("[{\"seq\":10,\"event\":\"CgroupCreated\",");
        assertThat(events.get(2)).isEqualTo("[{\"seq\":11,\"event\":\"RmdirRefused\",\"refcounts\":{}}]");
        assertThat(h.run("log", "--from", "9").out()).contains("#9 ", "RmdirRefused", "#11 ");
        // a mkdir -p refused at a later component lists the group it kept
        JsonNode half = json(h.run("--json", "mkdir", "-p", "/H1/y/tasks/z"));
        assertThat(half.get("errno").asText()).isEqualTo("ENOTDIR");
        assertThat(half.get("events").toString()).startsWith("[{\"seq\":12,\"event\":\"CgroupCreated\",");
        assertThat(half.get("events")).hasSize(1);
    }

    @Test
    @DisplayName("sh: one object per line that runs, with its line number")
    void sh() throws Exception {
        Harness.Run r = h.runWithInput("# comment\n\nmkdir /H1/x\nrmdir /H1/nope\ncat /H1/x/tasks\nfrob\n", "--json", "sh");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.out().lines().toList()) {
            lines.add(mapper.readTree(l));
        }
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).get("line").asInt()).isEqualTo(3);
        assertThat(lines.get(0).get("ok").asBoolean()).isTrue();
        assertThat(lines.get(1).toString()).isEqualTo("{\"line\":4,\"ok\":false,\"command\":\"rmdir\",\"errno\":\"ENOENT\","
                + "\"error\":\"No such file or directory\",\"reason\":\"/H1/nope: no such cgroup\"}");
        assertThat(lines.get(2).toString()).isEqualTo("{\"line\":5,\"ok\":true,\"file\":\"/H1/x/tasks\",\"lines\":[]}");
        assertThat(lines.get(3).toString()).isEqualTo("{\"line\":6,\"ok\":false,\"error\":\"usage\","
                + "\"reason\":\"unknown command 'frob' (see 'help')\"}");
    }

    @Test
    @DisplayName("sh of text: a line that begins with --json (no option of a line) is refused in text as any unknown "
            + "option is (its refusal came as JSON); --json after the command still asks that line for JSON")
    void shTextRefusesLeadingJson() throws Exception {
        Harness.Run r = h.runWithInput("--json ls /H1\nls --bogus --json\n", "sh");
        assertThat(r.err()).isEqualTo("sh: line 1: Unknown option: '--json' (see 'help')\n");
        assertThat(mapper.readTree(r.out()).get("reason").asText()).startsWith("Unknown option: '--bogus'");
        assertThat(r.code()).isEqualTo(1);
    }

    @Test
    @DisplayName("sh: the first write to a new ledger answers the ledger's first event too, as a one-shot does (it was "
            + "left out: no line of sh --json named event 1)")
    void shFirstWrite() throws Exception {
        Harness fresh = new Harness();
        JsonNode oneShot = json(fresh.run("--json", "mount", "-o", "A", "none", "/H1"));
        Harness other = new Harness();
        Harness.Run sh = other.runWithInput("mount -o A none /H1\n", "--json", "sh");
        assertThat(sh.err()).isEmpty();
        JsonNode line = mapper.readTree(sh.out());
        assertThat(line.get("events").findValuesAsText("event")).containsExactly("LedgerInitialized", "HierarchyMounted");
        assertThat(line.get("events").findValuesAsText("seq")).containsExactly("1", "2");
        assertThat(line.get("ok").asBoolean()).isTrue();
        assertThat(line.get("events").findValuesAsText("event"))
                .isEqualTo(oneShot.get("events").findValuesAsText("event"));
    }

    @Test
    @DisplayName("sh: log's and export's rows each carry the line number too, first, and stay the stored rows")
    void shLog() throws Exception {
        Harness.Run r = h.runWithInput("mkdir /H1/x\nlog --from 8\n", "--json", "sh");
        assertThat(r.code()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.out().lines().toList()) {
            lines.add(mapper.readTree(l));
        }
        assertThat(lines).hasSize(2);
        JsonNode row = lines.get(1);
        assertThat(row.fieldNames().next()).isEqualTo("line");
        assertThat(row.get("line").asInt()).isEqualTo(2);
        assertThat(row.get("seq").asLong()).isEqualTo(8);
        assertThat(row.get("event").get("type").asText()).isEqualTo("CgroupCreated");
        assertThat(row.get("text").asText()).startsWith("mkdir /H1/x");
        Harness.Run export = h.runWithInput("export\n", "--json", "sh");
        List<String> rows = export.out().lines().toList();
        assertThat(rows).hasSize(8);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode x = mapper.readTree(rows.get(i));
            assertThat(x.fieldNames().next()).isEqualTo("line");
            assertThat(x.get("line").asInt()).isEqualTo(1);
            assertThat(x.get("seq").asLong()).isEqualTo(i + 1);
        }
        JsonNode alone = json(h.run("--json", "log", "--from", "8"));
        assertThat(alone.has("line")).isFalse();
        assertThat(alone.get("seq").asLong()).isEqualTo(8);
    }

    @Test
    @DisplayName("log --json of a name with DEL or a C1 control: valid JSON holding the name as it is (the text "
            + "escapes were applied over the JSON: \\x7f, which no JSON reader takes); the text line still escapes them")
    void logControlCharacters() throws Exception {
        assertThat(h.run("mkdir", "/H1/d\u007fx", "/H1/c\u0085x").code()).isZero();
        Harness.Run r = h.run("--json", "log", "--from", "8");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> rows = r.out().lines().toList();
        assertThat(rows).hasSize(2);
        JsonNode del = mapper.readTree(rows.get(0));
        assertThat(del.get("event").get("name").asText()).isEqualTo("d\u007fx");
        assertThat(del.get("text").asText()).startsWith("mkdir /H1/d\u007fx ");
        assertThat(mapper.readTree(rows.get(1)).get("event").get("name").asText()).isEqualTo("c\u0085x");
        Harness.Run sh = h.runWithInput("log --from 8\n", "--json", "sh");
        assertThat(mapper.readTree(sh.out().lines().findFirst().orElseThrow()).get("event").get("name").asText())
                .isEqualTo("d\u007fx");
        assertThat(h.run("log", "--from", "8").out()).contains("mkdir /H1/d\\x7fx ").contains("mkdir /H1/c\\x85x ")
                .doesNotContain("\u007f");
    }

    @Test
    @DisplayName("ls and explain name their \"path\" as stat does, normalized (they had answered it as given: "
            + "//H1//foo/, /H1/foo/x/..), on the command line and in sh from the working directory")
    void pathsNormalized() throws Exception {
        assertThat(h.run("mkdir", "/H1/foo/x").code()).isZero();
        for (String given : List.of("//H1//foo/", "/H1/./foo", "/H1/foo/x/..")) {
            assertThat(json(h.run("--json", "stat", given)).get("path").asText()).isEqualTo("/H1/foo");
            assertThat(json(h.run("--json", "ls", given)).get("path").asText()).as("ls " + given).isEqualTo("/H1/foo");
            assertThat(mapper.readTree(h.run("--json", "explain", given).out()).get("path").asText()).as("explain " + given)
                    .isEqualTo("/H1/foo");
        }
        assertThat(json(h.run("--json", "ls", "//")).get("path").asText()).isEqualTo("/");
        List<String> sh = h.runWithInput("cd /H1/foo\nls ..\nexplain x/..\n", "--json", "sh").out().lines().toList();
        assertThat(mapper.readTree(sh.get(1)).get("path").asText()).isEqualTo("/H1");
        assertThat(mapper.readTree(sh.get(2)).get("path").asText()).isEqualTo("/H1/foo");
    }

    @Test
    @DisplayName("tree of a hierarchy 600 levels deep: valid JSON, every level in it (no nesting limit)")
    void deepTree() throws Exception {
        String deep = "/H1" + "/a".repeat(600);
        assertThat(h.run("mkdir", "-p", deep).code()).isZero();
        Harness.Run r = h.run("--json", "tree", "/H1");
        assertThat(r.code()).isZero();
        ObjectMapper reader = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                        .maxNestingDepth(10_000).build()).build());
        JsonNode node = reader.readTree(r.out()).get("hierarchies").get(0).get("root");
        int depth = 0;
        for (JsonNode next = node; next != null; depth++) {
            node = next;
            next = null;
            for (JsonNode child : node.get("children")) {
                if (child.get("name").asText().equals("a")) {
                    next = child;
                }
            }
        }
        assertThat(node.get("path").asText()).isEqualTo(deep);
        assertThat(depth).isEqualTo(601);
    }
}
