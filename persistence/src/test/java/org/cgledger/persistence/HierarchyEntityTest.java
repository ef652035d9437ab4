package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.cgledger.core.event.MountPointAdded;
import org.cgledger.core.event.MountPointRemoved;
import org.cgledger.core.model.HierarchyId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("HierarchyEntity records and replies only after persisting")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HierarchyEntityTest {

    ActorTestKit kit;

    @BeforeAll
    void start() {
        kit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
    }

    @AfterAll
    void stop() {
        kit.shutdownTestKit();
    }

    static JournalEntry entry(long seq) {
        return new JournalEntry(JournalEntry.VERSION, seq, 1_000 + seq,
                seq % 2 == 0 ? new MountPointAdded(new HierarchyId(3), "/m" + seq)
                        : new MountPointRemoved(new HierarchyId(3), "/m" + seq), "");
    }

    @Test
    @DisplayName("an append persists every entry atomically, in order, then replies with the last number")
    void appendPersistsThenReplies() {
        EventSourcedBehaviorTestKit<HierarchyEntity.Command, JournalEntry, HierarchyEntity.Tail> es =
                EventSourcedBehaviorTestKit.create(kit.system(), HierarchyEntity.create(new HierarchyId(3)),
                        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyCommands(false));
        var result = es.<HierarchyEntity.Appended>runCommand(r -> new HierarchyEntity.Append(
                List.of(entry(7), entry(8), entry(9)), r));
        assertThat(result.events()).containsExactly(entry(7), entry(8), entry(9));
        assertThat(result.reply()).isEqualTo(new HierarchyEntity.Appended(9));
        assertThat(result.state()).isEqualTo(new HierarchyEntity.Tail(9));
        es.restart();
        var more = es.<HierarchyEntity.Appended>runCommand(r -> new HierarchyEntity.Append(List.of(entry(12)), r));
        assertThat(more.reply()).isEqualTo(new HierarchyEntity.Appended(12));
        assertThat(es.persistenceTestKit().persistedInStorage(HierarchyEntity.name(new HierarchyId(3))))
                .containsExactly(entry(7), entry(8), entry(9), entry(12));
    }

    @Test
    @DisplayName("persistence ids: one per hierarchy, one for the system stream")
    void ids() {
        assertThat(HierarchyEntity.name(HierarchyId.DEFAULT)).isEqualTo("cgledger-system");
        assertThat(HierarchyEntity.name(new HierarchyId(4))).isEqualTo("cgledger-hierarchy-4");
    }
}
