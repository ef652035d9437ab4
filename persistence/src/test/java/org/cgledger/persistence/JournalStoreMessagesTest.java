package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JournalStore.rootMessage: what went wrong with the journal, in words")
class JournalStoreMessagesTest {

    /** H2's failure to write its file, as a batch of inserts meets it: the batch has no cause, its statement's failure does. */
    private static SQLException failedBatch(Throwable ioCause) {
        MVStoreException store = DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED,
                "Writing to {0} failed; length {1} at {2}", "sun.nio.ch.FileChannelImpl@26e43797", 49152, 4186112);
        store.initCause(ioCause);
        SQLException statement = new SQLException("General error: \"" + store + "\"", "HY000", 50000, store);
        BatchUpdateException batch = new BatchUpdateException(statement.getMessage(), new int[0]);
        batch.setNextException(statement);
        return batch;
    }

    @Test
    @DisplayName("a write that failed says the file could not be written and why (a file size limit, a full disk), "
            + "not H2's 'General error' naming a Java object")
    void writeFailed() {
        assertThat(JournalStore.rootMessage(new LedgerException("cannot write 2000 journal rows",
                failedBatch(new IOException("File too large")))))
                .isEqualTo("the journal file could not be written: File too large");
        assertThat(JournalStore.rootMessage(failedBatch(new IOException("No space left on device"))))
                .isEqualTo("the journal file could not be written: No space left on device");
        assertThat(JournalStore.rootMessage(failedBatch(new AccessDeniedException("/l/journal.mv.db"))))
                .isEqualTo("the journal file could not be written: Permission denied");
        assertThat(JournalStore.rootMessage(failedBatch(null))).isEqualTo("the journal file could not be written");
        // the failed store is not waited on as the ledger closes; any other failure's write may be under way
        assertThat(JournalStore.writingFailed(new LedgerException("cannot write 2000 journal rows",
                failedBatch(new IOException("File too large"))))).isTrue();
        assertThat(JournalStore.writingFailed(new java.util.concurrent.TimeoutException("the write timed out"))).isFalse();
        assertThat(JournalStore.writingFailed(new SQLException("Unique index or primary key violation"))).isFalse();
    }

    @Test
    @DisplayName("a file shorter than its own header or chunks, and a batch's reason found through its statement")
    void others() {
        MVStoreException shortFile = DataUtils.newMVStoreException(DataUtils.ERROR_READING_FAILED, "Reading from {0} failed",
                "sun.nio.ch.FileChannelImpl@1");
        shortFile.initCause(new EOFException());
        assertThat(JournalStore.rootMessage(shortFile)).isEqualTo("the journal file is damaged: it ends before its own "
                + "header or data does (cut short, or not a journal file)");
        MVStoreException page = DataUtils.newMVStoreException(DataUtils.ERROR_FILE_CORRUPT,
                "Unable to read the page at position 0x{0}, chunk {1}, {2}", "538000f8b056",
                "chunk:14e,block:10b3,len:61,pages:15a,livePages:135,max:3a8c0", "toc:0, next: 0");
        assertThat(JournalStore.rootMessage(new SQLException("General error", page))).isEqualTo("the journal file is "
                + "damaged: Unable to read the page at position 0x538000f8b056");
        BatchUpdateException batch = new BatchUpdateException("batch failed", new int[0]);
        batch.setNextException(new SQLException("Unique index or primary key violation [23505-252]"));
        assertThat(JournalStore.rootMessage(batch)).isEqualTo("Unique index or primary key violation");
    }
}
