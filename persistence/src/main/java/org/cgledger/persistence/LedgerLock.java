package org.cgledger.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The exclusive lock on a ledger directory, taken before H2 or Pekko start: a second process
 * waits up to a timeout and then fails naming the holder, instead of hanging ~20 s in Slick and
 * failing with "Circuit Breaker Timed out". The operating system drops the lock when its holder
 * dies, kill -9 included. The lock file holds the holder's pid and start time, for the message.
 *
 * <p>A reader of a ledger this user may read but not write ({@link #acquireToRead}: its lock file
 * or directory not writable, or on a read-only file system) takes a shared lock instead, through
 * the lock file opened for reading: it waits for a writer as an exclusive lock would, and a writer
 * waits for it.
 */
final class LedgerLock implements AutoCloseable {

    static final String FILE = "ledger.lock";

    /** Null for a read-only ledger without a lock file (its H2 file's own lock is the guard). */
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean shared;

    private LedgerLock(FileChannel channel, FileLock lock, boolean shared) {
        this.channel = channel;
        this.lock = lock;
        this.shared = shared;
    }

    /** The exclusive lock, for a process that may write: the lock file is created if missing. */
    static LedgerLock acquire(Path dir, Duration timeout) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            if (readOnly(dir)) {
                // compact, import over it...: in the words a write on such a ledger is refused with
                throw new LedgerException(readOnlyMessage(dir), e);
            }
            throw new LedgerException("cannot open the lock file " + file + ": " + IoReasons.of(e), e);
        }
        return waitFor(dir, ch, false, timeout);
    }

    /**
     * The lock for a process that only reads: the exclusive one if this user may write the lock
     * file (or create it), else ({@link #readOnly}) a shared one through the lock file opened for
     * reading, or none when there is no lock file to open (a ledger copied without it into a
     * directory this user cannot write: H2 locks its file against a writer all the same).
     */
    static LedgerLock acquireToRead(Path dir, Duration timeout) {
        Path file = dir.resolve(FILE);
        if (!readOnly(dir)) {
            return acquire(dir, timeout);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return new LedgerLock(null, null, true);
        } catch (IOException e) {
            throw new LedgerException("cannot open the lock file " + file + ": " + IoReasons.of(e), e);
        }
        return waitFor(dir, ch, true, timeout);
    }

    /**
     * Whether this user may read but not write the ledger in {@code dir}: its lock file, or the
     * directory where it would be created, is not writable (access(2): permissions, or a read-only
     * file system).
     */
    static boolean readOnly(Path dir) {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            return !Files.isWritable(file);
        }
        return Files.isDirectory(dir) && !Files.isWritable(dir);
    }

    /**
     * Why a ledger that {@link #readOnly} cannot be written, as the C library says it: what opening
     * its lock file for writing (or creating one) fails with.
     */
    static String whyReadOnly(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            if (Files.getFileStore(dir).isReadOnly()) {
                return file + ": Read-only file system";
            }
            if (Files.exists(file)) {
                FileChannel.open(file, StandardOpenOption.WRITE).close();
                return file + ": writable";
            }
        } catch (IOException e) {
            return file + ": " + IoReasons.of(e);
        }
        return dir + ": Permission denied";
    }

    /** What a write on a ledger that {@link #readOnly} is refused with. */
    static String readOnlyMessage(Path dir) {
        return "this user may read the ledger but not write it (" + whyReadOnly(dir) + ")";
    }

    /** Whether this lock is a reader's shared one on a read-only ledger ({@link #acquireToRead}). */
    boolean shared() {
        return shared;
    }

    private static LedgerLock waitFor(Path dir, FileChannel ch, boolean shared, Duration timeout) {
        Path file = dir.resolve(FILE);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock(0, Long.MAX_VALUE, shared);
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l != null) {
                    if (!shared) {
                        byte[] me = (ProcessHandle.current().pid() + " " + java.time.Instant.now() + "\n")
                                .getBytes(StandardCharsets.UTF_8);
                        ch.truncate(0);
                        ch.write(ByteBuffer.wrap(me), 0);
                    }
                    return new LedgerLock(ch, l, shared);
                }
                if (System.nanoTime() >= deadline) {
                    String holder = holderOf(file);
                    ch.close();
                    // no directory: the command line names the ledger before every ledger error
                    throw new LedgerException("in use by another process"
                            + (holder.isEmpty() ? "" : " (" + holder + ")") + "; waited " + timeout.toMillis() + " ms");
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw new LedgerException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(ch);
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while waiting for the lock on " + dir, e);
        }
    }

    /**
     * Who holds the lock on {@code dir} when another process does ({@code "pid 4242, since
     * 2024-01-01T00:00:00Z"}, or {@code "another process"} when its lock file says nothing); empty
     * when it is free, when there is no lock file, or when this process holds it. Tries the lock once
     * and lets go at once: no waiting, nothing written.
     */
    static Optional<String> holder(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return Optional.empty(); // this process's own
            }
            if (l != null) {
                l.release();
                return Optional.empty();
            }
            String holder = holderOf(file);
            return Optional.of(holder.isEmpty() ? "another process" : holder);
        } catch (IOException e) {
            return Optional.empty(); // opening the ledger says what is wrong
        }
    }

    /** What the lock file says of its holder ({@code "pid 4242, since 2024-01-01T00:00:00Z"}); empty if nothing. */
    private static String holderOf(Path file) throws IOException {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        return holder.isEmpty() ? "" : "pid " + holder.replace(" ", ", since ");
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new LedgerException("cannot release the ledger lock: " + e.getMessage(), e);
        }
    }
}
