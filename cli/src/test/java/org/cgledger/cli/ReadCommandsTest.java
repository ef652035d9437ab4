package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.persistence.Recorded;
import org.cgledger.replay.Transfer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The read-side commands (log, audit, history, who-holds, explain, graph, replay, diff, time travel)
 * on the seed (DESIGN.md §3), each command a separate execute() on one in-memory ledger whose
 * clock ticks one second per command (so times are exact too).
 */
class ReadCommandsTest {

    final ObjectMapper mapper = new ObjectMapper();

    /** Steps 1–7 of the seed: task 1 charged file:1 in /H1/foo and went back to the roots. */
    static final String[] TO_STEP_7 = {"mount -o A none /H1", "mount -o B none /H2", "mkdir /H1/foo", "mkdir /H2/bar",
        "attach 1 /H1/foo", "attach 1 /H2/bar", "charge 1 A file:1", "attach 1 /H1", "attach 1 /H2"};

    static Harness seed(String init, String... more) {
        Harness h = new Harness();
        h.runAll(init);
        h.runAll(TO_STEP_7);
        h.runAll(more);
        return h;
    }

    /** The seed under rmdir=unchecked through step 8: A1 unreachable, pinned by file:1 (event #8). */
    static Harness unchecked() {
        return seed("init --subsys A,B --rmdir unchecked", "rmdir /H1/foo");
    }

    static Harness strict() {
        return seed("init --subsys A,B");
    }

    JsonNode parse(Harness.Run r) throws Exception {
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().count()).isEqualTo(1);
        return mapper.readTree(r.out());
    }

    @Nested
    @DisplayName("log")
    class LogCmd {
        @Test
        @DisplayName("lists the journal in ledger order: number, time, stream and sequence number, type, what it did")
        void all() {
            assertThat(unchecked().run("log")).isEqualTo(new Harness.Run(0, """
                    #1  2024-01-01T00:00:01Z  cgledger-system #1  LedgerInitialized  init --subsys A,B --pin css --rmdir unchecked
                    #2  2024-01-01T00:00:02Z  cgledger-system #2  HierarchyMounted  mount hierarchy 1 (A) on /H1, root holds N0
                    #3  2024-01-01T00:00:03Z  cgledger-system #3  HierarchyMounted  mount hierarchy 2 (B) on /H2, root holds N0
                    #4  2024-01-01T00:00:04Z  cgledger-hierarchy-1 #1  CgroupCreated  mkdir /H1/foo (cgroup #3, css A1, holds N1, new)
                    #5  2024-01-01T00:00:05Z  cgledger-hierarchy-2 #1  CgroupCreated  mkdir /H2/bar (cgroup #4, css B1, holds N2, new)
                    #6  2024-01-01T00:00:06Z  cgledger-hierarchy-1 #2  TaskAttached  attach task 1 /H1 -> /H1/foo (N0 -> N1)
                    #7  2024-01-01T00:00:07Z  cgledger-hierarchy-2 #2  TaskAttached  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)
                    #8  2024-01-01T00:00:08Z  cgledger-hierarchy-1 #3  ObjectCharged  charge file:1 (A, 1) to A1 by task 1
                    #9  2024-01-01T00:00:09Z  cgledger-hierarchy-1 #4  TaskAttached  attach task 1 /H1/foo -> /H1 (N3 -> N2)
                    #10  2024-01-01T00:00:09Z  cgledger-hierarchy-1 #5  CssSetFreed  N3 freed
                    #11  2024-01-01T00:00:10Z  cgledger-hierarchy-2 #3  TaskAttached  attach task 1 /H2/bar -> /H2 (N2 -> N0)
                    #12  2024-01-01T00:00:11Z  cgledger-hierarchy-1 #6  CgroupRemoved  rmdir /H1/foo (cgroup #3)
                    #13  2024-01-01T00:00:11Z  cgledger-hierarchy-1 #7  CssSetFreed  N1 freed
                    """, ""));
        }

        @Test
        @DisplayName("filters combine: path, type, task, object, number range")
        void filtered() {
            Harness h = unchecked();
            assertThat(h.run("log", "--path", "/H1/foo", "--type", "taskattached").out()).isEqualTo("""
                    #6  2024-01-01T00:00:06Z  cgledger-hierarchy-1 #2  TaskAttached  attach task 1 /H1 -> /H1/foo (N0 -> N1)
                    #7  2024-01-01T00:00:07Z  cgledger-hierarchy-2 #2  TaskAttached  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)
                    #9  2024-01-01T00:00:09Z  cgledger-hierarchy-1 #4  TaskAttached  attach task 1 /H1/foo -> /H1 (N3 -> N2)
                    """);
            assertThat(h.run("log", "--object", "file:1").out()).startsWith("#8  ").hasLineCount(1);
            assertThat(h.run("log", "--task", "1", "--from", "9", "--to", "11").out().lines()
                    .map(l -> l.substring(0, l.indexOf(' ')))).containsExactly("#9", "#11");
        }

        @Test
        @DisplayName("a mkdir in a hierarchy without subsystems says it has no css, in log, history and who-holds alike")
        void noCss() {
            Harness h = new Harness();
            h.runAll("init --subsys A,B", "mount -o none,name=n1 none /N1", "mkdir /N1/a");
            String mkdir = "mkdir /N1/a (cgroup #2, no css, holds N1, new)";
            assertThat(h.run("log", "--type", "CgroupCreated")).isEqualTo(new Harness.Run(0,
                    "#3  2024-01-01T00:00:03Z  cgledger-hierarchy-1 #1  CgroupCreated  " + mkdir + "\n", ""));
            assertThat(h.run("history", "/N1/a").out()).contains("  #3  2024-01-01T00:00:03Z  " + mkdir + "  [N1=1]\n");
            assertThat(h.run("who-holds", "N1").out()).contains("  directory /N1/a  since #3 (" + mkdir + ")\n");
        }

        @Test
        @DisplayName("lines are printed as they are found, and the reading stops once stdout takes no more (a closed "
                + "pipe, a full disk): the rest would go nowhere")
        void stopsWhenStdoutFails() throws Exception {
            Harness h = new Harness();
            h.runAll("init --subsys A", "mount -o A none /H1");
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < 3_000; i++) {
                script.append("mkdir /H1/g").append(i).append('\n');
            }
            assertThat(h.runWithInput(script.toString(), "sh", "-").code()).isZero();
            assertThat(h.run("log").out().lines()).hasSize(3_002);
            // a stdout that takes ten lines, then fails each write as a closed pipe does
            int[] lines = {0};
            java.io.Writer failing = new java.io.Writer() {
                @Override
                public void write(char[] buf, int off, int len) throws java.io.IOException {
                    for (int i = off; i < off + len; i++) {
                        if (buf[i] == '\n' && ++lines[0] > 10) {
                            throw new java.io.IOException("Broken pipe");
                        }
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            int code = CgLedger.createCommandLine(new java.io.PrintWriter(failing, true),
                    new java.io.PrintWriter(java.io.Writer.nullWriter(), true), h.opener, h.env,
                    java.io.InputStream.nullInputStream(), false, CgLedger.invoked(new String[] {"log"}))
                    .execute("log");
            assertThat(code).isZero();
            assertThat(lines[0]).as("lines printed").isGreaterThan(10).isLessThanOrEqualTo(1_024);
        }

        @Test
        @DisplayName("--json gives JSON lines, each a stored row plus its text, that import reads back exactly")
        void json() throws Exception {
            Harness h = unchecked();
            Harness.Run r = h.run("--json", "log");
            assertThat(r.code()).isZero();
            assertThat(r.out().lines().toList()).hasSize(13);
            assertThat(mapper.readTree(r.out().lines().toList().get(7)).toString()).isEqualTo("{\"persistence_id\":"
                    + "\"cgledger-hierarchy-1\",\"sequence_number\":3,\"v\":1,\"seq\":8,\"time\":1704067208000,\"event\":"
                    + "{\"type\":\"ObjectCharged\",\"object\":\"file:1\",\"pid\":1,\"subsys\":\"A\",\"css\":{\"subsys\":"
                    + "\"A\",\"serial\":1},\"amount\":1,\"cache\":false,\"pinnedSet\":null},\"refcounts\":\"A1=3\",\"text\":\"charge file:1 (A, 1) "
                    + "to A1 by task 1\"}");
            List<Recorded> back = new ArrayList<>();
            Transfer.read(new java.io.ByteArrayInputStream(r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .forEach(s -> back.add(s.record()));
            assertThat(back).isEqualTo(h.ledger().journal());
        }
    }

    @Nested
    @DisplayName("audit")
    class AuditCmd {
        @Test
        @DisplayName("a clean journal: exit 0 and one line")
        void clean() {
            assertThat(strict().run("audit")).isEqualTo(new Harness.Run(0,
                    "audit: clean: 11 events (pin=css rmdir=strict), every refcount agrees with its definition\n", ""));
        }

        @Test
        @DisplayName("the seed under rmdir=unchecked: exit 1, A1 unreachable, pinned by file:1 charged by task 1 at event #8, with A1's timeline")
        void unreachable() {
            assertThat(unchecked().run("audit")).isEqualTo(new Harness.Run(1, """
                    audit: 1 finding in 13 events (pin=css rmdir=unchecked)

                    A1 of /H1/foo unreachable since rmdir at event #12, pinned by [file:1 (charged by task 1 at event #8)]
                      timeline of A1 (event, get/put, value after, recorded where it differs):
                        #4 +1 -> 1  mkdir /H1/foo (cgroup #3, css A1, holds N1, new)
                        #7 +1 -> 2  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)
                        #8 +1 -> 3  charge file:1 (A, 1) to A1 by task 1
                        #10 -1 -> 2  N3 freed
                        #13 -1 -> 1  N1 freed
                    """, ""));
        }

        @Test
        @DisplayName("--json: ok, events, policies, findings as objects with kind, seq, summary and the timeline")
        void json() throws Exception {
            Harness.Run r = unchecked().run("audit", "--json");
            assertThat(r.code()).isEqualTo(1);
            JsonNode n = parse(r);
            assertThat(n.get("ok").asBoolean()).isFalse();
            assertThat(n.get("events").asInt()).isEqualTo(13);
            JsonNode f = n.get("findings").get(0);
            assertThat(f.get("kind").asText()).isEqualTo("unreachable");
            assertThat(f.get("seq").asInt()).isEqualTo(12);
            assertThat(f.get("css").asText()).isEqualTo("A1");
            assertThat(f.get("pins").toString()).isEqualTo("[{\"object\":\"file:1\",\"chargedBy\":1,\"chargedAt\":8}]");
            assertThat(f.get("timeline").get(2).toString()).isEqualTo("{\"seq\":8,\"stream\":\"cgledger-hierarchy-1 #3\","
                    + "\"delta\":1,\"after\":3,\"recorded\":3,\"cause\":\"charge file:1 (A, 1) to A1 by task 1\"}");
            assertThat(parse(strict().run("--json", "audit")).toString())
                    .isEqualTo("{\"ok\":true,\"events\":11,\"policies\":\"pin=css rmdir=strict\",\"findings\":[]}");
        }

        @Test
        @DisplayName("--json, a css dying: releasedAt and lastPut null while it is still dying and referenced (they read "
                + "0, as if event 0), event numbers once released")
        void dyingJson() throws Exception {
            JsonNode f = parse(seed("init --subsys A,B --rmdir offline", "rmdir /H1/foo").run("--json", "audit",
                    "--dying-limit", "0")).get("findings").get(0);
            assertThat(f.get("kind").asText()).isEqualTo("dying");
            assertThat(f.get("releasedAt").isNull()).isTrue();
            assertThat(f.get("lastPut").isNull()).isTrue();
            JsonNode released = parse(seed("init --subsys A,B --rmdir offline", "rmdir /H1/foo", "uncharge file:1")
                    .run("--json", "audit", "--dying-limit", "0")).get("findings").get(0);
            assertThat(released.get("releasedAt").asLong()).isPositive();
            assertThat(released.get("lastPut").asLong()).isPositive();
            // still dying, kept only by its child css: its last reference went at its last put
            Harness h = new Harness();
            assertThat(h.runWithInput("init --subsys A --rmdir offline\nmount -o A none /H1\nmkdir /H1/a /H1/a/b\n"
                    + "attach 1 /H1/a/b\ncharge 1 A file:1\nattach 1 /H1\nrmdir /H1/a/b\nrmdir /H1/a\n", "sh").code())
                    .isZero();
            JsonNode findings = parse(h.run("--json", "audit", "--dying-limit", "0")).get("findings");
            JsonNode a1 = null;
            for (JsonNode x : findings) {
                if (x.get("css").asText().equals("A1")) {
                    a1 = x;
                }
            }
            assertThat(a1).isNotNull();
            assertThat(a1.get("releasedAt").isNull()).isTrue();
            // (N1, the css_set its directory held, freed after its rmdir: A1's last put)
            assertThat(a1.get("lastPut").asLong()).isEqualTo(h.run("log", "--type", "CssSetFreed").out().lines()
                    .filter(l -> l.contains("N1 freed")).map(l -> Long.parseLong(l.substring(1, l.indexOf(' '))))
                    .findFirst().orElseThrow());
        }

        @Test
        @DisplayName("a progress bar on stderr only on a terminal with a long journal")
        void progress() {
            StringBuilder script = new StringBuilder("init --subsys A,B\n");
            for (int i = 2; i < 10_002; i++) {
                script.append("fork 1 --pid ").append(i).append("\nexit ").append(i).append('\n');
            }
            Harness h = new Harness();
            assertThat(h.runWithInput(script.toString(), "sh").code()).isZero();
            assertThat(h.run("audit").err()).isEmpty();
            Harness.Run t = h.runOnTerminal("audit");
            assertThat(t.code()).isZero();
            assertThat(t.out()).isEqualTo("audit: clean: 20001 events (pin=css rmdir=strict), every refcount agrees "
                    + "with its definition\n");
            assertThat(t.err()).contains("\raudit [##############                ] 10000/20001 events");
        }
    }

    @Nested
    @DisplayName("history")
    class HistoryCmd {
        Harness twice() {
            return seed("init --subsys A,B", "uncharge file:1", "rmdir /H1/foo", "mkdir /H1/foo", "attach 1 /H1/foo");
        }

        @Test
        @DisplayName("of a group created, removed and created again: both incarnations, each event with its time and refcounts after")
        void incarnations() {
            assertThat(twice().run("history", "/H1/foo")).isEqualTo(new Harness.Run(0, """
                    /H1/foo: 2 incarnations
                    cgroup 3, 10 events:
                      #4  2024-01-01T00:00:04Z  mkdir /H1/foo (cgroup #3, css A1, holds N1, new)  [A1=1 N1=1]
                      #6  2024-01-01T00:00:06Z  attach task 1 /H1 -> /H1/foo (N0 -> N1)  [A1=1 N1=2]
                      #7  2024-01-01T00:00:07Z  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)  [A1=2 N1=1]
                      #8  2024-01-01T00:00:08Z  charge file:1 (A, 1) to A1 by task 1  [A1=3 N1=1]
                      #9  2024-01-01T00:00:09Z  attach task 1 /H1/foo -> /H1 (N3 -> N2)  [A1=3 N1=1]
                      #10  2024-01-01T00:00:09Z  N3 freed  [A1=2 N1=1]
                      #12  2024-01-01T00:00:11Z  file:1 released (no holder left)  [A1=1 N1=1]
                      #13  2024-01-01T00:00:12Z  rmdir /H1/foo (cgroup #3)  [A1=1 N1=0]
                      #14  2024-01-01T00:00:12Z  N1 freed  [A1=0 N1=0]
                      #15  2024-01-01T00:00:12Z  A1 released  [A1=0 N1=0]
                    cgroup 5, 2 events:
                      #16  2024-01-01T00:00:13Z  mkdir /H1/foo (cgroup #5, css A2, holds N4, new)  [A2=1 N4=1]
                      #17  2024-01-01T00:00:14Z  attach task 1 /H1 -> /H1/foo (N0 -> N4)  [A2=1 N4=2]
                    """, ""));
        }

        @Test
        @DisplayName("lists the events that change the group's refcounts from the other hierarchy: #7 (N3 new holds "
                + "A1) for /H1/foo, #9 (task 1 back on N2) for /H2/bar, each with the refcounts after it")
        void fromTheOtherHierarchy() {
            Harness h = strict();
            assertThat(h.run("history", "/H1/foo").out()).contains("""
                      #6  2024-01-01T00:00:06Z  attach task 1 /H1 -> /H1/foo (N0 -> N1)  [A1=1 N1=2]
                      #7  2024-01-01T00:00:07Z  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)  [A1=2 N1=1]
                      #8  2024-01-01T00:00:08Z  charge file:1 (A, 1) to A1 by task 1  [A1=3 N1=1]
                    """);
            assertThat(h.run("history", "/H2/bar")).isEqualTo(new Harness.Run(0, """
                    /H2/bar: 1 incarnation
                    cgroup 4, 5 events:
                      #5  2024-01-01T00:00:05Z  mkdir /H2/bar (cgroup #4, css B1, holds N2, new)  [B1=1 N2=1]
                      #7  2024-01-01T00:00:07Z  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)  [B1=2 N2=1]
                      #9  2024-01-01T00:00:09Z  attach task 1 /H1/foo -> /H1 (N3 -> N2)  [B1=2 N2=2]
                      #10  2024-01-01T00:00:09Z  N3 freed  [B1=1 N2=2]
                      #11  2024-01-01T00:00:10Z  attach task 1 /H2/bar -> /H2 (N2 -> N0)  [B1=1 N2=1]
                    """, ""));
            assertThat(h.run("log", "--path", "/H2/bar", "--type", "TaskAttached").out().lines()
                    .map(l -> l.substring(0, l.indexOf(' ')))).containsExactly("#7", "#9", "#11");
            assertThat(h.run("history", "/H1").out()).as("a root only where an event names it")
                    .doesNotContain("#7 ").doesNotContain("#11 ");
        }

        @Test
        @DisplayName("under pin=cssset: file:1 pins N3, not B1: its charge and release change no counter of /H2/bar's "
                + "and are not in its history; N3's freeing, which drops B1, is")
        void pinnedCssSet() {
            Harness h = seed("init --subsys A,B --pin cssset", "uncharge file:1");
            assertThat(h.run("history", "/H2/bar")).isEqualTo(new Harness.Run(0, """
                    /H2/bar: 1 incarnation
                    cgroup 4, 5 events:
                      #5  2024-01-01T00:00:05Z  mkdir /H2/bar (cgroup #4, css B1, holds N2, new)  [B1=1 N2=1]
                      #7  2024-01-01T00:00:07Z  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)  [B1=2 N2=1]
                      #9  2024-01-01T00:00:09Z  attach task 1 /H1/foo -> /H1 (N3 -> N2)  [B1=2 N2=2]
                      #10  2024-01-01T00:00:10Z  attach task 1 /H2/bar -> /H2 (N2 -> N0)  [B1=2 N2=1]
                      #12  2024-01-01T00:00:11Z  N3 freed  [B1=1 N2=1]
                    """, ""));
        }

        @Test
        @DisplayName("takes its path as every command does: normalized, and inside sh from the working directory")
        void normalizedPaths() {
            Harness h = strict();
            String foo = h.run("history", "/H1/foo").out();
            String log = h.run("log", "--path", "/H1/foo").out();
            for (String p : List.of("/H1//foo", "/H1/./foo", "/H2/../H1/foo/", "//H1/bar/../foo/.")) {
                assertThat(h.run("history", p)).as(p).isEqualTo(new Harness.Run(0, foo, ""));
                assertThat(h.run("log", "--path", p)).as(p).isEqualTo(new Harness.Run(0, log, ""));
            }
            assertThat(h.run("history", "/H2/bar/../bar").out()).startsWith("/H2/bar: 1 incarnation\n");
            assertThat(h.run("history", "/H1/nope/").err()).isEqualTo("history: /H1/nope/: No such file or directory "
                    + "(ENOENT: no cgroup was ever created at /H1/nope)\n");
            Harness.Run sh = h.runWithInput("cd /H1/foo\nhistory .\nlog --path .\ncd /H2\nhistory ../H1//foo/\n"
                    + "log --path ../H1/foo\nhistory nope\n", "sh");
            assertThat(sh).isEqualTo(new Harness.Run(1, foo + log + foo + log, "history: nope: No such file or "
                    + "directory (ENOENT: no cgroup was ever created at /H2/nope)\n"));
        }

        @Test
        @DisplayName("of a group whose hierarchy was mounted again elsewhere: found by its path now and by its path "
                + "then, as is every event log --path lists")
        void remounted() {
            Harness h = new Harness();
            h.runAll("init --subsys A,B", "mount -o A none /H1", "mkdir /H1/foo", "umount /H1", "mount -o A none /H9",
                    "attach 1 /H9/foo");
            String events = """
                    cgroup 2, 2 events:
                      #3  2024-01-01T00:00:03Z  mkdir /H1/foo (cgroup #2, css A1, holds N1, new)  [A1=1 N1=1]
                      #6  2024-01-01T00:00:06Z  attach task 1 /H1 -> /H1/foo (N0 -> N1)  [A1=1 N1=2]
                    """;
            assertThat(h.run("history", "/H9/foo")).isEqualTo(new Harness.Run(0, "/H9/foo: 1 incarnation\n" + events, ""));
            assertThat(h.run("history", "/H1/foo")).isEqualTo(new Harness.Run(0, "/H1/foo: 1 incarnation\n" + events, ""));
            String log = """
                    #3  2024-01-01T00:00:03Z  cgledger-hierarchy-1 #1  CgroupCreated  mkdir /H1/foo (cgroup #2, css A1, holds N1, new)
                    #6  2024-01-01T00:00:06Z  cgledger-hierarchy-1 #2  TaskAttached  attach task 1 /H1 -> /H1/foo (N0 -> N1)
                    """;
            assertThat(h.run("log", "--path", "/H9/foo")).isEqualTo(new Harness.Run(0, log, ""));
            assertThat(h.run("log", "--path", "/H1/foo/")).isEqualTo(new Harness.Run(0, log, ""));
        }

        @Test
        @DisplayName("--id picks one incarnation; --json gives incarnations with entries (seq, time, text, refcounts)")
        void byIdAndJson() throws Exception {
            Harness h = twice();
            assertThat(h.run("history", "--id", "5").out()).startsWith("/H1/foo: 1 incarnation\ncgroup 5, 2 events:\n");
            JsonNode n = parse(h.run("--json", "history", "/H1/foo/"));
            assertThat(n.get("path").asText()).isEqualTo("/H1/foo");
            assertThat(n.get("incarnations")).hasSize(2);
            assertThat(n.get("incarnations").get(1).toString()).isEqualTo("{\"cgroup\":5,\"path\":\"/H1/foo\",\"entries\":["
                    + "{\"seq\":16,\"time\":\"2024-01-01T00:00:13Z\",\"text\":\"mkdir /H1/foo (cgroup #5, css A2, holds N4, "
                    + "new)\",\"refcounts\":{\"A2\":1,\"N4\":1}},{\"seq\":17,\"time\":\"2024-01-01T00:00:14Z\",\"text\":"
                    + "\"attach task 1 /H1 -> /H1/foo (N0 -> N4)\",\"refcounts\":{\"A2\":1,\"N4\":2}}]}");
        }
    }

    @Nested
    @DisplayName("who-holds, explain, graph, replay, diff")
    class Others {
        @Test
        @DisplayName("a parent css kept dying by its child css only: who-holds and tree say a child css holds it, as the "
                + "kernel's does, counted apart from the refcount (who-holds had said 'not references', tree only "
                + "'refcount 0 dying')")
        void parentHeldByChildCss() {
            Harness h = new Harness();
            assertThat(h.runWithInput("init --subsys A,B --rmdir offline\nmount -o A none /H1\nmkdir -p /H1/p/c\n"
                    + "echo 1 > /H1/p/c/tasks\ncharge 1 A f --cache\necho 1 > /H1/tasks\nrmdir /H1/p/c\nrmdir /H1/p\n",
                    "sh").code()).isZero();
            assertThat(h.run("who-holds", "A1").out()).isEqualTo("""
                    A1: refcount 0 after event #11, 0 holders
                      kept dying by its child css A2 (a child css holds its parent, as in the kernel; counted apart \
                    from this refcount, which counts css_sets and objects)
                    """);
            assertThat(h.run("tree").out()).isEqualTo("""
                    /H1 (A)  1 task  A0 refcount 1 online
                    └─p (removed)  0 tasks  A1 refcount 0 dying, held by 1 child css
                      └─c (removed)  0 tasks  A2 refcount 1 dying
                    """);
        }

        @Test
        @DisplayName("who-holds A1: each live reference with the event that took it; --timeline every get and put")
        void whoHolds() throws Exception {
            Harness h = strict();
            assertThat(h.run("who-holds", "A1", "--timeline")).isEqualTo(new Harness.Run(0, """
                    A1: refcount 2 after event #11, 2 holders
                      css_set N1  since #4 (mkdir /H1/foo (cgroup #3, css A1, holds N1, new))
                      object file:1  since #8 (charge file:1 (A, 1) to A1 by task 1)
                    timeline of A1 (event, get/put, value after):
                      #4 +1 -> 1  mkdir /H1/foo (cgroup #3, css A1, holds N1, new)
                      #7 +1 -> 2  attach task 1 /H2 -> /H2/bar (N1 -> N3 new)
                      #8 +1 -> 3  charge file:1 (A, 1) to A1 by task 1
                      #10 -1 -> 2  N3 freed
                    """, ""));
            assertThat(parse(h.run("--json", "who-holds", "N0", "--at-event", "2")).toString()).isEqualTo("{\"ok\":true,"
                    + "\"atEvent\":2,\"counter\":\"N0\",\"event\":2,\"refcount\":2,\"holders\":[{\"kind\":\"task\",\"pid\":1,"
                    + "\"since\":1,\"cause\":\"init --subsys A,B --pin css --rmdir strict\"},{\"kind\":\"dir\","
                    + "\"path\":\"/H1\",\"cgroup\":1,\"since\":2,\"cause\":\"mount hierarchy 1 (A) on /H1, root holds N0\"}]}");
            // a holder is named as stat and csssets name it (who-holds had said "css_set" and "directory", with a
            // "name" for every kind): the same kind and the same fields, who-holds adding "since" and "cause"
            for (String counter : List.of("N0", "N1", "A1")) {
                List<JsonNode> held = new ArrayList<>();
                parse(h.run("--json", "who-holds", counter)).get("holders").forEach(x -> {
                    ObjectNode o = ((ObjectNode) x).deepCopy();
                    o.remove(List.of("since", "cause"));
                    held.add(o);
                });
                List<JsonNode> shown = new ArrayList<>();
                JsonNode views = counter.startsWith("N") ? parse(h.run("--json", "csssets")).get("csssets")
                        : parse(h.run("--json", "stat", "/H1/foo")).get("css");
                views.forEach(x -> {
                    if (x.get("id").asText().equals(counter)) {
                        // (an object's other fields, its amount and holders, are the views' alone)
                        x.get("holders").forEach(y -> shown.add(y.get("kind").asText().equals("object")
                                ? ((ObjectNode) y.deepCopy()).retain("kind", "name") : y));
                    }
                });
                assertThat(held).as(counter).isNotEmpty().containsExactlyInAnyOrderElementsOf(shown);
            }
        }

        @Test
        @DisplayName("explain: exit 1 with every reason while file:1 pins A1, exit 0 once it is uncharged")
        void explain() throws Exception {
            Harness h = strict();
            assertThat(h.run("explain", "/H1/foo")).isEqualTo(new Harness.Run(1, """
                    rmdir /H1/foo: would fail: EBUSY Device or resource busy: /H1/foo: css A1 would keep refcount 1 (file:1 charged by task 1 at event #8) (pin=css rmdir=strict)
                      A1 is pinned by file:1 (A, 1, charged by task 1 at event #8, held by [1])
                    """, ""));
            h.runAll("uncharge file:1");
            assertThat(h.run("explain", "/H1/foo")).isEqualTo(new Harness.Run(0,
                    "rmdir /H1/foo: would succeed (pin=css rmdir=strict)\n", ""));
            assertThat(parse(h.run("--json", "explain", "/H1/foo", "--at-event", "8")).toString()).isEqualTo("{\"ok\":false,"
                    + "\"atEvent\":8,\"path\":\"/H1/foo\",\"wouldSucceed\":false,\"errno\":\"EBUSY\",\"verdict\":\"EBUSY Device or resource busy: /H1/foo "
                    + "has tasks attached: 1\",\"policy\":\"pin=css rmdir=strict\",\"reasons\":[\"task 1 is attached\","
                    + "\"A1 is in css_set N3 (refcount 1)\",\"A1 is pinned by file:1 (A, 1, charged by task 1 at event #8, "
                    + "held by [1])\"]}");
        }

        @Test
        @DisplayName("explain lists a cgroup's children sorted by name, as ls does")
        void explainSortsChildren() {
            Harness h = strict();
            h.runAll("mkdir /H1/foo3", "mkdir /H1/foo2", "mkdir /H1/y", "mkdir /H1/x", "mkdir /H1/z", "mkdir /H1/a");
            assertThat(h.run("explain", "/H1").out().lines().filter(l -> l.startsWith("  child "))).containsExactly(
                    "  child /H1/a exists", "  child /H1/foo exists", "  child /H1/foo2 exists", "  child /H1/foo3 exists",
                    "  child /H1/x exists", "  child /H1/y exists", "  child /H1/z exists");
        }

        @Test
        @DisplayName("graph: the reference graph as DOT; svg without Graphviz says how to get it")
        void graph() throws Exception {
            Harness h = strict();
            assertThat(h.run("graph")).isEqualTo(new Harness.Run(0, """
                    digraph cgledger {
                      rankdir=LR;
                      node [fontname="monospace"];
                      "task 1" [shape=ellipse];
                      "task 1" -> "cssset N0";
                      "dir /H1" [shape=folder, label="/H1"];
                      "dir /H1" -> "cssset N0";
                      "dir /H2" [shape=folder, label="/H2"];
                      "dir /H2" -> "cssset N0";
                      "dir /H1/foo" [shape=folder, label="/H1/foo"];
                      "dir /H1/foo" -> "cssset N1";
                      "dir /H2/bar" [shape=folder, label="/H2/bar"];
                      "dir /H2/bar" -> "cssset N2";
                      "cssset N0" [shape=box, label="N0\\nrefcount 3"];
                      "cssset N0" -> "css A0";
                      "cssset N0" -> "css B0";
                      "cssset N1" [shape=box, label="N1\\nrefcount 1"];
                      "cssset N1" -> "css A1";
                      "cssset N1" -> "css B0";
                      "cssset N2" [shape=box, label="N2\\nrefcount 1"];
                      "cssset N2" -> "css A0";
                      "cssset N2" -> "css B1";
                      "css A0" [shape=component, label="A0\\nonline refcount 2"];
                      "css A1" [shape=component, label="A1\\nonline refcount 2"];
                      "css B0" [shape=component, label="B0\\nonline refcount 2"];
                      "css B1" [shape=component, label="B1\\nonline refcount 1"];
                      "object file:1" [shape=note, label="file:1"];
                      "object file:1" -> "css A1";
                    }
                    """, ""));
            assertThat(parse(h.run("--json", "graph")).get("dot").asText()).isEqualTo(h.run("graph").out());
            assertThat(h.run("graph", "--at-event", "8").out()).contains("\"task 1\" -> \"cssset N3\";");
            assertThat(h.run("graph", "--to-event", "8")).as("DESIGN.md's spelling, as who-holds takes it")
                    .isEqualTo(h.run("graph", "--at-event", "8"));
            assertThat(h.run("graph", "--help").out()).contains("--at-event, --to-event=N");
            h.env.put("PATH", "/nonexistent");
            assertThat(h.run("graph", "--format", "svg")).isEqualTo(new Harness.Run(1, "", "graph: --format svg needs "
                    + "Graphviz's 'dot', which is not on the PATH: install it (apt-get install graphviz), or use --format dot\n"));
            assertThat(h.run("graph", "--format", "svg", "--at-event", "99")).as("a bad event is exit 2, with or without Graphviz")
                    .isEqualTo(h.run("graph", "--at-event", "99")).extracting(Harness.Run::code).isEqualTo(2);
            // in sh --json its answer carries "line", as every other line's does
            Harness.Run sh = h.runWithInput("graph --format svg\n", "--json", "sh");
            assertThat(parse(sh).get("line").asInt()).isEqualTo(1);
            assertThat(parse(sh).get("error").asText()).isEqualTo("graphviz");
        }

        @Test
        @DisplayName("replay --to-event prints the event, counts, the tree and the css_sets; diff lists what changed")
        void replayAndDiff() {
            Harness h = unchecked();
            assertThat(h.run("replay", "--to-event", "8")).isEqualTo(new Harness.Run(0, """
                    after event #8 of 13 (2024-01-01T00:00:08Z, ObjectCharged): 2 hierarchies, 4 cgroups, 1 task, 4 css_sets, 4 css, 1 charged object
                    /H1 (A)  0 tasks  A0 refcount 2 online
                    └─foo  1 task  A1 refcount 3 online
                    /H2 (B)  0 tasks  B0 refcount 2 online
                    └─bar  1 task  B1 refcount 2 online
                    N0  refcount 2  (A0, B0)  dir /H1, dir /H2
                    N1  refcount 1  (A1, B0)  dir /H1/foo
                    N2  refcount 1  (A0, B1)  dir /H2/bar
                    N3  refcount 1  (A1, B1)  task 1
                    """, ""));
            assertThat(h.run("replay", "--at", "2024-01-01T00:00:08.5Z").out()).startsWith("after event #8 of 13 ");
            assertThat(h.run("diff", "--from", "7", "--to", "10")).isEqualTo(new Harness.Run(0, """
                    task 1 moved /H1/foo -> /H1
                    css_set N2 refcount 1 -> 2
                    css_set N3 freed
                    css A0 usage 0 -> 1
                    css A1 usage 0 -> 1
                    css B1 refcount 2 -> 1
                    object file:1 charged to A1 (1)
                    """, ""));
        }
    }

    @Test
    @DisplayName("diff: a pid that exited and was forked again in between is 'exited' and 'forked' (it had been "
            + "'moved', or nothing at all); ps --json gives each task's fork event")
    void diffPidForkedAgain() throws Exception {
        Harness h = new Harness();
        h.runAll("init --subsys A", "mount -o A none /H1", "mkdir /H1/a /H1/b", "fork 1", "attach 2 /H1/a",
                "exit 2", "fork 1 --pid 2");
        assertThat(h.run("diff", "--from", "6", "--to", "8")).isEqualTo(new Harness.Run(0, """
                task 2 exited
                task 2 forked, on N0
                css_set N0 refcount 2 -> 3
                css_set N1 refcount 2 -> 1
                """, ""));
        h.runAll("attach 2 /H1/b");
        assertThat(h.run("diff", "--from", "5").out()).startsWith("""
                task 2 exited
                task 2 forked, on N2
                """);
        assertThat(h.run("diff", "--from", "8").out()).startsWith("task 2 moved /H1 -> /H1/b\n");
        assertThat(parse(h.run("--json", "ps", "--at-event", "6")).get("tasks").get(1).get("forkedAt").asLong())
                .isEqualTo(5);
        assertThat(parse(h.run("--json", "ps")).get("tasks").get(1).get("forkedAt").asLong()).isEqualTo(8);
    }

    @Test
    @DisplayName("summary lines count one of a thing in the singular: 1 event, 1 hierarchy, 1 cgroup, 1 task, 1 css_set")
    void singular() {
        Harness h = new Harness();
        h.runAll("init --subsys A,B");
        assertThat(h.run("audit")).isEqualTo(new Harness.Run(0,
                "audit: clean: 1 event (pin=css rmdir=strict), every refcount agrees with its definition\n", ""));
        h.runAll("mount -o A none /H1");
        assertThat(h.run("replay").out()).startsWith("after event #2 of 2 (2024-01-01T00:00:02Z, HierarchyMounted): "
                + "1 hierarchy, 1 cgroup, 1 task, 1 css_set, 2 css, 0 charged objects\n");
    }

    @Test
    @DisplayName("replay counts removed groups still kept (their css dying) apart, as tree shows them")
    void replayCountsKeptGroups() {
        Harness h = new Harness();
        h.runAll("init --subsys A --rmdir offline", "mount -o A none /H1", "mkdir /H1/a", "fork 1 --pid 5",
                "attach 5 /H1/a", "charge 5 A obj1 10 --cache", "exit 5", "rmdir /H1/a");
        assertThat(h.run("replay").out()).contains(": 1 hierarchy, 1 cgroup (and 1 removed, still kept), 1 task, ")
                .contains("a (removed)");
        assertThat(h.run("--json", "replay").out()).contains("\"cgroups\":1,\"removedCgroups\":1,");
    }

    @Test
    @DisplayName("time travel: tree, stat, csssets, ps and subsys at event N (or its time) equal what they printed when the ledger stopped at N")
    void timeTravel() {
        Harness h = new Harness();
        List<String> steps = new ArrayList<>(List.of("init --subsys A,B --rmdir offline"));
        steps.addAll(List.of(TO_STEP_7));
        steps.addAll(List.of("rmdir /H1/foo", "mkdir /H1/foo", "fork 1 --pid 7", "attach 7 /H1/foo", "uncharge file:1",
                "exit 7"));
        List<Long> at = new ArrayList<>();
        List<List<String>> printed = new ArrayList<>();
        for (String s : steps) {
            h.runAll(s);
            List<Recorded> j = h.ledger().journal();
            at.add(j.get(j.size() - 1).seq());
            printed.add(List.of(h.run("tree").out(), h.run("csssets").out(), h.run("ps").out(),
                    h.run("--json", "stat", "/H1").out(), h.run("subsys").out()));
        }
        for (int i = 0; i < at.size(); i++) {
            String n = Long.toString(at.get(i));
            assertThat(List.of(h.run("tree", "--at-event", n).out(), h.run("csssets", "--at-event", n).out(),
                    h.run("ps", "--at-event", n).out(), h.run("--json", "stat", "/H1", "--at-event", n).out(),
                    h.run("subsys", "--at-event", n).out()))
                    .as("at event #%s", n).isEqualTo(List.of(printed.get(i).get(0), printed.get(i).get(1),
                            printed.get(i).get(2),
                            // the JSON says which event's state it shows
                            printed.get(i).get(3).replaceFirst("\"ok\":true,", "\"ok\":true,\"atEvent\":" + n + ","),
                            printed.get(i).get(4)));
            String time = Harness.START.plusSeconds(i + 1).toString();
            assertThat(h.run("tree", "--at", time).out()).as("at %s", time).isEqualTo(printed.get(i).get(0));
        }
        assertThat(printed.get(steps.indexOf("rmdir /H1/foo")).get(0)).contains("foo (removed)");
    }

    @Test
    @DisplayName("bad input: one clear line and the right exit code")
    void badInput() {
        Harness h = strict();
        assertThat(h.run("tree", "--at-event", "99")).isEqualTo(new Harness.Run(2, "",
                "tree: --at-event 99: the journal ends at event #11\n"));
        // the option named as typed (--to-event had been answered as --at-event)
        assertThat(h.run("tree", "--to-event", "99").err()).isEqualTo("tree: --to-event 99: the journal ends at event #11\n");
        assertThat(h.run("who-holds", "A1", "--to-event=99").err())
                .isEqualTo("who-holds: --to-event 99: the journal ends at event #11\n");
        assertThat(h.run("who-holds", "A1", "--at-event", "-1").err())
                .isEqualTo("who-holds: --at-event -1: event numbers start at 1 (0: before the first)\n");
        // who-holds takes --at as the views do
        assertThat(h.run("who-holds", "A1", "--at", "2023-01-01T00:00:00Z").err()).contains("after event #0");
        assertThat(h.run("who-holds", "A1", "--at", "2999-01-01T00:00:00Z").out())
                .isEqualTo(h.run("who-holds", "A1").out());
        assertThat(h.run("who-holds", "A1", "--at", "yesterday").code()).isEqualTo(2);
        assertThat(h.run("who-holds", "A1", "--at", "2999-01-01T00:00:00Z", "--at-event", "3").err())
                .isEqualTo("who-holds: give --at-event or --at, not both\n");
        assertThat(h.run("log", "--from", "12")).isEqualTo(new Harness.Run(2, "", "log: --from 12: the journal ends at event #11\n"));
        assertThat(h.run("stat", "/H1", "--at", "yesterday")).isEqualTo(new Harness.Run(2, "",
                "stat: 'yesterday' is not an ISO-8601 instant (like 2024-05-01T12:00:00Z)\n"));
        assertThat(h.run("tree", "--at", "2023-01-01T00:00:00Z")).isEqualTo(new Harness.Run(1, "",
                "tree: No such file or directory (ENOENT: the ledger was not initialized yet at event #0)\n"));
        assertThat(h.run("who-holds", "A9")).isEqualTo(new Harness.Run(1, "", "who-holds: A9: No such file or directory "
                + "(ENOENT: no live css or css_set A9 after event #11 (names like A1 or N3; see 'cgledger csssets'))\n"));
        assertThat(h.run("explain", "/H1/nope").code()).isEqualTo(1);
        assertThat(h.run("explain", "/H1/nope").err()).startsWith("explain: /H1/nope: No such file or directory (ENOENT: ")
                .hasLineCount(1);
        assertThat(h.run("history", "/H1/nope")).isEqualTo(new Harness.Run(1, "", "history: /H1/nope: No such file or "
                + "directory (ENOENT: no cgroup was ever created at /H1/nope)\n"));
        assertThat(h.run("history")).isEqualTo(new Harness.Run(2, "", "history: give a PATH or --id ID (one of them)\n"));
        assertThat(h.run("log", "--path", "/nope")).isEqualTo(new Harness.Run(1, "", "log: /nope: No such file or "
                + "directory (ENOENT: no cgroup was ever created at /nope)\n"));
        // a task or object the journal never named, as a path where no group ever lived (they had printed
        // nothing, exit 0); one named outside the range asked is just no line
        assertThat(h.run("log", "--task", "99")).isEqualTo(new Harness.Run(1, "", "log: --task 99: No such process "
                + "(ESRCH: no task 99 in the journal (no event names it))\n"));
        assertThat(h.run("log", "--object", "nope")).isEqualTo(new Harness.Run(1, "", "log: --object nope: No such file "
                + "or directory (ENOENT: no object nope was ever charged)\n"));
        assertThat(h.run("log", "--task", "1", "--type", "CgroupCreated")).isEqualTo(new Harness.Run(0, "", ""));
        // in sh too after a log line that printed (the count of lines shown had been kept from line to line)
        Harness.Run sh = h.runWithInput("log --from 11\nlog --task 99\nlog --object nope\n", "sh");
        assertThat(sh.code()).isOne();
        assertThat(sh.err()).isEqualTo("log: --task 99: No such process (ESRCH: no task 99 in the journal (no event "
                + "names it))\nlog: --object nope: No such file or directory (ENOENT: no object nope was ever charged)\n");
        assertThat(h.run("log", "--object", "file:1", "--to", "1")).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(h.run("stat", "")).isEqualTo(new Harness.Run(1, "", "stat: : Invalid argument (EINVAL: path must be "
                + "absolute: )\n"));
        assertThat(h.run("log", "--path", "")).as("an empty path, as stat answers it: not the whole journal")
                .isEqualTo(new Harness.Run(1, "", "log: : Invalid argument (EINVAL: path must be absolute: )\n"));
        assertThat(h.run("history", "")).isEqualTo(new Harness.Run(1, "", "history: : Invalid argument (EINVAL: path "
                + "must be absolute: )\n"));
        assertThat(h.run("log", "--path", "H1/foo")).isEqualTo(new Harness.Run(1, "", "log: H1/foo: Invalid argument "
                + "(EINVAL: path must be absolute: H1/foo)\n"));
        assertThat(h.run("--json", "log", "--path", "")).isEqualTo(new Harness.Run(1, "{\"ok\":false,\"command\":"
                + "\"log\",\"errno\":\"EINVAL\",\"error\":\"Invalid argument\",\"reason\":\"path must be absolute: \"}\n",
                ""));
        String tooLong = "/H1/" + "a".repeat(5000);
        assertThat(h.run("log", "--path", tooLong).err()).isEqualTo(h.run("stat", tooLong).err().replaceFirst("^stat", "log"))
                .contains("ENAMETOOLONG");
        assertThat(h.run("--json", "log", "--path", "/H1/nope").out()).startsWith("{\"ok\":false,\"command\":\"log\","
                + "\"errno\":\"ENOENT\"");
        assertThat(h.run("log", "--path", "/H1/foo", "--type", "RmdirRefused")).as("a group lived there: no event, exit 0")
                .isEqualTo(new Harness.Run(0, "", ""));
        assertThat(h.run("log", "--type", "Nope").err()).startsWith("log: --type Nope: no such event type (LedgerInitialized, ")
                .hasLineCount(1);
        assertThat(h.run("graph", "--format", "png")).isEqualTo(new Harness.Run(2, "", "graph: --format png: dot or svg\n"));
        assertThat(h.run("diff", "--from", "3", "--to", "12").code()).isEqualTo(2);
        assertThat(h.run("diff", "--from", "5", "--to", "3")).isEqualTo(new Harness.Run(2, "",
                "diff: --from 5 is after --to 3\n"));
        assertThat(h.run("--json", "who-holds", "A9").out()).startsWith("{\"ok\":false,\"command\":\"who-holds\",\"errno\":\"ENOENT\"");
        assertThat(h.run("--json", "tree", "--at-event", "99").out()).isEqualTo("{\"ok\":false,\"error\":\"usage\",\"reason\":"
                + "\"--at-event 99: the journal ends at event #11\"}\n");
        assertThat(new Harness().run("log")).isEqualTo(new Harness.Run(1, "", "log: No such file or directory (ENOENT: "
                + "no ledger at /ledgers/test yet (the first write creates one with subsystems A,B,cpu,memory,beancounter, "
                + "pin=css, rmdir=strict))\n"));
        assertThat(h.run("--in-memory", "import", "x.jsonl")).isEqualTo(new Harness.Run(2, "",
                "import: import writes a ledger directory: give --ledger DIR, not --in-memory\n"));
    }

    @Test
    @DisplayName("--in-memory sh: log, audit, explain and time travel read the in-memory journal")
    void inMemorySh() {
        Harness h = new Harness();
        Harness.Run r = h.runWithInput("""
                init --subsys A,B
                mount -o A none /H1
                mkdir /H1/foo
                log --type CgroupCreated
                audit
                mkdir /H1/bar
                tree --at-event 3
                explain /H1/bar
                """, "--in-memory", "sh");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).matches("""
                #3  \\S+  cgledger-hierarchy-1 #1  CgroupCreated  mkdir /H1/foo \\(cgroup #2, css A1, holds N1, new\\)
                audit: clean: 3 events \\(pin=css rmdir=strict\\), every refcount agrees with its definition
                /H1 \\(A\\)  1 task  A0 refcount 1 online
                └─foo  0 tasks  A1 refcount 1 online
                rmdir /H1/bar: would succeed \\(pin=css rmdir=strict\\)
                """);
        assertThat(r.code()).isZero();
    }
}
