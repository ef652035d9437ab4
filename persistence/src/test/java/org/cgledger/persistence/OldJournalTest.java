package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.command.Command;
import org.cgledger.core.state.Refcounts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old journals stay readable: {@code fixtures/journal-v1.jsonl} holds the rows (payloads as
 * stored) of a ledger written by the first event version, covering every event type. Every
 * later build must open it and reach the state those commands give today. To write a fixture
 * for a new version (never overwrite an old one): {@code -Dcgledger.writeFixture=PATH}.
 */
@DisplayName("A journal written by event version 1 still opens")
class OldJournalTest {

    static final String FIXTURE = "/fixtures/journal-v1.jsonl";

    @TempDir
    Path dir;

    @Test
    void version1Replays() throws Exception {
        String target = System.getProperty("cgledger.writeFixture");
        if (target != null) {
            writeFixture(Path.of(target));
        }
        List<String> lines;
        try (InputStream in = OldJournalTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as("fixture %s", FIXTURE).isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        JournalStore store = new JournalStore(JournalStore.url(dir));
        store.createSchema();
        ObjectMapper json = new ObjectMapper();
        try (Connection c = store.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO PUBLIC."
                + "\"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\", \"write_timestamp\", "
                + "\"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") "
                + "VALUES (?, ?, 'fixture', 0, '', ?, ?, ?)")) {
            for (String line : lines) {
                JsonNode row = json.readTree(line);
                ps.setString(1, row.get("persistence_id").asText());
                ps.setLong(2, row.get("sequence_number").asLong());
                ps.setBytes(3, row.get("payload").asText().getBytes(StandardCharsets.UTF_8));
                ps.setInt(4, row.get("ser_id").asInt());
                ps.setString(5, row.get("manifest").asText());
                ps.executeUpdate();
            }
        }
        store.shutdown();
        InMemoryLedger expected = new InMemoryLedger();
        for (Command cmd : Scenarios.version1()) {
            expected.execute(cmd);
        }
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state()).isEqualTo(expected.state());
            assertThat(l.recovery().replayed()).isEqualTo(lines.size());
            assertThat(Refcounts.violations(l.state())).isEmpty();
        }
    }

    /** Writes the current version's journal of {@link Scenarios#version1()} as a fixture. */
    static void writeFixture(Path target) throws Exception {
        Path d = Files.createTempDirectory("fixture");
        try (DurableLedger l = DurableLedger.open(d, DurableLedger.Options.defaults().withSnapshots(1 << 30, 1 << 30))) {
            for (Command c : Scenarios.version1()) {
                l.execute(c);
            }
        }
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(JournalStore.url(d), "sa", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"persistence_id\", \"sequence_number\", \"event_ser_id\", "
                     + "\"event_ser_manifest\", \"event_payload\" FROM PUBLIC.\"event_journal\" ORDER BY \"ordering\"")) {
            while (rs.next()) {
                ObjectNode row = json.createObjectNode();
                row.put("persistence_id", rs.getString(1));
                row.put("sequence_number", rs.getLong(2));
                row.put("ser_id", rs.getInt(3));
                row.put("manifest", rs.getString(4));
                row.put("payload", new String(rs.getBytes(5), StandardCharsets.UTF_8));
                out.add(json.writeValueAsString(row));
            }
            st.execute("SHUTDOWN");
        }
        Files.write(target, out, StandardCharsets.UTF_8);
    }
}
