package org.cgledger.persistence;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * A file written anew and renamed over another (a compacted journal, an export) takes over the
 * other's owner, group and permissions, as {@code cp} onto an existing file keeps them: otherwise
 * it is the writing process's, with its umask, and a ledger compacted by root was no longer
 * writable by its owner, nor as private as it had been.
 */
public final class FileOwnership {

    private FileOwnership() {
    }

    /** The owner or group of a file could not be given to the file that replaces it: the reason, in words. */
    public static final class NotKept extends IOException {
        private static final long serialVersionUID = 1L;

        NotKept(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Gives {@code copy} the owner, group and permissions of {@code original}, in that order (a
     * change of owner clears the set-id bits), before {@code copy} replaces it. Only root may give a
     * file to another user, and a user may give one only to a group of theirs: an owner or group
     * that differs from the copy's and cannot be given is refused, the copy left as it is. Nothing
     * on a file system without POSIX attributes.
     *
     * @param what the copy, as a message names it ("the compacted copy")
     * @throws NotKept if the owner or group cannot be given
     * @throws IOException if either file's attributes cannot be read, or the permissions set
     */
    public static void carryOver(Path original, Path copy, String what) throws IOException {
        PosixFileAttributeView from = Files.getFileAttributeView(original, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(copy, PosixFileAttributeView.class);
        if (from == null || to == null) {
            return;
        }
        PosixFileAttributes was = from.readAttributes();
        PosixFileAttributes is = to.readAttributes();
        if (!was.owner().equals(is.owner())) {
            try {
                to.setOwner(was.owner());
            } catch (FileSystemException e) {
                throw new NotKept(original.getFileName() + " belongs to " + was.owner().getName()
                        + ", and this process (user " + is.owner().getName() + ") cannot give " + what
                        + " that owner: " + IoReasons.of(e), e);
            }
        }
        if (!was.group().equals(is.group())) {
            try {
                to.setGroup(was.group());
            } catch (FileSystemException e) {
                throw new NotKept(original.getFileName() + " belongs to group " + was.group().getName()
                        + ", and this process (user " + is.owner().getName() + ") cannot give " + what
                        + " that group: " + IoReasons.of(e), e);
            }
        }
        to.setPermissions(was.permissions());
    }
}
