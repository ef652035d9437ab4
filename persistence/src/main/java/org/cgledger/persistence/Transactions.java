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
     * throws anything, an error too; {@code c} auto-commits again afterwards once it was committed
     * or rolled back. (Work may commit part-way itself.) If even the rollback fails, {@code c} is left
     * as it is, its transaction open, for the caller to close (which rolls it back): turning
     * auto-commit on would commit it. An error once skipped the rollback, and the
     * {@code setAutoCommit(true)} after it committed the statements run before it: half a batch of
     * journal rows when the heap ran out in the middle of one.
     */
    public static void run(Connection c, Work work) throws SQLException {
        run(c, work, () -> { });
    }

    /**
     * {@link #run(Connection, Work)}, calling {@code committed} once the commit has returned (before
     * auto-commit is turned on again), so that a caller can tell a failure after the commit, which
     * this still throws, from the transaction's own. A commit that throws is a {@link CommitFailed}.
     */
    public static void run(Connection c, Work work, Runnable committed) throws SQLException {
        c.setAutoCommit(false);
        boolean ended = false;
        boolean done = false;
        try {
            work.run();
            try {
                c.commit();
            } catch (SQLException e) {
                throw new CommitFailed(e);
            }
            ended = true;
            done = true;
        } catch (Throwable e) {
            try {
                c.rollback();
                ended = true;
            } catch (Throwable r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            try {
                if (done) {
                    committed.run();
                }
            } finally {
                if (ended) {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    /**
     * The commit itself failed: whether the database committed before the failure (a connection
     * lost during the commit) cannot be told here. Carries the failure's message, SQLState and cause.
     */
    public static final class CommitFailed extends SQLException {
        private static final long serialVersionUID = 1L;

        CommitFailed(SQLException e) {
            super(e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }
}
