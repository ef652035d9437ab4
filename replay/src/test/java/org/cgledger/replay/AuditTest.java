package org.cgledger.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.persistence.Journals;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("audit: every refcount recomputed from first principles, every discrepancy traced to its event")
class AuditTest {

    @TempDir
    Path dir;

    @Nested
    @DisplayName("an untouched journal")
    class Clean {
        @Test
        @DisplayName("is clean: exit 0, no finding")
        void clean() {
            Fixtures.write(dir, Fixtures.busy());
            Audit.Report r = Audit.run(Fixtures.read(dir));
            assertThat(r.findings()).isEmpty();
            assertThat(r.clean()).isTrue();
        }
    }

    @Nested
    @DisplayName("a finding's summary")
    class Summaries {
        @Test
        @DisplayName("counts one of a thing in the singular: one missing event, one later event that disagrees")
        void singular() {
            assertThat(new Audit.Gap(5, 5, 6).summary()).isEqualTo("event #5 missing (the next stored is #6)");
            assertThat(new Audit.Gap(5, 7, 8).summary()).isEqualTo("events #5..#7 missing (the next stored is #8)");
            assertThat(new Audit.Discrepancy(5, "TaskAttached", "N1", 2, 7, 2, 1, List.of()).summary())
                    .endsWith(", counted 2 by replay; 1 later event disagrees on it too");
            assertThat(new Audit.Discrepancy(5, "TaskAttached", "N1", 2, 7, 2, 3, List.of()).summary())
                    .endsWith(", counted 2 by replay; 3 later events disagree on it too");
        }
    }

    @Nested
    @DisplayName("a tampered journal (rows edited with SQL)")
    class Tampered {

        @Test
        @DisplayName("one uncharge deleted: the gap, and A1 at the next event that records it, with the unmatched charge in its timeline")
        void unchargeDeleted() throws Exception {
            Fixtures.write(dir, Fixtures.busy());
            Fixtures.Row release = Fixtures.find(dir, p -> p.contains("\"ObjectReleased\"") && p.contains("file:2"));
            long k = Fixtures.seqOf(release.payload());
            Fixtures.delete(dir, release);

            Audit.Report r = Audit.run(Fixtures.read(dir));

            assertThat(r.findings().get(0)).isEqualTo(new Audit.Gap(k, k, k + 1));
            Audit.Discrepancy d = r.discrepancy("A1").orElseThrow();
            assertThat(d.seq()).isEqualTo(k + 1);
            assertThat(d.event()).isEqualTo("ObjectCharged");
            assertThat(d.expected()).isEqualTo(3);
            assertThat(d.recorded()).isEqualTo(2);
            assertThat(d.timeline()).extracting(Audit.Step::cause)
                    .anyMatch(c -> c.startsWith("charge file:2"))
                    .noneMatch(c -> c.startsWith("file:2 released"));
            assertThat(r.findings()).filteredOn(f -> f instanceof Audit.Discrepancy)
                    .allMatch(f -> f.seq() >= k + 1);
        }

        @Test
        @DisplayName("one recorded refcount changed: exactly that event and counter")
        void refcountChanged() throws Exception {
            Fixtures.write(dir, Fixtures.busy());
            Fixtures.Row attach = Fixtures.find(dir, p -> p.contains("\"TaskAttached\"") && p.contains("\"pid\":2"));
            long k = Fixtures.seqOf(attach.payload());
            assertThat(attach.payload()).contains("N1=2");
            Fixtures.rewrite(dir, attach, attach.payload().replace("N1=2", "N1=7"));

            Audit.Report r = Audit.run(Fixtures.read(dir));

            assertThat(r.findings()).hasSize(1);
            Audit.Discrepancy d = r.discrepancy("N1").orElseThrow();
            assertThat(d.seq()).isEqualTo(k);
            assertThat(d.expected()).isEqualTo(2);
            assertThat(d.recorded()).isEqualTo(7);
            assertThat(d.incremental()).isEqualTo(2);
            assertThat(d.timeline()).filteredOn(s -> s.seq() == k).singleElement().satisfies(s -> {
                assertThat(s.seq()).isEqualTo(k);
                assertThat(s.recorded()).isEqualTo(7);
                assertThat(s.cause()).startsWith("attach task 2 /H1 -> /H1/foo");
            });
        }

        @Test
        @DisplayName("one event duplicated: the copy is named with the counters it would change twice")
        void eventDuplicated() throws Exception {
            Fixtures.write(dir, Fixtures.busy());
            Fixtures.Row charge = Fixtures.find(dir, p -> p.contains("\"ObjectCharged\"") && p.contains("file:3"));
            long k = Fixtures.seqOf(charge.payload());
            long nr = Fixtures.maxNr(dir, charge.persistenceId()) + 1;
            Fixtures.update(dir, "INSERT INTO PUBLIC.\"event_journal\" (\"persistence_id\", \"sequence_number\", "
                    + "\"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", "
                    + "\"event_ser_manifest\") SELECT \"persistence_id\", ?, \"writer\", \"write_timestamp\", "
                    + "\"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\" FROM "
                    + "PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
                    nr, charge.persistenceId(), charge.nr());

            Audit.Report r = Audit.run(Fixtures.read(dir));

            assertThat(r.findings()).first().isInstanceOfSatisfying(Audit.Duplicate.class, d -> {
                assertThat(d.seq()).isEqualTo(k);
                assertThat(d.event()).isEqualTo("ObjectCharged");
                assertThat(d.copy()).isEqualTo(charge.persistenceId() + " #" + nr);
                assertThat(d.counters()).containsExactly("A1");
                assertThat(d.other()).as("a copy: the same event twice").isNull();
                assertThat(d.summary()).contains("stored twice").contains("it changes A1; the copy ");
            });
            assertThat(r.findings()).allMatch(f -> f.seq() >= k);
            assertThat(Audit.timeline(Fixtures.read(dir), "A1")).extracting(Audit.Step::seq).contains(k);
        }

        @Test
        @DisplayName("two different events given one number: both named, with the counters either records")
        void twoEventsOneNumber() throws Exception {
            Fixtures.write(dir, Fixtures.busy());
            Fixtures.Row attach = Fixtures.find(dir, p -> p.contains("\"TaskAttached\"") && p.contains("\"pid\":2"));
            long k = Fixtures.seqOf(attach.payload());
            Fixtures.rewrite(dir, attach, attach.payload().replace("\"seq\":" + k + ",", "\"seq\":" + (k - 1) + ","));

            Audit.Report r = Audit.run(Fixtures.read(dir));

            assertThat(r.findings()).filteredOn(f -> f instanceof Audit.Duplicate).singleElement()
                    .isInstanceOfSatisfying(Audit.Duplicate.class, d -> {
                        assertThat(d.seq()).isEqualTo(k - 1);
                        assertThat(d.other()).isNotNull();
                        assertThat(d.summary()).startsWith("event #" + (k - 1) + " numbers two different events: ")
                                .doesNotContain("changes ;").doesNotContain("the copy");
                    });
        }

        @Test
        @DisplayName("one attach moved to another stream: that event, its stream, and the counters it changes")
        void attachMoved() throws Exception {
            Fixtures.write(dir, Fixtures.busy());
            Fixtures.Row attach = Fixtures.find(dir, p -> p.contains("\"TaskAttached\"") && p.contains("\"pid\":2"));
            long k = Fixtures.seqOf(attach.payload());
            assertThat(attach.persistenceId()).isEqualTo("cgledger-hierarchy-1");
            long nr = Fixtures.maxNr(dir, "cgledger-hierarchy-2") + 1;
            Fixtures.update(dir, "UPDATE PUBLIC.\"event_journal\" SET \"persistence_id\" = 'cgledger-hierarchy-2', "
                    + "\"sequence_number\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
                    nr, attach.persistenceId(), attach.nr());

            Audit.Report r = Audit.run(Fixtures.read(dir));

            assertThat(r.findings()).first().isInstanceOfSatisfying(Audit.Misplaced.class, m -> {
                assertThat(m.seq()).isEqualTo(k);
                assertThat(m.storedIn()).isEqualTo("cgledger-hierarchy-2 #" + nr);
                assertThat(m.belongsTo()).isEqualTo("cgledger-hierarchy-1");
                assertThat(m.counters()).containsExactlyInAnyOrder("N0", "N1");
            });
            assertThat(r.findings()).anyMatch(f -> f instanceof Audit.OutOfOrder o && o.seq() == k);
        }
    }

    @Nested
    @DisplayName("the seed (DESIGN.md §3)")
    class Seed {
        @Test
        @DisplayName("under unchecked: A1 unreachable, pinned by file:1, charged by task 1 at the charge event")
        void unchecked() {
            Fixtures.write(dir, Fixtures.seed(RmdirPolicy.UNCHECKED, false));
            List<Journals.Stored> rows = Fixtures.read(dir);
            long charge = rows.stream().filter(s -> Describe.type(s.record().event()).equals("ObjectCharged"))
                    .findFirst().orElseThrow().record().seq();

            Audit.Report r = Audit.run(rows);

            assertThat(r.clean()).isFalse();
            assertThat(r.findings()).filteredOn(f -> f instanceof Audit.Unreachable).singleElement()
                    .isInstanceOfSatisfying(Audit.Unreachable.class, u -> {
                        assertThat(u.css()).isEqualTo("A1");
                        assertThat(u.path()).isEqualTo("/H1/foo");
                        assertThat(u.pins()).containsExactly(new Audit.Pin(
                                org.cgledger.core.model.ObjectName.of("file:1"),
                                org.cgledger.core.model.Pid.INIT, charge));
                    });
        }

        @Test
        @DisplayName("under unchecked, a parent css at refcount 0 kept by its unreleased child: the child named")
        void unreachableKeptByChild() {
            Fixtures.write(dir, List.of(new org.cgledger.core.command.Init(List.of("A", "B"),
                            org.cgledger.core.model.PinPolicy.CSS, RmdirPolicy.UNCHECKED),
                    new org.cgledger.core.command.Mount("A", "/H1"), new org.cgledger.core.command.Mkdir("/H1/a/b", true),
                    new org.cgledger.core.command.Attach("1", "/H1/a/b"),
                    new org.cgledger.core.command.Charge(org.cgledger.core.model.Pid.INIT, "A", "file:1", 1, false),
                    new org.cgledger.core.command.Attach("1", "/H1"), new org.cgledger.core.command.Rmdir("/H1/a/b"),
                    new org.cgledger.core.command.Rmdir("/H1/a")));

            Audit.Report r = Audit.run(Fixtures.read(dir));

            assertThat(r.findings()).filteredOn(f -> f instanceof Audit.Unreachable u && u.css().equals("A1"))
                    .singleElement().isInstanceOfSatisfying(Audit.Unreachable.class, u -> {
                        assertThat(u.pins()).isEmpty();
                        assertThat(u.children()).containsExactly("A2");
                        assertThat(u.summary()).endsWith(", kept by its child css [A2]");
                    });
            assertThat(r.findings()).filteredOn(f -> f instanceof Audit.Unreachable u && u.css().equals("A2"))
                    .singleElement().satisfies(u -> assertThat(u.summary()).endsWith(
                            ", pinned by [file:1 (charged by task 1 at event #6)]"));
        }

        @Test
        @DisplayName("under offline: A1 dying until the uncharge event, then released")
        void offline() {
            Fixtures.write(dir, Fixtures.seed(RmdirPolicy.OFFLINE, true));
            List<Journals.Stored> rows = Fixtures.read(dir);
            long rmdir = seqOf(rows, "CgroupRemoved");
            long uncharge = seqOf(rows, "ObjectReleased");
            long released = seqOf(rows, "CssReleased");

            Audit.Report r = Audit.run(rows, new Audit.Options(0), Audit.Progress.NONE);

            assertThat(r.findings()).containsExactly(new Audit.Dying(rmdir, "A1", "/H1/foo", released, uncharge,
                    List.of(), List.of()));
            assertThat(Audit.run(rows).clean()).isTrue();
        }

        private long seqOf(List<Journals.Stored> rows, String type) {
            return rows.stream().filter(s -> Describe.type(s.record().event()).equals(type))
                    .findFirst().orElseThrow().record().seq();
        }
    }
}
