package org.cgledger.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A ledger directory as one path: the operating system's, which the lock, the H2 URL, the
 * server's socket and the messages all use, and which H2 must be able to read back from its URL.
 *
 * <p>Resolving by text alone put a ledger's files in two places: for {@code LINK/../NAME}, the
 * operating system creates {@code NAME} beside the link's target, where the lock went, while
 * {@link Path#normalize} (and H2, which normalizes its file name so) drops {@code LINK/..} and put
 * the journal beside the link. And H2 reads its database's file name out of the text of its URL,
 * {@code jdbc:h2:file:DIR/journal;SETTINGS}: a directory whose path holds what that text treats
 * specially (see {@link #unusable}) named another file, or ran the SQL of an {@code INIT} setting.
 */
public final class LedgerDirectory {

    private LedgerDirectory() {
    }

    /**
     * Flushes directory {@code dir}'s entries to the disk (fsync of the directory): a journal file
     * just linked or moved into it is still there after a crash of the machine or a power cut
     * (its own contents are flushed as it closes, or by the ledger before it answers). A file
     * system that cannot flush a directory (EINVAL, as some FUSE ones answer; PostgreSQL passes
     * over it alike) is let be: its entries are as durable as it makes them.
     */
    static void sync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!cannotFlushDirectories(e)) {
                throw e;
            }
        }
    }

    /** Whether {@code e} is a file system's answer that it does not flush directories at all. */
    static boolean cannotFlushDirectories(IOException e) {
        String why = e.getMessage();
        return why != null && (why.contains("Invalid argument") || why.contains("Operation not supported"));
    }

    /**
     * The directory {@code given} names, as the operating system resolves it: the real path
     * ({@link Path#toRealPath}) of the directory if it exists, else that of its longest existing
     * parent with the rest of {@code given} after it. That rest names nothing that exists (no
     * link), so its {@code .} and {@code ..} are taken as text, as {@code mkdir -p} creating it
     * would find them. A relative {@code given} is taken from the process's working directory.
     * Resolving the result again gives it unchanged.
     */
    public static Path resolve(Path given) {
        Path absolute = given.toAbsolutePath();
        for (Path p = absolute; p != null; p = p.getParent()) {
            Path real;
            try {
                real = p.toRealPath();
            } catch (IOException e) {
                // missing, a dangling link, or not searchable: the part above it is what exists
                continue;
            }
            return real.resolve(p.relativize(absolute)).normalize();
        }
        return absolute.normalize();
    }

    /** Whether {@code dir} holds a journal file of 0 bytes (not a ledger's, nor one H2 should open). */
    public static boolean emptyJournalFile(Path dir) {
        try {
            return Files.size(dir.resolve(DurableLedger.H2_FILE)) == 0;
        } catch (IOException e) {
            // missing or unreadable: what opening it says is said then
            return false;
        }
    }

    /**
     * Why {@code dir} (as {@link #resolve} gives it) cannot be created, when it or a parent is a
     * symbolic link that leads nowhere; null otherwise. mkdir(2) does not create a link's missing
     * target, and following it here, as root in a world-writable directory, would create the
     * ledger wherever another user's link points (the kernel's {@code fs.protected_symlinks}
     * stops that for its own walks): the user is told to create the target instead.
     */
    public static String danglingLink(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    target = "?";
                }
                return (p.equals(dir) ? "it" : p.toString()) + " is a symbolic link to " + target
                        + ", which leads to no directory (missing, or a loop of links): create the directory it "
                        + "names first, or give that directory";
            }
        }
        return null;
    }

    /**
     * Why H2 cannot keep a ledger's journal in {@code dir} (as {@link #resolve} gives it), or null
     * if it can. H2 2.x takes the database's file name from its URL's text
     * ({@code org.h2.engine.ConnectionInfo}): everything after the first {@code ;} is settings
     * (an {@code INIT} setting runs SQL, which can run a script or define Java code), and in the
     * file name every {@code \} is a directory separator ({@code IOUtils.nameSeparatorsToNative},
     * {@code FilePath.get}). Nothing else in an absolute path is read otherwise: a name starting
     * with {@code ~} or a scheme ({@code nio:}, {@code split:}...) is special only at the start of
     * the name, which is {@code /} here (checked against H2 2.5: spaces, {@code :}, {@code =},
     * {@code %}, {@code ?}, {@code #}, {@code $}, quotes, newlines and non-ASCII letters all name
     * the directory they say).
     */
    public static String unusable(Path dir) {
        String path = dir.toString();
        int semicolon = path.indexOf(';');
        if (semicolon >= 0) {
            return "its path holds ';' (character " + (semicolon + 1) + "), which H2, the journal's database, reads "
                    + "in its URL as the end of the file name and the start of settings (SQL among them)";
        }
        int backslash = path.indexOf('\\');
        if (backslash >= 0) {
            return "its path holds '\\' (character " + (backslash + 1) + "), which H2, the journal's database, reads "
                    + "in its URL as a directory separator: the journal would be written in another directory";
        }
        for (Path part : dir) {
            int bytes = part.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > NAME_MAX) {
                String shown = part.toString().length() > 40 ? part.toString().substring(0, 40) + "..." : part.toString();
                return "a name in its path ('" + shown + "') is " + bytes + " bytes long, and a file system takes at "
                        + "most " + NAME_MAX + " (File name too long)";
            }
        }
        int bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + LONGEST_FILE.length() + 1;
        if (bytes > PATH_MAX) {
            return "its files' paths would be " + bytes + " bytes long, and Linux takes at most " + PATH_MAX
                    + " (File name too long)";
        }
        return null;
    }

    /** The longest name of a file in a directory on Linux's file systems (NAME_MAX). */
    static final int NAME_MAX = 255;
    /** The longest path Linux takes, without its terminating NUL (PATH_MAX 4096). */
    static final int PATH_MAX = 4095;
    /**
     * The longest path of a file the ledger writes below its directory: H2's trace log in a
     * compaction's staging directory ({@code .compact/journal.mv.db} too had been left out: compact
     * and import failed on a path the check took).
     */
    private static final String LONGEST_FILE = ".compact/journal.trace.db";

    /**
     * {@code given} resolved ({@link #resolve}), if H2 can keep a journal there.
     *
     * @throws LedgerException saying why it cannot ({@link #unusable}); nothing is created
     */
    public static Path of(Path given) {
        return usable(resolve(given));
    }

    /**
     * {@code dir} itself, if H2 can keep a journal there.
     *
     * @throws LedgerException saying why it cannot ({@link #unusable})
     */
    static Path usable(Path dir) {
        String why = unusable(dir);
        if (why != null) {
            throw new LedgerException(dir + " cannot be a ledger directory: " + why);
        }
        return dir;
    }

    /**
     * Whether {@code name}, in a ledger directory, is one of the ledger's own files: its lock, its
     * H2 file and what H2 writes beside it (its trace log of failed statements, its temporary and
     * compaction files), the history index's H2 file beside a journal on a database server
     * ({@link JournalRows#INDEX_FILE}, and H2's trace log of it), and the staging directories of an
     * import and a compaction. A directory holding anything else is not a ledger's (the socket of
     * {@code cgledger serve} is the command line's to add).
     */
    public static boolean ownFile(String name) {
        return name.equals(LedgerLock.FILE) || name.equals(DurableLedger.H2_FILE)
                || name.equals(JournalRows.IMPORT_STAGING) || name.equals(DurableLedger.COMPACT_STAGING)
                || name.equals("journal.trace.db") || name.equals("journal.lock.db")
                || name.equals(DurableLedger.H2_FILE + ".tempFile") || name.equals(DurableLedger.H2_FILE + ".newFile")
                || name.startsWith("journal.") && name.endsWith(".temp.db")
                || name.equals(JournalRows.INDEX_FILE) || name.equals("history.trace.db")
                || name.startsWith("history.") && name.endsWith(".temp.db");
    }
}
