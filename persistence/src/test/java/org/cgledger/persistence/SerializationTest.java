package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.cgledger.core.bench.Workload;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Fork;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;
import org.cgledger.core.util.IdMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("Serialization: explicit, by name, round-tripping")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SerializationTest {

    ActorTestKit kit;
    Serialization serialization;

    @BeforeAll
    void start() {
        // application.conf, not the test kit's application-test.conf: it gives Pekko's own Jackson
        // serializers core's mapping, to write rows as earlier builds did
        kit = ActorTestKit.create(ConfigFactory.load());
        serialization = SerializationExtension.get(kit.system());
    }

    @AfterAll
    void stop() {
        kit.shutdownTestKit();
    }

    Object roundTrip(Object o) {
        return roundTrip(o, "JsonSerializer");
    }

    Object roundTrip(Object o, String serializer) {
        Serializer ser = serialization.findSerializerFor(o);
        assertThat(ser.getClass().getSimpleName()).isEqualTo(serializer);
        byte[] bytes = ser.toBinary(o);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).as("no class names in the payload").doesNotContain("org.cgledger");
        return serialization.deserialize(bytes, ser.identifier(), Serializers.manifestFor(ser, o)).get();
    }

    @Test
    @DisplayName("warming the journal's write path (a command line's prepare thread) leaves its mapping as it was")
    void warmingWritesChangesNothing() throws Exception {
        InMemoryLedger l = new InMemoryLedger();
        Scenarios.everyEvent().forEach(l::execute);
        List<JournalEntry> entries = l.journal().stream().map(JournalEntry::of).toList();
        List<String> before = new ArrayList<>();
        for (JournalEntry e : entries) {
            before.add(new String(StoredCodec.json().writeValueAsBytes(e), StandardCharsets.UTF_8));
        }
        StoredCodec.warmWrites();
        StoredCodec.warmWrites();
        for (int i = 0; i < entries.size(); i++) {
            byte[] bytes = StoredCodec.json().writeValueAsBytes(entries.get(i));
            assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(before.get(i));
            assertThat(StoredCodec.decode(bytes, JsonSerializer.ID, JournalEntry.class.getName(), JournalEntry.class))
                    .isEqualTo(entries.get(i));
        }
    }

    @Test
    @DisplayName("every event type round-trips through the journal envelope, naming its type")
    void everyEventRoundTrips() {
        InMemoryLedger l = new InMemoryLedger();
        Set<Class<?>> seen = new HashSet<>();
        for (Command c : Scenarios.everyEvent()) {
            Outcome o = l.execute(c);
            if (Scenarios.refused(c)) {
                assertThat(o).as("%s", c).isInstanceOfSatisfying(Outcome.Refused.class,
                        r -> assertThat(r.errno()).isEqualTo(org.cgledger.core.model.Errno.EBUSY));
            } else {
                assertThat(o).as("%s", c).isInstanceOf(Outcome.Done.class);
            }
        }
        for (Recorded r : l.journal()) {
            JournalEntry e = JournalEntry.of(r);
            assertThat(roundTrip(e)).isEqualTo(e);
            String json = new String(serialization.serialize(e).get(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"type\":\"" + r.event().getClass().getSimpleName() + "\"");
            seen.add(r.event().getClass());
        }
        assertThat(seen).isEqualTo(Arrays.stream(Event.class.getPermittedSubclasses()).collect(Collectors.toSet()));
    }

    @Test
    @DisplayName("ids are plain JSON values")
    void compactIds() {
        InMemoryLedger l = new InMemoryLedger();
        Scenarios.everyEvent().forEach(l::execute);
        JournalEntry attach = l.journal().stream().filter(r -> r.event() instanceof org.cgledger.core.event.TaskAttached)
                .findFirst().map(JournalEntry::of).orElseThrow();
        String json = new String(serialization.serialize(attach).get(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"pid\":2").contains("\"fromSet\":").contains("\"v\":1");
    }

    @Test
    @DisplayName("a model snapshot decodes to a state equal to the one encoded")
    void snapshotRoundTrip() {
        // after every command of the scenario: removed cgroups with dying css, pinned css_sets,
        // objects, a detached hierarchy, as they come and go
        InMemoryLedger l = new InMemoryLedger();
        for (Command c : Scenarios.everyEvent()) {
            l.execute(c);
            if (l.state().initialized()) {
                check(l.state());
            }
        }
        State s = State.EMPTY;
        Workload w = new Workload(3);
        for (Command c : w.setup(300, 2_000)) {
            s = Decider.decide(s, c) instanceof Decision.Accepted a ? a.state() : s;
        }
        int[] kind = new int[1];
        for (int i = 0; i < 20_000; i++) {
            s = Decider.decide(s, w.next(kind)) instanceof Decision.Accepted a ? a.state() : s;
        }
        check(s);
    }

    void check(State s) {
        ModelSnapshot m = StateCodec.encode(s, Map.of("cgledger-system", 5L));
        // the model snapshot is bound to its own binary form (reference.conf): large, decoded at open
        ModelSnapshot back = (ModelSnapshot) roundTrip(m, "ModelSnapshotSerializer");
        assertThat(back).isEqualTo(m);
        assertThat(StateCodec.decode(back)).isEqualTo(s);
        // opening decodes the binary form straight into the model, and reads its head alone first
        byte[] binary = ModelSnapshotCodec.encode(m);
        try {
            ModelSnapshotCodec.Decoded direct = ModelSnapshotCodec.decodeState(binary);
            assertThat(direct.state()).isEqualTo(s);
            assertThat(direct.seq()).isEqualTo(m.seq());
            assertThat(direct.streams()).isEqualTo(m.streams());
            ModelSnapshotCodec.Decoded head = ModelSnapshotCodec.decodeHead(binary);
            assertThat(head.seq()).isEqualTo(m.seq());
            assertThat(head.streams()).isEqualTo(m.streams());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        // recovery decodes without Pekko: what Pekko stored, and the CBOR and JSON of earlier builds
        for (int id : new int[] {ModelSnapshotSerializer.ID, StoredCodec.CBOR_ID, StoredCodec.JSON_ID}) {
            Serializer ser = serialization.serializerByIdentity().apply(id);
            byte[] bytes = ser.toBinary(m);
            try {
                assertThat(StoredCodec.decode(bytes, id, ModelSnapshot.class.getName(), ModelSnapshot.class))
                        .as("serializer %d, %d bytes", id, bytes.length).isEqualTo(m);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    @DisplayName("a model snapshot keeps each task's fork event: a pid forked again after an exit comes back as the "
            + "task forked last")
    void snapshotKeepsForkEvents() throws Exception {
        InMemoryLedger l = new InMemoryLedger();
        List<Command> commands = new ArrayList<>(Scenarios.version1().subList(0, 19));
        commands.addAll(List.of(new Exit(Pid.of(3)), new Fork(Pid.of(2), Pid.of(3))));
        commands.forEach(l::execute);
        State s = l.state();
        assertThat(s.task(Pid.of(3)).forkedAt()).isEqualTo(s.lastEvent());
        assertThat(s.task(Pid.of(2)).forkedAt()).isGreaterThan(1).isLessThan(s.lastEvent());
        assertThat(s.task(Pid.INIT).forkedAt()).isEqualTo(1);
        ModelSnapshot m = StateCodec.encode(s, Map.of("cgledger-system", 5L));
        assertThat(m.tasks()).extracting(ModelSnapshot.TaskDto::forkedAt).containsExactly(1L,
                s.task(Pid.of(2)).forkedAt(), s.lastEvent());
        for (State back : List.of(StateCodec.decode(ModelSnapshotCodec.decode(ModelSnapshotCodec.encode(m))),
                ModelSnapshotCodec.decodeState(ModelSnapshotCodec.encode(m)).state())) {
            assertThat(back).isEqualTo(s);
            assertThat(back.task(Pid.of(3)).forkedAt()).isEqualTo(s.lastEvent());
        }
    }

    /**
     * {@code s} as a snapshot without the tasks' fork events restores it: every task's
     * {@link Task#forkedAt} not known, the rest as it was.
     */
    static State forksUnknown(State s) {
        IdMap<Pid, Task> tasks = s.tasks();
        for (Task t : s.tasks().values()) {
            tasks = tasks.put(t.pid(), new Task(t.pid(), t.cssSet(), t.holds(), Task.UNKNOWN));
        }
        return new State(s.catalog(), s.pin(), s.rmdir(), s.hierarchies(), s.bindings(), s.mountPoints(),
                s.cgroups(), s.css(), s.cssSets(), s.cssSetIndex(), tasks, s.objects(), s.counters());
    }

    @Test
    @DisplayName("a model snapshot an earlier build wrote (binary format 1, or CBOR or JSON of schema version 1), "
            + "without the tasks' fork events, still decodes: each task's fork event not known (0), the rest as it was")
    void snapshotWithoutForkEvents() throws Exception {
        // fixtures/snapshot-format1.bin: the snapshot the build before format 2 wrote of the state
        // after the first 19 commands of Scenarios.version1() (tasks 1, 2 and 3), streams {cgledger-system: 7}
        byte[] old;
        try (java.io.InputStream in = SerializationTest.class.getResourceAsStream("/fixtures/snapshot-format1.bin")) {
            assertThat(in).isNotNull();
            old = in.readAllBytes();
        }
        InMemoryLedger l = new InMemoryLedger();
        Scenarios.version1().subList(0, 19).forEach(l::execute);
        State expected = forksUnknown(l.state());
        assertThat(expected).isNotEqualTo(l.state());
        assertThat(expected.tasks().size()).isEqualTo(3);
        ModelSnapshotCodec.Decoded direct = ModelSnapshotCodec.decodeState(old);
        assertThat(direct.state()).isEqualTo(expected);
        assertThat(direct.seq()).isEqualTo(l.state().lastEvent());
        assertThat(direct.streams()).isEqualTo(Map.of("cgledger-system", 7L));
        ModelSnapshot m = ModelSnapshotCodec.decode(old);
        assertThat(m.v()).isEqualTo(1);
        assertThat(m.tasks()).extracting(ModelSnapshot.TaskDto::forkedAt).containsOnly(Task.UNKNOWN);
        assertThat(StateCodec.decode(m)).isEqualTo(expected);
        assertThat(ModelSnapshotCodec.decodeHead(old).seq()).isEqualTo(l.state().lastEvent());
        // the Jackson forms of earlier builds had no "forkedAt" in a task
        ModelSnapshot now = StateCodec.encode(l.state(), Map.of("cgledger-system", 7L));
        ObjectNode tree = StoredCodec.json().valueToTree(now);
        tree.put("v", 1);
        tree.withArray("tasks").forEach(t -> ((ObjectNode) t).remove("forkedAt"));
        for (int id : new int[] {StoredCodec.JSON_ID, StoredCodec.CBOR_ID}) {
            ObjectMapper mapper = id == StoredCodec.JSON_ID ? StoredCodec.json() : new ObjectMapper(new CBORFactory());
            byte[] bytes = mapper.writeValueAsBytes(tree);
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("forkedAt").contains("cssSet");
            ModelSnapshot back = StoredCodec.decode(bytes, id, ModelSnapshot.class.getName(), ModelSnapshot.class);
            assertThat(StateCodec.decode(back)).as("serializer %d", id).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("a damaged binary model snapshot fails with what is wrong, never a wrong model")
    void damagedBinarySnapshot() {
        InMemoryLedger l = new InMemoryLedger();
        Scenarios.everyEvent().forEach(l::execute);
        byte[] good = ModelSnapshotCodec.encode(StateCodec.encode(l.state(), Map.of("cgledger-system", 5L)));
        assertThatThrownBy(() -> ModelSnapshotCodec.decode(java.util.Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> ModelSnapshotCodec.decode(java.util.Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("bytes after its end");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> ModelSnapshotCodec.decode(magic)).hasMessageContaining("not a cgledger model snapshot");
        byte[] future = good.clone();
        future[7] = (byte) (ModelSnapshotCodec.FORMAT + 1);
        assertThatThrownBy(() -> ModelSnapshotCodec.decode(future)).hasMessageContaining("newer than this build reads");
        // and so does the decoder opening uses
        assertThatThrownBy(() -> ModelSnapshotCodec.decodeState(java.util.Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> ModelSnapshotCodec.decodeState(java.util.Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("bytes after its end");
        assertThatThrownBy(() -> ModelSnapshotCodec.decodeState(magic)).hasMessageContaining("not a cgledger model");
        assertThatThrownBy(() -> ModelSnapshotCodec.decodeHead(future)).hasMessageContaining("newer than this build");
    }

    @Test
    @DisplayName("recovery's own decoder reads what Pekko stored: every event (ours, and jackson-json's of earlier "
            + "builds), and a gzip'd JSON snapshot")
    void storedCodecDecodesWhatPekkoWrote() throws Exception {
        InMemoryLedger l = new InMemoryLedger();
        Scenarios.everyEvent().forEach(l::execute);
        Serializer pekkoJson = serialization.serializerByIdentity().apply(StoredCodec.JSON_ID);
        for (Recorded r : l.journal()) {
            JournalEntry e = JournalEntry.of(r);
            Serializer ser = serialization.findSerializerFor(e);
            assertThat(StoredCodec.decode(ser.toBinary(e), ser.identifier(), Serializers.manifestFor(ser, e),
                    JournalEntry.class)).isEqualTo(e);
            // the rows Pekko's jackson-json stored before this build had its own serializer: the same
            // JSON, but for the css_set tuple's cached hashes that Pekko's field visibility writes too
            assertThat(new String(ser.toBinary(e), StandardCharsets.UTF_8)).isEqualTo(
                    new String(pekkoJson.toBinary(e), StandardCharsets.UTF_8)
                            .replaceAll(",\"(hash|cssHash)\":-?[0-9]+", ""));
            assertThat(StoredCodec.decode(pekkoJson.toBinary(e), StoredCodec.JSON_ID, JournalEntry.class.getName(),
                    JournalEntry.class)).isEqualTo(e);
        }
        State s = State.EMPTY;
        for (Command c : new Workload(3).setup(300, 2_000)) {
            s = Decider.decide(s, c) instanceof Decision.Accepted a ? a.state() : s;
        }
        ModelSnapshot m = StateCodec.encode(s, Map.of("cgledger-system", 5L));
        byte[] json = serialization.serializerByIdentity().apply(StoredCodec.JSON_ID).toBinary(m);
        assertThat(json[0] & 0xff).as("Pekko gzips JSON above 32 KiB").isEqualTo(0x1f);
        assertThat(StoredCodec.decode(json, StoredCodec.JSON_ID, ModelSnapshot.class.getName(), ModelSnapshot.class))
                .isEqualTo(m);
        assertThatThrownBy(() -> StoredCodec.decode(json, 99, ModelSnapshot.class.getName(), ModelSnapshot.class))
                .hasMessageContaining("unknown serializer id 99");
        assertThatThrownBy(() -> StoredCodec.decode(json, StoredCodec.JSON_ID, "x.Other", JournalEntry.class))
                .hasMessageContaining("stored as x.Other");
    }

    @Test
    @DisplayName("a recorded count is read as the pattern 0|[1-9][0-9]{0,8} read it, checked by hand")
    void plainCountAsThePattern() {
        for (String c : List.of("", "0", "00", "01", "1", "9", "10", "123456789", "1234567890", "999999999", "-1", "+1",
                " 1", "1 ", "1a", "a", "\u0661", "1\u0661", "12345678x", "0x1", "3.0")) {
            assertThat(JournalEntry.plainCount(c)).as("'%s'", c).isEqualTo(c.matches("0|[1-9][0-9]{0,8}"));
        }
    }

    @Test
    @DisplayName("rows read for import keep their stream's name and their counters' names once, not once a row")
    void importedRowsShareNames() {
        Journals.Stored a = JournalRows.fromJson("{\"persistence_id\":\"cgledger-hierarchy-2\",\"sequence_number\":47,\"v\":1,\"seq\":200,\"time\":1796078562850,\"event\":{\"type\":\"CgroupCreated\",\"cgroup\":199,\"hierarchy\":2,\"parent\":2,\"name\":\"g46\",\"css\":[{\"subsys\":\"B\",\"serial\":47}],\"ownSet\":197,\"createdKey\":{\"css\":[{\"subsys\":\"A\",\"serial\":0},{\"subsys\":\"B\",\"serial\":47}],\"cgroups\":[]}},\"refcounts\":\"A0=48 B47=1 N197=1\"}");
        Journals.Stored b = JournalRows.fromJson("{\"persistence_id\":\"cgledger-hierarchy-2\",\"sequence_number\":48,\"v\":1,\"seq\":201,\"time\":1796078562850,\"event\":{\"type\":\"CgroupCreated\",\"cgroup\":200,\"hierarchy\":2,\"parent\":2,\"name\":\"g47\",\"css\":[{\"subsys\":\"B\",\"serial\":48}],\"ownSet\":198,\"createdKey\":{\"css\":[{\"subsys\":\"A\",\"serial\":0},{\"subsys\":\"B\",\"serial\":48}],\"cgroups\":[]}},\"refcounts\":\"A0=49 B48=1 N198=1\"}");
        assertThat(a.persistenceId()).isSameAs(b.persistenceId()).isEqualTo("cgledger-hierarchy-2");
        String a0 = a.record().refcounts().keySet().stream().filter("A0"::equals).findFirst().orElseThrow();
        assertThat(b.record().refcounts().keySet().stream().filter("A0"::equals).findFirst().orElseThrow()).isSameAs(a0);
        assertThat(a.record().refcounts()).isEqualTo(Map.of("A0", 48, "B47", 1, "N197", 1));
        assertThat(JournalRows.toJson(a)).isEqualTo("{\"persistence_id\":\"cgledger-hierarchy-2\",\"sequence_number\":47,\"v\":1,\"seq\":200,\"time\":1796078562850,\"event\":{\"type\":\"CgroupCreated\",\"cgroup\":199,\"hierarchy\":2,\"parent\":2,\"name\":\"g46\",\"css\":[{\"subsys\":\"B\",\"serial\":47}],\"ownSet\":197,\"createdKey\":{\"css\":[{\"subsys\":\"A\",\"serial\":0},{\"subsys\":\"B\",\"serial\":47}],\"cgroups\":[]}},\"refcounts\":\"A0=48 B47=1 N197=1\"}");
    }

    @Test
    @DisplayName("the ledger-wide number at a stored payload's head is read from its bytes as the parser reads it")
    void seqAtHeadAsTheParser() {
        for (String head : List.of("{\"v\":1,\"seq\":200,\"time\":1}", "{\"v\":1,\"seq\":0,", "{\"v\":1,\"seq\":7}",
                "{\"v\":1,\"seq\":012,", "{\"v\":1,\"seq\":00,", "{\"v\":1,\"seq\":-3,", "{\"v\":1,\"seq\":12x,",
                "{\"v\":1,\"seq\":12", "{\"v\":1,\"seq\":", "{\"v\":1,\"seq\":,", "{\"v\":1,\"seq\":1.5,",
                "{\"v\":1,\"seq\":123456789012345678,", "{\"v\":1,\"seq\":1234567890123456789,",
                "{\"v\":1,\"seq\":12345678901234567890,", "{\"v\":1,\"seq\":\"4\",", "{\"v\":2,\"seq\":4,",
                "{\"seq\":5,\"v\":1}", "{\"v\":1, \"seq\":6,", "{\"v\":1,\"seq\": 6,", "{\"v\":1,\"seq\":6 ,", "", "{",
                "[1]")) {
            byte[] b = head.getBytes(StandardCharsets.UTF_8);
            assertThat(EncodedRows.seqAtHead(b)).as(head).isEqualTo(EncodedRows.seqAtHeadParsed(b));
        }
        assertThat(EncodedRows.seqAtHead("{\"v\":1,\"seq\":200,\"time\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
    }
}
