package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CgledgerJournalDao: the heap running out in a journal write fails the write")
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
}
