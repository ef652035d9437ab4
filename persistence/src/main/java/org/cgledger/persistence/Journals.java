package org.cgledger.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.cgledger.core.model.HierarchyId;

/**
 * Reads a ledger's journal back as it is stored, for audit and history: every stream's records
 * merged into ledger-wide order, nothing checked, cut or written (a damaged journal is read as it
 * is, so the audit can say what is wrong). Takes the ledger's lock while reading.
 */
public final class Journals {

    private Journals() {
    }

    /** One stored record with where it is stored. */
    public record Stored(String persistenceId, long sequenceNr, Recorded record) {
    }

    /**
     * Every record of the ledger in {@code dir}, ordered by ledger-wide number (ties, which only a
     * damaged journal has, by stream and sequence number).
     *
     * @throws LedgerException if the ledger is locked past {@code lockTimeout}, missing or unreadable
     */
    public static List<Stored> readAll(Path dir, Duration lockTimeout) {
        if (!Files.isDirectory(dir)) {
            throw new LedgerException("no ledger at " + dir);
        }
        DurableLedger.Options options = DurableLedger.Options.defaults();
        JournalStore.Target target = options.target(dir);
        if (target.isH2() && !Files.exists(dir.resolve("journal.mv.db"))) {
            throw new LedgerException("no ledger at " + dir + " (no journal.mv.db)");
        }
        try (LedgerLock lock = LedgerLock.acquire(dir, lockTimeout)) {
            JournalStore store = new JournalStore(target);
            Config config = ConfigFactory.parseString("pekko.persistence.journal.plugin = \"\"\n"
                    + "pekko.persistence.snapshot-store.plugin = \"\"").withFallback(ConfigFactory.load());
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "cgledger-reader", config);
            try {
                Serialization serialization = SerializationExtension.get(system);
                List<Stored> out = new ArrayList<>();
                for (Map.Entry<String, Long> stream : store.streams().entrySet()) {
                    HierarchyId id = streamOf(stream.getKey());
                    if (id == null) {
                        continue;
                    }
                    for (JournalStore.Row row : store.read(stream.getKey(), 0, serialization)) {
                        JournalEntry e = row.entry();
                        out.add(new Stored(row.persistenceId(), row.sequenceNr(),
                                new Recorded(e.seq(), e.time(), id, e.event(), e.counters())));
                    }
                }
                out.sort(Comparator.comparingLong((Stored s) -> s.record().seq())
                        .thenComparing(Stored::persistenceId).thenComparingLong(Stored::sequenceNr));
                return out;
            } finally {
                system.terminate();
                try {
                    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the database is closed below either way
                }
                try {
                    store.shutdown();
                } catch (SQLException ignored) {
                    // already closed
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot read the journal in " + dir + ": " + JournalStore.rootMessage(e), e);
        }
    }

    /** The stream of a persistence id, or null for one that is not cgledger's. */
    public static HierarchyId streamOf(String persistenceId) {
        if (persistenceId.equals("cgledger-system")) {
            return HierarchyId.DEFAULT;
        }
        String prefix = "cgledger-hierarchy-";
        if (persistenceId.startsWith(prefix)) {
            try {
                return new HierarchyId(Integer.parseInt(persistenceId.substring(prefix.length())));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
