package org.cgledger.cli;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The client side of {@link LedgerServer}: a command the server runs ({@link #SERVED}), on a
 * ledger a server keeps open, runs there and only its output and exit code come back. When no
 * server answers (no socket, or one a dead server left) the command runs in this process as it
 * always did.
 */
public final class Client {

    private Client() {
    }

    /**
     * The commands a server runs, by every name picocli knows them by: the model's (writes and
     * views) and the journal's readers that name no file (the server reads the journal of the
     * ledger it holds). Kept as names so that a process with a server to talk to loads no command
     * class; a test checks them against the commands' annotations, and the launcher keeps a copy.
     */
    static final Set<String> SERVED = Set.of("init", "mount", "umount", "mkdir", "rmdir", "attach", "fork", "exit",
            "charge", "uncharge", "set", "ls", "cat", "tree", "stat", "csssets", "ps", "subsys",
            "log", "replay", "diff", "audit", "history", "who-holds", "explain", "graph");

    /**
     * The commands that work on the ledger's files themselves or read a file of the client's
     * ({@code sh}): the server closes the ledger for them, and they run in the client.
     */
    static final Set<String> RELEASING = Set.of("export", "import", "compact", "sh");

    /**
     * What a process does about a server before anything else: a command the server runs
     * ({@link #SERVED}) on a served ledger runs there (its exit code); one of {@link #RELEASING}, or
     * the interactive shell on a terminal, first asks the server to close the ledger, then runs
     * here, as does everything else (empty). Costs a scan of the arguments and one {@code stat}
     * when no server runs.
     */
    static OptionalInt viaServer(String[] args, Map<String, String> environment, boolean terminal,
                                 OutputStream out, OutputStream err) {
        String command = null;
        for (int i = 0; i < args.length && command == null; i++) {
            String a = args[i];
            if (a.equals("--") || a.equals("--in-memory")) {
                return OptionalInt.empty();
            } else if (a.equals("--ledger")) {
                i++;
            } else if (!a.startsWith("-")) {
                command = a;
            }
        }
        // (Set.of refuses a null lookup: no command at all is '--version', '--help' or the shell)
        boolean served = command != null && SERVED.contains(command);
        boolean releasing = command == null ? terminal : RELEASING.contains(command);
        if (!served && !releasing) {
            return OptionalInt.empty();
        }
        // --ledger may come after the command too
        Path dir = EarlyOpen.ledgerDir(args, environment);
        if (dir == null) {
            return OptionalInt.empty();
        }
        Path socket = Wire.socket(dir);
        if (served) {
            return run(socket, List.of(args), environment, terminal, out, err);
        }
        release(socket);
        return OptionalInt.empty();
    }

    /**
     * Runs {@code args} in the server listening on {@code socket}, copying its output to {@code out}
     * and {@code err}. Empty when no server answers there: the caller runs the command itself.
     * A server that answers and then dies mid-command gives exit code 3 and says so on {@code err}.
     */
    static OptionalInt run(Path socket, List<String> args, Map<String, String> environment, boolean terminal,
                           OutputStream out, OutputStream err) {
        SocketChannel ch = connect(socket);
        if (ch == null) {
            return OptionalInt.empty();
        }
        try (ch; DataInputStream in = new DataInputStream(Channels.newInputStream(ch))) {
            DataOutputStream req = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
            new Wire.Request(Path.of("").toAbsolutePath().toString(), terminal, environment, args).write(req);
            return OptionalInt.of(Wire.copyAnswer(in, out, err));
        } catch (IOException e) {
            String why = e instanceof EOFException ? "it closed the connection" : e.getMessage();
            try {
                err.write(("cgledger: ledger server " + socket + " failed before the command's answer (" + why
                        + "); whether the command was recorded: see 'cgledger log'\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // stderr is gone too
            }
            return OptionalInt.of(CgLedger.LEDGER);
        }
    }

    /** The socket a server of the ledger in {@code dir} listens on. */
    public static Path socket(Path dir) {
        return Wire.socket(dir);
    }

    /** Asks the server on {@code socket}, if one answers, to close its ledger; true if one did. */
    static boolean release(Path socket) {
        return simple(socket, Wire.RELEASE);
    }

    /** Asks the server on {@code socket}, if one answers, to stop; true if one did. */
    public static boolean stop(Path socket) {
        return simple(socket, Wire.STOP);
    }

    /** Whether a server answers on {@code socket}. */
    public static boolean ping(Path socket) {
        return simple(socket, Wire.PING);
    }

    private static boolean simple(Path socket, byte op) {
        SocketChannel ch = connect(socket);
        if (ch == null) {
            return false;
        }
        try (ch; DataInputStream in = new DataInputStream(Channels.newInputStream(ch))) {
            DataOutputStream req = new DataOutputStream(Channels.newOutputStream(ch));
            req.writeInt(Wire.MAGIC);
            req.writeByte(op);
            req.flush();
            return Wire.copyAnswer(in, OutputStream.nullOutputStream(), OutputStream.nullOutputStream()) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A connection to {@code socket}, or null when there is no socket or nobody listens on it. */
    private static SocketChannel connect(Path socket) {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(Wire.address(socket));
            return ch;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // not connected anyway
                }
            }
            return null;
        }
    }
}
