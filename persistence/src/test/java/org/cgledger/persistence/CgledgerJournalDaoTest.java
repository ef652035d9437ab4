package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CgledgerJournalDao: what fails a journal write, and what does not")
class CgledgerJournalDaoTest {

    @Test
    @DisplayName("an out-of-memory error in the write is a failed write carrying it, which the command reports "
            + "in one line (exit 3), not a fatal error that Pekko ends the JVM for (exit 255)")
    void outOfMemoryFailsTheWrite() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertThatThrownBy(() -> CgledgerJournalDao.failedOnOutOfMemory("writing 3 journal rows", () -> {
            throw oom;
        })).isInstanceOf(LedgerException.class).hasMessage("out of memory writing 3 journal rows").hasCause(oom);
        assertThat(CgledgerJournalDao.failedOnOutOfMemory("writing 1 journal row", () -> "written"))
                .isEqualTo("written");
        // other errors are left to whoever handles them
        StackOverflowError deep = new StackOverflowError();
        assertThatThrownBy(() -> CgledgerJournalDao.failedOnOutOfMemory("writing", () -> {
            throw deep;
        })).isSameAs(deep);
    }

    /** A connection to a fresh in-memory table whose {@code close} (after the commit) fails if {@code closeFails}. */
    private static Connection connection(String name, boolean closeFails, java.util.List<String> calls)
            throws java.sql.SQLException {
        java.sql.Connection real = java.sql.DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        try (java.sql.Statement st = real.createStatement()) {
            st.executeUpdate("CREATE TABLE IF NOT EXISTS t (n INT)");
        }
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(CgledgerJournalDaoTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (closeFails && method.getName().equals("close")) {
                        real.close();
                        throw new java.sql.SQLException("connection reset", "08006");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static int rows(String name) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:" + name);
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet r = st.executeQuery("SELECT COUNT(*) FROM t")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    @DisplayName("a write whose connection fails to close after the commit succeeded: its rows are durable, so it "
            + "is not a failed write; one that fails before the commit is")
    void failureAfterCommitIsNoFailedWrite() throws Exception {
        java.util.List<String> calls = new java.util.ArrayList<>();
        CgledgerJournalDao.inTransaction(() -> connection("dao-after", true, calls), c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO t VALUES (1)");
            }
        });
        assertThat(calls).containsSubsequence("commit", "close");
        assertThat(rows("dao-after")).isEqualTo(1);
        assertThatThrownBy(() -> CgledgerJournalDao.inTransaction(() -> connection("dao-before", true,
                new java.util.ArrayList<>()), c -> {
                    try (java.sql.Statement st = c.createStatement()) {
                        st.executeUpdate("INSERT INTO t VALUES (1)");
                        throw new java.sql.SQLException("No space left on device");
                    }
                })).isInstanceOf(java.sql.SQLException.class).hasMessage("No space left on device");
        assertThat(rows("dao-before")).isZero();
    }
}
