package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Transactions.run: all of the work or none of it")
class TransactionsTest {

    private Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:h2:mem:transactions-test;DB_CLOSE_DELAY=-1");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rows_written (n INT)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE rows_written");
        }
        c.close();
    }

    private void insert(int n) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO rows_written VALUES (" + n + ")");
        }
    }

    private int rows() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM rows_written")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    @DisplayName("work that returns is committed, and the connection auto-commits again")
    void commits() throws SQLException {
        Transactions.run(c, () -> {
            insert(1);
            insert(2);
        });
        assertThat(rows()).isEqualTo(2);
        assertThat(c.getAutoCommit()).isTrue();
    }

    @Test
    @DisplayName("an exception part-way rolls back what ran before it")
    void exceptionRollsBack() throws SQLException {
        assertThatThrownBy(() -> Transactions.run(c, () -> {
            insert(1);
            throw new IllegalStateException("part-way");
        })).isInstanceOf(IllegalStateException.class).hasMessage("part-way");
        assertThat(rows()).isZero();
        assertThat(c.getAutoCommit()).isTrue();
    }

    @Test
    @DisplayName("an error part-way (the heap running out in the middle of a batch) rolls back what ran before it, "
            + "and is thrown as it was")
    void errorRollsBack() throws SQLException {
        OutOfMemoryError oom = new OutOfMemoryError("simulated");
        assertThatThrownBy(() -> Transactions.run(c, () -> {
            insert(1);
            insert(2);
            throw oom;
        })).isSameAs(oom);
        assertThat(rows()).isZero();
        assertThat(c.getAutoCommit()).isTrue();
    }

    @Test
    @DisplayName("a rollback that fails too leaves the transaction open, not committed by turning auto-commit on")
    void failedRollbackCommitsNothing() throws SQLException {
        OutOfMemoryError oom = new OutOfMemoryError("simulated");
        Connection failing = (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("rollback")) {
                        throw new OutOfMemoryError("in the rollback too");
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        assertThatThrownBy(() -> Transactions.run(failing, () -> {
            insert(1);
            throw oom;
        })).isSameAs(oom).satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                .satisfies(r -> assertThat(r).hasMessage("in the rollback too")));
        // another connection sees nothing; closing this one (as its caller does) rolls it back
        try (Connection other = DriverManager.getConnection("jdbc:h2:mem:transactions-test")) {
            try (Statement s = other.createStatement();
                 ResultSet r = s.executeQuery("SELECT COUNT(*) FROM rows_written")) {
                r.next();
                assertThat(r.getInt(1)).isZero();
            }
        }
        c.rollback();
        c.setAutoCommit(true);
        assertThat(rows()).isZero();
    }

    @Test
    @DisplayName("a commit that fails is a CommitFailed (whether it committed cannot be told), and the committed hook is not run")
    void failedCommitSaysSo() {
        boolean[] hooked = {false};
        Connection failing = (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        throw new SQLException("connection reset", "08006");
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        assertThatThrownBy(() -> Transactions.run(failing, () -> insert(1), () -> hooked[0] = true))
                .isInstanceOf(Transactions.CommitFailed.class).hasMessage("connection reset")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08006"));
        assertThat(hooked[0]).isFalse();
        boolean[] ran = {false};
        assertThatCode(() -> Transactions.run(c, () -> insert(2), () -> ran[0] = true)).doesNotThrowAnyException();
        assertThat(ran[0]).isTrue();
    }
}
