package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** {@code serve} and its clients, on durable ledgers through the production opener (a few seconds). */
class ServeTest {

    @TempDir
    Path tmp;

    final List<String> serverLog = new CopyOnWriteArrayList<>();
    LedgerServer server;
    Thread serving;

    /** A command line run in this process, as a one-shot command without a server. */
    Harness.Run local(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), Main.PRODUCTION,
                Map.of(), new ByteArrayInputStream(new byte[0]), false).execute(args);
        return new Harness.Run(code, out.toString(), err.toString());
    }

    /** A command line as Main starts it: through the server when one answers, null when none did. */
    Harness.Run client(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OptionalInt code = Client.viaServer(args, Map.of(), false, out, err);
        return code.isEmpty() ? null : new Harness.Run(code.getAsInt(), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    void serve(Path dir) {
        server = LedgerServer.start(dir, Main.PRODUCTION, serverLog::add);
        serving = new Thread(server::serve, "test-serve");
        serving.start();
    }

    /** Waits for the server to stop serving, and closes it as {@code serve} does. */
    void join() {
        try {
            serving.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(serving.isAlive()).isFalse();
        server.close();
        server = null;
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
            serving.join(10_000);
            server.close();
        }
    }

    @Test
    @DisplayName("a server whose socket is gone (its directory removed or moved) stops, saying why: no command could "
            + "reach it, nor serve --stop")
    void socketGone() throws Exception {
        Path dir = ledger("gone", "mount -o A none /H1");
        serve(dir);
        assertThat(client("--ledger", dir.toString(), "mkdir", "/H1/a")).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(server.socketGone()).isFalse();
        Path moved = Files.move(dir, tmp.resolve("moved"));
        // this call or the server's own check, each second, stops it
        server.socketGone();
        join();
        assertThat(serverLog).anySatisfy(l -> assertThat(l).startsWith("stopping: " + dir.resolve("ledger.sock")
                + " is gone (the ledger directory removed or moved?)"));
        assertThat(client("--ledger", moved.toString(), "ls", "/H1")).isNull();
    }

    @Test
    @DisplayName("after a journal write failed (a full disk), the server opens the ledger again for the next command, "
            + "as a one-shot command's next process does: the failed ledger refuses every command after it")
    void reopensAfterAFailedWrite() throws Exception {
        Path dir = ledger("full", "mount -o A none /H1");
        serve(dir);
        assertThat(client("--ledger", dir.toString(), "mkdir", "/H1/a")).isEqualTo(new Harness.Run(0, "", ""));
        h2(dir, "CREATE TRIGGER DISK_FULL BEFORE INSERT ON PUBLIC.\"event_journal\" FOR EACH ROW CALL '"
                + DiskFull.class.getName() + "'");
        Harness.Run refused = client("--ledger", dir.toString(), "mkdir", "/H1/lost");
        assertThat(refused.code()).isEqualTo(3);
        assertThat(refused.err()).contains("a journal write failed: No space left on device");
        h2(dir, "DROP TRIGGER DISK_FULL");
        assertThat(client("--ledger", dir.toString(), "mkdir", "/H1/b")).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(client("--ledger", dir.toString(), "ls", "/H1").out()).contains("a\n").contains("b\n")
                .doesNotContain("lost");
    }

    /** {@code sql} run on the served ledger's H2 file, in this process (the server's). */
    private static void h2(Path dir, String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath()
                .resolve("journal") + ";WRITE_DELAY=0;MAX_COMPACT_TIME=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    /** An H2 trigger that refuses every row as a full disk would. */
    public static final class DiskFull implements org.h2.api.Trigger {
        @Override
        public void fire(java.sql.Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            throw new java.sql.SQLException("No space left on device");
        }
    }

    Path ledger(String name, String... lines) {
        Path dir = tmp.resolve(name);
        for (String line : lines) {
            List<String> args = new ArrayList<>(List.of("--ledger", dir.toString()));
            args.addAll(List.of(line.split(" ")));
            assertThat(local(args.toArray(String[]::new)).code()).as(line).isZero();
        }
        return dir;
    }

    static String[] on(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of("--ledger", dir.toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    @DisplayName("a served command answers what the same command answers in its own process: output, errors, "
            + "exit codes 0, 1 and 2, --json")
    void sameAnswers() {
        String[] setup = {"init --subsys A,B", "mount -o A none /H1", "mkdir /H1/a"};
        Path served = ledger("served", setup);
        Path alone = ledger("alone", setup);
        serve(served);
        String[][] commands = {
            {"mkdir", "/H1/b"},
            {"mkdir", "/H1/b"},
            {"--json", "mkdir", "/H1/c"},
            {"attach", "1", "/H1/b"},
            {"ls", "/H1"},
            {"cat", "/H1/b/tasks"},
            {"rmdir", "/H1/b"},
            {"tree"},
            {"mkdir", "--frob", "/H1/x"},
            {"stat", "/H1/b"},
            {"log"},
            {"history", "/H1/b"},
            {"audit"},
            {"who-holds", "A1"},
            {"explain", "/H1/a"},
            {"tree", "--at-event", "4"},
            {"diff", "--from", "3", "--to", "6"},
            {"replay", "--to-event", "5"},
            {"log", "--from", "4", "--to", "6"},
            {"log", "--from", "99"},
            {"graph"},
            {"history", "/H1/nowhere"},
            {"log", "--path", "/H1/nowhere"},
            {"log", "--path", "/H1"},
        };
        for (String[] c : commands) {
            Harness.Run viaServer = client(on(served, c));
            Harness.Run itself = local(on(alone, c));
            assertThat(viaServer).as(String.join(" ", c)).isNotNull();
            assertThat(viaServer.code()).as(String.join(" ", c)).isEqualTo(itself.code());
            // the twins' events were recorded at other times
            assertThat(times(viaServer.out())).as(String.join(" ", c)).isEqualTo(times(itself.out()));
            assertThat(viaServer.err().replace(served.toString(), "DIR"))
                    .as(String.join(" ", c)).isEqualTo(itself.err().replace(alone.toString(), "DIR"));
        }
        assertThat(client(on(served, "mkdir", "/H1/b")).code()).isEqualTo(CgLedger.REFUSED);
        assertThat(client(on(served, "mkdir", "--frob", "/H1/x")).code()).isEqualTo(CgLedger.USAGE);
        assertThat(serverLog).isEmpty();
    }

    static String times(String text) {
        return text.replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "TIME");
    }

    @Test
    @DisplayName("what a served command writes is durable: stop the server, and the ledger holds it")
    void durable() {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        serve(dir);
        assertThat(client(on(dir, "mkdir", "/H1/kept"))).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(Client.stop(Wire.socket(dir))).isTrue();
        join();
        assertThat(local(on(dir, "ls", "/H1")).out()).contains("kept\n");
        // serve --stop under --json answers JSON (it was the text line), and its refusal too
        serve(dir);
        assertThat(local(on(dir, "--json", "serve", "--stop"))).isEqualTo(new Harness.Run(0,
                "{\"ok\":true,\"ledger\":\"" + dir + "\"}\n", ""));
        join();
        assertThat(local(on(dir, "serve", "--stop", "--json")).out()).startsWith("{\"ok\":false,\"command\":\"serve\","
                + "\"errno\":\"ENOENT\"");
        assertThat(Files.exists(Wire.socket(dir))).isFalse();
        assertThat(client(on(dir, "ls", "/H1"))).as("no server: the command runs in its own process").isNull();
    }

    @Test
    @DisplayName("a new ledger after the common commands, one-shot and served, holds ledger.lock and journal.mv.db "
            + "only: no H2 trace file (H2 writes every failed statement there)")
    void onlyTheLedgersFiles() {
        Path dir = tmp.resolve("l");
        for (String line : new String[] {"mount -o A none /H1", "mkdir /H1/a", "fork 1", "attach 2 /H1/a", "log",
                "history /H1/a", "audit", "tree", "compact"}) {
            assertThat(local(on(dir, line.split(" "))).code()).as(line).isZero();
        }
        serve(dir);
        for (String line : new String[] {"mkdir /H1/b", "history /H1/b", "log", "audit"}) {
            assertThat(client(on(dir, line.split(" "))).code()).as("served " + line).isZero();
        }
        assertThat(local(on(dir, "serve", "--stop")).code()).isZero();
        join();
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("ledger.lock", "journal.mv.db");
    }

    @Test
    @DisplayName("the journal's readers run in the server, on the ledger it holds; export, import, compact and sh "
            + "get the ledger under a lease: the server closes it, and opens it again for the next command once it ends")
    void readers() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        serve(dir);
        assertThat(client(on(dir, "mkdir", "/H1/a")).code()).isZero();
        Harness.Run history = client(on(dir, "history", "/H1/a"));
        assertThat(history).as("history runs in the server").isNotNull();
        assertThat(history.out()).startsWith("/H1/a: 1 incarnation");
        assertThat(client(on(dir, "audit")).out()).startsWith("audit: clean: 3 events");
        assertThat(client(on(dir, "mkdir", "/H1/b")).code()).isZero();
        assertThat(client(on(dir, "history", "/H1/b")).out()).as("the index catches up").startsWith("/H1/b: 1 incarnation");
        // without the lease, export would wait for the server's lock and fail
        Path file = tmp.resolve("l.jsonl");
        assertThat(client(on(dir, "export", file.toString()))).as("export runs in its own process").isNull();
        try (Client.Leases lease = Client.leases(on(dir, "export", file.toString()), Map.of(), false)) {
            assertThat(lease.held()).isTrue();
            assertThat(local(on(dir, "export", file.toString())).out()).isEqualTo("exported 4 events to " + file + "\n");
        }
        assertThat(client(on(dir, "mkdir", "/H1/c")).code()).isZero();
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("a\n", "b\n", "c\n");
        // the hierarchy mounted again elsewhere: its groups are found by their new paths too
        assertThat(client(on(dir, "umount", "/H1")).code()).isZero();
        assertThat(client(on(dir, "mount", "-o", "A", "none", "/H2")).code()).isZero();
        assertThat(client(on(dir, "history", "/H2/a")).out()).startsWith("/H2/a: 1 incarnation\ncgroup 2, 1 event:\n");
        assertThat(client(on(dir, "log", "--path", "/H2/b")).out()).contains("  mkdir /H1/b (cgroup #3, ").hasLineCount(1);
    }

    @Test
    @DisplayName("a served log removes the spools a server killed outright left in the temporary directory (its pid "
            + "gone); one of a live server's stays, and so does a file of another name")
    void spoolsLeftByDeadServers() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1", "mkdir /H1/a");
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
        Path dead = Files.writeString(tmpdir.resolve("cgledger-log-" + gone.pid() + "-17.tmp"), "lines of a dead server");
        Path live = Files.writeString(tmpdir.resolve("cgledger-log-" + ProcessHandle.current().pid() + "-17.tmp"), "mine");
        Path other = Files.writeString(tmpdir.resolve("cgledger-log-x" + gone.pid() + "-17.tmp"), "not a spool");
        try {
            serve(dir);
            Harness.Run log = client(on(dir, "log"));
            assertThat(log.code()).isZero();
            assertThat(log.out()).contains("mkdir /H1/a");
            assertThat(dead).doesNotExist();
            assertThat(live).exists();
            assertThat(other).exists();
        } finally {
            Files.deleteIfExists(dead);
            Files.deleteIfExists(live);
            Files.deleteIfExists(other);
        }
    }

    @Test
    @DisplayName("on a PostgreSQL journal (skipped without a server: PostgresReadTest): the journal's readers run "
            + "through the server, which closes the ledger for each, and answer as in a process of their own")
    void readersOnPostgres() throws Exception {
        PostgresReadTest.emptyServer();
        PostgresReadTest.configured(true, () -> {
            Path dir = ledger("pg", "init --subsys A", "mount -o A none /H1", "mkdir /H1/a");
            serve(dir);
            assertThat(client(on(dir, "mkdir", "/H1/b")).code()).isZero();
            List<String[]> readers = List.of(new String[] {"history", "/H1/b"}, new String[] {"log", "--path", "/H1/a"},
                    new String[] {"audit"}, new String[] {"tree", "--at-event", "3"}, new String[] {"log"});
            List<Harness.Run> served = new ArrayList<>();
            for (String[] reader : readers) {
                Harness.Run r = client(on(dir, reader));
                assertThat(r).as("%s runs in the server", reader[0]).isNotNull();
                assertThat(r.err()).as(reader[0]).isEmpty();
                served.add(r);
            }
            assertThat(served.get(0).out()).startsWith("/H1/b: 1 incarnation\ncgroup 3, 1 event:\n");
            assertThat(served.get(2).out()).startsWith("audit: clean: 4 events");
            // the same commands in a process of their own, the server stopped
            server.stop();
            join();
            for (int i = 0; i < readers.size(); i++) {
                assertThat(local(on(dir, readers.get(i)))).as(readers.get(i)[0]).isEqualTo(served.get(i));
            }
            return null;
        });
    }

    /** {@code args} sent to the server on a thread of its own, with {@code environment}: its answer to come. */
    static java.util.concurrent.CompletableFuture<Harness.Run> sent(Map<String, String> environment, String... args) {
        return answered((out, err) -> Client.viaServer(args, environment, false, out, err).orElseThrow());
    }

    /**
     * {@link #sent(Map, String...)} by a client that gives up after {@code silence} ({@link
     * Client#SILENCE}), to the socket of the ledger {@code args} name first ({@link #on}).
     */
    static java.util.concurrent.CompletableFuture<Harness.Run> sent(Map<String, String> environment,
                                                                    java.time.Duration silence, String... args) {
        return answered((out, err) -> Client.run(Wire.socket(Path.of(args[1])), List.of(args), environment, false, out,
                err, silence).orElseThrow());
    }

    /** What {@code client} prints and answers, run on a thread of its own. */
    private static java.util.concurrent.CompletableFuture<Harness.Run> answered(
            java.util.function.ToIntBiFunction<ByteArrayOutputStream, ByteArrayOutputStream> client) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = client.applyAsInt(out, err);
            return new Harness.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        });
    }

    /** The production opener, counting down {@code asked} (once set) as a command asks whether the ledger exists, just before opening it. */
    final class Asking implements LedgerOpener {
        volatile java.util.concurrent.CountDownLatch asked;

        @Override
        public Ledger open(Path d) {
            return Main.PRODUCTION.open(d);
        }

        @Override
        public boolean exists(Path d) {
            if (asked != null) {
                asked.countDown();
            }
            return Main.PRODUCTION.exists(d);
        }
    }

    @Test
    @DisplayName("a command sent while the server opens the ledger waits for it on the socket, and runs there; "
            + "when the ledger cannot be opened, its socket goes")
    void commandWhileStarting() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        java.util.concurrent.CountDownLatch opening = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
        LedgerOpener slow = opening(held(opening, proceed));
        java.util.concurrent.CompletableFuture<LedgerServer> starting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> LedgerServer.start(dir, slow, serverLog::add));
        assertThat(opening.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // the server is opening the ledger: its socket is there, and a command sent now waits for it, told the
        // server is at work: past its silence bound (here 2 s; it had given up after it)
        java.util.concurrent.CompletableFuture<Harness.Run> sent = sent(Map.of(), java.time.Duration.ofSeconds(2),
                on(dir, "mkdir", "/H1/early"));
        Thread.sleep(5_000);
        assertThat(sent).isNotDone();
        proceed.countDown();
        server = starting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        serving = new Thread(server::serve, "test-serve");
        serving.start();

        assertThat(sent.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("early\n");

        // a second server finds the first answering; stopped, the first removes its socket
        assertThatThrownBy(() -> LedgerServer.start(dir, Main.PRODUCTION, serverLog::add))
                .hasMessageContaining("is served already");
        server.stop();
        join();
        assertThat(Wire.socket(dir)).doesNotExist();

        // a client waiting on a server that then cannot open the ledger: exit 3, and under --json one object
        java.util.concurrent.CountDownLatch opening2 = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch fail = new java.util.concurrent.CountDownLatch(1);
        LedgerOpener failing = failingOnSignal(opening2, fail);
        java.util.concurrent.CompletableFuture<LedgerServer> doomed =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> LedgerServer.start(dir, failing, serverLog::add));
        assertThat(opening2.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        java.util.concurrent.CompletableFuture<Harness.Run> waiting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> client(on(dir, "--json", "mkdir", "/H1/late")));
        Thread.sleep(300);
        fail.countDown();
        assertThatThrownBy(() -> doomed.get(30, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(org.cgledger.persistence.LedgerException.class);
        Harness.Run late = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(late.code()).isEqualTo(CgLedger.LEDGER);
        assertThat(late.err()).isEmpty();
        assertThat(late.out()).startsWith("{\"ok\":false,\"error\":\"ledger\",\"reason\":\"ledger server ")
                .contains("failed before the command's answer (it closed the connection)").endsWith("}\n");

        // one that cannot open the ledger (no such lock to take: another holds it) leaves no socket
        LedgerOpener refusing = new LedgerOpener() {
            @Override
            public org.cgledger.persistence.Ledger open(Path d) {
                throw new org.cgledger.persistence.LedgerException("in use by another process (a test)");
            }

            @Override
            public boolean exists(Path d) {
                return true;
            }
        };
        assertThatThrownBy(() -> LedgerServer.start(dir, refusing, serverLog::add))
                .hasMessage("in use by another process (a test)");
        assertThat(Wire.socket(dir)).doesNotExist();
    }

    /**
     * An opener that says it is opening ({@code opening}), waits for {@code fail}, then fails as a
     * ledger held by another process does: a server waiting for another writer's lock.
     */
    private static LedgerOpener failingOnSignal(java.util.concurrent.CountDownLatch opening,
                                                java.util.concurrent.CountDownLatch fail) {
        return new LedgerOpener() {
            @Override
            public org.cgledger.persistence.Ledger open(Path d) {
                opening.countDown();
                try {
                    fail.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                throw new org.cgledger.persistence.LedgerException("in use by another process (a test)");
            }

            @Override
            public boolean exists(Path d) {
                return true;
            }
        };
    }

    @Test
    @DisplayName("a server ended (SIGTERM) while it still opens its ledger (waiting for another writer's lock) removes "
            + "its socket and says in one line that it stopped before it served; once it serves, it closes")
    void endedWhileOpening() throws Exception {
        Path dir = ledger("l", "init --subsys A");
        java.util.concurrent.CountDownLatch opening = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch fail = new java.util.concurrent.CountDownLatch(1);
        LedgerOpener waiting = failingOnSignal(opening, fail);
        LedgerServer.Starting starting = new LedgerServer.Starting();
        java.util.concurrent.CompletableFuture<LedgerServer> start = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> LedgerServer.start(dir, waiting, serverLog::add, starting));
        assertThat(opening.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(Wire.socket(dir)).exists();
        StringWriter err = new StringWriter();
        boolean[] stopped = {false};
        ServeCmd.atExit(starting, () -> stopped[0] = true, new PrintWriter(err, true), dir.toString());
        assertThat(Wire.socket(dir)).doesNotExist();
        assertThat(err.toString()).isEqualTo("cgledger serve: stopped before it served " + dir + ": ended while it "
                + "was still opening the ledger\n");
        assertThat(stopped[0]).isFalse();
        fail.countDown();
        assertThatThrownBy(() -> start.get(30, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(org.cgledger.persistence.LedgerException.class);

        // once it serves: closed, and said as serve says it (on stdout), nothing on stderr
        LedgerServer.Starting served = new LedgerServer.Starting();
        LedgerServer started = LedgerServer.start(dir, Main.PRODUCTION, serverLog::add, served);
        StringWriter none = new StringWriter();
        ServeCmd.atExit(served, () -> stopped[0] = true, new PrintWriter(none, true), dir.toString());
        assertThat(stopped[0]).isTrue();
        assertThat(none.toString()).isEmpty();
        assertThat(Wire.socket(dir)).doesNotExist();
        assertThat(Client.ping(Wire.socket(dir))).isFalse();
        started.close();
    }

    @Test
    @DisplayName("a server ended (SIGTERM) at the moment its open completes, or before it bound its socket, leaves no "
            + "socket: the start, given up, binds none again and serves nothing (its ledger closed)")
    void endedAsTheOpenCompletes() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        java.util.concurrent.CountDownLatch opening = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        LedgerOpener completing = opening(held(opening, go));
        LedgerServer.Starting starting = new LedgerServer.Starting();
        java.util.concurrent.CompletableFuture<LedgerServer> start = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> LedgerServer.start(dir, completing, serverLog::add, starting));
        assertThat(opening.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        StringWriter err = new StringWriter();
        ServeCmd.atExit(starting, () -> { }, new PrintWriter(err, true), dir.toString());
        assertThat(Wire.socket(dir)).doesNotExist();
        // the open completes after the hook gave the start up: it had bound the socket again (taking
        // its removal for another server's) and served, the hook gone
        go.countDown();
        assertThatThrownBy(() -> start.get(30, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(LedgerServer.GaveUp.class);
        assertThat(Wire.socket(dir)).doesNotExist();
        assertThat(err.toString()).isEqualTo("cgledger serve: stopped before it served " + dir + ": ended while it "
                + "was still opening the ledger\n");
        // its ledger let go: a one-shot command takes the lock at once
        assertThat(local(on(dir, "mkdir", "/H1/a")).code()).isZero();

        // ended before it bound: it binds nothing (it had bound, opened and served)
        LedgerServer.Starting early = new LedgerServer.Starting();
        ServeCmd.atExit(early, () -> { }, new PrintWriter(new StringWriter(), true), dir.toString());
        assertThatThrownBy(() -> LedgerServer.start(dir, Main.PRODUCTION, serverLog::add, early))
                .isInstanceOf(LedgerServer.GaveUp.class);
        assertThat(Wire.socket(dir)).doesNotExist();
        assertThat(local(on(dir, "ls", "/H1")).out()).contains("a\n");
    }

    @Test
    @DisplayName("a served command that runs out of memory: its client gets one line and exit 3, and the server goes on")
    void outOfMemory() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1", "mkdir /H1/a");
        boolean[] armed = {false};
        LedgerOpener opener = new LedgerOpener() {
            @Override
            public org.cgledger.persistence.Ledger open(Path d) {
                return Main.PRODUCTION.open(d);
            }

            @Override
            public boolean exists(Path d) {
                if (armed[0]) {
                    armed[0] = false;
                    // what a reader of a journal too large for the heap meets
                    throw new OutOfMemoryError("Java heap space");
                }
                return Main.PRODUCTION.exists(d);
            }
        };
        server = LedgerServer.start(dir, opener, serverLog::add);
        serving = new Thread(server::serve, "test-serve");
        serving.start();
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("a\n");
        armed[0] = true;
        Harness.Run r = client(on(dir, "ls", "/H1"));
        assertThat(r.code()).isEqualTo(CgLedger.LEDGER);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).matches("cgledger: out of memory in the ledger server: the JVM's heap, at most \\d+ MB, is "
                + "too small for this; give it more, as CGLEDGER_JAVA_OPTS=-Xmx4g does \\(to 'cgledger serve'\\)\n");
        assertThat(client(on(dir, "mkdir", "/H1/after"))).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("a\n", "after\n");
    }

    @Test
    @DisplayName("a command sent while export, import, compact or sh holds the lease waits for it to end, then runs: "
            + "the server does not open the ledger under the lease's holder")
    void commandsWaitForTheLease() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1", "mkdir /H1/a");
        Asking opener = new Asking();
        server = LedgerServer.start(dir, opener, serverLog::add);
        serving = new Thread(server::serve, "test-serve");
        serving.start();
        Path file = tmp.resolve("l.jsonl");
        java.util.concurrent.CompletableFuture<Harness.Run> mkdir;
        try (Client.Leases lease = Client.leases(on(dir, "export", file.toString()), Map.of(), false)) {
            assertThat(lease.held()).isTrue();
            opener.asked = new java.util.concurrent.CountDownLatch(1);
            // waiting as long as it takes (the lock's timeout: a minute)
            mkdir = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "60000"), on(dir, "mkdir", "/H1/during"));
            assertThat(opener.asked.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the mkdir reached the server")
                    .isTrue();
            // what the lease's holder does meanwhile: the ledger is its own (a released ledger opened again
            // for the mkdir had made export wait for the lock, and fail)
            assertThat(local(on(dir, "export", file.toString())))
                    .isEqualTo(new Harness.Run(0, "exported 3 events to " + file + "\n", ""));
            assertThat(mkdir).as("the mkdir waits for the lease").isNotDone();
        }
        assertThat(mkdir.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("a\n", "during\n");
        assertThat(serverLog).isEmpty();
    }

    @Test
    @DisplayName("a command waits for a lease as long as for another process's lock (its CGLEDGER_LOCK_TIMEOUT), then "
            + "fails with exit 3 naming the lease's holder; a lease whose client goes away ends")
    void leaseTimesOut() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        Client.Leases lease = servedAndLeased(dir);
        Harness.Run refused = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "200"), on(dir, "mkdir", "/H1/late"))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(refused.code()).isEqualTo(CgLedger.LEDGER);
        assertThat(refused.err()).matches("cgledger: ledger " + java.util.regex.Pattern.quote(dir.toString())
                + ": in use by another process \\(pid " + ProcessHandle.current().pid() + ", since [0-9T:.Z-]+\\); "
                + "waited 200 ms\n");
        Harness.Run json = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "0"), on(dir, "--json", "log"))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(json.code()).isEqualTo(CgLedger.LEDGER);
        assertThat(json.out()).startsWith("{\"ok\":false,\"error\":\"ledger\",\"reason\":\"in use by another process (pid ");
        // as the system closes the connection of a process that dies
        lease.close();
        assertThat(client(on(dir, "mkdir", "/H1/late"))).isEqualTo(new Harness.Run(0, "", ""));
    }

    @Test
    @DisplayName("a lease asked for while a command waits for another lease to end is given after that command ran, as "
            + "a lock is taken in turn: overlapping sh runs had kept served commands out past their timeout")
    void leasesInTurn() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        Client.Leases first = servedAndLeased(dir);
        java.util.concurrent.Future<Harness.Run> waits = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "60000"),
                on(dir, "mkdir", "/H1/waited"));
        Thread.sleep(500);
        java.util.concurrent.CompletableFuture<Client.Leases> second = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Client.leases(on(dir, "compact"), Map.of(), false));
        Thread.sleep(500);
        assertThat(waits).as("the command waits for the first lease").isNotDone();
        assertThat(second).as("the second lease waits for the command waiting before it").isNotDone();
        first.close();
        assertThat(waits.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Harness.Run(0, "", ""));
        try (Client.Leases next = second.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
            assertThat(next.held()).isTrue();
        }
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("waited\n");
    }

    @Test
    @DisplayName("a server that stops waits for the answers it is sending, a reader's to a client slow to read it: the "
            + "client gets every line and exit 0, and no temporary file is left (it had been cut off midway, exit 3, "
            + "its lines left in a temporary file)")
    void stopWaitsForAnswers() throws Exception {
        StringBuilder script = new StringBuilder("mount -o A none /H1\n");
        for (int i = 0; i < 3000; i++) {
            script.append("mkdir /H1/g").append(i).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("grow.sh"), script);
        Path dir = tmp.resolve("slow");
        assertThat(local("--ledger", dir.toString(), "sh", file.toString()).code()).isZero();
        serve(dir);
        java.util.Set<String> spools = spools();
        java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                try {
                    read.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                got.write(b, off, len);
            }
        };
        java.util.concurrent.CompletableFuture<Integer> log = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Client.viaServer(on(dir, "log"), Map.of(), false, slow, new ByteArrayOutputStream()).getAsInt());
        Thread.sleep(1500);
        java.util.concurrent.CompletableFuture<Void> closing = stopping();
        Thread.sleep(1000);
        assertThat(closing).as("the server waits for the answer it is sending").isNotDone();
        assertThat(DurableLedger.heldBy(dir)).as("the ledger let go meanwhile: the answer needs it no more").isEmpty();
        assertThat(spools()).as("the answer waits in a temporary file of this server's").hasSize(spools.size() + 1);
        read.countDown();
        assertThat(log.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(got.toString(StandardCharsets.UTF_8).lines()).hasSize(3002).last().asString().contains("/H1/g2999");
        stopped(closing);
        assertThat(spools()).as("no temporary file left").isEqualTo(spools);
    }

    @Test
    @DisplayName("a server that stops tells a command waiting for a lease to end that it is stopping, at once: it had "
            + "been left to its own timeout, and the stop waited for it")
    void stopEndsTheWaits() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        Client.Leases lease = servedAndLeased(dir);
        java.util.concurrent.Future<Harness.Run> waits = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "120000"),
                on(dir, "mkdir", "/H1/late"));
        Thread.sleep(500);
        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<Void> closing = stopping();
        Harness.Run told = waits.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(told.code()).isEqualTo(CgLedger.LEDGER);
        assertThat(told.err()).endsWith(": the server is stopping; run the command again\n");
        stopped(closing);
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to stop").isLessThan(20);
        lease.close();
        assertThat(local(on(dir, "ls", "/H1")).out()).doesNotContain("late");
    }

    /** Serves {@code dir} and takes a lease on it, as sh, export, import and compact do. */
    private Client.Leases servedAndLeased(Path dir) {
        serve(dir);
        Client.Leases lease = Client.leases(on(dir, "compact"), Map.of(), false);
        assertThat(lease.held()).isTrue();
        return lease;
    }

    /** Stops the server as serve --stop or SIGTERM does, its close running meanwhile; {@link #stopped} waits for it. */
    private java.util.concurrent.CompletableFuture<Void> stopping() {
        server.stop();
        return java.util.concurrent.CompletableFuture.runAsync(server::close);
    }

    /** Waits for the close {@link #stopping} started, and for the serving thread: the server is gone. */
    private void stopped(java.util.concurrent.CompletableFuture<Void> closing) throws Exception {
        closing.get(60, java.util.concurrent.TimeUnit.SECONDS);
        serving.join(10_000);
        server = null;
    }

    /** The log's temporary files in the temporary directory (other tests' and processes' too). */
    private static java.util.Set<String> spools() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            // this process's (the server's, in it), by its pid: other processes' servers, other
            // builds' tests among them, may write theirs meanwhile
            String mine = "cgledger-log-" + ProcessHandle.current().pid() + "-";
            return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(mine))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    @DisplayName("a malformed CGLEDGER_LOCK_TIMEOUT fails a served command as it fails one run alone: exit 3, in words")
    void malformedLockTimeout() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        serve(dir);
        String reason = "CGLEDGER_LOCK_TIMEOUT must be milliseconds (0 to 9223372036854), not 'abc'";
        Harness.Run write = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "abc"), on(dir, "mkdir", "/H1/x"))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(write).isEqualTo(new Harness.Run(CgLedger.LEDGER, "", "cgledger: ledger " + dir + ": " + reason + "\n"));
        Harness.Run read = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "abc"), on(dir, "log"))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(read).isEqualTo(new Harness.Run(CgLedger.LEDGER, "", "cgledger: ledger " + dir + ": " + reason + "\n"));
        assertThat(client(on(dir, "cat", "/H1/tasks"))).isEqualTo(new Harness.Run(0, "1\n", ""));
    }

    @Test
    @DisplayName("clients slow to read a reader's or a view's answer hold up nobody: a write runs meanwhile")
    void slowReaders() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        // a log --json (2.5 MB) and a tree --json (750 KB) that outgrow what the socket holds (about 200 KB)
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 6_000; i++) {
            script.append("mkdir /H1/g").append(i).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("mkdirs.sh"), script);
        assertThat(local(on(dir, "sh", file.toString())).code()).isZero();
        serve(dir);
        java.util.Set<String> spools = spools();
        try (SocketChannel log = slowClient(on(dir, "--json", "log"));
             SocketChannel tree = slowClient(on(dir, "--json", "tree"))) {
            Harness.Run written = sent(Map.of(), on(dir, "mkdir", "/H1/meanwhile")).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(written).isEqualTo(new Harness.Run(0, "", ""));
            assertThat(sent(Map.of(), on(dir, "stat", "/H1/meanwhile")).get(60, java.util.concurrent.TimeUnit.SECONDS)
                    .code()).isZero();
            // and the slow clients get their whole answers, as they were when their commands ran
            assertThat(rest(log)).hasLineCount(6_002).doesNotContain("meanwhile");
            assertThat(rest(tree)).contains("\"g5999\"").doesNotContain("meanwhile");
        }
        // the served log's lines waited in a temporary file, removed once they were sent
        assertThat(spools()).as("no temporary file of this server's left").isSubsetOf(spools);
    }

    /** A client that sends {@code args} and reads the first frame of the answer only: it is under way. */
    static SocketChannel slowClient(String... args) throws java.io.IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(Wire.address(Wire.socket(Path.of(args[1]))));
        new Wire.Request(Path.of("").toAbsolutePath().toString(), false, Map.of(), List.of(args))
                .write(new DataOutputStream(Channels.newOutputStream(ch)));
        DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
        byte kind = in.readByte();
        while (kind == Wire.ALIVE) {
            // (the heartbeat, while the command reads the journal)
            kind = in.readByte();
        }
        assertThat(kind).isEqualTo(Wire.OUT);
        return ch;
    }

    /** The rest of a {@link #slowClient}'s answer, from its first frame's length on: its stdout; exit code 0. */
    static String rest(SocketChannel ch) throws java.io.IOException {
        DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in.readNBytes(in.readInt()));
        assertThat(Wire.copyAnswer(in, out, OutputStream.nullOutputStream())).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a command whose client went away before it ran is not run")
    void clientGone() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        java.util.concurrent.CountDownLatch logged = new java.util.concurrent.CountDownLatch(1);
        server = LedgerServer.start(dir, Main.PRODUCTION, message -> {
            serverLog.add(message);
            logged.countDown();
        });
        serving = new Thread(server::serve, "test-serve");
        serving.start();
        try (Client.Leases lease = Client.leases(on(dir, "export"), Map.of(), false)) {
            // the command waits for the lease; its client is gone (Ctrl-C, timeout) before the lease ends
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(Wire.address(Wire.socket(dir)));
                new Wire.Request(Path.of("").toAbsolutePath().toString(), false, Map.of("CGLEDGER_LOCK_TIMEOUT", "60000"),
                        List.of(on(dir, "mkdir", "/H1/abandoned"))).write(new DataOutputStream(Channels.newOutputStream(ch)));
            }
        }
        assertThat(logged.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(serverLog).singleElement().asString().isEqualTo("client: the client went away before its command ran; not run");
        assertThat(client(on(dir, "ls", "/H1")).out()).doesNotContain("abandoned");
        assertThat(client(on(dir, "log")).out()).doesNotContain("abandoned");
    }

    @Test
    @DisplayName("a client whose stdout is gone (piped to head) still gets the exit code, as a one-shot command would")
    void stdoutGone() {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1", "mkdir /H1/a");
        serve(dir);
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Client.viaServer(on(dir, "ls", "/H1"), Map.of(), false, closed, err)).hasValue(0);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Client.viaServer(on(dir, "mkdir", "/H1/a"), Map.of(), false, closed, err)).hasValue(CgLedger.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("EEXIST");
    }

    @Test
    @DisplayName("options with no command (--version, --help) never go to a server: they run in the process")
    void noCommandStaysLocal() {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        serve(dir);
        for (String[] args : List.of(on(dir, "--version"), on(dir, "--help"), on(dir), new String[] {"-V"})) {
            assertThat(client(args)).as(String.join(" ", args)).isNull();
        }
        // a served command still is
        assertThat(client(on(dir, "ls", "/H1"))).isNotNull();
    }

    @Test
    @DisplayName("a server compacts the ledger's file once it has doubled and the server is idle, and goes on serving")
    void compactsWhenIdle() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        // the production ledger, compacting at close once its file has doubled (not 64 MiB more)
        LedgerOpener opener = opening(d -> DurableLedger.open(d, DurableLedger.Options.defaults().withCompactGrowth(0)));
        server = LedgerServer.start(dir, opener, serverLog::add);
        serving = new Thread(server::serve, "test-serve");
        serving.start();
        Thread maintenance = new Thread(() -> server.maintain(java.time.Duration.ofMillis(200)), "test-compact");
        maintenance.start();
        Path file = dir.resolve("journal.mv.db");
        long start = Files.size(file);
        int made = 0;
        // each one-command commit adds a chunk to the file (about 25 KB here)
        while (Files.size(file) <= 2 * start) {
            assertThat(client(on(dir, "mkdir", "/H1/g" + made++)).code()).isZero();
            assertThat(made).as("the file grows").isLessThan(1_000);
        }
        long grown = Files.size(file);
        for (long deadline = System.nanoTime() + 30_000_000_000L; serverLog.isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(20);
        }
        assertThat(serverLog).singleElement().asString().startsWith("compacted the ledger: ");
        assertThat(Files.size(file)).isLessThan(grown);
        assertThat(client(on(dir, "mkdir", "/H1/after")).code()).isZero();
        Harness.Run ls = client(on(dir, "ls", "/H1"));
        assertThat(ls.out()).contains("g0\n", "g" + (made - 1) + "\n", "after\n");
        server.stop();
        maintenance.join(10_000);
        assertThat(maintenance.isAlive()).isFalse();
    }

    @Test
    @DisplayName("a server brings the history index up to its commands before a history and when idle, not only as it closes")
    void followsTheIndex() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        // the production ledger, its history index follower seen through a wrapper that notes each event it follows to
        List<Long> followedTo = new CopyOnWriteArrayList<>();
        LedgerOpener opener = opening(d -> {
            DurableLedger l = DurableLedger.open(d, DurableLedger.Options.defaults());
            l.addFollower(opened -> {
                org.cgledger.persistence.Follower index = org.cgledger.replay.HistoryIndex.follower(opened);
                return (journal, now) -> {
                    followedTo.add(now.lastEvent());
                    index.follow(journal, now);
                };
            });
            return l;
        });
        server = LedgerServer.start(dir, opener, serverLog::add);
        serving = new Thread(server::serve, "test-serve");
        serving.start();
        assertThat(client(on(dir, "mkdir", "/H1/a")).code()).isZero();
        assertThat(client(on(dir, "history", "/H1/a")).out()).startsWith("/H1/a: 1 incarnation");
        assertThat(followedTo).as("before the history").containsExactly(3L);
        Thread maintenance = new Thread(() -> server.maintain(java.time.Duration.ofMillis(100)), "test-follow");
        maintenance.start();
        assertThat(client(on(dir, "mkdir", "/H1/b")).code()).isZero();
        for (long deadline = System.nanoTime() + 10_000_000_000L; followedTo.size() < 2 && System.nanoTime() < deadline; ) {
            Thread.sleep(20);
        }
        assertThat(followedTo).as("when idle, with no history asked").containsExactly(3L, 4L);
        server.stop();
        maintenance.join(10_000);
        join();
        try (org.cgledger.persistence.JournalRows j = org.cgledger.persistence.JournalRows.open(dir,
                java.time.Duration.ofSeconds(10))) {
            assertThat(org.cgledger.replay.HistoryIndex.isCurrent(j)).isTrue();
        }
    }

    @Test
    @DisplayName("a client hears the server at work while its command waits (for a lease, here): it waits on, past its "
            + "silence bound, for the answer")
    void heartbeats() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        try (Client.Leases lease = servedAndLeased(dir)) {
            // the command waits 3 s for the lease, saying nothing but the heartbeat, against a bound of 1.5 s
            Harness.Run late = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "3000"), java.time.Duration.ofMillis(1500),
                    on(dir, "mkdir", "/H1/late")).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(late.code()).isEqualTo(CgLedger.LEDGER);
            assertThat(late.err()).contains("in use by another process").contains("waited 3000 ms")
                    .doesNotContain("sent nothing");
        }
    }

    @Test
    @DisplayName("the interactive shell holds the server's lease only while a line runs: a command sent while it waits "
            + "at its prompt runs at once, and the shell's next line sees what it wrote (a shell left open had kept "
            + "every served command out)")
    void interactiveShellLetsGo() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        serve(dir);
        Harness.Typed typed = Harness.Typed.open();
        java.io.PipedOutputStream keys = typed.keys();
        org.jline.terminal.Terminal terminal = typed.terminal();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] sh = on(dir, "sh");
        // as Main starts it: the lease taken first, the ledger opened through it
        Client.Leases leases = Client.leases(sh, Map.of(), true);
        assertThat(leases.held()).isTrue();
        picocli.CommandLine cl = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                leases.opening(Main.PRODUCTION), Map.of(), new ByteArrayInputStream(new byte[0]), true,
                CgLedger.invoked(sh));
        ((CgLedger) cl.getCommand()).cli.shellTerminal = () -> terminal;
        java.util.concurrent.CompletableFuture<Integer> shell = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cl.execute(sh));
        try {
            keys.write("mkdir /H1/typed\rls /H1\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (!out.toString().contains("typed\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(out.toString()).contains("typed\n");
            // the shell at its prompt: a served command gets the ledger (it had waited out its lock timeout)
            Harness.Run served = sent(Map.of("CGLEDGER_LOCK_TIMEOUT", "20000"), on(dir, "mkdir", "/H1/served"))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(served).isEqualTo(new Harness.Run(0, "", ""));
            assertThat(leases.held()).isFalse();
            keys.write("ls /H1\r".getBytes(StandardCharsets.UTF_8));
        } finally {
            keys.close(); // Ctrl-D
        }
        assertThat(shell.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString().lines().filter(l -> l.equals("served")).count()).as(out.toString()).isEqualTo(1);
        leases.close();
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("typed\n").contains("served\n");
    }

    @Test
    @DisplayName("the interactive shell's first TAB, before any line, completes paths on a served ledger as on one not "
            + "served (it found the server holding the ledger again, for a command it ran meanwhile, and completed none)")
    void interactiveFirstTab() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1", "mkdir /H1/only");
        serve(dir);
        Harness.Typed typed = Harness.Typed.open();
        java.io.PipedOutputStream keys = typed.keys();
        org.jline.terminal.Terminal terminal = typed.terminal();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] sh = on(dir, "sh");
        // the production opener, but the lock file names the server's process (it is this one here, which the
        // production opener does not call another) until the server lets the ledger go for this process's lease
        Client.Leases[] lent = {null};
        LedgerOpener serverHolds = new LedgerOpener() {
            @Override
            public Ledger open(Path d) {
                return Main.PRODUCTION.open(d);
            }

            @Override
            public boolean exists(Path d) {
                return Main.PRODUCTION.exists(d);
            }

            @Override
            public java.util.Optional<String> heldBy(Path d) {
                return lent[0] != null && lent[0].held() ? java.util.Optional.empty()
                        : java.util.Optional.of("pid 4242, since 2024-01-01T00:00:00Z");
            }

            @Override
            public void letGo() {
                Main.PRODUCTION.letGo();
            }
        };
        // as Main starts it: the lease taken first, the ledger opened through it
        try (Client.Leases leases = Client.leases(sh, Map.of(), true)) {
            lent[0] = leases;
            picocli.CommandLine cl = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                    leases.opening(serverHolds), Map.of(), new ByteArrayInputStream(new byte[0]), true,
                    CgLedger.invoked(sh));
            ((CgLedger) cl.getCommand()).cli.shellTerminal = () -> terminal;
            java.util.concurrent.CompletableFuture<Integer> shell = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> cl.execute(sh));
            try {
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
                while (leases.held() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(leases.held()).as("the shell at its prompt").isFalse();
                // a command served meanwhile: the server holds the ledger again
                assertThat(client(on(dir, "mkdir", "/H1/other"))).isEqualTo(new Harness.Run(0, "", ""));
                keys.write("cd /H1/on\t\rpwd\r".getBytes(StandardCharsets.UTF_8));
            } finally {
                keys.close(); // Ctrl-D
            }
            assertThat(shell.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        }
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString().lines()).contains("/H1/only");
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("only");
    }

    @Test
    @DisplayName("a process under a lease (compact, export, sh) asks a server that says nothing (stopped, hung) once: "
            + "each touch of the ledger had asked it anew, a minute of silence each time")
    void silentServerAskedOnce() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("l"));
        try (ServerSocketChannel stopped = listening(dir)) {
            Client.Leases leases = new Client.Leases(Wire.socket(dir), java.time.Duration.ofMillis(500));
            long start = System.nanoTime();
            leases.take();
            leases.take();
            leases.take();
            assertThat(leases.held()).isFalse();
            assertThat(System.nanoTime() - start).isLessThan(java.time.Duration.ofSeconds(30).toNanos());
            // the connections it made, waiting in the backlog of the server that never accepts
            stopped.configureBlocking(false);
            int asked = 0;
            for (SocketChannel c; (c = stopped.accept()) != null; ) {
                c.close();
                asked++;
            }
            assertThat(asked).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a lease asked for by a client gone before it is given (one that gave up on a stopped server, "
            + "continued since): the server says so in words, where its log had said 'Broken pipe'")
    void leaseAskerGone() throws Exception {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        serve(dir);
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(Wire.address(Wire.socket(dir)));
            DataOutputStream req = new DataOutputStream(Channels.newOutputStream(c));
            req.writeInt(Wire.MAGIC);
            req.writeByte(Wire.RELEASE);
            req.writeLong(4242);
            req.flush();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (serverLog.stream().noneMatch(l -> l.startsWith("client: ")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(serverLog).filteredOn(l -> l.startsWith("client: "))
                .containsExactly("client: the client (pid 4242) went away before its lease was given");
        assertThat(client(on(dir, "mkdir", "/H1/after"))).isEqualTo(new Harness.Run(0, "", ""));
    }

    @Test
    @DisplayName("a server that says nothing, not even its heartbeat (stopped with SIGSTOP, hung): the client gives up "
            + "after its silence bound, exit 3, saying so, where it had waited for ever")
    void silentServer() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("l"));
        try (ServerSocketChannel stopped = listening(dir)) {
            // (connected, as the system accepts into the backlog of a stopped process, and never answered)
            for (boolean json : new boolean[] {false, true}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                List<String> args = json ? List.of(on(dir, "--json", "mkdir", "/H1/x")) : List.of(on(dir, "mkdir", "/H1/x"));
                long start = System.nanoTime();
                OptionalInt code = Client.run(Wire.socket(dir), args, Map.of(), false, out, err,
                        java.time.Duration.ofSeconds(1));
                assertThat(code).hasValue(CgLedger.LEDGER);
                assertThat(System.nanoTime() - start).isLessThan(java.time.Duration.ofSeconds(30).toNanos());
                String said = "failed before the command's answer (it sent nothing for 1 s: stopped (SIGSTOP) or hung); "
                        + "whether the command was recorded: see 'cgledger log'";
                if (json) {
                    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"ok\":false,\"error\":\"ledger\"")
                            .contains(said);
                } else {
                    assertThat(err.toString(StandardCharsets.UTF_8))
                            .isEqualTo("cgledger: ledger server " + Wire.socket(dir) + " " + said + "\n");
                }
            }
        }
    }

    @Test
    @DisplayName("a client slow to write its answer (its stdout piped to a pager) is not taken for a silent server")
    void slowClientIsNotSilence() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("l"));
        try (ServerSocketChannel fake = listening(dir)) {
            Thread t = fakeServer(fake, (in, out) -> {
                for (String line : List.of("one\n", "two\n")) {
                    out.writeByte(Wire.ALIVE);
                    out.writeByte(Wire.OUT);
                    out.writeInt(line.length());
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                }
                out.writeByte(Wire.EXIT);
                out.writeInt(0);
                out.flush();
                in.read(); // until the client closes
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream() {
                @Override
                public synchronized void write(byte[] b, int off, int len) {
                    try {
                        Thread.sleep(1_500); // three times the bound, each line
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    super.write(b, off, len);
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Client.run(Wire.socket(dir), List.of(on(dir, "ls", "/H1")), Map.of(), false, out, err,
                    java.time.Duration.ofMillis(500))).hasValue(0);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            t.join(10_000);
        }
    }

    /** A channel listening on {@code dir}'s socket, as a server's would, which the test then plays. */
    private static ServerSocketChannel listening(Path dir) throws java.io.IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(Wire.address(Wire.socket(dir)));
        return ch;
    }

    /** What a fake server answers a RUN request it has read. */
    @FunctionalInterface
    interface FakeAnswer {
        void answer(DataInputStream in, DataOutputStream out) throws java.io.IOException;
    }

    /** A fake server on {@code channel}, on a thread started: it takes one connection, reads its RUN request, and answers. */
    private static Thread fakeServer(ServerSocketChannel channel, FakeAnswer answer) {
        Thread t = new Thread(() -> {
            try (SocketChannel c = channel.accept()) {
                DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                assertThat(Wire.readOp(in)).isEqualTo(Wire.RUN);
                Wire.Request.read(in);
                answer.answer(in, new DataOutputStream(Channels.newOutputStream(c)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    @DisplayName("a client and a server of different builds (protocol versions) refuse each other naming both "
            + "versions; 'serve --stop' of either build stops the server")
    void otherProtocol() throws Exception {
        int other = Wire.PROTOCOL + 1;
        Path dir = ledger("l", "init --subsys A");
        serve(dir);
        // a client of another build, to this one's server
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(Wire.address(Wire.socket(dir)));
            DataOutputStream req = new DataOutputStream(Channels.newOutputStream(ch));
            req.writeInt(Wire.MAGIC + 1);
            req.writeByte(Wire.RUN);
            req.flush();
            assertThatThrownBy(() -> Wire.copyAnswer(new DataInputStream(Channels.newInputStream(ch)),
                    OutputStream.nullOutputStream(), OutputStream.nullOutputStream()))
                    .isInstanceOfSatisfying(Wire.OtherProtocol.class, e -> assertThat(e.version).isEqualTo(Wire.PROTOCOL));
        }
        for (long deadline = System.nanoTime() + 10_000_000_000L; serverLog.isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        assertThat(serverLog).singleElement().asString().startsWith("client: refused a client of another cgledger "
                + "build: it speaks protocol " + other + ", this server " + Wire.PROTOCOL + " (");
        // its 'serve --stop'
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(Wire.address(Wire.socket(dir)));
            DataOutputStream req = new DataOutputStream(Channels.newOutputStream(ch));
            req.writeInt(Wire.MAGIC + 1);
            req.writeByte(Wire.STOP);
            req.flush();
            assertThat(new DataInputStream(Channels.newInputStream(ch)).readInt()).isEqualTo(Wire.MAGIC);
        }
        join();
        assertThat(Wire.socket(dir)).doesNotExist();
        // this build's client, to a server of another build
        try (ServerSocketChannel otherServer = listening(dir)) {
            Thread t = fakeServer(otherServer, (in, out) -> {
                out.writeInt(Wire.MAGIC + 1);
                out.flush();
            });
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Client.viaServer(on(dir, "mkdir", "/x"), Map.of(), false, OutputStream.nullOutputStream(),
                    err)).hasValue(CgLedger.LEDGER);
            t.join(10_000);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("cgledger: the ledger server " + Wire.socket(dir)
                    + " speaks protocol " + other + ", this client " + Wire.PROTOCOL + " (another cgledger build): the "
                    + "command was not run; restart the server with the build you mean to use ('cgledger serve "
                    + "--stop' of either build stops it)\n");
        }
    }

    @Test
    @DisplayName("a server that dies before its answer: the client exits 3 and says the command may or may not be "
            + "recorded; a view or a reader, that it records nothing")
    void serverDiesMidCommand() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("l"));
        try (ServerSocketChannel dying = listening(dir)) {
            // writes half an answer, and is gone
            Thread t = fakeServer(dying, (in, out) -> {
                out.writeByte(Wire.OUT);
                out.writeInt(10);
                out.write("half".getBytes(StandardCharsets.UTF_8));
                out.flush();
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Client.viaServer(on(dir, "mkdir", "/H1/x"), Map.of(), false, out, err)).hasValue(CgLedger.LEDGER);
            t.join(10_000);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("cgledger: ledger server " + Wire.socket(dir)
                    + " failed before the command's answer").contains("see 'cgledger log'").endsWith("\n");
        }
        // a view or a reader records nothing: it is not sent to the log, but told to run again
        for (String[] reader : List.of(new String[] {"ls", "/H1"}, new String[] {"audit"},
                new String[] {"--json", "log", "--from", "2"})) {
            Files.delete(Wire.socket(dir));
            try (ServerSocketChannel dying = listening(dir)) {
                Thread t = fakeServer(dying, (in, out) -> out.flush());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                assertThat(Client.viaServer(on(dir, reader), Map.of(), false, out, err)).hasValue(CgLedger.LEDGER);
                t.join(10_000);
                String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
                assertThat(said).as(String.join(" ", reader)).contains("ledger server " + Wire.socket(dir)
                        + " failed before the command's answer (it closed the connection); it records nothing: run it "
                        + "again").doesNotContain("cgledger log");
            }
        }
    }

    @Test
    @DisplayName("a relative --ledger is the client's, resolved against its working directory; --ledger after the "
            + "command counts; --in-memory is never served")
    void relativeLedger() {
        Path dir = ledger("l", "init --subsys A", "mount -o A none /H1");
        serve(dir);
        Path relative = Path.of("").toAbsolutePath().relativize(dir);
        assertThat(client("--ledger", relative.toString(), "mkdir", "/H1/rel")).isEqualTo(new Harness.Run(0, "", ""));
        assertThat(client("mkdir", "/H1/late", "--ledger", dir.toString())).as("--ledger after the command")
                .isEqualTo(new Harness.Run(0, "", ""));
        assertThat(client("mkdir", "/H1/dry", "--ledger", dir.toString(), "--in-memory"))
                .as("a dry run is never served").isNull();
        assertThat(client(on(dir, "ls", "/H1")).out()).contains("rel\n", "late\n").doesNotContain("dry");
    }

    @Test
    @DisplayName("one server a ledger; a socket a dead server left is replaced; no ledger, no server")
    void oneServer() throws Exception {
        Path dir = ledger("l", "init --subsys A");
        // what a server killed with -9 leaves: the socket file, nobody listening
        try (ServerSocketChannel dead = listening(dir)) {
        }
        assertThat(Files.exists(Wire.socket(dir))).isTrue();
        assertThat(client(on(dir, "ls"))).as("nobody answers: the command runs in its own process").isNull();
        serve(dir);
        assertThat(Client.ping(Wire.socket(dir))).isTrue();
        assertThatThrownBy(() -> LedgerServer.start(dir, Main.PRODUCTION, serverLog::add))
                .isInstanceOf(LedgerException.class).hasMessageContaining("served already");
        assertThatThrownBy(() -> LedgerServer.start(tmp.resolve("none"), Main.PRODUCTION, serverLog::add))
                .isInstanceOf(LedgerException.class).hasMessageContaining("no ledger in");
        // as a reader, export or compact refuses a missing ledger: exit 1, ENOENT
        Path none = tmp.resolve("none");
        assertThat(local(on(none, "serve"))).isEqualTo(new Harness.Run(CgLedger.REFUSED, "", "serve: No such file or "
                + "directory (ENOENT: no ledger at " + none + " to serve: create it first ('cgledger --ledger " + none
                + " init'))\n"));
        assertThat(none).doesNotExist();
        // a journal that records nothing (a first write killed before its first event) is no ledger, as the views say
        Path unfinished = tmp.resolve("unfinished");
        DurableLedger.open(unfinished).close();
        // (bounded: it had served it, until stopped)
        assertThat(java.util.concurrent.CompletableFuture.supplyAsync(() -> local(on(unfinished, "serve")))
                .get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Harness.Run(CgLedger.REFUSED, "", "serve: No such file "
                + "or directory (ENOENT: no ledger at " + unfinished + " to serve: create it first ('cgledger --ledger "
                + unfinished + " init'))\n"));
        assertThat(Wire.socket(unfinished)).doesNotExist();
    }

    @Test
    @DisplayName("a socket a server killed with -9 left is removed by the first command nobody answers there (it had "
            + "stayed until the next serve, and the launcher ran every command without its archive); a fresh one, "
            + "which a server may be binding, and a file that is no socket stay")
    void deadSocketRemoved() throws Exception {
        Path dir = ledger("l", "init --subsys A");
        Path socket = Wire.socket(dir);
        try (ServerSocketChannel dead = listening(dir)) {
        }
        assertThat(client(on(dir, "ls"))).as("nobody answers: the command runs in its own process").isNull();
        assertThat(socket).as("a fresh socket stays").exists();
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(Client.DEAD_SOCKET_AGE).minusSeconds(5));
        Files.setLastModifiedTime(socket, old);
        assertThat(client(on(dir, "ls"))).isNull();
        assertThat(socket).as("the dead server's socket removed").doesNotExist();
        Files.writeString(socket, "not a socket");
        Files.setLastModifiedTime(socket, old);
        assertThat(client(on(dir, "ls"))).isNull();
        assertThat(socket).as("a file that is no socket stays").exists();
        Files.delete(socket);
        serve(dir);
        Files.setLastModifiedTime(socket, old);
        assertThat(client(on(dir, "mount", "-o", "A", "none", "/H1"))).as("a live server's, however old, answers")
                .isEqualTo(new Harness.Run(0, "", ""));
        assertThat(socket).exists();
    }

    @Test
    @DisplayName("the server runs the model's commands and the journal's readers only; a request of another protocol gets no answer")
    void modelCommandsOnly() throws Exception {
        Path dir = ledger("l", "init --subsys A");
        serve(dir);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(Wire.address(Wire.socket(dir)));
            new Wire.Request(Path.of("").toAbsolutePath().toString(), false, Map.of(),
                    List.of(on(dir, "compact"))).write(new DataOutputStream(Channels.newOutputStream(ch)));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Wire.copyAnswer(new DataInputStream(Channels.newInputStream(ch)), OutputStream.nullOutputStream(),
                    err);
            assertThat(code).isEqualTo(CgLedger.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("runs the model's commands and the journal's readers only");
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(Wire.address(Wire.socket(dir)));
            Channels.newOutputStream(ch).write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int answer;
            try {
                answer = Channels.newInputStream(ch).read();
            } catch (java.net.SocketException e) {
                answer = -1; // closed with the request unread: a reset rather than an end of stream
            }
            assertThat(answer).as("no answer").isEqualTo(-1);
        }
        // the handler logs after it has closed the connection
        for (long deadline = System.nanoTime() + 10_000_000_000L; serverLog.isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        assertThat(serverLog).singleElement().asString().contains("not a cgledger request");
        assertThat(Client.ping(Wire.socket(dir))).as("still serving").isTrue();
    }

    @Test
    @DisplayName("the client's names of the commands a server runs and of those it releases the ledger for are the "
            + "commands' own: every command on a ledger, the model's among the served")
    void names() {
        assertThat(Client.SERVED).containsAll(names(CgLedger.modelCommands())).doesNotContainAnyElementsOf(Client.RELEASING);
        List<Class<?>> ledgerCommands = new ArrayList<>(CgLedger.modelCommands());
        ledgerCommands.addAll(ReplayCommands.all());
        ledgerCommands.add(ShCmd.class);
        Set<String> both = new HashSet<>(Client.SERVED);
        both.addAll(Client.RELEASING);
        assertThat(both).isEqualTo(names(ledgerCommands));
    }

    private static Set<String> names(List<Class<?>> commands) {
        Set<String> names = new HashSet<>();
        for (Class<?> c : commands) {
            Command command = c.getAnnotation(Command.class);
            names.add(command.name());
            names.addAll(List.of(command.aliases()));
        }
        return names;
    }

    /** Opens a ledger as the production opener does once {@code go} counts down, saying so on {@code opening} first. */
    private static java.util.function.Function<Path, Ledger> held(java.util.concurrent.CountDownLatch opening,
                                                                   java.util.concurrent.CountDownLatch go) {
        return d -> {
            opening.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return Main.PRODUCTION.open(d);
        };
    }

    /** An opener that opens ledgers with {@code open} and finds them as the production one does. */
    private static LedgerOpener opening(java.util.function.Function<Path, Ledger> open) {
        return new LedgerOpener() {
            @Override
            public Ledger open(Path d) {
                return open.apply(d);
            }

            @Override
            public boolean exists(Path d) {
                return Main.PRODUCTION.exists(d);
            }
        };
    }
}
