package org.cgledger.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerException;

/** How the command line opens a ledger directory (the durable ledger in production, in-memory ones in tests). */
@FunctionalInterface
public interface LedgerOpener {

    /**
     * Opens (creating if missing) the ledger in {@code dir}.
     *
     * @throws LedgerException when it is locked, unreadable or corrupt
     */
    Ledger open(Path dir);

    /** Whether a ledger already exists in {@code dir}: views never create one. By default: a non-empty directory. */
    default boolean exists(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new LedgerException("cannot read ledger directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
