package org.cgledger.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/** One JDBC transaction on a connection that otherwise auto-commits. */
public final class Transactions {

    private Transactions() {
    }

    /** Statements run by {@link #run}. */
    @FunctionalInterface
    public interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} on {@code c} as one transaction: committed if it returns, rolled back if it
     * throws anything, an error too; {@code c} auto-commits again afterwards either way. (Work may
     * commit part-way itself.) An error once left the statements run before it to the
     * {@code setAutoCommit(true)} after it, which commits them: half a batch of journal rows when
     * the heap ran out in the middle of one.
     */
    public static void run(Connection c, Work work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (Throwable e) {
            try {
                c.rollback();
            } catch (SQLException | RuntimeException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
