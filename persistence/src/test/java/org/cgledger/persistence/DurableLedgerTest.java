package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.Refcounts;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The durable ledger on H2")
class DurableLedgerTest {

    @TempDir
    Path dir;

    static List<Command> seed() {
        return List.of(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.STRICT), new Mount("A", "/H1"),
                new Mount("B", "/H2"), new Mkdir("/H1/foo", false), new Mkdir("/H2/bar", false),
                new Attach("1", "/H1/foo"), new Attach("1", "/H2/bar"), new Charge(Pid.of(1), "A", "file:1", 1, false),
                new Attach("1", "/H1"), new Attach("1", "/H2"));
    }

    @Test
    @DisplayName("rows read by key are the rows stored there, whether a stream's keys are read by one scan of their "
            + "stretch (many, close together) or one by one (few, or spread): a missing key is left out")
    void rowsByKey() {
        List<Command> commands = new ArrayList<>(List.of(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.STRICT),
                new Mount("A", "/H1"), new Mount("B", "/H2"), new Mkdir("/H1/a", false), new Mkdir("/H1/b", false),
                new Mkdir("/H2/x", false), new Fork(Pid.INIT, Pid.of(2))));
        for (int i = 0; i < 300; i++) {
            commands.add(new Attach("2", i % 2 == 0 ? "/H1/a" : "/H1/b"));
            if (i % 50 == 0) {
                commands.add(new Attach("2", i % 100 == 0 ? "/H2/x" : "/H2"));
            }
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            for (Command c : commands) {
                assertThat(l.execute(c)).as("%s", c).isInstanceOf(Outcome.Done.class);
            }
        }
        try (JournalRows rows = JournalRows.open(dir, java.time.Duration.ofSeconds(10))) {
            List<Journals.Stored> all = rows.readAll();
            // every other row of hierarchy 1 (a scan), every row of hierarchy 2 and two of the system's (one by one)
            List<Journals.Stored> wanted = all.stream().filter(r -> r.persistenceId().equals("cgledger-hierarchy-1")
                    ? r.sequenceNr() % 2 == 0 : r.persistenceId().equals("cgledger-hierarchy-2") || r.sequenceNr() <= 2)
                    .toList();
            assertThat(wanted.stream().filter(r -> r.persistenceId().equals("cgledger-hierarchy-1")).count())
                    .as("enough close keys for a scan").isGreaterThanOrEqualTo(JournalRows.SCAN_KEYS);
            List<JournalRows.Key> keys = new ArrayList<>();
            for (int i = wanted.size() - 1; i >= 0; i--) {
                keys.add(new JournalRows.Key(wanted.get(i).persistenceId(), wanted.get(i).sequenceNr()));
            }
            keys.add(new JournalRows.Key("cgledger-hierarchy-1", 100_000));
            assertThat(rows.read(keys)).isEqualTo(wanted);
            // one key alone, and a spread of a stream's (one in ten): one by one
            List<JournalRows.Key> spread = new ArrayList<>();
            for (Journals.Stored r : all) {
                if (r.persistenceId().equals("cgledger-hierarchy-1") && r.sequenceNr() % 10 == 1) {
                    spread.add(new JournalRows.Key(r.persistenceId(), r.sequenceNr()));
                }
            }
            assertThat(rows.read(spread)).extracting(Journals.Stored::sequenceNr)
                    .isEqualTo(spread.stream().map(JournalRows.Key::sequenceNr).toList());
            assertThat(rows.read(List.of(keys.get(0)))).containsExactly(wanted.get(wanted.size() - 1));
        }
    }

    @Test
    @DisplayName("a reopened ledger's state equals the state before closing, and it goes on from there")
    void reopenEqualsAndContinues() {
        State before;
        try (DurableLedger l = DurableLedger.open(dir)) {
            for (Command c : seed()) {
                assertThat(l.execute(c)).isInstanceOf(Outcome.Done.class);
            }
            Outcome.Refused first = (Outcome.Refused) l.execute(new Rmdir("/H1/foo"));
            Outcome.Refused second = (Outcome.Refused) l.execute(new Rmdir("/H1/foo"));
            assertThat(first.errno()).isEqualTo(Errno.EBUSY);
            assertThat(second.reason()).isEqualTo(first.reason());
            before = l.state();
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(l.recovery().replayed()).isEqualTo(before.lastEvent());
            assertThat(l.execute(new Mkdir("/H2/baz", false))).isInstanceOf(Outcome.Done.class);
            before = l.state();
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(Refcounts.violations(l.state())).isEmpty();
        }
    }

    @Test
    @DisplayName("a new ledger's H2 file appears with the journal's table in it: a first write killed at any moment "
            + "leaves no file that every later command refuses as damaged")
    void newFileAppearsWhole(@TempDir Path seen) throws Exception {
        Path file = dir.resolve(DurableLedger.H2_FILE);
        // what a kill -9 at the moment the file appeared would have left: the file as it was then
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Thread watcher = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                try {
                    java.nio.file.Files.copy(file, seen.resolve(DurableLedger.H2_FILE));
                    return;
                } catch (java.nio.file.NoSuchFileException notYet) {
                    Thread.onSpinWait();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        watcher.start();
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.execute(seed().get(0))).isInstanceOf(Outcome.Done.class);
        }
        watcher.join();
        assertThat(seen.resolve(DurableLedger.H2_FILE)).exists();
        // it had been a file H2 had only begun (no table, or no bytes): "holds no journal", exit 3, for
        // every command, the next write included, where a first write killed is no ledger
        try (DurableLedger l = DurableLedger.open(seen)) {
            assertThat(l.state().initialized()).isFalse();
            assertThat(l.execute(seed().get(0))).isInstanceOf(Outcome.Done.class);
        }
        assertThat(LedgerDirectoryTest.tree(dir)).containsExactly("", "journal.mv.db", "ledger.lock");
    }

    @Test
    @DisplayName("a new ledger whose journal.mv.db is a link to a file not made yet: the file is made where it leads, "
            + "the link stays")
    void newFileThroughALink(@TempDir Path elsewhere) throws Exception {
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve(DurableLedger.H2_FILE),
                elsewhere.resolve("j.mv.db"));
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.execute(seed().get(0))).isInstanceOf(Outcome.Done.class);
        }
        assertThat(java.nio.file.Files.isSymbolicLink(link)).isTrue();
        assertThat(LedgerDirectoryTest.tree(elsewhere)).containsExactly("", "j.mv.db");
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state().initialized()).isTrue();
        }
    }

    @Test
    @DisplayName("a new ledger whose journal.mv.db is a chain of links gets its file at the end of the chain, every link "
            + "kept (the first staged creation had replaced the middle link with the file)")
    void newFileThroughAChainOfLinks(@TempDir Path elsewhere) throws Exception {
        Path mid = java.nio.file.Files.createDirectory(elsewhere.resolve("mid"));
        Path end = java.nio.file.Files.createDirectory(elsewhere.resolve("end"));
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve(DurableLedger.H2_FILE), mid.resolve("m.mv.db"));
        java.nio.file.Files.createSymbolicLink(mid.resolve("m.mv.db"), end.resolve("real.mv.db"));
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.execute(seed().get(0))).isInstanceOf(Outcome.Done.class);
        }
        assertThat(java.nio.file.Files.isSymbolicLink(link)).isTrue();
        assertThat(java.nio.file.Files.isSymbolicLink(mid.resolve("m.mv.db"))).isTrue();
        assertThat(java.nio.file.Files.isRegularFile(end.resolve("real.mv.db"))).isTrue();
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state().initialized()).isTrue();
        }
    }

    @Test
    @DisplayName("a journal URL in a message hides a password given in it")
    void shownUrl() {
        assertThat(DurableLedger.shownUrl("jdbc:postgresql://db:5432/l?user=u&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/l?user=u&password=***&ssl=true");
        assertThat(DurableLedger.shownUrl("jdbc:postgresql://db/l?PASSWORD=x")).isEqualTo("jdbc:postgresql://db/l?PASSWORD=***");
        assertThat(DurableLedger.shownUrl("jdbc:postgresql://u:s3cret@db/l")).isEqualTo("jdbc:postgresql://u:***@db/l");
        assertThat(DurableLedger.shownUrl("jdbc:postgresql://127.0.0.1:5432/cgledger"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/cgledger");
    }

    @Test
    @DisplayName("a refused rmdir is answered Refused but journaled, in its cgroup's stream, by execute and executeAll")
    void refusedRmdirJournaled() {
        State before;
        long seq;
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.executeAll(seed());
            l.execute(new Attach("1", "/H1/foo"));
            seq = l.state().lastEvent() + 1;
            Outcome one = l.execute(new Rmdir("/H1/foo"));
            // the refusal answers the event it journaled, as an accepted command answers its own
            assertThat(one).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
                assertThat(r.errno()).isEqualTo(Errno.EBUSY);
                assertThat(r.events()).extracting(Recorded::seq).containsExactly(seq);
                assertThat(r.events().get(0).event()).isInstanceOf(org.cgledger.core.event.RmdirRefused.class);
            });
            assertThat(l.state().lastEvent()).isEqualTo(seq);
            List<Outcome> all = l.executeAll(List.of(new Rmdir("/H1/foo"), new Mkdir("/H1/x", false),
                    new Rmdir("/H1/foo"), new Rmdir("/H1/nope")));
            assertThat(all.get(0)).isInstanceOfSatisfying(Outcome.Refused.class,
                    r -> assertThat(r.events()).extracting(Recorded::seq).containsExactly(seq + 1));
            assertThat(all.get(1)).isInstanceOf(Outcome.Done.class);
            assertThat(all.get(2)).isInstanceOfSatisfying(Outcome.Refused.class,
                    r -> assertThat(r.events()).extracting(Recorded::seq).containsExactly(seq + 3));
            // a refusal that journals nothing answers no event
            assertThat(all.get(3)).isInstanceOfSatisfying(Outcome.Refused.class,
                    r -> assertThat(r.events()).isEmpty());
            assertThat(l.state().lastEvent()).isEqualTo(seq + 3);
            before = l.state();
        }
        List<Journals.Stored> rows = Journals.readAll(dir, Duration.ofSeconds(10));
        List<Journals.Stored> refused = rows.stream()
                .filter(r -> r.record().event() instanceof org.cgledger.core.event.RmdirRefused).toList();
        assertThat(refused).hasSize(3);
        assertThat(refused.get(0).record().seq()).isEqualTo(seq);
        for (Journals.Stored r : refused) {
            org.cgledger.core.event.RmdirRefused e = (org.cgledger.core.event.RmdirRefused) r.record().event();
            assertThat(e.errno()).isEqualTo(Errno.EBUSY);
            assertThat(e.reason()).contains("/H1/foo");
            assertThat(r.record().stream()).isEqualTo(before.cgroup(e.cgroup()).hierarchy());
            assertThat(r.record().refcounts()).isEmpty();
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(Refcounts.violations(l.state())).isEmpty();
        }
        InMemoryLedger m = new InMemoryLedger();
        m.executeAll(seed());
        m.execute(new Attach("1", "/H1/foo"));
        assertThat(m.execute(new Rmdir("/H1/foo"))).isInstanceOf(Outcome.Refused.class);
        assertThat(m.journal().get(m.journal().size() - 1).event())
                .isInstanceOf(org.cgledger.core.event.RmdirRefused.class);
        assertThat(m.state().lastEvent()).isEqualTo(m.journal().size());
    }

    @Test
    @DisplayName("a mkdir -p refused at a later component is answered Refused, the groups it made before journaled "
            + "as accepted mkdirs' are (execute and executeAll), and there when the ledger is opened again")
    void refusedMkdirParentsKeepsMade() {
        State before;
        long seq;
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.executeAll(seed());
            seq = l.state().lastEvent() + 1;
            Outcome one = l.execute(new Mkdir("/H1/a/b/tasks/x", true));
            assertThat(one).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
                assertThat(r.errno()).isEqualTo(Errno.ENOTDIR);
                assertThat(r.reason()).isEqualTo("/H1/a/b/tasks is a file");
            });
            assertThat(l.state().lastEvent()).isEqualTo(seq + 1);
            List<Outcome> all = l.executeAll(List.of(new Mkdir("/H2/c/tasks/y", true), new Mkdir("/H1/a/d", false),
                    new Mkdir("/H1/e/notify_on_release/z", true)));
            assertThat(all).extracting(o -> o.getClass().getSimpleName()).containsExactly("Refused", "Done", "Refused");
            assertThat(l.state().lastEvent()).isEqualTo(seq + 4);
            before = l.state();
        }
        assertThat(createdInTheirStreams(seq)).hasSize(5).allMatch(r -> !r.record().refcounts().isEmpty());
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(Refcounts.violations(l.state())).isEmpty();
            for (String p : List.of("/H1/a/b", "/H2/c", "/H1/a/d", "/H1/e")) {
                assertThat(org.cgledger.core.decide.Paths.find(l.state(), p).isOk()).as(p).isTrue();
            }
        }
    }

    @Test
    @DisplayName("a mkdir -p whose .. walks into another hierarchy journals each group made in its own hierarchy's "
            + "stream (it had put /H1/a in H2's), accepted or refused at a later component; reopened equal")
    void mkdirParentsAcrossHierarchies() {
        State before;
        long seq;
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.executeAll(seed());
            seq = l.state().lastEvent() + 1;
            assertThat(l.execute(new Mkdir("/H1/a/../../H2/b", true))).isInstanceOf(Outcome.Done.class);
            assertThat(l.execute(new Mkdir("/H1/c/../../H2/d/tasks/x", true))).isInstanceOf(Outcome.Refused.class);
            assertThat(l.executeAll(List.of(new Mkdir("/H2/e/../../H1/f", true), new Mkdir("/H2/g/../../H1/tasks/y",
                    true)))).extracting(o -> o.getClass().getSimpleName()).containsExactly("Done", "Refused");
            before = l.state();
        }
        assertThat(createdInTheirStreams(seq)).hasSize(7);
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(before);
        }
    }

    /**
     * The rows of the journal from event {@code seq} on, each a {@code CgroupCreated} stored in the
     * stream of the hierarchy its group belongs to.
     */
    private List<Journals.Stored> createdInTheirStreams(long seq) {
        List<Journals.Stored> made = Journals.readAll(dir, Duration.ofSeconds(10)).stream()
                .filter(r -> r.record().seq() >= seq).toList();
        for (Journals.Stored r : made) {
            assertThat(r.record().event()).isInstanceOf(org.cgledger.core.event.CgroupCreated.class);
            org.cgledger.core.event.CgroupCreated e = (org.cgledger.core.event.CgroupCreated) r.record().event();
            assertThat(r.record().stream()).as(e.name()).isEqualTo(e.hierarchy());
            assertThat(r.persistenceId()).as(e.name()).isEqualTo("cgledger-hierarchy-" + e.hierarchy().value());
        }
        return made;
    }

    @Test
    @DisplayName("the journal file is flushed to the disk (fsync) before a write is answered: once by an execute that "
            + "writes, once by an executeAll whatever its windows, not by one that writes nothing")
    void flushedBeforeAnswered() {
        List<Command> cmds = new ArrayList<>(seed());
        for (int i = 0; i < 100; i++) {
            cmds.add(new Mkdir("/H1/g" + i, false));
        }
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withWindowEvents(16))) {
            assertThat(l.syncs()).isZero();
            // (more than six windows of 16 events, pipelined)
            l.executeAll(cmds);
            assertThat(l.syncs()).isEqualTo(1);
            l.execute(new Mkdir("/H1/one", false));
            assertThat(l.syncs()).isEqualTo(2);
            // refused, and not journaled: nothing written, nothing to flush
            assertThat(l.execute(new Mkdir("/H1/one", false))).isInstanceOf(Outcome.Refused.class);
            assertThat(l.executeAll(List.of(new Mkdir("/H1/one", false), new Mkdir("/H1/g1", false))))
                    .allMatch(o -> o instanceof Outcome.Refused);
            assertThat(l.syncs()).isEqualTo(2);
            // a refusal the ledger journals is flushed as a write is
            l.execute(new Attach("1", "/H1/one"));
            assertThat(l.execute(new Rmdir("/H1/one"))).isInstanceOf(Outcome.Refused.class);
            assertThat(l.syncs()).isEqualTo(4);
        }
    }

    @Test
    @DisplayName("group commit: executeAll across streams, reopened equal")
    void executeAllAcrossStreams() {
        List<Command> cmds = new ArrayList<>(seed());
        for (int i = 0; i < 300; i++) {
            cmds.add(new Mkdir("/H" + (1 + i % 2) + "/g" + i, false));
            cmds.add(new org.cgledger.core.command.Fork(Pid.of(1), Pid.of(100 + i)));
            cmds.add(new Attach(Integer.toString(100 + i), "/H" + (1 + i % 2) + "/g" + i));
        }
        State before;
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withWindowEvents(64))) {
            List<Outcome> out = l.executeAll(cmds);
            assertThat(out).hasSize(cmds.size()).allMatch(o -> o instanceof Outcome.Done);
            before = l.state();
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("a ledger directory that cannot be created fails as the ledger's error, saying why (the JDK says only the path)")
    void directoryCannotBeCreated() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> DurableLedger.open(file, DurableLedger.Options.defaults()))
                .isInstanceOf(LedgerException.class)
                .hasMessage("cannot create the ledger directory " + file + ": it exists and is not a directory");
        assertThatThrownBy(() -> JournalRows.importInto(file, List.of(), Duration.ofSeconds(1)))
                .isInstanceOf(LedgerException.class)
                .hasMessage("cannot create the ledger directory " + file + ": it exists and is not a directory");
        assertThatThrownBy(() -> DurableLedger.open(file.resolve("below"), DurableLedger.Options.defaults()))
                .isInstanceOf(LedgerException.class)
                .hasMessage("cannot create the ledger directory " + file.resolve("below") + ": Not a directory");
    }

    @Test
    @DisplayName("a configuration that cannot be read fails as the ledger's error, one line, nothing opened")
    void brokenConfiguration() throws Exception {
        java.nio.file.Path bad = dir.resolve("bad.conf");
        java.nio.file.Files.writeString(bad, "cgledger { journal { url = ");
        System.setProperty("config.file", bad.toString());
        com.typesafe.config.ConfigFactory.invalidateCaches();
        try {
            assertThatThrownBy(() -> DurableLedger.open(dir.resolve("ledger"), DurableLedger.Options.defaults()))
                    .isInstanceOf(LedgerException.class).hasMessageStartingWith("cannot read the configuration: ")
                    .hasMessageContaining("bad.conf");
            assertThat(dir.resolve("ledger")).doesNotExist();
        } finally {
            System.clearProperty("config.file");
            com.typesafe.config.ConfigFactory.invalidateCaches();
        }
    }

    @Test
    @DisplayName("snapshots: reopening replays only the events after the latest one")
    void snapshots() {
        DurableLedger.Options o = DurableLedger.Options.defaults().withSnapshots(20, 1_000_000);
        State before;
        try (DurableLedger l = DurableLedger.open(dir, o)) {
            l.executeAll(seed());
            for (int i = 0; i < 40; i++) {
                l.execute(new Mkdir("/H1/s" + i, false));
            }
            before = l.state();
        }
        try (DurableLedger l = DurableLedger.open(dir, o)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(l.recovery().snapshotSeq()).isGreaterThan(0);
            assertThat(l.recovery().replayed()).isLessThan(20);
            assertThat(l.recovery().snapshotSeq() + l.recovery().replayed()).isEqualTo(before.lastEvent());
        }
    }

    @Test
    @DisplayName("the H2 file runs with the settings durability rests on: no write delay, no reuse of space freed while open")
    void h2Settings() throws Exception {
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.execute(seed().get(0));
            Map<String, String> settings = new java.util.HashMap<>();
            try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
                 Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM "
                         + "INFORMATION_SCHEMA.SETTINGS")) {
                while (rs.next()) {
                    settings.put(rs.getString(1), rs.getString(2));
                }
            }
            assertThat(settings).containsEntry("WRITE_DELAY", "0").containsEntry("RETENTION_TIME", "2147483647")
                    .containsEntry("MAX_COMPACT_TIME", "0");
        }
    }

    /** The state after {@code commands}, written into {@link #dir} by a ledger that takes no snapshot. */
    State writtenWithoutSnapshots(List<Command> commands) {
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(1 << 30, 1 << 30))) {
            l.executeAll(commands);
            return l.state();
        }
    }

    /** Mkdirs, forks and attaches spread over both hierarchies and the system stream. */
    static List<Command> acrossStreams(int n) {
        List<Command> cmds = new ArrayList<>(seed());
        for (int i = 0; i < n; i++) {
            cmds.add(new Mkdir("/H" + (1 + i % 2) + "/g" + i, false));
            cmds.add(new org.cgledger.core.command.Fork(Pid.of(1), Pid.of(100 + i)));
            cmds.add(new Attach(Integer.toString(100 + i), "/H" + (1 + i % 2) + "/g" + i));
        }
        return cmds;
    }

    @Test
    @DisplayName("a torn tail: every event after the first missing one is cut and logged, the rest opens and goes on")
    void tornTail() throws Exception {
        List<Recorded> written = new ArrayList<>();
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withWindowEvents(64)
                .withSnapshots(1 << 30, 1 << 30))) {
            for (Outcome o : l.executeAll(acrossStreams(200))) {
                written.addAll(((Outcome.Done) o).events());
            }
        }
        // as if the crash came before hierarchy 1's last row reached the file, after later rows of the others
        long missing;
        long later;
        try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
             Statement st = c.createStatement()) {
            java.sql.ResultSet rs = st.executeQuery("SELECT UTF8TOSTRING(\"event_payload\") FROM PUBLIC.\"event_journal\" "
                    + "WHERE \"persistence_id\" = 'cgledger-hierarchy-1' ORDER BY \"sequence_number\" DESC LIMIT 1");
            assertThat(rs.next()).isTrue();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"seq\":(\\d+)").matcher(rs.getString(1));
            assertThat(m.find()).isTrue();
            missing = Long.parseLong(m.group(1));
            st.executeUpdate("DELETE FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = 'cgledger-hierarchy-1' "
                    + "AND \"sequence_number\" = (SELECT MAX(\"sequence_number\") FROM PUBLIC.\"event_journal\" "
                    + "WHERE \"persistence_id\" = 'cgledger-hierarchy-1')");
            later = written.size() - missing;
        }
        assertThat(later).as("the deleted row is followed by rows of other streams").isPositive();
        State expected = State.EMPTY;
        for (Recorded r : written) {
            if (r.seq() < missing) {
                expected = org.cgledger.core.decide.Evolver.evolve(expected, r.event());
            }
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(expected);
            assertThat(l.state().lastEvent()).isEqualTo(missing - 1);
            assertThat(l.recovery().discarded()).isEqualTo((int) later);
            assertThat(l.recoveries()).singleElement().asString()
                    .contains("kept events up to #" + (missing - 1)).contains("discarded " + later);
            assertThat(Refcounts.violations(l.state())).isEmpty();
            assertThat(l.execute(new Mkdir("/H1/after", false))).isInstanceOf(Outcome.Done.class);
            expected = l.state();
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(expected);
            assertThat(l.recovery().discarded()).isZero();
        }
    }

    @Test
    @DisplayName("a ledger whose snapshot an earlier build stored as one CBOR BLOB opens from it, equal; the next "
            + "snapshot replaces it")
    void cborSnapshotStillOpens() throws Exception {
        State before;
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(20, 1 << 30))) {
            l.executeAll(acrossStreams(30));
            before = l.state();
        }
        org.apache.pekko.actor.typed.ActorSystem<Void> system = org.apache.pekko.actor.typed.ActorSystem.create(
                org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "cbor");
        try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "")) {
            var serialization = org.apache.pekko.serialization.SerializationExtension.get(system);
            var cbor = serialization.serializerByIdentity().apply(StoredCodec.CBOR_ID);
            JournalStore store = new JournalStore(JournalStore.Target.h2(dir));
            ModelSnapshot m = store.latestSnapshot();
            assertThat(m).isNotNull();
            // where an earlier build kept it: one BLOB in the plugin's snapshot table
            try (java.sql.Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("DELETE FROM PUBLIC.\"cgledger_model_snapshot\"")).isPositive();
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO PUBLIC.\"snapshot\" "
                    + "(\"persistence_id\", \"sequence_number\", \"created\", \"snapshot_ser_id\", "
                    + "\"snapshot_ser_manifest\", \"snapshot_payload\") VALUES (?, ?, 0, ?, ?, ?)")) {
                ps.setString(1, JournalStore.MODEL_SNAPSHOT_ID);
                ps.setLong(2, m.seq());
                ps.setInt(3, StoredCodec.CBOR_ID);
                ps.setString(4, ModelSnapshot.class.getName());
                ps.setBytes(5, cbor.toBinary(m));
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        } finally {
            system.terminate();
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.recovery().snapshotSeq()).isPositive();
            assertThat(l.state()).isEqualTo(before);
            // the next snapshot goes in parts, and the earlier build's goes
            l.execute(new Mkdir("/H1/after-cbor", false));
            l.snapshot();
            before = l.state();
        }
        try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM PUBLIC.\"snapshot\"")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.recovery().snapshotSeq()).isEqualTo(before.lastEvent());
            assertThat(l.state()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("a snapshot table an earlier build created gains the max_time column at the next writer's open; its "
            + "snapshots' time bound is unknown, and the next one's known again once a writer folded from the start")
    void snapshotTimesAdded() throws Exception {
        DurableLedger.Options o = DurableLedger.Options.defaults().withSnapshots(20, 1);
        try (DurableLedger l = DurableLedger.open(dir, o)) {
            l.executeAll(acrossStreams(10));
        }
        try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("ALTER TABLE PUBLIC.\"cgledger_model_snapshot\" DROP COLUMN \"max_time\"");
            assertThat(JournalStore.snapshotTimes(c)).isFalse();
            st.execute("SHUTDOWN");
        }
        try (DurableLedger l = DurableLedger.open(dir, o)) {
            l.execute(new Mkdir("/H1/later", false));
        }
        List<Long> bounds = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT \"max_time\" FROM PUBLIC.\"cgledger_model_snapshot\" "
                     + "WHERE \"part\" = 0 ORDER BY \"sequence_number\"")) {
            while (rs.next()) {
                bounds.add(rs.getObject(1) == null ? null : rs.getLong(1));
            }
            st.execute("SHUTDOWN");
        }
        // the snapshots from before the column, and the one at close: that writer opened from one of them
        assertThat(bounds).hasSizeGreaterThan(1).containsOnlyNulls();
        try (DurableLedger l = DurableLedger.open(dir, o.withReadSnapshots(false))) {
            l.execute(new Mkdir("/H1/last", false));
        }
        long latest;
        try (JournalRows rows = JournalRows.open(dir, Duration.ofSeconds(10))) {
            latest = rows.readAll().stream().mapToLong(r -> r.record().time()).max().orElseThrow();
        }
        try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT \"max_time\" FROM PUBLIC.\"cgledger_model_snapshot\" "
                     + "WHERE \"part\" = 0 ORDER BY \"sequence_number\" DESC LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1)).as("folded from the start: every event's time seen").isEqualTo(latest);
            st.execute("SHUTDOWN");
        }
    }

    @Test
    @DisplayName("a snapshot stored in many parts reads back equal; one with a part missing fails to open, naming it")
    void snapshotInParts() throws Exception {
        State before = writtenWithoutSnapshots(acrossStreams(60));
        org.apache.pekko.actor.typed.ActorSystem<Void> system = org.apache.pekko.actor.typed.ActorSystem.create(
                org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "parts");
        JournalStore store = new JournalStore(JournalStore.Target.h2(dir));
        try {
            store.keepOpen();
            ModelSnapshot m = StateCodec.encode(before, Map.of());
            store.saveSnapshot(m, 0, null, org.apache.pekko.serialization.SerializationExtension.get(system), 1 << 30, 100);
            try (Connection c = store.connect(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM PUBLIC.\"cgledger_model_snapshot\"")) {
                rs.next();
                assertThat(rs.getInt(1)).as("parts of 100 bytes").isGreaterThan(10);
            }
            assertThat(store.latestSnapshot()).isEqualTo(m);
            assertThat(StateCodec.decode(store.latestSnapshot())).isEqualTo(before);
            try (Connection c = store.connect(); java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM PUBLIC.\"cgledger_model_snapshot\" WHERE \"part\" = 3");
            }
            assertThatThrownBy(store::latestSnapshot).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("snapshot at event #" + before.lastEvent() + " cannot be decoded (part 3 of");
        } finally {
            store.shutdown();
            system.terminate();
        }
    }

    @Test
    @DisplayName("snapshots kept: the two latest and the first of every band, for time travel; the rest pruned as each is stored")
    void snapshotRetention() throws Exception {
        State before = writtenWithoutSnapshots(acrossStreams(5));
        JournalStore store = new JournalStore(JournalStore.Target.h2(dir));
        try {
            store.keepOpen();
            ModelSnapshot m = StateCodec.encode(before, Map.of());
            // as a writer with snapshots every 100 events, and others at close, stores them
            long[] taken = {100, 130, 205, 290, 310, 399, 400, 404, 517, 530};
            java.util.TreeSet<Long> kept = new java.util.TreeSet<>();
            for (long seq : taken) {
                ModelSnapshot at = new ModelSnapshot(m.v(), seq, m.streams(), m.catalog(), m.pin(), m.rmdir(),
                        m.hierarchies(), m.cgroups(), m.css(), m.cssSets(), m.interned(), m.tasks(), m.objects(),
                        m.counters());
                store.saveSnapshot(new JournalStore.Stored(seq, ModelSnapshotSerializer.ID, ModelSnapshot.class.getName(),
                        ModelSnapshotCodec.encode(at), seq), 0, 100, JournalStore.SNAPSHOT_PART);
                kept.add(seq);
                // what is kept: the two latest, and the first of each band of 100 events
                java.util.Set<Long> want = new java.util.TreeSet<>(kept.descendingSet().stream().limit(2).toList());
                kept.stream().collect(java.util.stream.Collectors.groupingBy(x -> x / 100,
                        java.util.stream.Collectors.minBy(Long::compare))).values().forEach(x -> want.add(x.get()));
                kept.retainAll(want);
                List<Long> stored = new ArrayList<>();
                try (Connection c = store.connect(); java.sql.Statement st = c.createStatement();
                     java.sql.ResultSet rs = st.executeQuery("SELECT DISTINCT \"sequence_number\" FROM "
                             + "PUBLIC.\"cgledger_model_snapshot\" ORDER BY 1")) {
                    while (rs.next()) {
                        stored.add(rs.getLong(1));
                    }
                }
                assertThat(stored).as("after storing #%d", seq).containsExactlyElementsOf(kept);
            }
            assertThat(kept).containsExactly(100L, 205L, 310L, 400L, 517L, 530L);
        } finally {
            store.shutdown();
        }
    }

    /** 200 commands across the streams, one commit each (a file that compacts well); the state they left. */
    private State writtenForCompaction() {
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(50, 1 << 30))) {
            for (Command c : acrossStreams(200)) {
                l.execute(c);
            }
            return l.state();
        }
    }

    @Test
    @DisplayName("compact rewrites a closed ledger's file smaller, and it opens equal; it needs the lock and a ledger")
    void compact() throws Exception {
        State before = writtenForCompaction();
        DurableLedger.Compaction c = DurableLedger.compact(dir, Duration.ofSeconds(5));
        assertThat(c.bytesAfter()).isLessThan(c.bytesBefore()).isEqualTo(java.nio.file.Files.size(
                dir.resolve("journal.mv.db")));
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(before);
            assertThatThrownBy(() -> DurableLedger.compact(dir, Duration.ofMillis(200)))
                    .isInstanceOf(LedgerException.class).hasMessageContaining("in use by another process");
        }
        assertThatThrownBy(() -> DurableLedger.compact(dir.resolve("none"), Duration.ofSeconds(1)))
                .isInstanceOf(LedgerException.class).hasMessageContaining("no ledger at");
    }

    @Test
    @DisplayName("compact of a journal file that is a symbolic link compacts the file it leads to, and the link stays: "
            + "it had been replaced by the compacted file, the file it led to left stale")
    void compactThroughALink() throws Exception {
        State before = writtenForCompaction();
        Path elsewhere = java.nio.file.Files.createDirectory(dir.resolveSibling(dir.getFileName() + "-disk"));
        Path real = java.nio.file.Files.move(dir.resolve("journal.mv.db"), elsewhere.resolve("journal.mv.db"));
        java.nio.file.Files.createSymbolicLink(dir.resolve("journal.mv.db"), real);
        DurableLedger.Compaction c = DurableLedger.compact(dir, Duration.ofSeconds(5));
        assertThat(dir.resolve("journal.mv.db")).isSymbolicLink();
        assertThat(java.nio.file.Files.readSymbolicLink(dir.resolve("journal.mv.db"))).isEqualTo(real);
        assertThat(c.bytesAfter()).isLessThan(c.bytesBefore()).isEqualTo(java.nio.file.Files.size(real));
        try (var left = java.nio.file.Files.list(elsewhere)) {
            assertThat(left).as("no staging left beside it").containsExactly(real);
        }
        // what a compaction killed midway leaves beside the file is removed as the ledger opens
        Path leftover = java.nio.file.Files.createDirectory(DurableLedger.compactStaging(dir, real));
        java.nio.file.Files.write(leftover.resolve("journal.mv.db"), new byte[4096]);
        assertThat(leftover.getParent()).isEqualTo(elsewhere);
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(before);
        }
        try (var left = java.nio.file.Files.list(elsewhere)) {
            assertThat(left).as("the killed compaction's copy removed at open").containsExactly(real);
        }
    }

    @Test
    @DisplayName("what an import killed outright left (DIR/.import) is removed as the ledger next opens: "
            + "a ledger a write made there had kept it for good")
    void killedImportLeftoverRemovedAtOpen() throws Exception {
        Path staging = java.nio.file.Files.createDirectories(dir.resolve(JournalRows.IMPORT_STAGING));
        java.nio.file.Files.write(staging.resolve("journal.mv.db"), new byte[4096]);
        java.nio.file.Files.write(staging.resolve("journal.trace.db"), new byte[16]);
        try (DurableLedger l = DurableLedger.open(dir)) {
            for (Command c : seed()) {
                l.execute(c);
            }
        }
        assertThat(staging).as("removed by the first write's open").doesNotExist();
        java.nio.file.Files.createDirectory(staging);
        java.nio.file.Files.write(staging.resolve("journal.mv.db"), new byte[4096]);
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state().initialized()).isTrue();
        }
        assertThat(staging).as("removed by a later open").doesNotExist();
    }

    @Test
    @DisplayName("opened to read, a ledger starts no actor system; its first write starts one, and is durable")
    void actorsAtFirstWrite() {
        DurableLedger.Options toRead = DurableLedger.Options.defaults().withActorsAtFirstWrite(true);
        State before;
        try (DurableLedger l = DurableLedger.open(dir)) {
            for (Command c : acrossStreams(5)) {
                l.execute(c);
            }
            before = l.state();
        }
        try (DurableLedger l = DurableLedger.open(dir, toRead)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(l.actorsStarted()).isFalse();
        }
        State after;
        try (DurableLedger l = DurableLedger.open(dir, toRead)) {
            assertThat(l.execute(new Mkdir("/H1/late", false))).isInstanceOf(Outcome.Done.class);
            assertThat(l.actorsStarted()).isTrue();
            l.snapshot();
            after = l.state();
        }
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withReadSnapshots(false))) {
            assertThat(l.state()).isEqualTo(after);
            assertThat(l.state().lastEvent()).isGreaterThan(before.lastEvent());
        }
    }

    @Test
    @DisplayName("closing compacts a file that grew past the threshold while open and doubled; a short session's close does not")
    void compactAtClose() throws Exception {
        Path file = dir.resolve("journal.mv.db");
        DurableLedger.Options growthOfOneMib = DurableLedger.Options.defaults().withSnapshots(50, 1 << 30)
                .withCompactGrowth(1 << 20);
        State before;
        DurableLedger writer = DurableLedger.open(dir, growthOfOneMib);
        for (Command c : acrossStreams(200)) {
            writer.execute(c);
        }
        before = writer.state();
        long grown = java.nio.file.Files.size(file);
        assertThat(grown).as("200 one-command commits").isGreaterThan(2L << 20);
        assertThat(writer.compactionDue()).isTrue();
        writer.close();
        DurableLedger.Compaction c = writer.closeCompaction();
        assertThat(c).isNotNull();
        assertThat(c.bytesBefore()).isGreaterThanOrEqualTo(grown);
        assertThat(c.bytesAfter()).isLessThan(c.bytesBefore() / 2).isEqualTo(java.nio.file.Files.size(file));
        long compacted = c.bytesAfter();
        try (DurableLedger l = DurableLedger.open(dir, growthOfOneMib)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(l.execute(new Mkdir("/H1/one-more", false))).isInstanceOf(Outcome.Done.class);
            assertThat(l.compactionDue()).as("one command").isFalse();
            l.close();
            assertThat(l.closeCompaction()).isNull();
        }
        assertThat(java.nio.file.Files.size(file)).isGreaterThan(compacted);
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withCompactGrowth(Long.MAX_VALUE))) {
            for (Command cmd : acrossStreams(200)) {
                l.execute(cmd);
            }
            assertThat(l.compactionDue()).as("never").isFalse();
        }
    }

    @Test
    @DisplayName("a ledger closed for a process about to exit leaves its actor system stopping; the next open does not mind")
    void exitAfterClose() throws Exception {
        DurableLedger.Options exiting = DurableLedger.Options.defaults().withExitAfterClose(true);
        List<Command> all = acrossStreams(10);
        State before;
        for (int round = 0; round < 3; round++) {
            DurableLedger l = DurableLedger.open(dir, exiting);
            for (Command c : all.subList(round * 5, round * 5 + 5)) {
                assertThat(l.execute(c)).isInstanceOf(Outcome.Done.class);
            }
            before = l.state();
            l.close();
            // at once, while the closed ledger's actor system may still be stopping
            try (DurableLedger again = DurableLedger.open(dir)) {
                assertThat(again.state()).isEqualTo(before);
                assertThat(again.recovery().discarded()).isZero();
            }
        }
        InMemoryLedger expected = new InMemoryLedger();
        for (Command c : all.subList(0, 15)) {
            expected.execute(c);
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(expected.state());
        }
    }

    @Test
    @DisplayName("a journal write that fails breaks the ledger at once, saying why in one line; nothing acknowledged is lost")
    void writeFails() throws Exception {
        State acknowledged;
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.executeAll(seed());
            acknowledged = l.state();
            try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
                 Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TRIGGER DISK_FULL BEFORE INSERT ON PUBLIC.\"event_journal\" FOR EACH ROW CALL '"
                        + DiskFull.class.getName() + "'");
            }
            String broken = "a journal write failed: No space left on device; the commands of that write were not "
                    + "recorded (see 'log' for the last one that was)";
            // the entity stops without a reply: before the fix, the ledger waited out its 60 s ask
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                    () -> l.execute(new Mkdir("/H1/lost", false)))
                    .isInstanceOf(LedgerException.class)
                    .hasMessage(broken));
            assertThatThrownBy(() -> l.execute(new Mkdir("/H2/after", false)))
                    .isInstanceOf(LedgerException.class)
                    .hasMessage(broken);
            try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
                 Statement st = c.createStatement()) {
                st.executeUpdate("DROP TRIGGER DISK_FULL");
            }
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(acknowledged);
            assertThat(l.execute(new Mkdir("/H1/lost", false))).isInstanceOf(Outcome.Done.class);
        }
    }

    @Test
    @DisplayName("a snapshot damaged in the file (bytes overwritten, a part gone), or of a format a later build "
            + "writes (a ledger taken back to this build), is passed over: the ledger opens from the first event, and "
            + "stores a snapshot this build reads as it closes")
    void damagedSnapshot() throws Exception {
        // a snapshot of a few events, as import stores one; then the default options, which store one at
        // close only after 1,000 events more: the damaged one is replaced all the same
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(1 << 30, 1))) {
            l.executeAll(seed());
        }
        DurableLedger.Options atClose = DurableLedger.Options.defaults();
        State written;
        try (DurableLedger l = DurableLedger.open(dir, atClose)) {
            written = l.state();
            assertThat(l.recovery().snapshotSeq()).isEqualTo(written.lastEvent());
        }
        for (String damage : List.of(
                "UPDATE PUBLIC.\"cgledger_model_snapshot\" SET \"data\" = X'00ff00ff7f7f7f7f0102030405060708'",
                "UPDATE PUBLIC.\"cgledger_model_snapshot\" SET \"parts\" = 2",
                // the magic number kept, the format (bytes 4-7) the next one
                String.format("UPDATE PUBLIC.\"cgledger_model_snapshot\" SET \"data\" = SUBSTRING(\"data\" FROM 1 FOR 4) "
                        + "|| X'%08x' || SUBSTRING(\"data\" FROM 9)", ModelSnapshotCodec.FORMAT + 1))) {
            try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
                 Statement st = c.createStatement()) {
                assertThat(st.executeUpdate(damage)).as(damage).isPositive();
            }
            try (DurableLedger l = DurableLedger.open(dir, atClose)) {
                assertThat(l.state()).as(damage).isEqualTo(written);
                assertThat(l.recovery().snapshotSeq()).as("replayed from the first event").isZero();
                assertThat(l.recovery().replayed()).isEqualTo(written.lastEvent());
            }
            try (DurableLedger l = DurableLedger.open(dir, atClose)) {
                assertThat(l.state()).isEqualTo(written);
                assertThat(l.recovery().snapshotSeq()).as("the snapshot stored at close").isEqualTo(written.lastEvent());
            }
        }
    }

    @Test
    @DisplayName("a snapshot that cannot be stored as the ledger closes (a full disk) does not fail the close: the "
            + "journal holds every event, and the next open replays them")
    void snapshotAtCloseFails() throws Exception {
        DurableLedger.Options atClose = DurableLedger.Options.defaults().withSnapshots(1 << 30, 1);
        State written;
        try (DurableLedger l = DurableLedger.open(dir, atClose)) {
            l.executeAll(seed());
            written = l.state();
            try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
                 Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TRIGGER DISK_FULL BEFORE INSERT ON PUBLIC.\"cgledger_model_snapshot\" FOR EACH "
                        + "ROW CALL '" + DiskFull.class.getName() + "'");
            }
            assertThatThrownBy(l::snapshot).isInstanceOf(LedgerException.class)
                    .hasMessage("cannot store a snapshot: No space left on device");
            // close() here, by the try: it had thrown the same
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(written);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cgledger-hierarchy-1, 2", "cgledger-hierarchy-2, 0"})
    @DisplayName("a group commit whose write fails in one stream says from which event on it was lost, and how many commands were kept")
    void writeFailsInOneStream(String refused, int kept) throws Exception {
        // in H2's stream, the system's, H1's, H2's, the system's
        List<Command> window = List.of(new Mkdir("/H2/x", false), new Fork(Pid.of(1), Pid.of(50)),
                new Mkdir("/H1/lost", false), new Mkdir("/H2/later", false), new Fork(Pid.of(1), Pid.of(51)));
        long before;
        writeStreamsApart(true);
        StreamFull.stream = refused;
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.executeAll(seed());
            before = l.state().lastEvent();
            journal("CREATE TRIGGER STREAM_FULL BEFORE INSERT ON PUBLIC.\"event_journal\" FOR EACH ROW CALL '"
                    + StreamFull.class.getName() + "'");
            // one event a command: the first lost is the first command not kept's
            long lost = before + 1 + kept;
            String broken = "a journal write failed: No space left on device; " + (kept == 0
                    ? "the commands of that write were not recorded: some of its later events were, in other "
                    + "streams, and the ledger cuts them when it opens next (once it has, 'log' shows the last one kept)"
                    : "its events from #" + lost + " on were not recorded: the journal keeps every event up to #"
                    + (lost - 1) + ", and the ledger cuts the later ones other streams recorded when it opens next "
                    + "(once it has, 'log' shows the last one kept)");
            assertThatThrownBy(() -> l.executeAll(window))
                    .isInstanceOfSatisfying(WriteFailed.class, e -> {
                        assertThat(e.firstLost()).isEqualTo(lost);
                        assertThat(e.commandsRecorded()).isEqualTo(kept);
                    })
                    .hasMessage(broken);
            assertThatThrownBy(() -> l.execute(new Mkdir("/H2/after", false))).hasMessage(broken);
            journal("DROP TRIGGER STREAM_FULL");
        } finally {
            writeStreamsApart(false);
        }
        InMemoryLedger expected = new InMemoryLedger();
        expected.executeAll(seed());
        expected.executeAll(window.subList(0, kept));
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(expected.state());
            assertThat(l.recovery().discarded()).as("the events written after the gap, cut").isPositive();
        }
    }

    @Test
    @DisplayName("a group commit whose write times out in one stream says its later events may not be recorded: they may be")
    void writeTimesOutInOneStream() throws Exception {
        List<Command> window = List.of(new Mkdir("/H2/x", false), new Fork(Pid.of(1), Pid.of(50)),
                new Mkdir("/H1/slow", false), new Mkdir("/H2/later", false));
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.executeAll(seed());
        }
        long before;
        int[] known = {-1};
        writeStreamsApart(true);
        StreamSlow.stream = "cgledger-hierarchy-1";
        StreamSlow.done = new java.util.concurrent.CountDownLatch(1);
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults()
                .withWriteTimeout(Duration.ofSeconds(2)))) {
            // every stream's entity started, and written once, before the trigger holds one up
            l.executeAll(List.of(new Mkdir("/H1/warm", false), new Mkdir("/H2/warm", false),
                    new Fork(Pid.of(1), Pid.of(49))));
            before = l.state().lastEvent();
            journal("CREATE TRIGGER STREAM_SLOW BEFORE INSERT ON PUBLIC.\"event_journal\" FOR EACH ROW CALL '"
                    + StreamSlow.class.getName() + "'");
            // the journal's writes go one at a time: those queued behind the slow one time out too,
            // so which of the window's first commands are known recorded depends on the order
            assertThatThrownBy(() -> l.executeAll(window))
                    .isInstanceOfSatisfying(WriteFailed.class, e -> {
                        known[0] = e.commandsRecorded();
                        assertThat(e.commandsRecorded()).isBetween(0, 2);
                        assertThat(e.firstLost()).isEqualTo(before + 1 + e.commandsRecorded());
                        assertThat(e.certain()).isFalse();
                    })
                    .hasMessageEndingWith(" may not be recorded (a write that timed out or lost its connection may "
                            + "still have been; once the ledger opens again, 'log' shows the last one that was)");
            // the slow write ends after its ask gave up (and may yet commit, or not, as the ledger closes)
            assertThat(StreamSlow.done.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            journal("DROP TRIGGER STREAM_SLOW");
        } finally {
            writeStreamsApart(false);
        }
        // what was said recorded is, and a prefix of the rest may be
        try (DurableLedger l = DurableLedger.open(dir)) {
            int recorded = (int) (l.state().lastEvent() - before);
            assertThat(recorded).isBetween(known[0], window.size());
            InMemoryLedger expected = new InMemoryLedger();
            expected.executeAll(seed());
            expected.executeAll(List.of(new Mkdir("/H1/warm", false), new Mkdir("/H2/warm", false),
                    new Fork(Pid.of(1), Pid.of(49))));
            expected.executeAll(window.subList(0, recorded));
            assertThat(l.state()).isEqualTo(expected.state());
        }
    }

    @Test
    @DisplayName("a failure that leaves it open whether the rows were committed: a timeout, a failed commit; one before the commit is certain")
    void indeterminateFailures() {
        assertThat(DurableLedger.indeterminate(new java.util.concurrent.CompletionException(
                new java.util.concurrent.TimeoutException("Ask timed out")))).isTrue();
        assertThat(DurableLedger.indeterminate(new LedgerException("cannot write 3 journal rows",
                new Transactions.CommitFailed(new java.sql.SQLException("connection reset", "08006"))))).isTrue();
        // the connection lost while the rows were sent, before the commit: nothing was committed
        assertThat(DurableLedger.indeterminate(new LedgerException("cannot write 3 journal rows",
                new java.sql.SQLException("connection reset", "08006")))).isFalse();
        assertThat(DurableLedger.indeterminate(new LedgerException("cannot write 3 journal rows",
                new java.sql.SQLException("No space left on device", "HY000")))).isFalse();
    }

    /** One stream's write for {@link DurableLedger#failed}: its first event, and how it ended (null: still running). */
    private record Stream(long first, Throwable failure, boolean done) {
    }

    /** {@link DurableLedger#failed} of a write whose streams (hierarchies 1, 2...) ended as {@code streams} say. */
    private static WriteFailed failed(Stream... streams) {
        return failed(stream -> null, streams);
    }

    /** {@link #failed(Stream...)}, the H2 file read by {@code stored} ({@link DurableLedger#storedInFile}). */
    private static WriteFailed failed(java.util.function.Function<HierarchyId, Boolean> stored, Stream... streams) {
        Map<HierarchyId, CompletableFuture<HierarchyEntity.Appended>> futures = new java.util.LinkedHashMap<>();
        Map<HierarchyId, List<JournalEntry>> batch = new java.util.LinkedHashMap<>();
        for (int i = 0; i < streams.length; i++) {
            HierarchyId h = new HierarchyId(i + 1);
            CompletableFuture<HierarchyEntity.Appended> f = new CompletableFuture<>();
            if (streams[i].done()) {
                if (streams[i].failure() == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(streams[i].failure());
                }
            }
            futures.put(h, f);
            batch.put(h, List.of(new JournalEntry(1, streams[i].first(), 0,
                    new org.cgledger.core.event.TaskForked(Pid.of(1), Pid.of(2)), "")));
        }
        return DurableLedger.failed(new DurableLedger.Writing(futures, CompletableFuture.allOf()), batch,
                new java.util.concurrent.TimeoutException("the wait gave up"), stored);
    }

    @Test
    @DisplayName("a commit that failed as H2 wrote its file (a full disk): not recorded when the file holds none of its "
            + "rows, may not be when it cannot be read or holds them, or the commit failed otherwise")
    void commitFailedOnAFullDisk() {
        Throwable full = new LedgerException("cannot write 1 journal rows", new Transactions.CommitFailed(
                new java.sql.SQLException("General error", "HY000", org.h2.mvstore.DataUtils.newMVStoreException(
                        org.h2.mvstore.DataUtils.ERROR_WRITING_FAILED, "Writing to {0} failed; length {1} at {2}",
                        "file", 12288, 598016).initCause(new java.io.IOException("No space left on device")))));
        List<HierarchyId> asked = new ArrayList<>();
        WriteFailed none = failed(h -> {
            asked.add(h);
            return false;
        }, new Stream(3, full, true));
        assertThat(asked).containsExactly(new HierarchyId(1));
        assertThat(none.certain()).isTrue();
        assertThat(none.getMessage()).isEqualTo("a journal write failed: the journal file could not be written: No space "
                + "left on device; the commands of that write were not recorded (see 'log' for the last one that was)");
        for (Boolean stored : java.util.Arrays.asList(null, true)) {
            WriteFailed unsure = failed(h -> stored, new Stream(3, full, true));
            assertThat(unsure.certain()).as("%s", stored).isFalse();
            assertThat(unsure.getMessage()).as("%s", stored).contains("; the commands of that write may not be recorded");
        }
        // a connection lost as it committed (a database server): the file is not asked
        Throwable lost = new LedgerException("cannot write 1 journal rows",
                new Transactions.CommitFailed(new java.sql.SQLException("connection reset", "08006")));
        asked.clear();
        assertThat(failed(h -> {
            asked.add(h);
            return false;
        }, new Stream(3, lost, true)).certain()).isFalse();
        assertThat(asked).isEmpty();
    }

    @Test
    @DisplayName("storedInFile reads the H2 file anew, read-only: whether a stream's rows go past those acknowledged; "
            + "unknown while this process has the database open")
    void storedInFile() {
        long stored;
        JournalStore.Target target = JournalStore.Target.h2(dir);
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.executeAll(seed());
            l.execute(new Mkdir("/H1/one", false));
            // (the ledger's own database is open: its answer would be from memory)
            assertThat(DurableLedger.storedInFile(target, "cgledger-hierarchy-1", 0)).isNull();
            stored = l.state().lastEvent();
        }
        long rows = Journals.readAll(dir, Duration.ofSeconds(10)).stream()
                .filter(x -> x.persistenceId().equals("cgledger-hierarchy-1")).count();
        assertThat(stored).isPositive();
        assertThat(rows).isPositive();
        assertThat(DurableLedger.storedInFile(target, "cgledger-hierarchy-1", rows - 1)).isTrue();
        assertThat(DurableLedger.storedInFile(target, "cgledger-hierarchy-1", rows)).isFalse();
        assertThat(DurableLedger.storedInFile(target, "cgledger-hierarchy-7", 0)).isFalse();
        assertThat(DurableLedger.storedInFile(JournalStore.Target.h2(dir.resolve("none")), "cgledger-hierarchy-1", 0))
                .isNull();
    }

    @Test
    @DisplayName("what a failed write says: the stream lost first decides, a definite failure is named before a timeout, "
            + "and streams that all ended well after the wait gave up are no failure")
    void failedWrites() {
        Throwable full = new LedgerException("cannot write 2 journal rows: No space left on device");
        Throwable timedOut = new java.util.concurrent.TimeoutException("Ask timed out after [60000 ms]");
        assertThat(failed(new Stream(3, null, true), new Stream(5, null, true))).isNull();
        // lost first for sure: certain, whatever the other may yet do
        WriteFailed certain = failed(new Stream(3, full, true), new Stream(5, timedOut, true));
        assertThat(certain.certain()).isTrue();
        assertThat(certain.firstLost()).isEqualTo(3);
        assertThat(certain.getMessage()).isEqualTo("a journal write failed: cannot write 2 journal rows: No space left "
                + "on device; the commands of that write were not recorded (see 'log' for the last one that was)");
        // lost first by a timeout: may not be; the full disk is still what is named
        WriteFailed unsure = failed(new Stream(3, timedOut, true), new Stream(5, full, true));
        assertThat(unsure.certain()).isFalse();
        assertThat(unsure.getMessage()).startsWith("a journal write failed: cannot write 2 journal rows: No space left "
                + "on device; the commands of that write may not be recorded");
        // one still running when the wait gave up, after one written
        WriteFailed running = failed(new Stream(3, null, true), new Stream(5, null, false));
        assertThat(running.certain()).isFalse();
        assertThat(running.firstLost()).isEqualTo(5);
        assertThat(running.getMessage()).endsWith("; its events from #5 on may not be recorded (a write that timed out "
                + "or lost its connection may still have been; once the ledger opens again, 'log' shows the last one "
                + "that was)");
        WriteFailed later = failed(new Stream(3, null, true), new Stream(5, full, true));
        assertThat(later.certain()).isTrue();
        assertThat(later.getMessage()).endsWith("; its events from #5 on were not recorded: the journal keeps every "
                + "event up to #4, and the ledger cuts the later ones other streams recorded when it opens next (once "
                + "it has, 'log' shows the last one kept)");
    }

    /** Runs {@code sql} on the ledger's journal database (a trigger made or dropped). */
    private void journal(String sql) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
             Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    /**
     * Each stream's rows in a transaction of their own (a batch size of 1), or the plugin's
     * batching again: it batches the rows of streams written at once (up to 400), and a batch
     * fails whole.
     */
    private static void writeStreamsApart(boolean apart) {
        if (apart) {
            System.setProperty("jdbc-journal.batchSize", "1");
        } else {
            System.clearProperty("jdbc-journal.batchSize");
        }
        ConfigFactory.invalidateCaches();
    }

    /** An H2 trigger that holds up the first row of one stream for 5 s. */
    public static final class StreamSlow implements org.h2.api.Trigger {
        static volatile String stream;
        static volatile java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            if (stream.equals(newRow[2]) && done.getCount() > 0) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            }
        }
    }

    /** An H2 trigger that refuses the rows of one stream as a full disk would. */
    public static final class StreamFull implements org.h2.api.Trigger {
        static volatile String stream;

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            if (stream.equals(newRow[2])) {
                throw new java.sql.SQLException("No space left on device");
            }
        }
    }

    /** An H2 trigger that refuses every row as a full disk would. */
    public static final class DiskFull implements org.h2.api.Trigger {
        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            throw new java.sql.SQLException("No space left on device");
        }
    }

    @Test
    @DisplayName("closing compacts a file that lists more chunks than allowed, whatever its growth")
    void compactManyChunks() throws Exception {
        DurableLedger.Options fiftyChunks = DurableLedger.Options.defaults().withSnapshots(1 << 30, 1 << 30)
                .withCompactGrowth(Long.MAX_VALUE).withCompactChunks(50);
        List<Command> all = acrossStreams(80);
        int first = 10;
        int second = all.size() - 60;
        try (DurableLedger l = DurableLedger.open(dir, fiftyChunks)) {
            for (Command c : all.subList(0, first)) {
                l.execute(c);
            }
            assertThat(l.compactionDue()).as("%d commits", first).isFalse();
        }
        DurableLedger writer = DurableLedger.open(dir, fiftyChunks);
        for (Command c : all.subList(first, second)) {
            writer.execute(c);
        }
        State before = writer.state();
        assertThat(writer.compactionDue()).as("a chunk or more per commit, %d commits", second).isTrue();
        writer.close();
        assertThat(writer.closeCompaction()).isNotNull();
        try (DurableLedger l = DurableLedger.open(dir, fiftyChunks)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(l.compactionDue()).as("compacted").isFalse();
            l.close();
            assertThat(l.closeCompaction()).isNull();
        }
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults())) {
            for (Command c : all.subList(second, all.size())) {
                l.execute(c);
            }
            assertThat(l.compactionDue()).as("the default allows thousands").isFalse();
        }
    }

    @Nested
    @DisplayName("two processes on one ledger")
    class Locking {
        @Test
        @DisplayName("the second waits for the lock, then fails naming the holder")
        void secondFails() {
            try (DurableLedger l = DurableLedger.open(dir)) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> DurableLedger.open(dir,
                        DurableLedger.Options.defaults().withLockTimeout(Duration.ofMillis(300))))
                        .isInstanceOf(LedgerException.class)
                        .hasMessageContaining("in use by another process")
                        .hasMessageContaining("pid " + ProcessHandle.current().pid());
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                assertThat(l.execute(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT)))
                        .isInstanceOf(Outcome.Done.class);
            }
        }

        @Test
        @DisplayName("heldBy names another process holding the ledger, without waiting; empty when free or this process's")
        void heldBy() throws Exception {
            assertThat(DurableLedger.heldBy(dir)).as("no ledger").isEmpty();
            Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                    dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                        java.nio.charset.StandardCharsets.UTF_8)).readLine()).isEqualTo("LOCKED");
                long t0 = System.nanoTime();
                assertThat(DurableLedger.heldBy(dir)).hasValueSatisfying(h -> assertThat(h)
                        .startsWith("pid " + holder.pid() + ", since "));
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
            } finally {
                holder.getOutputStream().close();
                holder.waitFor();
            }
            assertThat(DurableLedger.heldBy(dir)).as("free").isEmpty();
            try (DurableLedger l = DurableLedger.open(dir)) {
                assertThat(DurableLedger.heldBy(dir)).as("this process's").isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("a damaged journal fails to open with a clear error")
    class Damage {
        void sql(String statement) throws Exception {
            try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
                 Statement st = c.createStatement()) {
                st.executeUpdate(statement);
            }
        }

        void write() {
            try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(1 << 30, 1 << 30))) {
                l.executeAll(seed());
            }
        }

        @Test
        @DisplayName("an undecodable payload: names the stream and the sequence number")
        void undecodable() throws Exception {
            write();
            sql("UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = X'7b7b7b' WHERE \"persistence_id\" = "
                    + "'cgledger-hierarchy-1' AND \"sequence_number\" = 2");
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("stream cgledger-hierarchy-1, sequence number 2")
                    .hasMessageContaining("cannot be decoded")
                    .hasMessageNotContaining("Exception");
        }

        @Test
        @DisplayName("rows kept encoded: readAll's rows in readAll's order; the ledger-wide number read from the payload's "
                + "head, else by decoding it, which refuses a damaged one as readAll does")
        void encodedRows() throws Exception {
            write();
            try (JournalRows rows = JournalRows.open(dir, java.time.Duration.ofSeconds(10))) {
                assertThat(rows.readAllEncoded()).isEqualTo(rows.readAll()).hasSizeGreaterThan(10);
            }
            assertThat(EncodedRows.seqAtHead(bytes("{\"v\":1,\"seq\":7,\"time\":3}"))).isEqualTo(7);
            assertThat(EncodedRows.seqAtHead(bytes("{\"seq\":7,\"v\":1}"))).isEqualTo(7);
            for (String other : List.of("{\"time\":3,\"v\":1,\"seq\":7}", "{\"v\":{\"seq\":1},\"seq\":7}",
                    "{\"v\":1,\"seq\":\"7\"}", "{{{", "[]", "", "{\"v\":1")) {
                assertThat(EncodedRows.seqAtHead(bytes(other))).as(other).isEqualTo(-1);
            }
            // a payload whose number is not at its head is decoded: in its place all the same
            // (the time written twice: the later one, the true one, is what a decoder keeps)
            sql("UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = STRINGTOUTF8(REPLACE(UTF8TOSTRING("
                    + "\"event_payload\"), '{\"v\":1,\"seq\":', '{\"time\":0,\"v\":1,\"seq\":')) "
                    + "WHERE \"persistence_id\" = 'cgledger-hierarchy-1' AND \"sequence_number\" = 2");
            try (JournalRows rows = JournalRows.open(dir, java.time.Duration.ofSeconds(10))) {
                List<Journals.Stored> all = rows.readAll();
                assertThat(rows.readAllEncoded()).isEqualTo(all);
                try (Statement st = rows.connection().createStatement();
                     java.sql.ResultSet rs = st.executeQuery("SELECT UTF8TOSTRING(\"event_payload\") FROM PUBLIC."
                             + "\"event_journal\" WHERE \"persistence_id\" = 'cgledger-hierarchy-1' AND \"sequence_number\" = 2")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(EncodedRows.seqAtHead(bytes(rs.getString(1)))).as(rs.getString(1)).isEqualTo(-1);
                }
            }
            sql("UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = X'7b7b7b' WHERE \"persistence_id\" = "
                    + "'cgledger-hierarchy-1' AND \"sequence_number\" = 2");
            try (JournalRows rows = JournalRows.open(dir, java.time.Duration.ofSeconds(10))) {
                assertThatThrownBy(rows::readAllEncoded).isInstanceOf(LedgerException.class)
                        .hasMessageContaining("stream cgledger-hierarchy-1, sequence number 2");
            }
        }

        private static byte[] bytes(String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @org.junit.jupiter.params.ParameterizedTest(name = "\"v\":1 stored as [{0}]")
        @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
                "'\"v\":99' | event schema version 99 is not one this build reads (1)",
                "'\"v\":\"x\"' | event schema version \"x\" is not one this build reads (1)",
                "'' | no event schema version (\"v\"; this build reads 1)"})
        @DisplayName("an event schema version this build does not read (\"v\" other than 1, or none): refused, in words")
        void unknownVersion(String v, String reason) throws Exception {
            write();
            sql("UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = STRINGTOUTF8(REPLACE("
                    + "UTF8TOSTRING(\"event_payload\"), '\"v\":1" + (v.isEmpty() ? "," : "") + "', '" + v + "')) WHERE "
                    + "\"persistence_id\" = 'cgledger-hierarchy-1' AND \"sequence_number\" = 2");
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessage("journal damaged: stream cgledger-hierarchy-1, sequence number 2: the payload cannot be "
                            + "decoded (" + reason + ")");
        }

        @Test
        @DisplayName("an unknown event type: named, with the types this build reads, and no class name")
        void unknownType() throws Exception {
            write();
            sql("UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = STRINGTOUTF8(REGEXP_REPLACE("
                    + "UTF8TOSTRING(\"event_payload\"), '\"type\":\"[A-Za-z]+\"', '\"type\":\"Bogus\"')) WHERE "
                    + "\"persistence_id\" = 'cgledger-hierarchy-1' AND \"sequence_number\" = 2");
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("sequence number 2: the payload cannot be decoded (unknown event type 'Bogus' "
                            + "(one of CgroupCreated, CgroupRemoved, ")
                    .hasMessageNotContaining("org.cgledger");
        }

        @Test
        @DisplayName("a gap in a stream's sequence numbers")
        void gap() throws Exception {
            write();
            sql("DELETE FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = 'cgledger-hierarchy-1' "
                    + "AND \"sequence_number\" = 2");
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("stream cgledger-hierarchy-1 has a gap: sequence number 3 follows 1");
        }

        @Test
        @DisplayName("a recorded refcount that disagrees with replay")
        void refcount() throws Exception {
            write();
            sql("UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = UTF8TOSTRING(\"event_payload\") WHERE FALSE");
            sql("UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = STRINGTOUTF8(REPLACE("
                    + "UTF8TOSTRING(\"event_payload\"), 'A1=3', 'A1=4')) WHERE \"persistence_id\" = "
                    + "'cgledger-hierarchy-1'");
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("records refcount A1 = 4, but replay gives 3");
        }

        @Test
        @DisplayName("a damaged file: says so in words, with no exception class and no H2 version or error code")
        void damagedFile() throws Exception {
            write();
            Path file = dir.resolve(DurableLedger.H2_FILE);
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            // both copies of H2's file header
            java.util.Arrays.fill(bytes, 0, 8192, (byte) 'x');
            java.nio.file.Files.write(file, bytes);
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessage("cannot open the journal in " + dir + ": the journal file is damaged: Store header is "
                            + "corrupt");
            java.nio.file.Files.write(file, new byte[] {1, 2, 3, 4});
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessage("cannot open the journal in " + dir + ": the journal file is damaged: it ends before "
                            + "its own header or data does (cut short, or not a journal file)");
        }

        @Test
        @DisplayName("an H2 file without the journal's table (cut short past it, or not a ledger's): refused, left "
                + "without one, never taken for a new ledger to write over")
        void noJournalTable() throws Exception {
            java.nio.file.Files.createDirectories(dir);
            sql("CREATE TABLE PUBLIC.\"notes\" (\"text\" VARCHAR)");
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessage("cannot open the journal in " + dir + ": the journal file is damaged: journal.mv.db "
                            + "holds no journal (cut short, or not a ledger's)");
            try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
                 java.sql.ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "event_journal", null)) {
                assertThat(rs.next()).as("journal table created").isFalse();
            }
            // the readers say the same (they had said H2's 'Table "event_journal" not found')
            assertThatThrownBy(() -> JournalRows.open(dir, Duration.ofSeconds(1))).isInstanceOf(LedgerException.class)
                    .hasMessage("cannot open the journal in " + dir + ": the journal file is damaged: journal.mv.db "
                            + "holds no journal (cut short, or not a ledger's)");
        }

        @Test
        @DisplayName("an empty journal file: refused by the ledger and the readers alike, and left empty (H2 had "
                + "made an empty database of it, and a trace file)")
        void emptyJournalFile() throws Exception {
            java.nio.file.Files.createDirectories(dir);
            Path file = java.nio.file.Files.createFile(dir.resolve(DurableLedger.H2_FILE));
            String message = "cannot open the journal in " + dir + ": the journal file is damaged: journal.mv.db holds "
                    + "no journal (it is empty)";
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class).hasMessage(message);
            assertThatThrownBy(() -> JournalRows.open(dir, Duration.ofSeconds(1))).isInstanceOf(LedgerException.class)
                    .hasMessage(message);
            assertThatThrownBy(() -> DurableLedger.compact(dir, Duration.ofSeconds(1))).isInstanceOf(LedgerException.class)
                    .hasMessage(message);
            assertThat(java.nio.file.Files.size(file)).isZero();
            assertThat(LedgerDirectoryTest.tree(dir)).containsExactly("", "journal.mv.db", "ledger.lock");
            // a file without the journal's table is not compacted either
            java.nio.file.Files.delete(file);
            sql("CREATE TABLE PUBLIC.\"notes\" (\"text\" VARCHAR)");
            assertThatThrownBy(() -> DurableLedger.compact(dir, Duration.ofSeconds(1))).isInstanceOf(LedgerException.class)
                    .hasMessageEndingWith("holds no journal (cut short, or not a ledger's)");
        }

        @Test
        @DisplayName("an event that cannot apply")
        void cannotApply() throws Exception {
            write();
            // the first attach names a pid that never existed
            sql("UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = STRINGTOUTF8(REPLACE("
                    + "UTF8TOSTRING(\"event_payload\"), '\"pid\":1', '\"pid\":77')) WHERE \"persistence_id\" = "
                    + "'cgledger-hierarchy-1' AND \"sequence_number\" = 3");
            assertThatThrownBy(() -> DurableLedger.open(dir)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("does not apply").hasMessageContaining("no task 77");
        }
    }
}
