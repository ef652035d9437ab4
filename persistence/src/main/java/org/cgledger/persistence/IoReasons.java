package org.cgledger.persistence;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Why a file operation failed, in words: the JDK's exceptions for files carry only the path. */
public final class IoReasons {

    private IoReasons() {
    }

    /** The reason {@code e} failed, as the C library would say it ("No such file or directory"). */
    public static String of(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        } else if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        } else if (e instanceof AccessDeniedException) {
            return "Permission denied";
        } else if (e instanceof NotDirectoryException) {
            return "Not a directory";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
