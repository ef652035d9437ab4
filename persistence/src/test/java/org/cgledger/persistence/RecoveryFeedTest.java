package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("recovery reads the streams in pages on a thread of its own, merged by event number")
class RecoveryFeedTest {

    @TempDir
    Path dir;

    JournalStore store;
    long events;

    @BeforeEach
    void write() throws SQLException {
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withWindowEvents(50))) {
            l.executeAll(DurableLedgerTest.acrossStreams(120));
            events = l.state().lastEvent();
        }
        store = new JournalStore(JournalStore.Target.h2(dir));
        store.keepOpen();
    }

    @AfterEach
    void stop() throws SQLException {
        store.shutdown();
    }

    private Map<String, Long> everyStream(long after) throws SQLException {
        Map<String, Long> from = new LinkedHashMap<>();
        for (String pid : store.streams().keySet()) {
            if (Journals.streamOf(pid) != null) {
                from.put(pid, after);
            }
        }
        return from;
    }

    private List<JournalStore.Row> drain(RecoveryFeed feed) throws SQLException {
        List<JournalStore.Row> out = new ArrayList<>();
        for (JournalStore.Row r; (r = feed.next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    @Test
    @DisplayName("pages of 3 rows give every event once, in order, as one page per stream does")
    void pagesMerge() throws SQLException {
        List<JournalStore.Row> small;
        try (RecoveryFeed feed = new RecoveryFeed(store, everyStream(0), 3)) {
            small = drain(feed);
        }
        assertThat(small).extracting(r -> r.entry().seq())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events).boxed().toList());
        assertThat(small.stream().map(JournalStore.Row::persistenceId).distinct().count()).as("streams").isEqualTo(3);
        try (RecoveryFeed feed = new RecoveryFeed(store, everyStream(0), RecoveryFeed.PAGE)) {
            assertThat(drain(feed)).isEqualTo(small);
        }
    }

    @Test
    @DisplayName("a gap in a later page of a stream fails, naming the stream and the numbers")
    void gapInALaterPage() throws SQLException {
        try (Connection c = DriverManager.getConnection(JournalStore.url(dir), "sa", "");
             Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = 'cgledger-hierarchy-2' "
                    + "AND \"sequence_number\" = 40");
        }
        try (RecoveryFeed feed = new RecoveryFeed(store, everyStream(0), 7)) {
            assertThatThrownBy(() -> drain(feed)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("stream cgledger-hierarchy-2 has a gap: sequence number 41 follows 39");
        }
    }

    @Test
    @DisplayName("closed early, the reader stops and nothing more is handed over")
    void closeEarly() throws SQLException {
        RecoveryFeed feed = new RecoveryFeed(store, everyStream(0), 2);
        assertThat(feed.next().entry().seq()).isEqualTo(1);
        feed.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("cgledger-recovery-reader"));
    }
}
