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
import java.util.function.Predicate;

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
     * ({@link #SERVED}) on a served ledger runs there (its exit code); anything else runs here
     * (empty), one of {@link #RELEASING} under a {@link #lease}. Costs a scan of the arguments and
     * one {@code stat} when no server runs.
     */
    static OptionalInt viaServer(String[] args, Map<String, String> environment, boolean terminal,
                                 OutputStream out, OutputStream err) {
        // (Set.of refuses a null lookup: no command at all is '--version', '--help' or the shell)
        Path socket = socket(args, environment, command -> command != null && SERVED.contains(command));
        return socket == null ? OptionalInt.empty() : run(socket, List.of(args), environment, terminal, out, err);
    }

    /**
     * For one of {@link #RELEASING}, or the interactive shell on a terminal, on a served ledger:
     * the server's lease on its ledger ({@link Wire#RELEASE}), which it keeps closed, holding the
     * commands it is sent, until the lease is closed (or this process ends). {@link Lease#NONE}
     * for any other command, or when no server answers.
     */
    static Lease lease(String[] args, Map<String, String> environment, boolean terminal) {
        Path socket = socket(args, environment, command -> command == null ? terminal : RELEASING.contains(command));
        return socket == null ? Lease.NONE : Lease.take(socket);
    }

    /**
     * The socket of the ledger {@code args} name when {@code commands} takes their command (its
     * name; null when they name none); null otherwise, and for a dry run ({@code --in-memory}).
     */
    private static Path socket(String[] args, Map<String, String> environment, Predicate<String> commands) {
        String command = null;
        for (int i = 0; i < args.length && command == null; i++) {
            String a = args[i];
            if (a.equals("--") || a.equals("--in-memory")) {
                return null;
            } else if (a.equals("--ledger")) {
                i++;
            } else if (!a.startsWith("-")) {
                command = a;
            }
        }
        if (!commands.test(command)) {
            return null;
        }
        // --ledger may come after the command too
        Path dir = EarlyOpen.ledgerDir(args, environment);
        return dir == null ? null : Wire.socket(dir);
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
            // (a server that could not open the ledger, or died, closes or resets the connection)
            String why = e instanceof EOFException || String.valueOf(e.getMessage()).contains("reset")
                    ? "it closed the connection" : e.getMessage();
            String reason = "ledger server " + socket + " failed before the command's answer (" + why
                    + "); whether the command was recorded: see 'cgledger log'";
            try {
                if (args.contains("--json")) {
                    // as every other failure answers under --json: one object on stdout
                    out.write(("{\"ok\":false,\"error\":\"ledger\",\"reason\":" + jsonString(reason) + "}\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else {
                    err.write(("cgledger: " + reason + "\n").getBytes(StandardCharsets.UTF_8));
                    err.flush();
                }
            } catch (IOException ignored) {
                // the stream is gone too
            }
            return OptionalInt.of(CgLedger.LEDGER);
        }
    }

    /** {@code text} as a JSON string (this process loads no JSON library). */
    static String jsonString(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The socket a server of the ledger in {@code dir} listens on. */
    public static Path socket(Path dir) {
        return Wire.socket(dir);
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

    /**
     * A server's promise to keep its ledger closed while this process works on the ledger's files:
     * the connection that asked for it ({@link Wire#RELEASE}), open until {@link #close}. A process
     * that dies ends it too, as the system closes the connection.
     */
    static final class Lease implements AutoCloseable {
        /** No lease: no server to ask. */
        static final Lease NONE = new Lease(null);

        private final SocketChannel channel;

        private Lease(SocketChannel channel) {
            this.channel = channel;
        }

        /** Asks the server on {@code socket}, if one answers, for its lease; {@link #NONE} if none answers. */
        static Lease take(Path socket) {
            SocketChannel ch = connect(socket);
            if (ch == null) {
                return NONE;
            }
            try {
                DataOutputStream req = new DataOutputStream(Channels.newOutputStream(ch));
                req.writeInt(Wire.MAGIC);
                req.writeByte(Wire.RELEASE);
                req.writeLong(ProcessHandle.current().pid());
                req.flush();
                // (not closed: closing the stream would close the connection, and end the lease)
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                if (Wire.copyAnswer(in, OutputStream.nullOutputStream(), OutputStream.nullOutputStream()) == 0) {
                    return new Lease(ch);
                }
            } catch (IOException e) {
                // a server that died meanwhile holds nothing: the command waits for the lock as it would anyway
            }
            Client.close(ch);
            return NONE;
        }

        /** Ends the lease: the server opens the ledger again for its next command. */
        @Override
        public void close() {
            if (channel != null) {
                Client.close(channel);
            }
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to end
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
                close(ch);
            }
            return null;
        }
    }
}
