package org.cgledger.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The journal's rows after a snapshot, read and decoded on a thread of their own and handed to
 * recovery merged into ledger-wide order: on two cores, reading and decoding the next rows
 * overlaps folding the previous ones. Each stream is read in pages; a gap in a stream's sequence
 * numbers, or a ledger-wide number that does not increase along a stream ({@link StreamOrder}), is
 * damage and ends the feed with an error naming the stream and the row.
 */
final class RecoveryFeed implements AutoCloseable {

    /** Rows per query of one stream. */
    static final int PAGE = 8_192;

    /** Rows handed over at once (fewer hand-offs, the same order). */
    private static final int BATCH = 1_024;

    /** The last item handed over (an instance of its own: {@code List.of()} is shared). */
    private static final List<JournalStore.Row> END = new ArrayList<>(0);

    private final JournalStore store;
    private final int page;
    private final List<Stream> streams = new ArrayList<>();
    private final BlockingQueue<Object> handed = new ArrayBlockingQueue<>(64);
    private final Thread reader;
    private volatile boolean stopped;
    private List<JournalStore.Row> current = new ArrayList<>(0);
    private int at;

    /**
     * @param from each stream's persistence id and the sequence number to read after
     * @param page rows per query of one stream
     */
    RecoveryFeed(JournalStore store, Map<String, Long> from, int page) {
        this.store = store;
        this.page = page;
        for (Map.Entry<String, Long> e : from.entrySet()) {
            streams.add(new Stream(e.getKey(), e.getValue()));
        }
        this.reader = new Thread(this::run, "cgledger-recovery-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next row in ledger-wide order, or null after the last. */
    JournalStore.Row next() throws SQLException {
        if (at == current.size()) {
            if (current == END) {
                return null;
            }
            Object item;
            try {
                item = handed.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LedgerException("interrupted while reading the journal", e);
            }
            if (item instanceof SQLException e) {
                throw new SQLException(e.getMessage(), e);
            }
            if (item instanceof LedgerException e) {
                throw new LedgerException(e.getMessage(), e);
            }
            if (item instanceof RuntimeException e) {
                throw new IllegalStateException("the journal reader failed: " + e, e);
            }
            @SuppressWarnings("unchecked")
            List<JournalStore.Row> batch = (List<JournalStore.Row>) item;
            current = batch;
            at = 0;
            if (batch == END) {
                return null;
            }
        }
        return current.get(at++);
    }

    /** Stops the reader (when recovery ends early: damage, or a torn tail to cut) and waits for it. */
    @Override
    public void close() {
        stopped = true;
        while (reader.isAlive()) {
            handed.clear();
            try {
                reader.join(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run() {
        try (Connection c = store.connect()) {
            PriorityQueue<Stream> heads = new PriorityQueue<>(Comparator.comparingLong(Stream::headSeq));
            for (Stream s : streams) {
                if (s.fill(c)) {
                    heads.add(s);
                }
            }
            List<JournalStore.Row> batch = new ArrayList<>(BATCH);
            while (!heads.isEmpty() && !stopped) {
                Stream s = heads.poll();
                batch.add(s.rows.poll());
                if (s.fill(c)) {
                    heads.add(s);
                }
                if (batch.size() == BATCH) {
                    hand(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                hand(batch);
            }
            hand(END);
        } catch (SQLException | RuntimeException e) {
            hand(e);
        }
    }

    private void hand(Object item) {
        try {
            while (!stopped) {
                if (handed.offer(item, 10, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One stream's decoded rows not yet handed over, refilled a page at a time. */
    private final class Stream {
        final String persistenceId;
        final ArrayDeque<JournalStore.Row> rows = new ArrayDeque<>();
        final StreamOrder order;
        boolean exhausted;

        Stream(String persistenceId, long after) {
            this.persistenceId = persistenceId;
            this.order = new StreamOrder(persistenceId, after);
        }

        long headSeq() {
            return rows.peek().entry().seq();
        }

        /** Reads the next page if none is buffered; false when the stream has no more rows. */
        boolean fill(Connection c) throws SQLException {
            if (!rows.isEmpty()) {
                return true;
            }
            if (exhausted || stopped) {
                return false;
            }
            List<JournalStore.Row> rowsRead = store.read(c, persistenceId, order.last(), page);
            if (rowsRead.size() < page) {
                exhausted = true;
            }
            for (JournalStore.Row r : rowsRead) {
                String damage = order.next(r.sequenceNr(), r.entry().seq());
                if (damage != null) {
                    throw new LedgerException("journal damaged: " + damage);
                }
                rows.add(r);
            }
            return !rows.isEmpty();
        }
    }
}
