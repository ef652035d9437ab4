package org.cgledger.persistence;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A process that holds a ledger directory's lock and nothing else: says {@code LOCKED}, then
 * holds it until its stdin ends. For the tests of what another process sees of a held ledger.
 */
final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (LedgerLock lock = LedgerLock.acquire(Path.of(args[0]), Duration.ofSeconds(5))) {
            System.out.println("LOCKED");
            System.out.flush();
            while (System.in.read() >= 0) {
                // held until the parent closes the pipe (or dies)
            }
        }
    }
}
