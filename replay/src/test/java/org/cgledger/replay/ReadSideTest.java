package org.cgledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cgledger.core.bench.Workload;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.SetFile;
import org.cgledger.core.command.Umount;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.InMemoryLedger;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Outcome;
import org.cgledger.persistence.Recorded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the read side: history, time travel, explain, who-holds, export/import")
class ReadSideTest {

    @TempDir
    Path dir;

    @Nested
    @DisplayName("a damaged journal: every reader fails where it is damaged, as opening the ledger does")
    class Damaged {
        @Test
        @DisplayName("a row deleted: the event after the hole names the stream, its number and the missing event")
        void rowDeleted() throws Exception {
            Fixtures.write(dir, Fixtures.busy());
            Fixtures.Row release = Fixtures.find(dir, p -> p.contains("\"ObjectReleased\"") && p.contains("file:2"));
            long k = Fixtures.seqOf(release.payload());
            Fixtures.delete(dir, release);
            List<Journals.Stored> rows = Fixtures.read(dir);
            String damaged = "journal damaged: stream ";
            String missing = ": event #" + (k + 1) + " follows event #" + (k - 1) + " (event #" + k + " missing)";

            assertThatThrownBy(() -> new Journal(rows).stateAt(k + 1)).isInstanceOf(LedgerException.class)
                    .hasMessageStartingWith(damaged).hasMessageEndingWith(missing);
            // the state before the hole is still there to see
            assertThat(new Journal(rows).stateAt(k - 1).lastEvent()).isEqualTo(k - 1);
            try (JournalRows stored = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThatThrownBy(() -> new StoredTravel(stored).stateAt(k + 1))
                        .isInstanceOf(LedgerException.class).hasMessageEndingWith(missing);
                List<Log.Line> printed = new ArrayList<>();
                assertThatThrownBy(() -> Log.forEach(new StoredTravel(stored), Log.Filter.all(), printed::add))
                        .isInstanceOf(LedgerException.class).hasMessageEndingWith(missing);
                assertThat(printed).as("the lines before the hole are printed").hasSize((int) k - 1);
                // an export of it would not import: it fails there too (it had written it all, exit 0)
                StringWriter exported = new StringWriter();
                assertThatThrownBy(() -> Transfer.export(new StoredTravel(stored), exported))
                        .isInstanceOf(LedgerException.class).hasMessageStartingWith(damaged).hasMessageEndingWith(missing);
                assertThat(exported.toString().lines()).as("the rows before the hole").hasSize((int) k - 1);
            }
            assertThatThrownBy(() -> History.replay(rows, "/H1/foo")).isInstanceOf(LedgerException.class)
                    .hasMessageEndingWith(missing);
            assertThatThrownBy(() -> WhoHolds.at(rows, k + 5, "A1")).isInstanceOf(LedgerException.class)
                    .hasMessageEndingWith(missing);
        }

        @Test
        @DisplayName("a row that cannot apply: its stream, number, event and why")
        void rowDoesNotApply() throws Exception {
            Fixtures.write(dir, Fixtures.busy());
            Fixtures.Row attach = Fixtures.find(dir, p -> p.contains("\"TaskAttached\"") && p.contains("\"pid\":2"));
            long k = Fixtures.seqOf(attach.payload());
            Fixtures.rewrite(dir, attach, attach.payload().replace("\"pid\":2", "\"pid\":77"));
            List<Journals.Stored> rows = Fixtures.read(dir);

            assertThatThrownBy(() -> new Journal(rows).stateAt(k)).isInstanceOf(LedgerException.class)
                    .hasMessage("journal damaged: stream " + attach.persistenceId() + ", sequence number " + attach.nr()
                            + " (event #" + k + ", TaskAttached) does not apply: no task 77");
            assertThatThrownBy(() -> Log.of(rows, Log.Filter.all())).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("does not apply: no task 77");
        }
    }

    @Nested
    @DisplayName("history")
    class HistoryOfAGroup {
        @Test
        @DisplayName("of a group created, used, removed and created again shows both incarnations, the same through the index as by full replay")
        void twoIncarnations() {
            List<Command> cmds = new ArrayList<>(Fixtures.busy());
            cmds.addAll(List.of(new Attach("2", "/H1"), new Uncharge("file:3", null), new Rmdir("/H1/foo"),
                    new Mkdir("/H1/foo", false), new Attach("3", "/H1/foo"),
                    new Charge(Pid.of(3), "A", "file:9", 1, false)));
            Fixtures.write(dir, cmds);
            List<Journals.Stored> rows = Fixtures.read(dir);

            List<History.Incarnation> replayed = History.replay(rows, "/H1/foo");
            List<History.Incarnation> indexed;
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.ensure(j)).isTrue();
                assertThat(HistoryIndex.ensure(j)).isFalse();
                indexed = HistoryIndex.history(j, "/H1/foo");
            }

            assertThat(replayed).hasSize(2);
            assertThat(indexed).isEqualTo(replayed);
            List<String> first = replayed.get(0).entries().stream().map(History.Entry::text).toList();
            assertThat(first.get(0)).startsWith("mkdir /H1/foo");
            assertThat(first).anyMatch(t -> t.startsWith("attach task 2 /H1 -> /H1/foo"))
                    .anyMatch(t -> t.startsWith("charge file:3"))
                    .anyMatch(t -> t.startsWith("rmdir /H1/foo"))
                    .anyMatch(t -> t.equals("A1 released"));
            assertThat(replayed.get(1).entries().get(0).text()).startsWith("mkdir /H1/foo");
            assertThat(replayed.get(1).entries()).anyMatch(e -> e.text().startsWith("charge file:9"));
        }

        @Test
        @DisplayName("of a group whose hierarchy was mounted again elsewhere: found by its path under the new mount "
                + "point and under the old one, the same through the index (followed or built) as by full replay")
        void remounted() throws SQLException {
            List<Command> cmds = List.of(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.STRICT),
                    new Mount("none,name=n1", "/N1"), new Mkdir("/N1/a", false), new Mkdir("/N1/a/b", false),
                    new Mkdir("/N1/gone", false), new Rmdir("/N1/gone"), new Umount("/N1"),
                    new Mount("none,name=n1", "/N2"), new Mkdir("/N2/c", false), new Attach("1", "/N2/a"),
                    new Mount("none,name=n1", "/N3"));
            try (DurableLedger l = DurableLedger.open(dir)) {
                l.addFollower(HistoryIndex::follower);
                for (Command c : cmds) {
                    assertThat(l.execute(c)).as("%s", c).isInstanceOf(Outcome.Done.class);
                }
            }
            List<Journals.Stored> rows = Fixtures.read(dir);
            List<History.Incarnation> a = History.replay(rows, "/N2/a");
            assertThat(a).singleElement().satisfies(i -> {
                assertThat(i.path()).isEqualTo("/N2/a");
                assertThat(i.entries()).extracting(History.Entry::text).first().asString().startsWith("mkdir /N1/a ");
                assertThat(i.entries()).extracting(History.Entry::text).contains("attach task 1 /N1 -> /N1/a (N0 -> N1)");
            });
            assertThat(History.replay(rows, "/N1/a")).extracting(History.Incarnation::cgroup)
                    .containsExactly(a.get(0).cgroup());
            assertThat(History.replay(rows, "/N3/a")).extracting(History.Incarnation::cgroup)
                    .containsExactly(a.get(0).cgroup());
            assertThat(History.replay(rows, "/N3/c")).singleElement()
                    .satisfies(i -> assertThat(i.entries().get(0).text()).startsWith("mkdir /N2/c "));
            assertThat(History.replay(rows, "/N1/c")).as("created after /N1 was gone").isEmpty();
            assertThat(History.replay(rows, "/N2/gone")).as("removed before /N2 was mounted").isEmpty();
            assertThat(History.replay(rows, "/N1/gone")).hasSize(1);
            assertThat(Log.of(rows, new Log.Filter(null, null, null, "/N2/gone", null, null))).as("no cgroup lived there")
                    .isEmpty();

            List<String> viaNew = Log.of(rows, new Log.Filter(null, null, null, "/N2/a", null, null)).orElseThrow()
                    .stream().map(Log.Line::text).toList();
            assertThat(viaNew).isEqualTo(Log.of(rows, new Log.Filter(null, null, null, "/N1/a", null, null))
                    .orElseThrow().stream().map(Log.Line::text).toList());
            assertThat(viaNew).anyMatch(t -> t.startsWith("mkdir /N1/a "))
                    .anyMatch(t -> t.startsWith("mkdir /N1/a/b "))
                    .anyMatch(t -> t.startsWith("attach task 1 /N1 -> /N1/a"))
                    .noneMatch(t -> t.startsWith("mkdir /N2/c"));
            assertThat(Log.of(rows, new Log.Filter(null, 3L, null, "/N2/a", null, null)).orElseThrow())
                    .as("--to before the remount")
                    .extracting(Log.Line::text).singleElement().asString().startsWith("mkdir /N1/a ");

            List<String> paths = List.of("/N1/a", "/N2/a", "/N3/a", "/N2/a/b", "/N2", "/N1", "/N2/c", "/N3/c", "/N1/c",
                    "/N1/gone", "/N2/gone");
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.isCurrent(j)).as("followed").isTrue();
                List<String> followed = Fixtures.indexTables(j);
                for (String p : paths) {
                    assertThat(HistoryIndex.history(j, p)).as("followed: %s", p).isEqualTo(History.replay(rows, p));
                }
                HistoryIndex.build(j, rows);
                assertThat(Fixtures.indexTables(j)).as("followed, then built").isEqualTo(followed);
            }
        }

        @Test
        @DisplayName("an event touches the non-root groups whose refcounts it changes from another hierarchy: on the "
                + "seed, #7 (N3 = (A1, B1) created) is in /H1/foo's history and #9 (task 1 back on N2) in /H2/bar's, "
                + "roots only where named; the same through the index, followed or built")
        void touchesThroughCssSets() throws SQLException {
            try (DurableLedger l = DurableLedger.open(dir)) {
                l.addFollower(HistoryIndex::follower);
                for (Command c : Fixtures.seed(RmdirPolicy.STRICT, true)) {
                    l.execute(c);
                }
            }
            List<Journals.Stored> rows = Fixtures.read(dir);

            assertThat(History.replay(rows, "/H1/foo")).singleElement().satisfies(i -> assertThat(i.entries())
                    .extracting(History.Entry::seq).containsExactly(4L, 6L, 7L, 8L, 9L, 10L, 12L, 13L));
            assertThat(entry(rows, "/H1/foo", 7)).isEqualTo("attach task 1 /H2 -> /H2/bar (N1 -> N3 new)  [A1=2 N1=1]");
            assertThat(History.replay(rows, "/H2/bar")).singleElement().satisfies(i -> assertThat(i.entries())
                    .extracting(History.Entry::seq).containsExactly(5L, 7L, 9L, 10L, 11L));
            assertThat(entry(rows, "/H2/bar", 9)).isEqualTo("attach task 1 /H1/foo -> /H1 (N3 -> N2)  [B1=2 N2=2]");
            // N0 and N2 hold A0, N0 and N1 hold B0: through them every attach would be the roots' too
            assertThat(History.replay(rows, "/H1")).singleElement().satisfies(i -> assertThat(i.entries())
                    .extracting(History.Entry::seq).containsExactly(2L, 6L, 9L));
            assertThat(History.replay(rows, "/H2")).singleElement().satisfies(i -> assertThat(i.entries())
                    .extracting(History.Entry::seq).containsExactly(3L, 7L, 11L));
            assertThat(Log.of(rows, new Log.Filter(null, null, "TaskAttached", "/H1/foo", null, null)).orElseThrow())
                    .extracting(l -> l.row().record().seq()).containsExactly(6L, 7L, 9L);

            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.isCurrent(j)).as("followed").isTrue();
                List<String> followed = Fixtures.indexTables(j);
                for (String p : List.of("/H1/foo", "/H2/bar", "/H1", "/H2")) {
                    assertThat(HistoryIndex.history(j, p)).as("followed: %s", p).isEqualTo(History.replay(rows, p));
                }
                HistoryIndex.build(j, rows);
                assertThat(Fixtures.indexTables(j)).as("followed, then built").isEqualTo(followed);
            }
        }

        @Test
        @DisplayName("under pin=cssset a charge and its release touch the groups of the css_set they pin whose counters "
                + "change: a charge to B0 by a task on N1 raises /H1/foo's own N1; the seed's file:1 pins N3, which is "
                + "no counter of /H2/bar's")
        void pinnedCssSet() {
            Fixtures.write(dir, List.of(new Init(List.of("A", "B"), PinPolicy.CSSSET, RmdirPolicy.STRICT),
                    new Mount("A", "/H1"), new Mount("B", "/H2"), new Mkdir("/H1/foo", false),
                    new Mkdir("/H2/bar", false), new Attach("1", "/H1/foo"),
                    new Charge(Pid.INIT, "B", "file:0", 1, false), new Uncharge("file:0", null),
                    new Attach("1", "/H2/bar"), new Charge(Pid.INIT, "A", "file:1", 1, false),
                    new Attach("1", "/H1"), new Attach("1", "/H2"), new Uncharge("file:1", null)));
            List<Journals.Stored> rows = Fixtures.read(dir);

            assertThat(entry(rows, "/H1/foo", 7)).isEqualTo("charge file:0 (B, 1) to B0 by task 1, pins N1  [A1=1 N1=3]");
            assertThat(entry(rows, "/H1/foo", 8)).isEqualTo("file:0 released (no holder left)  [A1=1 N1=2]");
            // pinning N3 = (A1, B1) changes N3's refcount, no counter of /H2/bar's (B1, N2): not in its history
            assertThat(History.replay(rows, "/H2/bar").get(0).entries()).extracting(History.Entry::seq)
                    .doesNotContain(10L, 13L);
            assertThat(entry(rows, "/H2/bar", 14)).isEqualTo("N3 freed  [B1=1 N2=1]");
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.ensure(j)).isTrue();
                for (String p : List.of("/H1/foo", "/H2/bar", "/H1", "/H2")) {
                    assertThat(HistoryIndex.history(j, p)).as(p).isEqualTo(History.replay(rows, p));
                }
            }
        }

        @Test
        @DisplayName("an object released because its last holder exited is not said to be uncharged: the release "
                + "names no cause, which the event before it (exit or uncharge) gives")
        void releasedAtExit() {
            Fixtures.write(dir, List.of(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT),
                    new Mount("A", "/H1"), new Mkdir("/H1/foo", false), new Fork(Pid.INIT, Pid.of(7)),
                    new Attach("7", "/H1/foo"), new Charge(Pid.of(7), "A", "file:1", 1, false), new Exit(Pid.of(7))));
            List<Journals.Stored> rows = Fixtures.read(dir);

            assertThat(entry(rows, "/H1/foo", 7)).isEqualTo("exit task 7  [A1=2 N1=1]");
            assertThat(entry(rows, "/H1/foo", 8)).isEqualTo("file:1 released (no holder left)  [A1=1 N1=1]");
        }

        /** The line of event {@code seq} in the history of the one group that lived at {@code path}. */
        private String entry(List<Journals.Stored> rows, String path, long seq) {
            List<History.Incarnation> h = History.replay(rows, path);
            assertThat(h).as(path).hasSize(1);
            return h.get(0).entries().stream().filter(e -> e.seq() == seq).findFirst()
                    .map(e -> e.text() + "  [" + e.refcounts() + "]")
                    .orElseThrow(() -> new AssertionError("no #" + seq + " in the history of " + path + ": " + h));
        }

        @Test
        @DisplayName("events appended where no follower indexed them (a server's journal, an older writer) are indexed "
                + "alone, folded from the model at the index's last event; the answers equal a build's (a reader had "
                + "built the whole index again after every write)")
        void indexCatchesUpWithWhatNoFollowerIndexed() {
            Fixtures.write(dir, Fixtures.busy());
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                HistoryIndex.ensure(j);
                assertThat(HistoryIndex.caughtUp(j)).as("current: nothing to catch up").isFalse();
            }
            Fixtures.write(dir, List.of(new Mkdir("/H1/later", false), new Mkdir("/H1/later/x", false),
                    new Fork(Pid.INIT, Pid.of(40)), new Attach("40", "/H1/later/x"), new Exit(Pid.of(2)), new Rmdir("/H1/foo")));
            List<String> paths = List.of("/H1/later", "/H1/later/x", "/H1/foo", "/H1", "/H2/bar");
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.isCurrent(j)).isFalse();
                assertThat(HistoryIndex.caughtUp(j)).isTrue();
                assertThat(HistoryIndex.isCurrent(j)).isTrue();
                List<Journals.Stored> rows = j.readAll();
                Map<String, List<History.Incarnation>> caught = new java.util.HashMap<>();
                for (String p : paths) {
                    caught.put(p, HistoryIndex.history(j, p));
                    assertThat(caught.get(p)).as(p).isEqualTo(History.replay(rows, p));
                }
                assertThat(caught.get("/H1/later/x")).singleElement().satisfies(i -> assertThat(i.entries())
                        .extracting(History.Entry::text).anySatisfy(t -> assertThat(t).startsWith("attach task 40")));
                HistoryIndex.build(j, rows);
                for (String p : paths) {
                    assertThat(HistoryIndex.history(j, p)).as("built: %s", p).isEqualTo(caught.get(p));
                }
            }
        }

        @Test
        @DisplayName("the index is current until the journal changes: one more event and it is rebuilt, with it")
        void indexFollowsTheJournal() {
            Fixtures.write(dir, Fixtures.busy());
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.ensure(j)).isTrue();
                assertThat(HistoryIndex.isCurrent(j)).isTrue();
            }
            try (DurableLedger l = DurableLedger.open(dir)) {
                assertThat(l.execute(new Mkdir("/H1/later", false))).isInstanceOf(Outcome.Done.class);
            }
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.isCurrent(j)).isFalse();
                assertThat(HistoryIndex.ensure(j)).isTrue();
                assertThat(HistoryIndex.history(j, "/H1/later")).singleElement()
                        .satisfies(i -> assertThat(i.entries().get(0).text()).startsWith("mkdir /H1/later"));
            }
        }

        @Test
        @DisplayName("shows the rmdir attempts that failed and why, the same through the index as by full replay")
        void refusedRmdir() {
            List<Command> cmds = new ArrayList<>(Fixtures.busy());
            Command refused = new Rmdir("/H1/foo");        // task 2 is still in /H1/foo: EBUSY
            cmds.addAll(List.of(refused, new Attach("2", "/H1"), new Rmdir("/H1/foo")));
            try (DurableLedger l = DurableLedger.open(dir)) {
                for (Command c : cmds) {
                    Outcome o = l.execute(c);
                    if (c == refused) {
                        assertThat(o).isInstanceOfSatisfying(Outcome.Refused.class,
                                r -> assertThat(r.errno()).isEqualTo(Errno.EBUSY));
                    } else {
                        assertThat(o).as("%s", c).isInstanceOf(Outcome.Done.class);
                    }
                }
            }
            List<Journals.Stored> rows = Fixtures.read(dir);
            List<History.Incarnation> replayed = History.replay(rows, "/H1/foo");
            List<History.Incarnation> indexed;
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                HistoryIndex.ensure(j);
                indexed = HistoryIndex.history(j, "/H1/foo");
            }
            assertThat(indexed).isEqualTo(replayed);
            List<String> texts = replayed.get(0).entries().stream().map(History.Entry::text).toList();
            String why = "rmdir refused: EBUSY (/H1/foo has tasks attached: 2)";
            assertThat(texts).contains(why);
            assertThat(texts.indexOf(why))
                    .isLessThan(texts.indexOf(texts.stream().filter(t -> t.startsWith("rmdir /H1/foo")).findFirst()
                            .orElseThrow()));
            // the log shows it, and the audit accepts it: no counter touched, nothing misplaced (A1 stays
            // dying: file:3 still pins it, as in the busy ledger)
            assertThat(Log.of(rows, new Log.Filter(null, null, "RmdirRefused", null, null, null)).orElseThrow())
                    .extracting(Log.Line::text).containsExactly(why);
            assertThat(Audit.run(rows).findings()).filteredOn(f -> !(f instanceof Audit.Dying)
                    && !(f instanceof Audit.Unheld)).isEmpty();
        }
    }

    @Nested
    @DisplayName("the history index a writer keeps")
    class FollowedIndex {
        private List<String> tables(JournalRows j) throws SQLException {
            return Fixtures.indexTables(j);
        }

        /** The index as the writers left it is current and holds exactly what a build from scratch writes. */
        private void currentAndAsBuilt(String why) throws SQLException {
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.isCurrent(j)).as("current %s", why).isTrue();
                List<String> followed = tables(j);
                assertThat(followed).as("touches %s", why).isNotEmpty();
                List<Journals.Stored> rows = j.readAll();
                HistoryIndex.build(j, rows);
                assertThat(followed).as("followed %s, then built", why).isEqualTo(tables(j));
                assertThat(HistoryIndex.history(j, "/H1/foo")).isEqualTo(History.replay(rows, "/H1/foo"));
            }
        }

        private DurableLedger following() {
            DurableLedger l = DurableLedger.open(dir);
            l.addFollower(HistoryIndex::follower);
            return l;
        }

        @Test
        @DisplayName("from an empty ledger, across writers, a remount and explicit follows, equals an index built from scratch")
        void followsEveryWriter() throws SQLException {
            List<Command> more = List.of(new Attach("2", "/H1"), new Uncharge("file:3", null), new Rmdir("/H1/foo"),
                    new Mkdir("/H1/foo", false), new Attach("3", "/H1/foo"),
                    new Charge(Pid.of(3), "A", "file:9", 1, false), new SetFile("/H1/foo", "A.limit", "7"),
                    new SetFile("/H1/foo", "notify_on_release", "1"), new Attach("3", "/H1"),
                    new Mount("A", "/H1b"), new Umount("/H1b"));
            try (DurableLedger l = following()) {
                for (Command c : Fixtures.busy()) {
                    assertThat(l.execute(c)).as("%s", c).isInstanceOf(Outcome.Done.class);
                }
            }
            currentAndAsBuilt("after the first writer");
            try (DurableLedger l = following()) {
                for (int i = 0; i < more.size(); i++) {
                    assertThat(l.execute(more.get(i))).as("%s", more.get(i)).isInstanceOf(Outcome.Done.class);
                    if (i == 4) {
                        l.follow();
                    }
                }
                assertThat(l.followFailure()).isNull();
            }
            currentAndAsBuilt("after the second writer");
        }

        @Test
        @DisplayName("asking for an index that is not there fails no statement: the ledger gets no H2 trace file "
                + "(H2 writes every failed statement to journal.trace.db)")
        void noTraceFile(@TempDir Path other) throws SQLException {
            try (DurableLedger l = following()) {
                for (Command c : Fixtures.busy()) {
                    assertThat(l.execute(c)).as("%s", c).isInstanceOf(Outcome.Done.class);
                }
            }
            currentAndAsBuilt("after a writer on a new ledger");
            Fixtures.write(other, Fixtures.busy());
            try (JournalRows j = JournalRows.open(other, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.isCurrent(j)).isFalse();
            }
            assertThat(dir.resolve("journal.trace.db")).doesNotExist();
            assertThat(other.resolve("journal.trace.db")).doesNotExist();
        }

        @Test
        @DisplayName("an index of an earlier layout (a meta row without a version) is brought to this one and built again")
        void earlierLayout() throws SQLException {
            Fixtures.write(dir, Fixtures.busy());
            try (java.sql.Connection c = Fixtures.sql(dir); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE PUBLIC.\"cgledger_replay_meta\" (\"rows\" BIGINT NOT NULL)");
                st.execute("INSERT INTO PUBLIC.\"cgledger_replay_meta\" VALUES (1)");
            }
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.isCurrent(j)).isFalse();
                assertThat(HistoryIndex.ensure(j)).isTrue();
                assertThat(HistoryIndex.isCurrent(j)).isTrue();
                assertThat(HistoryIndex.history(j, "/H1/foo")).isEqualTo(History.replay(j.readAll(), "/H1/foo"));
            }
        }

        @Test
        @DisplayName("an index missing one of its tables is not current and is built again: it had answered that no "
                + "group ever lived at a path, or failed on every call")
        void tableDropped() throws SQLException {
            Fixtures.write(dir, Fixtures.busy());
            for (String table : List.of("cgledger_replay_paths", "cgledger_replay_touches", "cgledger_replay_groups")) {
                try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                    HistoryIndex.ensure(j);
                    assertThat(HistoryIndex.isCurrent(j)).isTrue();
                }
                try (java.sql.Connection c = Fixtures.sql(dir); Statement st = c.createStatement()) {
                    st.execute("DROP TABLE PUBLIC.\"" + table + "\"");
                }
                Fixtures.shutdown(dir);
                try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                    assertThat(HistoryIndex.isCurrent(j)).as(table).isFalse();
                    assertThat(HistoryIndex.ensure(j)).isTrue();
                    assertThat(HistoryIndex.history(j, "/H1/foo")).as(table)
                            .isEqualTo(History.replay(j.readAll(), "/H1/foo")).isNotEmpty();
                }
            }
        }

        @Test
        @DisplayName("an index of layout 3, from before the touches through css_sets, is not current and is built "
                + "again, with them; a writer does not follow it meanwhile")
        void layoutBeforeTheTouchesThroughCssSets() throws SQLException {
            try (DurableLedger l = following()) {
                for (Command c : Fixtures.seed(RmdirPolicy.STRICT, true)) {
                    l.execute(c);
                }
            }
            // what layout 3 wrote for the seed: no touch of /H1/foo (cgroup 3) by #7, of /H2/bar (cgroup 4) by #9
            try (java.sql.Connection c = Fixtures.sql(dir); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("DELETE FROM PUBLIC.\"cgledger_replay_touches\" WHERE (\"cgroup_id\" = 3 "
                        + "AND \"seq\" = 7) OR (\"cgroup_id\" = 4 AND \"seq\" = 9)")).isEqualTo(2);
                assertThat(st.executeUpdate("UPDATE PUBLIC.\"cgledger_replay_meta\" SET \"version\" = 3"))
                        .isEqualTo(1);
            }
            Fixtures.shutdown(dir);
            try (DurableLedger l = following()) {
                assertThat(l.execute(new Mkdir("/H1/later", false))).isInstanceOf(Outcome.Done.class);
            }
            try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(HistoryIndex.isCurrent(j)).isFalse();
                assertThat(HistoryIndex.ensure(j)).isTrue();
                assertThat(HistoryIndex.isCurrent(j)).isTrue();
                List<Journals.Stored> rows = j.readAll();
                assertThat(HistoryIndex.history(j, "/H1/foo")).isEqualTo(History.replay(rows, "/H1/foo"));
                assertThat(HistoryIndex.history(j, "/H1/foo").get(0).entries()).extracting(History.Entry::seq).contains(7L);
                assertThat(HistoryIndex.history(j, "/H2/bar").get(0).entries()).extracting(History.Entry::seq).contains(9L);
            }
        }

        @Test
        @DisplayName("a bulk load's tail, more events than one commit of the index takes, equals an index built from scratch")
        void bulkTail() throws SQLException {
            Workload w = new Workload(11);
            int[] kind = new int[1];
            try (DurableLedger l = following()) {
                l.executeAll(w.setup(40, 30));
            }
            long events;
            try (DurableLedger l = following()) {
                List<Command> bulk = new ArrayList<>();
                for (int i = 0; i < 6_000; i++) {
                    bulk.add(w.next(kind));
                }
                long before = l.state().lastEvent();
                l.executeAll(bulk);
                events = l.state().lastEvent() - before;
            }
            assertThat(events).as("a tail longer than one chunk").isGreaterThan(5_000);
            currentAndAsBuilt("after a bulk load");
        }

        @Test
        @DisplayName("for random workloads, chunk by chunk, equals an index built from scratch; a writer that does not follow leaves it to be rebuilt")
        void randomWorkloads() throws SQLException {
            for (long seed = 1; seed <= 3; seed++) {
                Workload w = new Workload(seed);
                int[] kind = new int[1];
                try (DurableLedger l = following()) {
                    l.executeAll(w.setup(40, 30));
                }
                for (int chunk = 0; chunk < 3; chunk++) {
                    try (DurableLedger l = following()) {
                        for (int i = 0; i < 400; i++) {
                            l.execute(w.next(kind));
                            if (i % 150 == 149) {
                                l.follow();
                            }
                        }
                    }
                    currentAndAsBuilt("seed " + seed + " chunk " + chunk);
                }
                try (DurableLedger l = DurableLedger.open(dir)) {
                    l.execute(w.next(kind));
                }
                try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                    assertThat(HistoryIndex.isCurrent(j)).as("after a writer that did not follow").isFalse();
                }
                try (DurableLedger l = following()) {
                    l.execute(w.next(kind));
                }
                try (JournalRows j = JournalRows.open(dir, Duration.ofSeconds(10))) {
                    assertThat(HistoryIndex.isCurrent(j)).as("a follower does not follow a stale index").isFalse();
                    assertThat(HistoryIndex.ensure(j)).isTrue();
                }
                try (DurableLedger l = following()) {
                    for (int i = 0; i < 200; i++) {
                        l.execute(w.next(kind));
                    }
                }
                currentAndAsBuilt("seed " + seed + " after a rebuild");
                for (java.io.File f : dir.toFile().listFiles()) {
                    assertThat(f.delete()).isTrue();
                }
            }
        }
    }

    @Nested
    @DisplayName("time travel")
    class TimeTravel {
        @Test
        @DisplayName("for random ledgers, the state at event N equals the state of a ledger that stopped after event N")
        void stateAtEvent() {
            for (long seed = 1; seed <= 5; seed++) {
                List<Command> cmds = workload(seed, 30, 20, 600);
                InMemoryLedger l = new InMemoryLedger();
                for (Command c : cmds) {
                    l.execute(c);
                }
                // the journal, refused rmdirs included (they are recorded though answered Refused)
                List<Recorded> records = l.journal();
                Journal j = new Journal(Journal.ofRecords(records).rows(), 97);
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
                for (int k = 0; k < 20; k++) {
                    int n = rnd.nextInt(records.size()) + 1;
                    State want = org.cgledger.core.decide.Evolver.evolveAll(State.EMPTY,
                            records.subList(0, n).stream().map(Recorded::event).toList());
                    assertThat(j.stateAt(n)).as("seed %d event %d", seed, n).isEqualTo(want);
                }
                assertThat(j.finalState()).isEqualTo(l.state());
                assertThat(Audit.run(j.rows()).findings()).filteredOn(f -> !(f instanceof Audit.Dying)
                        && !(f instanceof Audit.Unheld)).isEmpty();
            }
        }

        @Test
        @DisplayName("from the stored snapshots: the state and record of every event, the journal's end and an event by "
                + "time are the whole journal's, on a ledger written by several writers across many snapshots")
        void fromSnapshots() {
            List<Command> cmds = workload(7, 30, 20, 900);
            // a snapshot every 40 events (the first of each 40 kept), checked after each group commit
            // of 16 commands, and one at each close after 5
            DurableLedger.Options o = DurableLedger.Options.defaults().withSnapshots(40, 5).withWindowEvents(16);
            int[] cuts = {0, 150, 151, 400, 700, cmds.size()};
            // each writer's clock: the third is an hour behind the first two, the fourth ahead of all
            long[] skewMinutes = {0, 0, -60, 120, 30};
            for (int k = 0; k + 1 < cuts.length; k++) {
                try (DurableLedger l = DurableLedger.open(dir, o.withClock(java.time.Clock.offset(java.time.Clock.systemUTC(),
                        Duration.ofMinutes(skewMinutes[k]))))) {
                    List<Command> part = cmds.subList(cuts[k], cuts[k + 1]);
                    if (k % 2 == 0) {
                        l.executeAll(part);
                    } else {
                        part.forEach(l::execute);
                    }
                }
            }
            // and a few events after the last snapshot, one hierarchy moving to another mount point (its
            // groups keep the names they were created with)
            try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(1 << 30, 1 << 30))) {
                for (Command c : List.of(new Mkdir("/sys/fs/cgroup/cpu/after", false),
                        new Mkdir("/sys/fs/cgroup/cpu/a_b%c", false), new Mkdir("/sys/fs/cgroup/cpu/aXbQQc", false),
                        new Mkdir("/sys/fs/cgroup/cpu/aXbQQc/kid", false), new Attach("1", "/sys/fs/cgroup/cpu/aXbQQc/kid"),
                        new Mount("none,name=systemd", "/other"), new Umount("/sys/fs/cgroup/systemd"),
                        new Mkdir("/other/late", false), new Attach("1", "/other/late"), new Attach("1", "/other"),
                        new Rmdir("/other/late"))) {
                    assertThat(l.execute(c)).as("%s", c).isInstanceOf(Outcome.Done.class);
                }
            }
            try (JournalRows rows = JournalRows.open(dir, Duration.ofSeconds(10))) {
                Journal whole = new Journal(rows.readAll());
                List<JournalRows.SnapshotPoint> points = rows.snapshotPoints();
                assertThat(points).hasSizeGreaterThan(10);
                // snapshots are taken less than 40 events + a commit's (16 commands, < 40 events) apart,
                // and the first of each band of 40 is kept: no fold runs past 40 + 80 events
                for (int i = 0; i + 1 < points.size(); i++) {
                    assertThat(points.get(i + 1).seq() - points.get(i).seq()).isLessThanOrEqualTo(120);
                }
                StoredTravel travel = new StoredTravel(rows);
                assertThat(travel.lastEvent()).isEqualTo(whole.lastEvent()).isGreaterThan(points.get(points.size() - 1).seq());
                for (long n = 0; n <= whole.lastEvent() + 1; n++) {
                    assertThat(travel.stateAt(n)).as("state after event %d", n).isEqualTo(whole.stateAt(n));
                    assertThat(travel.record(n)).as("event %d", n).isEqualTo(whole.record(n));
                }
                // a range of the log reads only its rows, and names the groups as the whole journal's fold does
                long last = whole.lastEvent();
                long[][] ranges = {{1, 30}, {37, 260}, {points.get(3).seq(), points.get(3).seq() + 1},
                        {last / 2, last}, {last - 8, last}, {last, last}};
                for (long[] r : ranges) {
                    assertThat(travel.rows(r[0], r[1])).isEqualTo(whole.rows(r[0], r[1])).isNotEmpty();
                    for (Log.Filter f : List.of(new Log.Filter(r[0], r[1], null, null, null, null),
                            new Log.Filter(r[0], null, "TaskAttached", null, null, null),
                            new Log.Filter(r[0], r[1], null, null, 1, null))) {
                        assertThat(Log.of(travel, f).orElseThrow()).map(Log.Line::toString).as("%s", f)
                                .isEqualTo(Log.of(whole.rows(), f).orElseThrow().stream().map(Log.Line::toString).toList());
                    }
                }
                // the lines given one by one are the lines listed, whatever the filter; without a path
                // or a range read alone, each as soon as its row is read
                for (Log.Filter f : List.of(Log.Filter.all(), new Log.Filter(null, 200L, null, null, null, null),
                        new Log.Filter(null, null, "TaskAttached", null, null, null), new Log.Filter(37L, 260L, null, null, null, null),
                        new Log.Filter(null, null, null, "/sys/fs/cgroup/cpu/slice0", null, null))) {
                    List<String> want = Log.of(whole.rows(), f).orElseThrow().stream().map(Log.Line::toString).toList();
                    for (org.cgledger.replay.TimeTravel t : List.of(travel, whole)) {
                        List<String> given = new ArrayList<>();
                        assertThat(Log.forEach(t, f, l -> given.add(l.toString()))).isTrue();
                        assertThat(given).as("%s over %s", f, t.getClass().getSimpleName()).isEqualTo(want).isNotEmpty();
                    }
                }
                long[] read = {0};
                long[] readAtFirstLine = {-1};
                org.cgledger.replay.TimeTravel counting = new org.cgledger.replay.TimeTravel() {
                    public long lastEvent() {
                        return travel.lastEvent();
                    }

                    public State stateAt(long n) {
                        return travel.stateAt(n);
                    }

                    public org.cgledger.persistence.Recorded record(long n) {
                        return travel.record(n);
                    }

                    public long eventAt(java.time.Instant time) {
                        return travel.eventAt(time);
                    }

                    public List<Journals.Stored> rows() {
                        throw new AssertionError("the whole journal read at once");
                    }

                    public List<Journals.Stored> rows(long from, long to) {
                        throw new AssertionError("a range read at once");
                    }

                    public void forEachRow(long from, long to, java.util.function.Consumer<Journals.Stored> action) {
                        travel.forEachRow(from, to, r -> {
                            read[0]++;
                            action.accept(r);
                        });
                    }
                };
                assertThat(Log.forEach(counting, new Log.Filter(null, null, "CgroupCreated", null, null, null), l -> {
                    if (readAtFirstLine[0] < 0) {
                        readAtFirstLine[0] = read[0];
                    }
                })).isTrue();
                assertThat(readAtFirstLine[0]).as("rows read when the first mkdir's line came").isBetween(1L, 10L);
                assertThat(read[0]).isEqualTo(last);
                List<Log.Line> none = new ArrayList<>();
                assertThat(Log.forEach(travel, new Log.Filter(null, null, null, "/nowhere", null, null), none::add)).isFalse();
                assertThat(none).isEmpty();
                // a path's log: the rows that touch the groups that lived there, through the index
                for (String path : List.of("/sys/fs/cgroup/cpu/slice0", "/sys/fs/cgroup/memory/slice1/", "/sys/fs/cgroup/cpu",
                        "/other", "/other/late", "/sys/fs/cgroup/systemd", "/sys/fs/cgroup/cpu/a_b%c", "/sys/fs/cgroup/cpu/aXbQQc",
                        "/nowhere")) {
                    for (Log.Filter f : List.of(new Log.Filter(null, null, null, path, null, null),
                            new Log.Filter(100L, last - 20, null, path, null, null),
                            new Log.Filter(null, null, "TaskAttached", path, 1, null))) {
                        Optional<List<String>> want = Log.of(whole.rows(), f).map(l -> l.stream().map(Log.Line::toString).toList());
                        assertThat(Log.of(travel, f).map(l -> l.stream().map(Log.Line::toString).toList())).as("%s", f)
                                .isEqualTo(want);
                        // past the most rows read one by one: the whole journal, the same lines
                        assertThat(Log.of(travel, f, 3).map(l -> l.stream().map(Log.Line::toString).toList())).as("%s", f)
                                .isEqualTo(want);
                        // and given one by one, from the index or from two folds of the whole journal
                        for (int most : new int[] {Log.MOST_BY_INDEX, 3}) {
                            for (org.cgledger.replay.TimeTravel t : List.of(travel, whole)) {
                                List<String> given = new ArrayList<>();
                                boolean found = Log.forEach(t, f, most, l -> given.add(l.toString()));
                                assertThat(found ? Optional.of(given) : Optional.empty()).as("%s, %d, %s", f, most, t)
                                        .isEqualTo(want);
                            }
                        }
                    }
                }
                assertThat(Log.of(travel, new Log.Filter(null, null, null, "/sys/fs/cgroup/cpu/a_b%c", null, null))
                        .orElseThrow()).map(Log.Line::text).noneMatch(t -> t.contains("kid"))
                        .anyMatch(t -> t.startsWith("mkdir /sys/fs/cgroup/cpu/a_b%c "));
                assertThat(Log.of(travel, new Log.Filter(null, null, null, "/nowhere", null, null))).isEmpty();
                assertThat(Log.of(travel, new Log.Filter(last - 8, last, null, null, null, null)).orElseThrow())
                        .map(Log.Line::text).anyMatch(t -> t.startsWith("mkdir /other/late"))
                        .anyMatch(t -> t.startsWith("attach task 1 /other/late -> /sys/fs/cgroup/systemd "));
                // by time, with the writers' clocks out of step: each snapshot knows when its events were recorded by
                assertThat(points).allSatisfy(p -> assertThat(p.maxTime()).isNotNull());
                java.util.TreeSet<Long> times = new java.util.TreeSet<>();
                whole.rows().forEach(r -> {
                    times.add(r.record().time() - 1);
                    times.add(r.record().time());
                });
                times.add(0L);
                times.add(Long.MAX_VALUE);
                for (long t : times) {
                    assertThat(travel.eventAt(java.time.Instant.ofEpochMilli(t))).as("at %d", t)
                            .isEqualTo(whole.eventAt(java.time.Instant.ofEpochMilli(t)));
                }
                // ISO-8601's farthest instants are past what milliseconds in a long count: after or
                // before every event, not an overflow
                assertThat(travel.eventAt(java.time.Instant.MAX)).isEqualTo(whole.eventAt(java.time.Instant.MAX))
                        .isEqualTo(last);
                assertThat(travel.eventAt(java.time.Instant.MIN)).isEqualTo(whole.eventAt(java.time.Instant.MIN))
                        .isZero();
            }
            // snapshots an earlier build stored do not know when their events were recorded: from the start
            try (java.sql.Connection c = Fixtures.sql(dir); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("UPDATE PUBLIC.\"cgledger_model_snapshot\" SET \"max_time\" = NULL "
                        + "WHERE MOD(\"sequence_number\", 2) = 0")).isPositive();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            try (JournalRows rows = JournalRows.open(dir, Duration.ofSeconds(10))) {
                Journal whole = new Journal(rows.readAll());
                StoredTravel travel = new StoredTravel(rows);
                for (Journals.Stored r : whole.rows()) {
                    java.time.Instant at = java.time.Instant.ofEpochMilli(r.record().time());
                    assertThat(travel.eventAt(at)).isEqualTo(whole.eventAt(at));
                }
            }
        }

        @Test
        @DisplayName("damaged snapshots are passed over, as the ledger passes over one when it opens: one whose head "
                + "cannot be read bounds no stretch, one whose model cannot be decoded starts no fold; the answers "
                + "stay the whole journal's (they had failed with 'cannot be decoded')")
        void damagedSnapshots() throws Exception {
            List<Command> cmds = workload(11, 20, 20, 300);
            DurableLedger.Options o = DurableLedger.Options.defaults().withSnapshots(40, 5).withWindowEvents(16);
            try (DurableLedger l = DurableLedger.open(dir, o)) {
                l.executeAll(cmds.subList(0, 200));
            }
            try (DurableLedger l = DurableLedger.open(dir, o)) {
                l.executeAll(cmds.subList(200, cmds.size()));
            }
            List<Long> at;
            try (JournalRows rows = JournalRows.open(dir, Duration.ofSeconds(10))) {
                at = rows.snapshotPoints().stream().map(JournalRows.SnapshotPoint::seq).toList();
            }
            assertThat(at).hasSizeGreaterThan(6);
            try (java.sql.Connection c = Fixtures.sql(dir);
                 Statement st = c.createStatement()) {
                // the second: every byte replaced (its head too); the fourth and the fifth: cut after the head
                st.executeUpdate("UPDATE PUBLIC.\"cgledger_model_snapshot\" SET \"data\" = SECURE_RAND(LENGTH(\"data\")) "
                        + "WHERE \"sequence_number\" = " + at.get(1));
                st.executeUpdate("UPDATE PUBLIC.\"cgledger_model_snapshot\" SET \"data\" = SUBSTRING(\"data\", 1, 400) "
                        + "WHERE \"sequence_number\" IN (" + at.get(3) + ", " + at.get(4) + ")");
            }
            try (JournalRows rows = JournalRows.open(dir, Duration.ofSeconds(10))) {
                Journal whole = new Journal(rows.readAll());
                StoredTravel travel = new StoredTravel(rows);
                assertThat(travel.lastEvent()).isEqualTo(whole.lastEvent());
                for (long n = whole.lastEvent(); n >= 0; n -= 7) {
                    assertThat(travel.stateAt(n)).as("state after event %d", n).isEqualTo(whole.stateAt(n));
                    assertThat(travel.record(n)).as("event %d", n).isEqualTo(whole.record(n));
                }
                long last = whole.lastEvent();
                for (long[] r : new long[][] {{1, last}, {at.get(1) - 2, at.get(1) + 2}, {at.get(3), at.get(5)}}) {
                    assertThat(travel.rows(r[0], r[1])).isEqualTo(whole.rows(r[0], r[1])).isNotEmpty();
                }
                for (Journals.Stored row : whole.rows().subList(0, whole.rows().size()).stream()
                        .filter(x -> x.record().seq() % 25 == 0).toList()) {
                    java.time.Instant t = java.time.Instant.ofEpochMilli(row.record().time());
                    assertThat(travel.eventAt(t)).as("event at %s", t).isEqualTo(whole.eventAt(t));
                }
            }
        }

        @Test
        @DisplayName("the event a snapshot was taken after is read alone: its record, the state after it and a range "
                + "from it read no stretch before the snapshot (replay --to-event 100000 had read 100,000 rows for it)")
        void atASnapshot() {
            try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(40, 5)
                    .withWindowEvents(16))) {
                l.executeAll(workload(3, 20, 10, 300));
            }
            try (JournalRows rows = JournalRows.open(dir, Duration.ofSeconds(10))) {
                Journal whole = new Journal(rows.readAll());
                List<JournalRows.SnapshotPoint> points = rows.snapshotPoints();
                assertThat(points).hasSizeGreaterThan(3);
                for (JournalRows.SnapshotPoint p : points) {
                    long n = p.seq();
                    if (n < 3 || n + 3 > whole.lastEvent()) {
                        continue;
                    }
                    StoredTravel travel = new StoredTravel(rows);
                    assertThat(travel.record(n)).as("event %d", n).isEqualTo(whole.record(n)).isNotNull();
                    assertThat(travel.stateAt(n)).as("state after event %d", n).isEqualTo(whole.stateAt(n));
                    assertThat(travel.stretchesRead()).as("stretches read for event %d", n).isZero();
                    assertThat(travel.rows(n, n + 3)).isEqualTo(whole.rows(n, n + 3)).hasSize(4);
                    assertThat(travel.rows(n, n)).isEqualTo(whole.rows(n, n)).hasSize(1);
                    assertThat(travel.stretchesRead()).as("stretches read for events %d to %d", n, n + 3).isEqualTo(1);
                    // the stretch before, once read, answers as before
                    assertThat(travel.rows(n - 2, n + 1)).isEqualTo(whole.rows(n - 2, n + 1)).hasSize(4);
                    assertThat(travel.record(n)).isEqualTo(whole.record(n));
                    assertThat(travel.rows(n, n + 1)).isEqualTo(whole.rows(n, n + 1));
                }
            }
        }

        @Test
        @DisplayName("a stored ledger without a snapshot travels through its whole journal")
        void withoutSnapshots() {
            try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(1 << 30, 1 << 30))) {
                l.executeAll(Fixtures.seed(RmdirPolicy.STRICT, true));
            }
            try (JournalRows rows = JournalRows.open(dir, Duration.ofSeconds(10))) {
                assertThat(rows.snapshotPoints()).isEmpty();
                Journal whole = new Journal(rows.readAll());
                StoredTravel travel = new StoredTravel(rows);
                assertThat(travel.lastEvent()).isEqualTo(whole.lastEvent()).isGreaterThan(5);
                for (long n = 0; n <= whole.lastEvent(); n++) {
                    assertThat(travel.stateAt(n)).isEqualTo(whole.stateAt(n));
                    assertThat(travel.record(n)).isEqualTo(whole.record(n));
                }
            }
        }
    }

    @Nested
    @DisplayName("the seed under strict")
    class Strict {
        @Test
        @DisplayName("explain /H1/foo names file:1, charged by task 1 at the charge event; who-holds A1 lists it")
        void explain() {
            List<Command> cmds = Fixtures.seed(RmdirPolicy.STRICT, false);
            Fixtures.write(dir, cmds.subList(0, cmds.size() - 1));
            List<Journals.Stored> rows = Fixtures.read(dir);
            long charge = rows.stream().filter(s -> Describe.type(s.record().event()).equals("ObjectCharged"))
                    .findFirst().orElseThrow().record().seq();
            Journal j = new Journal(rows);

            Explain.Answer a = Explain.rmdir(j.finalState(), "/H1/foo");

            assertThat(a.wouldSucceed()).isFalse();
            assertThat(a.verdict()).startsWith("EBUSY");
            assertThat(a.errno()).isEqualTo(Errno.EBUSY);
            assertThat(a.reasons()).anyMatch(r -> r.startsWith("A1 is pinned by file:1") && r.contains("charged by task 1 at event #" + charge));
            WhoHolds.Answer w = WhoHolds.at(rows, Long.MAX_VALUE, "A1").orElseThrow();
            assertThat(w.refcount()).isEqualTo(2);
            assertThat(w.holders()).extracting(WhoHolds.Holder::name).containsExactlyInAnyOrder("N1", "file:1");
            assertThat(w.holders()).filteredOn(h -> h.name().equals("file:1")).singleElement()
                    .extracting(WhoHolds.Holder::since).isEqualTo(charge);
            assertThat(Graph.dot(j.finalState())).contains("\"object file:1\" -> \"css A1\"");
            assertThat(Diff.between(j.stateAt(charge - 1), j.stateAt(charge))).contains("css A1 refcount 2 -> 3",
                    "css A1 usage 0 -> 1", "object file:1 charged to A1 (1)");
            assertThat(Diff.between(j.stateAt(charge), j.finalState())).doesNotContain("object file:1 charged to A1 (1)")
                    .noneMatch(l -> l.startsWith("object file:1 released"));
        }
    }

    @Nested
    @DisplayName("explain")
    class Explaining {
        /** The model after {@code commands}, each accepted. */
        State after(Command... commands) {
            InMemoryLedger l = new InMemoryLedger();
            for (Command c : commands) {
                assertThat(l.execute(c)).as("%s", c).isInstanceOf(Outcome.Done.class);
            }
            return l.state();
        }

        @Test
        @DisplayName("a root: it is the root, its tasks and children; no css_set of another group's directory")
        void root() {
            State s = after(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.STRICT), new Mount("A", "/H1"),
                    new Mount("none,name=n1", "/N1"), new Mkdir("/N1/x", false));
            Explain.Answer a = Explain.rmdir(s, "/H1");
            assertThat(a.wouldSucceed()).isFalse();
            assertThat(a.reasons()).containsExactly(
                    "/H1 is the root of its hierarchy (a mount point): only umount ends it", "task 1 is attached");
        }

        @Test
        @DisplayName("pin=cssset: an object pins the css through its css_set, never directly")
        void pinnedThroughCssSet() {
            State s = after(new Init(List.of("A", "B"), PinPolicy.CSSSET, RmdirPolicy.STRICT), new Mount("A", "/H1"),
                    new Mount("B", "/H2"), new Mkdir("/H1/foo", false), new Attach("1", "/H1/foo"),
                    new Charge(Pid.INIT, "A", "file:1", 1, false), new Attach("1", "/H1"));
            Explain.Answer a = Explain.rmdir(s, "/H1/foo");
            assertThat(a.reasons()).anyMatch(r -> r.startsWith("A1 is pinned through css_set N1 by file:1"))
                    .noneMatch(r -> r.startsWith("A1 is pinned by"));
        }
    }

    @Test
    @DisplayName("diff lists objects: charged, held by other tasks, moved with move_charge_at_immigrate, released")
    void diffObjects() {
        InMemoryLedger l = new InMemoryLedger();
        for (Command c : List.of(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT), new Mount("A", "/H1"),
                new Mkdir("/H1/a", false), new SetFile("/H1/a", "A.move_charge_at_immigrate", "1"))) {
            assertThat(l.execute(c)).isInstanceOf(Outcome.Done.class);
        }
        State start = l.state();
        l.execute(new Charge(Pid.INIT, "A", "f", 5, false));
        State charged = l.state();
        assertThat(Diff.between(start, charged)).contains("object f charged to A0 (5)");
        l.execute(new Attach("1", "/H1/a"));
        assertThat(Diff.between(charged, l.state())).contains("object f moved A0 -> A1");
        State moved = l.state();
        l.execute(new org.cgledger.core.command.Fork(Pid.INIT, Pid.of(2)));
        assertThat(Diff.between(moved, l.state())).contains("object f held by task 1 -> task 1 2");
        State forked = l.state();
        l.execute(new Uncharge("f", null));
        assertThat(Diff.between(forked, l.state())).contains("object f released from A1 (5)");
        assertThat(Diff.between(start, l.state())).noneMatch(x -> x.startsWith("object "));
        // from before init: pid 1 starts, it is not forked; the default hierarchy's root is no directory
        assertThat(Diff.between(State.EMPTY, start)).contains("task 1 (init) started, on N0", "cgroup created: /H1")
                .noneMatch(x -> x.contains("(default)"));
    }

    @Test
    @DisplayName("diff: an object name released and charged again in between is released and charged, not moved")
    void diffObjectNameChargedAgain() {
        State before = decided(State.EMPTY, new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT),
                new Mount("A", "/H1"), new Mkdir("/H1/a", false), new Mkdir("/H1/b", false), new Attach("1", "/H1/a"),
                new Charge(Pid.INIT, "A", "f", 2, false));
        State s = decided(before, new Uncharge("f", null), new Attach("1", "/H1/b"),
                new Charge(Pid.INIT, "A", "f", 3, false));
        assertThat(Diff.between(before, s)).contains("object f released from A1 (2)", "object f charged to A2 (3)")
                .noneMatch(x -> x.startsWith("object f moved"));
    }

    @Test
    @DisplayName("diff: a pid whose task exited and was forked again in between is exited and forked, not moved or "
            + "unchanged (a task from an earlier build's snapshot, its fork not known, is taken for the same)")
    void diffPidForkedAgain() {
        State before = decided(State.EMPTY, new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT),
                new Mount("A", "/H1"), new Mkdir("/H1/a", false), new Mkdir("/H1/b", false),
                new org.cgledger.core.command.Fork(Pid.INIT, Pid.of(2)), new Attach("2", "/H1/a"));
        State again = decided(before, new org.cgledger.core.command.Exit(Pid.of(2)),
                new org.cgledger.core.command.Fork(Pid.INIT, Pid.of(2)));
        // back where the first was: nothing to see but the pid's fork event (it had said nothing of task 2)
        assertThat(Diff.between(before, again)).contains("task 2 exited", "task 2 forked, on N0")
                .noneMatch(x -> x.startsWith("task 2 moved"));
        State moved = decided(again, new Attach("2", "/H1/b"));
        assertThat(Diff.between(before, moved)).containsSubsequence("task 2 exited", "task 2 forked, on N2")
                .noneMatch(x -> x.startsWith("task 2 moved"));
        // in its first cgroup again, with its css_set: still another task
        State same = decided(again, new Attach("2", "/H1/a"));
        assertThat(same.task(Pid.of(2)).cssSet()).isEqualTo(before.task(Pid.of(2)).cssSet());
        assertThat(Diff.between(before, same)).contains("task 2 exited", "task 2 forked, on N1");
        // the same task moving is a move, as before
        assertThat(Diff.between(again, moved)).contains("task 2 moved /H1 -> /H1/b").noneMatch(x -> x.endsWith("exited"));
        // a task whose fork event is not known (restored from an earlier build's snapshot): one forked after
        // the first state is still another; else it is taken for the same task, as before
        assertThat(Diff.between(forkUnknown(before), moved)).containsSubsequence("task 2 exited", "task 2 forked, on N2");
        assertThat(Diff.between(before, forkUnknown(moved))).contains("task 2 moved /H1/a -> /H1/b")
                .noneMatch(x -> x.startsWith("task 2 exited"));
        assertThat(Diff.between(forkUnknown(again), moved)).contains("task 2 moved /H1 -> /H1/b");
    }

    /** {@code s} with task 2's fork event not known, as a snapshot of an earlier build restores it. */
    private static State forkUnknown(State s) {
        Task t = s.task(Pid.of(2));
        return new State(s.catalog(), s.pin(), s.rmdir(), s.hierarchies(), s.bindings(), s.mountPoints(),
                s.cgroups(), s.css(), s.cssSets(), s.cssSetIndex(),
                s.tasks().put(t.pid(), new Task(t.pid(), t.cssSet(), t.holds(), Task.UNKNOWN)), s.objects(),
                s.counters());
    }

    @Test
    @DisplayName("audit, pin=cssset: an unreachable css names every object that pins a css_set holding it, "
            + "whatever subsystem each is charged to")
    void unreachableNamesEveryPin() {
        Fixtures.write(dir, List.of(new Init(List.of("A", "B"), PinPolicy.CSSSET, RmdirPolicy.UNCHECKED),
                new Mount("A", "/H1"), new Mount("B", "/H2"), new Mkdir("/H1/foo", false), new Mkdir("/H2/bar", false),
                new org.cgledger.core.command.Fork(Pid.INIT, Pid.of(2)), new Attach("2", "/H1/foo"),
                new Attach("2", "/H2/bar"), new Charge(Pid.of(2), "B", "b:obj", 3, false),
                new Charge(Pid.of(2), "A", "file:1", 5, false), new Attach("2", "/H1"), new Attach("2", "/H2"),
                new Rmdir("/H1/foo")));
        assertThat(Audit.run(Fixtures.read(dir)).findings()).filteredOn(f -> f instanceof Audit.Unreachable u
                        && u.css().equals("A1")).singleElement()
                .satisfies(f -> assertThat(((Audit.Unreachable) f).pins()).extracting(p -> p.object().toString())
                        .containsExactly("b:obj", "file:1"));
    }

    @Test
    @DisplayName("diff: a group made and removed in between, kept by its dying css, is 'created and removed', not 'removed'")
    void diffCreatedAndRemoved() {
        State before = decided(State.EMPTY, new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.OFFLINE),
                new Mount("A", "/H1"));
        State s = decided(before, new Mkdir("/H1/a", false), new Attach("1", "/H1/a"),
                new Charge(Pid.INIT, "A", "f", 1, true), new Attach("1", "/H1"), new Rmdir("/H1/a"));
        assertThat(Diff.between(before, s)).contains("cgroup created and removed: /H1/a")
                .noneMatch(x -> x.equals("cgroup removed: /H1/a"));
        State removedLater = s;
        assertThat(Diff.between(before, removedLater)).noneMatch(x -> x.equals("cgroup created: /H1/a"));
    }

    /** {@code s} after each of {@code commands}, every one accepted. */
    private static State decided(State s, org.cgledger.core.command.Command... commands) {
        for (org.cgledger.core.command.Command c : commands) {
            s = ((org.cgledger.core.decide.Decision.Accepted) org.cgledger.core.decide.Decider.decide(s, c)).state();
        }
        return s;
    }

    @Test
    @DisplayName("diff: mounts, umounts and mount points, limits and flags, and a task's move in a hierarchy mounted "
            + "since are changes (it had said 'no change' for states that differ)")
    void diffMountsLimitsFlags() {
        State start = decided(State.EMPTY, new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.STRICT),
                new Mount("A,name=ha", "/H1"), new Mkdir("/H1/foo", false));
        State set = decided(start, new SetFile("/H1/foo", "A.limit", "50"),
                new SetFile("/H1/foo", "A.move_charge_at_immigrate", "1"), new SetFile("/H1/foo", "notify_on_release", "1"));
        assertThat(Diff.between(start, set)).containsExactly("cgroup /H1/foo notify_on_release 0 -> 1",
                "cgroup /H1/foo A.move_charge_at_immigrate 0 -> 1", "css A1 limit max -> 50");
        State moved = decided(set, new org.cgledger.core.command.Umount("/H1"), new Mount("A,name=ha", "/H9"));
        assertThat(Diff.between(set, moved)).containsExactly("hierarchy (A,name=ha) mount point /H9 added",
                "hierarchy (A,name=ha) mount point /H1 removed");
        State detached = decided(moved, new org.cgledger.core.command.Umount("/H9"));
        assertThat(Diff.between(moved, detached)).containsExactly("hierarchy (A,name=ha) mount point /H9 removed",
                "hierarchy (A,name=ha) detached (unmounted with child cgroups)");
        State b = decided(detached, new Mount("B", "/H2"), new Mkdir("/H2/x", false), new Attach("1", "/H2/x"));
        assertThat(Diff.between(detached, b)).contains("hierarchy (B) mounted on /H2", "cgroup created: /H2",
                "cgroup created: /H2/x", "task 1 moved /H2 -> /H2/x");
        State destroyed = decided(b, new Attach("1", "/H2"), new org.cgledger.core.command.Rmdir("/H2/x"),
                new org.cgledger.core.command.Umount("/H2"));
        assertThat(Diff.between(b, destroyed)).contains("hierarchy (B) destroyed (/H2)");
    }

    @Test
    @DisplayName("diff: a removed group kept by a pinned css_set (pin=cssset, no subsystem) is 'gone' once that css_set "
            + "is freed (it vanished without a line)")
    void diffRemovedGroupGone() {
        State kept = decided(State.EMPTY, new Init(List.of("A", "B"), PinPolicy.CSSSET, RmdirPolicy.OFFLINE),
                new Mount("A", "/H1"), new Mount("none,name=n1", "/N1"), new Mkdir("/N1/q", false),
                new org.cgledger.core.command.Fork(Pid.INIT, Pid.of(4)), new Attach("4", "/N1/q"),
                new Charge(Pid.of(4), "A", "o:1", 2, false), new Attach("4", "/N1"),
                new org.cgledger.core.command.Rmdir("/N1/q"));
        assertThat(kept.cgroups().values()).anyMatch(c -> c.removed() && c.name().equals("q"));
        State gone = decided(kept, new Uncharge("o:1", null));
        assertThat(Diff.between(kept, gone)).contains("cgroup gone: /N1/q (removed before; nothing keeps it any more)");
    }

    @Test
    @DisplayName("history: a removed group without css, kept by a pinned css_set, ends with the event that frees that "
            + "css_set (its history had no line for its end)")
    void historyOfAKeptGroupEnds() {
        Fixtures.write(dir, List.of(new Init(List.of("A", "B"), PinPolicy.CSSSET, RmdirPolicy.OFFLINE),
                new Mount("A", "/H1"), new Mount("none,name=n1", "/N1"), new Mkdir("/N1/q", false),
                new Mkdir("/H1/a", false), new org.cgledger.core.command.Fork(Pid.INIT, Pid.of(4)),
                new Attach("4", "/N1/q"), new Attach("4", "/H1/a"),
                // pinned: (A1, q), not q's own css_set (A0, q), which its rmdir frees
                new Charge(Pid.of(4), "A", "o:1", 2, false), new Attach("4", "/N1"), new Attach("4", "/H1"),
                new org.cgledger.core.command.Rmdir("/N1/q"), new org.cgledger.core.command.Rmdir("/H1/a"),
                new Uncharge("o:1", null)));
        List<Journals.Stored> rows = Fixtures.read(dir);
        // the uncharge's css_set freed (then A1 released)
        long last = rows.stream().map(Journals.Stored::record)
                .filter(r -> r.event() instanceof org.cgledger.core.event.CssSetFreed).mapToLong(Recorded::seq).max()
                .orElseThrow();
        assertThat(History.replay(rows, "/N1/q")).singleElement().satisfies(i -> {
            History.Entry end = i.entries().get(i.entries().size() - 1);
            assertThat(end.seq()).as("%s", i.entries()).isEqualTo(last);
            assertThat(end.text()).endsWith(" freed");
        });
    }

    @Nested
    @DisplayName("a parent css kept dying by its child")
    class KeptByChild {
        @Test
        @DisplayName("rmdir=offline: who-holds and audit name the child css that keeps a refcount-0 css dying")
        void keptByChild() {
            Fixtures.write(dir, List.of(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.OFFLINE),
                    new Mount("A", "/H1"), new Mkdir("/H1/p", false), new Mkdir("/H1/p/c", false),
                    new Attach("1", "/H1/p/c"), new Charge(Pid.INIT, "A", "f", 1, false), new Attach("1", "/H1"),
                    new Rmdir("/H1/p/c"), new Rmdir("/H1/p")));
            List<Journals.Stored> rows = Fixtures.read(dir);
            WhoHolds.Answer parent = WhoHolds.at(rows, Long.MAX_VALUE, "A1").orElseThrow();
            assertThat(parent.refcount()).isZero();
            assertThat(parent.holders()).isEmpty();
            assertThat(parent.keptBy()).containsExactly("A2");
            assertThat(WhoHolds.at(rows, Long.MAX_VALUE, "A2").orElseThrow().keptBy()).isEmpty();
            assertThat(Audit.run(rows).findings()).filteredOn(f -> f instanceof Audit.Dying d && d.css().equals("A1"))
                    .singleElement().satisfies(f -> {
                        assertThat(((Audit.Dying) f).children()).containsExactly("A2");
                        assertThat(f.summary()).endsWith("still dying at the end, kept by its child css [A2]");
                    });
        }

        @Test
        @DisplayName("audit names the child css that kept a css dying after its last reference went, once both are "
                + "released too (it had said only 'until' its last put)")
        void keptByChildReleasedLater() {
            Fixtures.write(dir, List.of(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.OFFLINE),
                    new Mount("A", "/H1"), new Mkdir("/H1/p", false), new Mkdir("/H1/p/c", false),
                    new Attach("1", "/H1/p/c"), new Charge(Pid.INIT, "A", "f", 1, false), new Attach("1", "/H1"),
                    new Rmdir("/H1/p/c"), new Rmdir("/H1/p"), new Mkdir("/H1/q", false),
                    new Uncharge("f", Pid.INIT)));
            List<Journals.Stored> rows = Fixtures.read(dir);
            long rmdirP = rows.stream().filter(x -> Describe.type(x.record().event()).equals("CgroupRemoved"))
                    .skip(1).findFirst().orElseThrow().record().seq();
            long freed = rows.stream().filter(x -> Describe.type(x.record().event()).equals("CssSetFreed")
                    && x.record().seq() > rmdirP).findFirst().orElseThrow().record().seq();
            long released = rows.get(rows.size() - 1).record().seq();
            List<Audit.Finding> dying = Audit.run(rows, new Audit.Options(0), Audit.Progress.NONE).findings().stream()
                    .filter(f -> f instanceof Audit.Dying).toList();
            assertThat(dying).extracting(f -> ((Audit.Dying) f).css()).containsExactly("A2", "A1");
            Audit.Dying parent = (Audit.Dying) dying.get(1);
            assertThat(parent.children()).containsExactly("A2");
            assertThat(parent.lastPut()).as("its directory's css_set freed by its rmdir").isEqualTo(freed);
            assertThat(parent.releasedAt()).isEqualTo(released);
            assertThat(parent.summary()).isEqualTo("A1 of /H1/p dying since rmdir at event #" + rmdirP + " until event #"
                    + freed + ", then kept by its child css [A2], released at event #" + released);
            assertThat(((Audit.Dying) dying.get(0)).children()).as("no child of its own").isEmpty();
        }
    }

    @Nested
    @DisplayName("export and import")
    class ExportImport {
        @Test
        @DisplayName("importing an export gives an identical ledger, numbers preserved")
        void roundTrip() throws Exception {
            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            Fixtures.write(a, Fixtures.busy());
            List<Journals.Stored> rows = Fixtures.read(a);
            StringWriter out = new StringWriter();
            Transfer.export(rows, out);
            Transfer.importInto(b, Transfer.read(new java.io.ByteArrayInputStream(out.toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))));

            List<Journals.Stored> back = Fixtures.read(b);
            assertThat(Transfer.identical(rows, back)).isTrue();
            try (JournalRows j = JournalRows.open(b, Duration.ofSeconds(10))) {
                assertThat(j.readAll()).isEqualTo(rows);
            }
            try (org.cgledger.persistence.DurableLedger l = org.cgledger.persistence.DurableLedger.open(b)) {
                assertThat(l.state()).isEqualTo(new Journal(rows).finalState());
            }
        }

        @Test
        @DisplayName("an import keeps a model snapshot after every band of events and after the last, as a writer "
                + "does: time travel in the imported ledger starts from them, with the whole journal's answers")
        void importedSnapshots() throws Exception {
            List<Command> cmds = workload(11, 20, 15, 300);
            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            try (DurableLedger l = DurableLedger.open(a)) {
                // refused commands too: a refused rmdir is journaled
                cmds.forEach(l::execute);
            }
            List<Journals.Stored> rows = Fixtures.read(a);
            JournalRows.importInto(b, rows, Duration.ofSeconds(10), 50);
            try (JournalRows j = JournalRows.open(b, Duration.ofSeconds(10))) {
                Journal whole = new Journal(j.readAll());
                List<Long> at = j.snapshotPoints().stream().map(JournalRows.SnapshotPoint::seq).toList();
                List<Long> want = new ArrayList<>();
                for (long k = 50; k < whole.lastEvent(); k += 50) {
                    want.add(k);
                }
                want.add(whole.lastEvent());
                assertThat(whole.lastEvent()).isGreaterThan(300);
                assertThat(at).isEqualTo(want);
                assertThat(j.snapshotPoints()).allSatisfy(p -> assertThat(p.maxTime())
                        .isEqualTo(whole.rows(1, p.seq()).stream().mapToLong(r -> r.record().time()).max().orElseThrow()));
                StoredTravel travel = new StoredTravel(j);
                for (long n = 0; n <= whole.lastEvent(); n++) {
                    assertThat(travel.stateAt(n)).as("state after event %d", n).isEqualTo(whole.stateAt(n));
                }
            }
            // and it opens from its last snapshot
            try (DurableLedger l = DurableLedger.open(b)) {
                assertThat(l.recovery().replayed()).isZero();
                assertThat(l.state()).isEqualTo(new Journal(rows).finalState());
            }
        }

        /** The export of {@code commands}, one JSON line each. */
        List<String> exported(List<Command> commands) throws Exception {
            Path a = dir.resolve("a");
            Fixtures.write(a, commands);
            StringWriter out = new StringWriter();
            Transfer.export(Fixtures.read(a), out);
            return out.toString().lines().toList();
        }

        /** The export of a ledger of a workload of a few hundred events, refused commands among them. */
        List<String> exportedWorkload() throws Exception {
            Path a = dir.resolve("w");
            try (DurableLedger l = DurableLedger.open(a)) {
                workload(11, 20, 15, 300).forEach(l::execute);
            }
            StringWriter out = new StringWriter();
            Transfer.export(Fixtures.read(a), out);
            return out.toString().lines().toList();
        }

        /** As import reads them: from bytes, each line decoded on its own. */
        List<Journals.Stored> read(List<String> lines) throws Exception {
            return Transfer.readNumbered(new java.io.ByteArrayInputStream((String.join("\n", lines) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))).rows();
        }

        @Test
        @DisplayName("lines are read strictly: no value of another type, no key twice, refcounts as a writer writes them")
        void strictLines() throws Exception {
            List<String> lines = exported(List.of(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT),
                    new Mount("A", "/H1"), new Mkdir("/H1/a", false)));
            String mkdir = lines.get(2);
            assertThat(mkdir).contains("\"seq\":3,").contains("\"cgroup\":2,").contains("\"refcounts\":\"");
            java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
            refused.put(mkdir.replace("\"seq\":3,", "\"seq\":\"3\","), "line 3: \"seq\": the string \"3\" where a number belongs");
            refused.put(mkdir.replace("\"seq\":3,", "\"seq\":3.0,"), "line 3: \"seq\": 3.0 where a whole number belongs");
            refused.put(mkdir.replace("\"seq\":3,", "\"seq\":3,\"seq\":3,"), "line 3: not JSON: the key \"seq\" twice");
            refused.put(mkdir + " {}", "line 3: not JSON: more after the object (a line holds one JSON object)");
            refused.put(mkdir.replace("\"cgroup\":2,", "\"cgroup\":2.0,"), "line 3: \"event.cgroup\": 2.0 cannot be read as "
                    + "a CgroupId");
            refused.put(mkdir.replace("\"cgroup\":2,", "\"cgroup\":\"2\","), "line 3: \"event.cgroup\": '2' cannot be read "
                    + "as a CgroupId");
            refused.put(mkdir.replaceFirst("\"refcounts\":\"([A-Za-z0-9]+)=(\\d+)", "\"refcounts\":\"$1=0$2"),
                    "line 3: bad refcount '");
            for (var e : refused.entrySet()) {
                List<String> edited = new ArrayList<>(lines);
                edited.set(2, e.getKey());
                assertThatThrownBy(() -> read(edited)).as(e.getKey()).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith(e.getValue()).message().doesNotContain("jackson").doesNotContain("`");
            }
        }

        @Test
        @DisplayName("lines are read from bytes (import's file or stdin), each decoded on its own: a byte that is not "
                + "UTF-8 is refused at its line (it had been 'Input length = 1', at no line), a line longer than any "
                + "journal line before the rest of it is read; CRLF lines are read")
        void fromBytes() throws Exception {
            // a name's UTF-8 is read as it is, and CRLF lines too
            List<Command> commands = new ArrayList<>(Fixtures.busy());
            commands.add(new Mkdir("/H1/caf\u00e9-\u65e5\u672c", false));
            List<String> lines = exported(commands);
            assertThat(lines.get(lines.size() - 1)).contains("caf\u00e9-\u65e5\u672c");
            byte[] whole = (String.join("\r\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(Transfer.readNumbered(new java.io.ByteArrayInputStream(whole)).rows()).isEqualTo(read(lines));
            for (byte[] bad : new byte[][] {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe6, (byte) 0x97}}) {
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < lines.size(); i++) {
                    b.write(lines.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (i == 6) {
                        b.write(bad);
                    }
                    b.write('\n');
                }
                assertThatThrownBy(() -> Transfer.readNumbered(new java.io.ByteArrayInputStream(b.toByteArray())))
                        .hasMessage("line 7: not UTF-8 text (a byte no character is made of, or a character cut short)");
            }
            byte[] tooLong = "x".repeat(Transfer.MAX_LINE + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThatThrownBy(() -> Transfer.readNumbered(new java.io.ByteArrayInputStream(tooLong)))
                    .hasMessage("line 1: longer than " + Transfer.MAX_LINE + " characters: no journal line is");
        }

        @Test
        @DisplayName("every export of what commands wrote is taken whole: the bench's mix over three hierarchies "
                + "(offline), and the busy fixture")
        void commandsWroteIt() throws Exception {
            org.cgledger.core.bench.Workload w = new org.cgledger.core.bench.Workload(7);
            List<Command> commands = new ArrayList<>();
            State s = State.EMPTY;
            int[] kind = new int[1];
            List<Command> all = new ArrayList<>(w.setup(20, 60));
            for (int i = 0; i < 1_500; i++) {
                all.add(w.next(kind));
            }
            for (Command c : all) {
                // the accepted ones (the fixture writes only those)
                if (org.cgledger.core.decide.Decider.decide(s, c) instanceof org.cgledger.core.decide.Decision.Accepted ok) {
                    commands.add(c);
                    s = ok.state();
                }
            }
            assertThat(read(exported(commands))).hasSizeGreaterThan(1_500);
            java.nio.file.Files.walk(dir.resolve("a")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            assertThat(read(exported(Fixtures.busy()))).isNotEmpty();
        }

        @Test
        @DisplayName("an event that applies but no command writes is refused at its line, naming what the command "
                + "would have recorded: a negative charge, pid 1 exiting, an attach from another hierarchy's group, "
                + "an id no counter gives, a consequence with no command before it")
        void noCommandWroteIt() throws Exception {
            List<String> lines = exported(List.of(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.OFFLINE),
                    new Mount("A", "/H1"), new Mount("B", "/H2"), new Mkdir("/H1/a", false), new Mkdir("/H2/b", false),
                    new org.cgledger.core.command.Fork(Pid.INIT, Pid.of(2)), new Attach("2", "/H1/a"),
                    new Charge(Pid.of(2), "A", "f", 5, false)));
            int charge = lines.size() - 1;
            java.util.function.BiFunction<Integer, java.util.function.UnaryOperator<String>, List<String>> edit =
                    (at, f) -> {
                        List<String> copy = new ArrayList<>(lines);
                        copy.set(at, f.apply(copy.get(at)));
                        return copy;
                    };
            assertThatThrownBy(() -> read(edit.apply(charge, l -> l.replace("\"amount\":5", "\"amount\":-5"))))
                    .hasMessageStartingWith("line " + (charge + 1) + ": event #8 (ObjectCharged) is no command's: "
                            + "the command 'charge ")
                    .hasMessageContaining("is refused (EINVAL: a charge cannot be negative)");
            int attach = charge - 1;
            assertThatThrownBy(() -> read(edit.apply(attach, l -> l.replace("\"from\":1", "\"from\":2"))))
                    .hasMessageStartingWith("line " + (attach + 1) + ": event #7 (TaskAttached) is not what the "
                            + "command 'attach ");
            List<String> exit1 = new ArrayList<>(lines);
            String fork = lines.get(charge - 2); // the system stream's last row, sequence number 4
            assertThat(fork).contains("TaskForked").contains("\"sequence_number\":4,");
            exit1.add(fork.replaceFirst("\"seq\":6", "\"seq\":9")
                    .replaceFirst("\"sequence_number\":4,", "\"sequence_number\":5,")
                    .replaceFirst("\"event\":\\{.*\\},\"refcounts\"", "\"event\":{\"type\":\"TaskExited\",\"pid\":1},\"refcounts\""));
            assertThatThrownBy(() -> read(exit1)).hasMessageContaining("event #9 (TaskExited) is no command's: "
                    + "the command 'exit 1' is refused (EPERM: pid 1 never exits)");
            int mkdir = 3;
            assertThatThrownBy(() -> read(edit.apply(mkdir, l -> l.replace("\"cgroup\":3", "\"cgroup\":2147483647"))))
                    .hasMessageStartingWith("line " + (mkdir + 1) + ": event #4 (CgroupCreated) is not what the command "
                            + "'mkdir /H1/a' records there: CgroupCreated (mkdir /H1/a (cgroup #3, css A1, holds N1, new))");
        }

        @Test
        @DisplayName("a stream whose sequence numbers have a gap is refused at its line, in the words recovery refuses "
                + "the journal with once written")
        void streamGap() throws Exception {
            List<String> lines = new ArrayList<>(exported(Fixtures.busy()));
            int renumbered = 0;
            int firstLine = 0;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.contains("\"persistence_id\":\"cgledger-hierarchy-1\"") && ++renumbered >= 5) {
                    long nr = Long.parseLong(l.replaceFirst(".*\"sequence_number\":(\\d+),.*", "$1"));
                    lines.set(i, l.replace("\"sequence_number\":" + nr + ",", "\"sequence_number\":" + (nr + 1) + ","));
                    firstLine = firstLine == 0 ? i + 1 : firstLine;
                }
            }
            assertThat(renumbered).isGreaterThanOrEqualTo(5);
            String reason = "stream cgledger-hierarchy-1 has a gap: sequence number 6 follows 4";
            assertThatThrownBy(() -> read(lines)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("line " + firstLine + ": " + reason);

            // the same rows written as they are: the ledger will not open, for that reason
            List<Journals.Stored> rows = new ArrayList<>();
            lines.forEach(l -> rows.add(JournalRows.fromJson(l)));
            Path b = dir.resolve("b");
            JournalRows.importInto(b, rows, Duration.ofSeconds(10));
            assertThatThrownBy(() -> DurableLedger.open(b)).hasMessageContaining("journal damaged: " + reason);
        }

        @Test
        @DisplayName("an export is read as it is written: its rows come one at a time, before the input ends, checked "
                + "as a whole read checks them, and the ledger written from them is the one a whole read writes")
        void streamed() throws Exception {
            List<String> lines = exportedWorkload();
            assertThat(lines.size()).isGreaterThan(300);
            byte[] text = (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // the input fails after its first 100 lines: the rows before come out all the same
            int cut = String.join("\n", lines.subList(0, 100)).length() + 1;
            java.io.InputStream failing = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(text, 0, cut),
                    new java.io.InputStream() {
                        @Override
                        public int read() throws java.io.IOException {
                            throw new java.io.IOException("cut");
                        }
                    });
            Transfer.Streamed streamed = Transfer.stream(failing);
            List<Journals.Stored> taken = new ArrayList<>();
            assertThatThrownBy(() -> streamed.forEach(taken::add)).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasRootCauseMessage("cut").isSameAs(streamed.failure());
            List<Journals.Stored> whole = Transfer.read(new java.io.ByteArrayInputStream(text));
            assertThat(taken).isEqualTo(whole.subList(0, 100));

            Path b = dir.resolve("b");
            Transfer.Streamed all = Transfer.stream(new java.io.ByteArrayInputStream(text));
            JournalRows.importInto(b, all, Duration.ofSeconds(10), 50);
            assertThat(all.events()).isEqualTo(lines.size());
            assertThat(all.failure()).isNull();
            Path c = dir.resolve("c");
            JournalRows.importInto(c, whole, Duration.ofSeconds(10), 50);
            assertThat(Fixtures.read(b)).isEqualTo(whole);
            try (JournalRows jb = JournalRows.open(b, Duration.ofSeconds(10));
                 JournalRows jc = JournalRows.open(c, Duration.ofSeconds(10))) {
                assertThat(jb.snapshotPoints()).isEqualTo(jc.snapshotPoints());
            }
        }

        @Test
        @DisplayName("a journal read as it is written fails at the first row only a whole read names (lines out of "
                + "order, a refcount replay does not give) or at a line that is none, and the import it fed leaves "
                + "nothing: no directory it made, no lock file, no staging")
        void streamedRefused() throws Exception {
            List<String> lines = exportedWorkload();
            int last = lines.size() - 1;
            List<String> reversed = new ArrayList<>(lines);
            java.util.Collections.reverse(reversed);
            List<String> tampered = new ArrayList<>(lines);
            tampered.set(last, lines.get(last).replaceFirst("\"refcounts\":\"([A-Za-z]+\\d+)=\\d+",
                    "\"refcounts\":\"$1=77"));
            assertThat(tampered.get(last)).isNotEqualTo(lines.get(last));
            List<String> cut = new ArrayList<>(lines);
            cut.add("garbage");
            // an event numbered twice early, and a line that is none late: a whole read names the line
            List<String> garbled = new ArrayList<>(cut);
            garbled.set(10, lines.get(10).replaceFirst("\"seq\":11,", "\"seq\":12,"));
            String notJson = "line " + cut.size() + ": not JSON: Unrecognized token 'garbage': was expecting (JSON "
                    + "String, Number, Array, Object or token 'null', 'true' or 'false')";
            Path b = dir.resolve("new").resolve("b");
            Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty"));
            for (List<String> journal : List.of(reversed, tampered, cut, garbled)) {
                for (Path into : List.of(b, empty)) {
                    Transfer.Streamed streamed = Transfer.stream(new java.io.ByteArrayInputStream((String.join("\n",
                            journal) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    assertThatThrownBy(() -> JournalRows.importInto(into, streamed, Duration.ofSeconds(10)))
                            .isSameAs(streamed.failure());
                    if (journal == cut) {
                        assertThat(streamed.failure()).isInstanceOf(IllegalArgumentException.class).hasMessage(notJson);
                    } else {
                        assertThat(streamed.failure()).isInstanceOf(Transfer.Unstreamable.class);
                    }
                }
                assertThat(dir.resolve("new")).doesNotExist();
                try (var left = java.nio.file.Files.list(empty)) {
                    assertThat(left).isEmpty();
                }
            }
            // read whole, as before: the lines sorted, the refcount left to the audit, the line that is none named
            assertThat(read(reversed)).isEqualTo(read(lines));
            assertThat(Audit.run(read(tampered)).findings()).anySatisfy(f -> assertThat(f)
                    .isInstanceOf(Audit.Discrepancy.class).extracting(Audit.Finding::seq).isEqualTo((long) last + 1));
            assertThatThrownBy(() -> read(cut)).hasMessage(notJson);
            assertThatThrownBy(() -> read(garbled)).hasMessage(notJson);
        }

        @Test
        @DisplayName("import is all or nothing: rows the database refuses midway leave no journal (a killed import's "
                + "staging is no ledger), and the next import takes the directory, clearing what a killed one left")
        void allOrNothing() throws Exception {
            Path a = dir.resolve("a");
            Fixtures.write(a, Fixtures.busy());
            List<Journals.Stored> rows = Fixtures.read(a);
            // the rows twice: the database refuses the second copy's first row (a place in a stream
            // already taken), after the schema and the first copy are written
            List<Journals.Stored> refused = new ArrayList<>(rows);
            refused.addAll(rows);
            Path b = dir.resolve("b");
            assertThatThrownBy(() -> JournalRows.importInto(b, refused, Duration.ofSeconds(10)))
                    .isInstanceOf(org.cgledger.persistence.LedgerException.class)
                    .hasMessageStartingWith("cannot import into " + b + ": ");
            try (var left = java.nio.file.Files.list(b)) {
                assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("ledger.lock");
            }
            java.nio.file.Files.createDirectories(b.resolve(JournalRows.IMPORT_STAGING).resolve("junk"));
            JournalRows.importInto(b, rows, Duration.ofSeconds(10));
            assertThat(Fixtures.read(b)).isEqualTo(rows);
            assertThat(b.resolve(JournalRows.IMPORT_STAGING)).doesNotExist();
        }

        @Test
        @DisplayName("the same event twice, or two rows at one place in a stream, are refused as duplicates at the "
                + "second one's line, before any replay")
        void duplicates() throws Exception {
            List<String> lines = exported(Fixtures.busy());
            List<String> twice = new ArrayList<>(lines);
            twice.add(8, lines.get(7));
            assertThatThrownBy(() -> read(twice)).hasMessage("line 9: a duplicate of line 8: event #8 twice");

            List<String> onePlace = new ArrayList<>(lines);
            String last = lines.get(lines.size() - 1);
            long seq = lines.size();
            onePlace.add(last.replace("\"seq\":" + seq + ",", "\"seq\":" + (seq + 1) + ","));
            String place = last.replaceFirst("^\\{\"persistence_id\":\"([^\"]+)\",\"sequence_number\":(\\d+),.*",
                    "stream $1, sequence number $2");
            assertThatThrownBy(() -> read(onePlace)).hasMessage("line " + (seq + 1) + ": a duplicate of line " + seq
                    + ": " + place + " twice");
        }

        @Test
        @DisplayName("a cgroup no mkdir makes is refused at its line with mkdir's own refusal: a name with a slash, "
                + "a NUL byte or a newline, empty, '.', '..', a control file's")
        void cgroupsNoMkdirMakes() throws Exception {
            List<String> lines = exported(List.of(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT),
                    new Mount("A", "/H1"), new Mkdir("/H1/a", false), new Mkdir("/H1/b", false)));
            assertThat(lines.get(3)).contains("\"type\":\"CgroupCreated\"").contains("\"name\":\"b\"");
            java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
            cases.put("a/b", "mkdir /H1/a/b makes 'b' under /H1/a");
            cases.put("x/b", "mkdir /H1/x/b is refused (ENOENT: /H1/x: no such cgroup)");
            cases.put("b\0c", "mkdir /H1/b\0c is refused (EINVAL: a cgroup name cannot contain a NUL byte)");
            cases.put("b\nc", "mkdir /H1/b\nc is refused (EINVAL: a cgroup name cannot contain a newline)");
            cases.put("", "mkdir /H1/ is refused (EEXIST: /H1 exists (a mount point))");
            cases.put(".", "mkdir /H1/. is refused (EEXIST: /H1/. exists)");
            cases.put("..", "mkdir /H1/.. is refused (EEXIST: /H1/.. exists)");
            cases.put("tasks", "mkdir /H1/tasks is refused (EEXIST: /H1/tasks is a file)");
            cases.put("A.limit", "mkdir /H1/A.limit is refused (EEXIST: /H1/A.limit is a file)");
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (java.util.Map.Entry<String, String> c : cases.entrySet()) {
                List<String> bad = new ArrayList<>(lines);
                bad.set(3, lines.get(3).replace("\"name\":\"b\"", "\"name\":" + json.writeValueAsString(c.getKey())));
                assertThatThrownBy(() -> read(bad)).as(c.getKey()).hasMessage("line 4: event #4 (CgroupCreated): no "
                        + "mkdir makes a cgroup '" + c.getKey() + "' under /H1: " + c.getValue());
            }
            assertThat(read(lines)).hasSize(4);
        }

        @Test
        @DisplayName("a row without its time or its refcounts is refused at its line")
        void fieldsEveryRowHas() throws Exception {
            List<String> lines = exported(Fixtures.busy());
            List<String> noTime = new ArrayList<>(lines);
            noTime.set(3, lines.get(3).replaceFirst("\"time\":\\d+,", ""));
            assertThatThrownBy(() -> read(noTime)).hasMessage("line 4: no \"time\" (epoch milliseconds)");
            List<String> noRefcounts = new ArrayList<>(lines);
            noRefcounts.set(3, lines.get(3).replaceFirst(",\"refcounts\":\"[^\"]*\"", ""));
            assertThatThrownBy(() -> read(noRefcounts)).hasMessage("line 4: no \"refcounts\" (the counters the event "
                + "changed, \"A1=3 N3=1\"; \"\" for none)");
            // its stream's sequence number read strictly, as the event's number is
            for (String typed : List.of("\"1\"", "1.5", "true", "1e0", "99999999999999999999")) {
                List<String> bad = new ArrayList<>(lines);
                bad.set(3, lines.get(3).replaceFirst("\"sequence_number\":\\d+", "\"sequence_number\":" + typed));
                assertThat(bad.get(3)).contains(typed);
                assertThatThrownBy(() -> read(bad)).as(typed).hasMessageStartingWith("line 4: \"sequence_number\" is "
                        + "not a whole number: ");
            }
        }
    }

    /** The bench's population of {@code groups} cgroups and {@code tasks} tasks, then {@code n} of its mixed commands. */
    static List<Command> workload(long seed, int groups, int tasks, int n) {
        Workload w = new Workload(seed);
        List<Command> cmds = new ArrayList<>(w.setup(groups, tasks));
        int[] kind = new int[1];
        for (int i = 0; i < n; i++) {
            cmds.add(w.next(kind));
        }
        return cmds;
    }
}
