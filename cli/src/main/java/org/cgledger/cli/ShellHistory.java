package org.cgledger.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.function.Consumer;
import org.cgledger.persistence.IoReasons;
import org.jline.reader.LineReader;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The interactive shell's history: one entry a line (a pasted block of lines gives one each, as
 * in bash), kept in {@code $HOME/.cgledger_history} only when {@code HOME} names an existing
 * directory (an unset or empty {@code HOME}: none; a missing one is not created), the file created
 * readable by its owner only, as bash creates its own. It is saved after each Enter; when it
 * cannot be kept or saved, the shell says so once, in one line, and goes on without it.
 */
final class ShellHistory extends DefaultHistory {

    static final String FILE = ".cgledger_history";

    private final Consumer<String> say;

    /** @param say where the one line goes when the history cannot be kept */
    ShellHistory(Consumer<String> say) {
        this.say = say;
    }

    /**
     * The history file under {@code home} (the value of {@code HOME}), created if missing; null
     * when there is none to keep: {@code home} unset or empty (silently), or not a directory, or
     * the file not one the shell can read and write or create (said through {@code say}).
     */
    static Path file(String home, Consumer<String> say) {
        if (home == null || home.isEmpty()) {
            return null;
        }
        Path file;
        try {
            file = Path.of(home, FILE);
        } catch (InvalidPathException e) {
            say.accept("history not kept: HOME is not a path (" + e.getReason() + ")");
            return null;
        }
        if (!Files.isDirectory(file.getParent())) {
            say.accept("history not kept: HOME (" + home + ") is not a directory");
            return null;
        }
        if (Files.exists(file)) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file) || !Files.isWritable(file)) {
                say.accept("history not kept: " + file + " is not a file this shell can read and write");
                return null;
            }
            return file;
        }
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system
            }
        } catch (FileAlreadyExistsException e) {
            // made meanwhile (another shell): used as it is
        } catch (IOException e) {
            say.accept("history not kept: cannot create " + file + ": " + IoReasons.of(e));
            return null;
        }
        return file;
    }

    /** The lines of what one Enter accepted (a pasted block holds several), at any line break. */
    static String[] lines(String accepted) {
        return accepted.split("\r\n|\r|\n");
    }

    /** Adds each line of {@code line} (what one Enter accepted) as an entry of its own; blank lines none. */
    @Override
    public void add(Instant time, String line) {
        for (String l : lines(line)) {
            if (!l.isBlank()) {
                super.add(time, l);
            }
        }
    }

    /**
     * Saves what was added since the last save, if there is a history file; if that fails, says
     * so once and keeps the history in memory only from then on.
     */
    void saveTo(LineReader reader) {
        if (reader.getVariable(LineReader.HISTORY_FILE) == null) {
            return;
        }
        try {
            save();
        } catch (IOException | RuntimeException e) {
            reader.getVariables().remove(LineReader.HISTORY_FILE);
            String why = e instanceof IOException io ? IoReasons.of(io) : String.valueOf(e.getMessage());
            say.accept("history not saved from now on: " + why);
        }
    }
}
