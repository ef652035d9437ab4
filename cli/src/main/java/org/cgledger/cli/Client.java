package org.cgledger.cli;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
     * The commands of {@link #SERVED} that record nothing (the views and the journal's readers):
     * one whose server died before its answer was not recorded, and can simply run again.
     */
    static final Set<String> RECORDS_NOTHING = Set.of("ls", "cat", "tree", "stat", "csssets", "ps", "subsys",
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
     * the server's lease on its ledger ({@link Wire#RELEASE}), taken, which it keeps closed, holding
     * the commands it is sent, until the lease is let go (or this process ends); as a holder that
     * can let it go and take it again: the interactive shell holds it only while a line runs
     * ({@link Leases#opening}). A holder of none for any other command, or when no server answers.
     */
    static Leases leases(String[] args, Map<String, String> environment, boolean terminal) {
        Path socket = socket(args, environment, command -> command == null ? terminal : RELEASING.contains(command));
        Leases leases = new Leases(socket);
        leases.take();
        return leases;
    }

    /**
     * The server's lease on one ledger ({@link Lease}) as this process takes it and lets it go
     * again; a process whose ledger has no socket never asks.
     */
    static final class Leases implements AutoCloseable {
        private final Path socket;
        private final Duration silence;
        private Lease held = Lease.NONE;
        /**
         * Whether the server, asked once, said nothing for {@link #silence} (stopped, hung): it is
         * not asked again until {@link #release}. Each touch of the ledger had asked it anew, a minute each time ('compact'
         * on a stopped server's ledger waited 2.5 minutes before it waited for the lock).
         */
        private boolean silent;

        Leases(Path socket) {
            this(socket, SILENCE);
        }

        Leases(Path socket, Duration silence) {
            this.socket = socket;
            this.silence = silence;
        }

        /** Takes the lease when a server answers and this process does not hold it already. */
        synchronized void take() {
            if (socket != null && held == Lease.NONE && !silent) {
                Lease taken = Lease.take(socket, silence);
                silent = taken == Lease.SILENT;
                held = silent ? Lease.NONE : taken;
            }
        }

        /**
         * Lets the lease go, if held: the server opens the ledger again for its next command. A
         * server found silent is asked again at the next take (the interactive shell's next line:
         * it may have been continued meanwhile).
         */
        synchronized void release() {
            held.close();
            held = Lease.NONE;
            silent = false;
        }

        /** Whether this process holds the lease now. */
        synchronized boolean held() {
            return held != Lease.NONE;
        }

        @Override
        public void close() {
            release();
        }

        /**
         * {@code opener}, taking the lease first whenever it opens the ledger or reads its files,
         * and letting it go at {@link LedgerOpener#letGo}; {@code opener} itself when there is no
         * server to ask.
         */
        LedgerOpener opening(LedgerOpener opener) {
            return socket == null ? opener : new Leasing(opener, this);
        }
    }

    /** An opener that takes its {@link Leases}' lease before it touches the ledger ({@link Leases#opening}). */
    private record Leasing(LedgerOpener opener, Leases leases) implements LedgerOpener {
        @Override
        public Path directory(Path given) {
            return opener.directory(given);
        }

        @Override
        public org.cgledger.persistence.Ledger open(Path dir) {
            leases.take();
            return opener.open(dir);
        }

        @Override
        public org.cgledger.persistence.Ledger openToRead(Path dir) {
            leases.take();
            return opener.openToRead(dir);
        }

        /**
         * Empty once this process holds the lease: the server, named in the lock file, lets the
         * ledger go for it. The lease is asked for first, as a line takes it: the interactive shell's
         * first TAB, at a prompt that holds none, had found the server holding the ledger and
         * completed no path.
         */
        @Override
        public java.util.Optional<String> heldBy(Path dir) {
            leases.take();
            // the server has let the ledger go for this lease; another lease holder (an export, a
            // line of another shell) may hold it still, and completion does not wait for it
            return opener.heldBy(dir);
        }

        @Override
        public boolean exists(Path dir) {
            return opener.exists(dir);
        }

        @Override
        public List<org.cgledger.persistence.Journals.Stored> journal(Path dir) {
            leases.take();
            return opener.journal(dir);
        }

        @Override
        public boolean printsWhileReading() {
            return opener.printsWhileReading();
        }

        @Override
        public <T> T travel(Path dir, java.util.function.Function<org.cgledger.replay.TimeTravel, T> question) {
            leases.take();
            return opener.travel(dir, question);
        }

        @Override
        public List<org.cgledger.replay.History.Incarnation> history(Path dir, String path,
                                                                     org.cgledger.core.model.CgroupId id) {
            leases.take();
            return opener.history(dir, path, id);
        }

        @Override
        public void importInto(Path dir, Iterable<org.cgledger.persistence.Journals.Stored> rows) {
            leases.take();
            opener.importInto(dir, rows);
        }

        @Override
        public org.cgledger.persistence.DurableLedger.Compaction compact(Path dir) {
            leases.take();
            return opener.compact(dir);
        }

        @Override
        public boolean recordsNothing(Path dir) {
            leases.take();
            return opener.recordsNothing(dir);
        }

        @Override
        public void letGo() {
            opener.letGo();
            leases.release();
        }
    }

    /**
     * The socket of the ledger {@code args} name when {@code commands} takes their command (its
     * name; null when they name none); null otherwise, and for a dry run ({@code --in-memory}).
     */
    private static Path socket(String[] args, Map<String, String> environment, Predicate<String> commands) {
        Named named = named(args);
        if (named.dryRun() || !commands.test(named.command())) {
            return null;
        }
        // --ledger may come after the command too
        Path dir = EarlyOpen.ledgerDir(args, environment);
        return dir == null ? null : Wire.socket(dir);
    }

    /** Whether {@code args} name a command of {@link #RECORDS_NOTHING}. */
    private static boolean recordsNothing(List<String> args) {
        String command = named(args.toArray(String[]::new)).command();
        return command != null && RECORDS_NOTHING.contains(command);
    }

    /**
     * The command {@code args} name, null when none: their first word that is no option (nor
     * {@code --ledger}'s value); {@code dryRun} when {@code --} or {@code --in-memory} comes before it
     * (no command then, and no server's).
     */
    private record Named(String command, boolean dryRun) {
    }

    private static Named named(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--") || a.equals("--in-memory")) {
                return new Named(null, true);
            } else if (a.equals("--ledger")) {
                i++;
            } else if (!a.startsWith("-")) {
                return new Named(a, false);
            }
        }
        return new Named(null, false);
    }

    /**
     * Runs {@code args} in the server listening on {@code socket}, copying its output to {@code out}
     * and {@code err}. Empty when no server answers there: the caller runs the command itself.
     * A server that answers and then dies mid-command gives exit code 3 and says so on {@code err}.
     */
    static OptionalInt run(Path socket, List<String> args, Map<String, String> environment, boolean terminal,
                           OutputStream out, OutputStream err) {
        return run(socket, args, environment, terminal, out, err, SILENCE);
    }

    /** {@link #run(Path, List, Map, boolean, OutputStream, OutputStream)}, giving up after {@code silence} ({@link #SILENCE}). */
    static OptionalInt run(Path socket, List<String> args, Map<String, String> environment, boolean terminal,
                           OutputStream out, OutputStream err, Duration silence) {
        SocketChannel ch = connect(socket);
        if (ch == null) {
            return OptionalInt.empty();
        }
        try (ch) {
            DataOutputStream req = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
            new Wire.Request(Path.of("").toAbsolutePath().toString(), terminal, environment, args).write(req);
            return OptionalInt.of(answer(ch, out, err, silence));
        } catch (IOException e) {
            // (a server that could not open the ledger, or died, closes or resets the connection)
            String why = e instanceof Silent ? e.getMessage()
                    : e instanceof EOFException || String.valueOf(e.getMessage()).contains("reset")
                    ? "it closed the connection" : e.getMessage();
            String reason = e instanceof Wire.OtherProtocol other
                    // refused before it ran anything: nothing to look for in the log
                    ? "the ledger server " + socket + " speaks protocol " + other.version + ", this client "
                    + Wire.PROTOCOL + " (another cgledger build): the command was not run; restart the server with "
                    + "the build you mean to use ('cgledger serve --stop' of either build stops it)"
                    : "ledger server " + socket + " failed before the command's answer (" + why + "); "
                    // (a view or a reader had been told to look in the log for a command that records nothing)
                    + (recordsNothing(args) ? "it records nothing: run it again"
                    : "whether the command was recorded: see 'cgledger log'");
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

    /**
     * How long a client waiting for its answer may hear nothing from the server, not even the
     * heartbeat it sends every {@link Wire#HEARTBEAT}, before it gives up: a server stopped (SIGSTOP)
     * or hung had kept its clients waiting for ever. A server's beats stop only when its process
     * does (a pause of its collector lasts seconds at most), and a server still opening its ledger
     * beats too: a minute is far past both.
     */
    static final Duration SILENCE = Duration.ofSeconds(60);

    /** Given up on a server that said nothing for {@link #SILENCE}. */
    static final class Silent extends IOException {
        Silent(Duration silence) {
            super("it sent nothing for " + silence.toSeconds() + " s: stopped (SIGSTOP) or hung");
        }
    }

    /**
     * The answer on {@code ch} ({@link Wire#copyAnswer}); {@link Silent} when, waiting for it, this
     * process hears nothing for {@code silence}. Only a wait for the server counts: a client slow to
     * write what it got (its stdout piped to a pager) reads nothing meanwhile, and is not given up.
     * Silence is counted in the watch's own ticks, each a stretch in which a read waited and none
     * returned: a client stopped itself (Ctrl-Z) counts none while stopped, where elapsed time had
     * made it give up on a server whose beats waited unread in its socket.
     */
    private static int answer(SocketChannel ch, OutputStream out, OutputStream err, Duration silence)
            throws IOException {
        Listening in = new Listening(Channels.newInputStream(ch));
        Thread watch = new Thread(() -> {
            long tick = Math.max(1, Math.min(1_000, silence.toMillis() / 4));
            long ticks = Math.max(1, silence.toMillis() / tick);
            long quiet = 0;
            long heard = in.reads;
            try {
                while (true) {
                    Thread.sleep(tick);
                    long now = in.reads;
                    quiet = now != heard || !in.waiting ? 0 : quiet + 1;
                    heard = now;
                    if (quiet >= ticks) {
                        in.silent = true;
                        close(ch);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // the answer came
            }
        }, "cgledger-server-silence");
        watch.setDaemon(true);
        watch.start();
        try {
            return Wire.copyAnswer(new DataInputStream(in), out, err);
        } catch (IOException e) {
            throw in.silent ? new Silent(silence) : e;
        } finally {
            watch.interrupt();
        }
    }

    /** The server's answer, as read: whether a read is under way, and how many returned. */
    private static final class Listening extends FilterInputStream {
        volatile boolean waiting;
        volatile long reads;
        volatile boolean silent;

        Listening(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            waiting = true;
            try {
                return super.read();
            } finally {
                waiting = false;
                reads++;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            waiting = true;
            try {
                return super.read(b, off, len);
            } finally {
                waiting = false;
                reads++;
            }
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
        try (ch) {
            DataOutputStream req = new DataOutputStream(Channels.newOutputStream(ch));
            req.writeInt(Wire.MAGIC);
            req.writeByte(op);
            req.flush();
            return answer(ch, OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), SILENCE) == 0;
        } catch (Wire.OtherProtocol e) {
            // a server of another build: it answers (a new server must not take its socket), and it
            // stops when asked
            return true;
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
        /** No lease: the server said nothing for the silence bound ({@link Silent}). */
        static final Lease SILENT = new Lease(null);

        private final SocketChannel channel;

        private Lease(SocketChannel channel) {
            this.channel = channel;
        }

        /**
         * Asks the server on {@code socket}, if one answers, for its lease; {@link #NONE} if none
         * answers, {@link #SILENT} if one is there and said nothing for {@code silence}.
         */
        static Lease take(Path socket, Duration silence) {
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
                // (the connection stays open: closing it ends the lease)
                if (answer(ch, OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), silence) == 0) {
                    return new Lease(ch);
                }
            } catch (Silent e) {
                Client.close(ch);
                return SILENT;
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

    /**
     * A connection to {@code socket}, or null when there is no socket or nobody listens on it. A
     * socket nobody listens on (a server killed with -9 left it) is removed ({@link #removeDead}).
     */
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
            if (e instanceof java.net.ConnectException) {
                removeDead(socket);
            }
            return null;
        }
    }

    /** How old a socket nobody listens on must be to be taken for a dead server's, not one binding now. */
    static final Duration DEAD_SOCKET_AGE = Duration.ofSeconds(10);

    /**
     * Removes {@code socket}, which refused a connection: a server killed with -9 left it, and it
     * stayed until the next {@code serve} replaced it, while the launcher, seeing a socket, ran every
     * later command as a forwarding one, without the class-data archive (0.4-0.5 s of CPU more each).
     * Only a socket file (not another file at that name) last changed {@link #DEAD_SOCKET_AGE} ago or
     * more: a server starting replaces the file with its own, a new one, and listens on it as it binds
     * it. One this user may not remove stays, quietly: the command runs here all the same.
     */
    private static void removeDead(Path socket) {
        try {
            Map<String, Object> a = Files.readAttributes(socket, "unix:mode,lastModifiedTime",
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            java.nio.file.attribute.FileTime changed = (java.nio.file.attribute.FileTime) a.get("lastModifiedTime");
            if (((Integer) a.get("mode") & 0170000) == 0140000
                    && changed.toInstant().isBefore(java.time.Instant.now().minus(DEAD_SOCKET_AGE))) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException | RuntimeException e) {
            // left as it is: the next server replaces it
        }
    }
}
