package org.cgledger.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;
import org.cgledger.core.model.CgroupId;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.ForwardingLedger;
import org.cgledger.persistence.IoReasons;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerDirectory;
import org.cgledger.persistence.LedgerException;
import org.cgledger.replay.History;
import org.cgledger.replay.StoredTravel;
import org.cgledger.replay.TimeTravel;

/**
 * A resident ledger ({@code cgledger serve}): it keeps one ledger directory open and runs, one at a
 * time, the commands that clients forward to it over the directory's Unix socket ({@link Wire}):
 * the model's, and the journal's readers, which read the journal of the ledger held open. Each command runs through the same command line as a one-shot process would
 * (same parsing, same refusals, same output, same exit code) against the ledger already open, so
 * a client pays for starting a small JVM and nothing else. A command's answer is sent after its
 * events are durable, as a one-shot process exits after them.
 *
 * <p>{@link #commands} serialises what uses the ledger: a command of the model holds it from start
 * to end, its output kept in memory (a view's is as large as the model at most) and sent once the
 * lock is free; a reader holds it only while it reads the journal (which it then holds in memory,
 * as a one-shot reader does) and sends its output as fast as its client takes it. A client slow
 * to read holds up nobody else.
 *
 * <p>Another process that works on the ledger's files itself (export, import, compact, sh) takes
 * a lease first ({@link Wire#RELEASE}): the server closes the ledger and runs nothing that needs
 * it until that process closes the connection (done, or dead); a command sent meanwhile waits as
 * long as it would wait for another process's lock (its own {@code CGLEDGER_LOCK_TIMEOUT}), then
 * runs, opening the ledger again, or fails naming the lease's holder.
 */
final class LedgerServer implements AutoCloseable {

    private final Path dir;
    private final LedgerOpener production;
    private final ServerSocketChannel channel;
    /** The socket file this server bound ({@link #fileKey}): the one {@link #close} removes. */
    private volatile Object bound;
    private final Path socket;
    private final Consumer<String> log;
    private final Object commands = new Object();
    /** The open ledger; null when released (or before the first command). Guarded by {@link #commands}. */
    private Ledger ledger;
    /**
     * The leases given and not yet ended, oldest first, each as its holder is named in a refusal
     * ("pid N, since TIME"); the ledger stays closed while there is one. Guarded by {@link #commands},
     * which is notified as one ends.
     */
    private final List<String> leases = new ArrayList<>();
    /**
     * The commands waiting in {@link Resident#open} for the leases to end, guarded by {@link
     * #commands}: a new lease waits for them to run first, as a lock would be taken in turn (one
     * lease granted while another was held kept served commands out for as long as sh runs
     * overlapped, past every client's timeout).
     */
    private int waiting;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** The connections whose command is running or whose answer is being sent, by the thread answering. */
    private final Map<Thread, SocketChannel> answering = new java.util.concurrent.ConcurrentHashMap<>();
    /** What a command the stopping server will not run is told. */
    private static final String STOPPING = "the server is stopping; run the command again";
    /** How long a stopping server waits for the answers being sent (a reader's to a slow client). */
    static final Duration ANSWERS_WAIT = Duration.ofSeconds(30);
    private volatile boolean stopping;
    /** What sends the answers' heartbeats ({@link Wire.Heartbeat}): the timer, and the threads that write them. */
    private final ScheduledExecutorService timer;
    private final ExecutorService senders;
    /** The connections accepted while the ledger was opened ({@link Lobby}), answered first by {@link #serve}. */
    private List<SocketChannel> early = List.of();
    /** When the last request was answered ({@link System#nanoTime}). */
    private volatile long lastRequest = System.nanoTime();

    private LedgerServer(Path dir, LedgerOpener production, ServerSocketChannel channel, Path socket,
                         Consumer<String> log, ScheduledExecutorService timer, ExecutorService senders) {
        this.dir = dir;
        this.production = production;
        this.channel = channel;
        this.socket = socket;
        this.log = log;
        this.timer = timer;
        this.senders = senders;
    }

    /**
     * The connections accepted while the server opens its ledger (its lock may be another's for
     * as long as its own CGLEDGER_LOCK_TIMEOUT), each sent the heartbeat meanwhile: a client waits
     * for the ledger as long as the server does, where a minute of silence had made it give up.
     * Accepts without blocking, every 50 ms, only until {@link #close}.
     */
    private static final class Lobby {
        private final ServerSocketChannel channel;
        private final ScheduledExecutorService timer;
        private final ExecutorService senders;
        private final List<SocketChannel> waiting = new ArrayList<>();
        private final List<Wire.Heartbeat> beats = new ArrayList<>();
        private volatile boolean open = true;
        private final Thread thread;

        Lobby(ServerSocketChannel channel, ScheduledExecutorService timer, ExecutorService senders) throws IOException {
            this.channel = channel;
            this.timer = timer;
            this.senders = senders;
            channel.configureBlocking(false);
            thread = new Thread(this::accept, "cgledger-serve-lobby");
            thread.setDaemon(true);
            thread.start();
        }

        private void accept() {
            while (open) {
                try {
                    SocketChannel c = channel.accept();
                    if (c == null) {
                        Thread.sleep(50);
                        continue;
                    }
                    c.configureBlocking(true);
                    waiting.add(c);
                    beats.add(new Wire.Heartbeat(new DataOutputStream(new BufferedOutputStream(
                            Channels.newOutputStream(c))), timer, senders));
                } catch (IOException | InterruptedException e) {
                    return; // the channel closed: the server is not starting
                }
            }
        }

        /** Stops accepting, and the beats of the connections accepted. */
        private void stop() {
            open = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            beats.forEach(Wire.Heartbeat::end);
        }

        /** Stops accepting here; the connections accepted, in turn, their beats ended, and the channel blocking again. */
        List<SocketChannel> close() throws IOException {
            stop();
            channel.configureBlocking(true);
            return List.copyOf(waiting);
        }

        /** The server did not start: the connections accepted are closed (their clients say so). */
        void abandon() {
            stop();
            for (SocketChannel c : waiting) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // gone either way
                }
            }
        }
    }

    /**
     * Opens the ledger in {@code dir} (which must hold one) and listens on its socket. A socket left
     * by a server that died is replaced; a live one is refused. The socket is bound before the
     * ledger's lock is taken and the model recovered (seconds, on a large ledger or a busy machine):
     * a command sent meanwhile connects, and waits on the socket for the server to answer, where it
     * had found no socket, waited for the lock the server held, and failed ("in use"). Clients are
     * accepted once the ledger is open; if it cannot be opened, they get the connection closed.
     *
     * @throws LedgerException if there is no ledger, it is in use, or the socket cannot be bound
     */
    static LedgerServer start(Path dir, LedgerOpener production, Consumer<String> log) {
        return start(dir, production, log, new Starting());
    }

    /**
     * A server's start as it goes ({@link #start}), for the process's exit hook: ended while the
     * server still opens its ledger (SIGTERM while it waits for another writer's lock), the process
     * removes the socket its start bound; ended once it serves, it closes the server.
     */
    static final class Starting {
        private Path socket;
        private Object bound;
        private LedgerServer server;
        /** Whether the start has ended, served or failed, or was given up by {@link #end}. */
        private boolean over;

        /**
         * Binds {@code socket} (anew: a file there is replaced), unless {@link #end} gave the start
         * up: a start that went on after the exit hook had run (ended just as its open completed)
         * had bound the socket again, taking its removal for another server's, and left it.
         *
         * @throws GaveUp if the start was given up
         */
        private synchronized ServerSocketChannel bind(Path socket) throws IOException {
            if (gaveUp) {
                throw new GaveUp();
            }
            ServerSocketChannel ch = LedgerServer.bind(socket);
            this.socket = socket;
            this.bound = fileKey(socket);
            return ch;
        }

        /** The file {@link #bind} bound, as it was then. */
        private synchronized Object bound() {
            return bound;
        }

        /**
         * The start ended: with {@code server}, or with none when it failed (it removed its socket itself).
         *
         * @throws GaveUp if {@link #end} gave the start up before (it removed the socket; the caller
         *         closes what it opened)
         */
        private synchronized void over(LedgerServer server) {
            if (gaveUp) {
                throw new GaveUp();
            }
            this.server = server;
            over = true;
        }

        /**
         * Ends the start as the process ends: the server, if it serves already (to close); else
         * null, its socket removed if it had bound one and no other server's has replaced it.
         *
         * @return the server started, or null
         */
        synchronized LedgerServer end() {
            if (!over) {
                over = true;
                deleteIfBound(socket, bound);
                gaveUp = true;
            }
            return server;
        }

        /** Whether {@link #end} gave the start up before it served. */
        private boolean gaveUp;

        synchronized boolean gaveUp() {
            return gaveUp;
        }
    }

    /**
     * The start was given up ({@link Starting#end}: the process is exiting) before it served: it
     * binds no socket and serves nothing. The exit hook has said so.
     */
    static final class GaveUp extends LedgerException {
        private static final long serialVersionUID = 1L;

        GaveUp() {
            super("ended while it was still opening the ledger");
        }
    }

    /**
     * The journal in the directory records nothing (a first write killed before its first event
     * leaves such a file): no ledger to serve, as the views say there is none.
     */
    static final class NothingRecorded extends LedgerException {
        private static final long serialVersionUID = 1L;

        NothingRecorded(Path dir) {
            super("no ledger in " + dir + " to serve (its journal records nothing)");
        }
    }

    /** {@link #start(Path, LedgerOpener, Consumer)}, telling {@code starting} how it goes. */
    static LedgerServer start(Path dir, LedgerOpener production, Consumer<String> log, Starting starting) {
        Path abs = LedgerDirectory.resolve(dir);
        if (!production.exists(abs)) {
            throw new LedgerException("no ledger in " + dir + " to serve: create it first ('cgledger --ledger "
                    + dir + " init')");
        }
        if (DurableLedger.readOnly(abs)) {
            // it could neither make its socket nor write: only a user who may write the ledger serves it
            throw new LedgerException(DurableLedger.readOnlyMessage(abs) + ": only a user who may write it can serve it");
        }
        Path socket = Wire.socket(abs);
        // (a server starting binds first: its socket answers a ping once it is open)
        if (Client.ping(socket)) {
            throw new LedgerException(dir + " is served already (" + socket + " answers)");
        }
        ServerSocketChannel ch = null;
        Object bound = null;
        Ledger open = null;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("cgledger-heartbeat"));
        ExecutorService senders = Executors.newCachedThreadPool(daemon("cgledger-heartbeat-send"));
        Lobby lobby = null;
        try {
            ch = starting.bind(socket);
            bound = starting.bound();
            lobby = new Lobby(ch, timer, senders);
            open = production.open(abs);
            if (!open.state().initialized()) {
                throw new NothingRecorded(dir);
            }
            List<SocketChannel> early = lobby.close();
            lobby = null;
            if (!java.util.Objects.equals(fileKey(socket), bound)) {
                // another server, starting at the same moment, replaced the file and then found the
                // lock taken: this one holds the ledger now, and binds the socket anew (what it
                // accepted meanwhile came through the file before)
                ch.close();
                ch = starting.bind(socket);
                bound = starting.bound();
            }
            LedgerServer server = new LedgerServer(abs, production, ch, socket, log, timer, senders);
            server.ledger = open;
            server.bound = bound;
            server.early = early;
            try {
                starting.over(server);
                owned(open);
            } catch (GaveUp e) {
                for (SocketChannel c : early) {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // gone either way
                    }
                }
                throw e;
            }
            return server;
        } catch (IOException | RuntimeException e) {
            try {
                starting.over(null);
            } catch (GaveUp ignored) {
                // the exit hook removed the socket and said so
            }
            if (lobby != null) {
                lobby.abandon();
            }
            timer.shutdownNow();
            senders.shutdownNow();
            if (open != null) {
                open.close();
            }
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
                deleteIfBound(socket, bound);
            }
            if (e instanceof LedgerException l) {
                throw l; // the ledger could not be opened: it says why
            }
            throw new LedgerException("cannot listen on " + socket + ": " + (e instanceof IOException io ? IoReasons.of(io) : e.getMessage()), e);
        }
    }

    /** The identity of the file at {@code p} (device and inode), null if there is none. */
    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes {@code socket} if it is still the file this server bound ({@code bound}), not a later server's. */
    private static void deleteIfBound(Path socket, Object bound) {
        try {
            if (bound != null && bound.equals(fileKey(socket))) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException ignored) {
            // what it failed for is the reason to report
        }
    }

    private static ServerSocketChannel bind(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(Wire.address(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    Path socket() {
        return socket;
    }

    /** Accepts clients until {@link #stop}: each connection on a thread of its own, commands one at a time. */
    void serve() {
        for (SocketChannel client : early) {
            Thread t = new Thread(() -> handle(client), "cgledger-client");
            t.setDaemon(true);
            t.start();
        }
        early = List.of();
        while (!stopping) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (stopping) {
                    break;
                }
                log.accept("accept failed: " + IoReasons.of(e));
                try {
                    Thread.sleep(100); // out of file descriptors, say: not a busy loop meanwhile
                } catch (InterruptedException interrupted) {
                    break;
                }
                continue;
            }
            Thread t = new Thread(() -> handle(client), "cgledger-client");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Whether the socket this server bound is gone from its path, its ledger directory removed or
     * moved (or the file replaced): no client can reach the server any more, nor 'serve --stop',
     * and it had gone on alone until killed by its pid. It then stops, saying why.
     */
    synchronized boolean socketGone() {
        Object at = fileKey(socket);
        if (bound == null || bound.equals(at) || stopping) {
            return false;
        }
        log.accept("stopping: " + socket + " is " + (at == null ? "gone" : "another file now")
                + " (the ledger directory removed or moved?): no command can reach this server");
        stop();
        return true;
    }

    /** Stops accepting: {@link #serve} returns. The command running, if any, goes on; {@link #close} waits for it. */
    void stop() {
        stopping = true;
        try {
            channel.close();
        } catch (IOException e) {
            log.accept("closing the socket: " + IoReasons.of(e));
        }
    }

    /**
     * Stops, removes the socket (if it is still the one this server bound), waits for the answers
     * being sent ({@link #awaitAnswers}), and closes the ledger once no command uses it.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            // (SIGTERM's hook and serve's own end both close it)
            return;
        }
        stop();
        try {
            // only its own: a server started since (it binds before it waits for the lock) keeps its file
            if (bound != null && bound.equals(fileKey(socket))) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            log.accept("cannot remove " + socket + ": " + IoReasons.of(e));
        }
        synchronized (commands) {
            // the command running, if any, ends first (it holds the monitor); the ledger is then
            // let go before the answers still being sent are waited for, which need it no more
            // (a one-shot command or a new server had waited for its lock meanwhile); and the
            // commands waiting for a lease to end are told the server is stopping
            release();
            commands.notifyAll();
        }
        awaitAnswers();
        synchronized (commands) {
            release();
        }
        timer.shutdownNow();
        senders.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void handle(SocketChannel client) {
        try (client;
             DataInputStream in = new DataInputStream(Channels.newInputStream(client));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)))) {
            byte op;
            try {
                op = Wire.readOp(in);
            } catch (Wire.OtherProtocol other) {
                otherProtocol(other, out);
                return;
            }
            Wire.Heartbeat beat = new Wire.Heartbeat(out, timer, senders);
            try {
                int code;
                if (op == Wire.RUN) {
                    answering.put(Thread.currentThread(), client);
                    code = run(Wire.Request.read(in), client, out);
                } else if (op == Wire.RELEASE) {
                    lease(in.readLong(), in, out, beat);
                    return;
                } else if (op == Wire.STOP) {
                    stop();
                    code = 0;
                } else if (op == Wire.PING) {
                    code = 0;
                } else {
                    throw new IOException("unknown request " + op);
                }
                synchronized (out) {
                    beat.end();
                    out.writeByte(Wire.EXIT);
                    out.writeInt(code);
                    out.flush();
                }
            } finally {
                beat.end();
            }
            lastRequest = System.nanoTime();
        } catch (IOException e) {
            // a client that went away (Ctrl-C) or spoke another protocol: nothing to answer
            log.accept("client: " + (e.getMessage() != null ? e.getMessage()
                    : e instanceof java.nio.channels.AsynchronousCloseException ? "its connection closed as the server stopped"
                    : e.getClass().getSimpleName()));
        } finally {
            answering.remove(Thread.currentThread());
        }
    }

    /**
     * A client of another build ({@link Wire#MAGIC}): told this server's version (its magic), and
     * the server stops if it asked that ({@code serve --stop} of another build, to start this
     * ledger's server anew); anything else it asked is refused, said on the server's log.
     */
    private void otherProtocol(Wire.OtherProtocol other, DataOutputStream out) throws IOException {
        synchronized (out) {
            out.writeInt(Wire.MAGIC);
            out.flush();
        }
        if (other.op == Wire.STOP) {
            log.accept("stopping: asked by 'serve --stop' of another cgledger build (it speaks protocol "
                    + other.version + ", this server " + Wire.PROTOCOL + ")");
            stop();
        } else {
            log.accept("client: refused a client of another cgledger build: it speaks protocol " + other.version
                    + ", this server " + Wire.PROTOCOL + " (run the server and its clients of one build; "
                    + "'serve --stop' of either build stops this server)");
        }
    }

    /**
     * Waits, as the server stops, for the answers being sent to end, up to {@link #ANSWERS_WAIT};
     * then closes the connections of those still sending, whose commands then end (a reader's
     * temporary file removed). A reader's client slow to read its lines had been cut off midway,
     * told to check whether its command was recorded, and the lines left in a temporary file.
     */
    private void awaitAnswers() {
        long deadline = System.nanoTime() + ANSWERS_WAIT.toNanos();
        for (Thread t : List.copyOf(answering.keySet())) {
            long left = deadline - System.nanoTime();
            if (left > 0 && t != Thread.currentThread()) {
                try {
                    t.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<Thread> cut = new ArrayList<>();
        answering.forEach((t, client) -> {
            if (t != Thread.currentThread()) {
                cut.add(t);
                try {
                    client.close();
                } catch (IOException e) {
                    // it ends either way
                }
            }
        });
        if (!cut.isEmpty()) {
            log.accept("stopping: " + cut.size() + " answer" + (cut.size() == 1 ? "" : "s") + " still being sent after "
                    + ANSWERS_WAIT.toSeconds() + " s cut off");
            for (Thread t : cut) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Runs one command line as a one-shot process would, its output framed to {@code sink}: a
     * command of the model holding {@link #commands} throughout, its output sent after; a reader
     * taking it only to read the journal (the {@link Resident} opener does).
     */
    private int run(Wire.Request r, SocketChannel client, DataOutputStream sink) throws IOException {
        String[] args = r.args().toArray(String[]::new);
        List<Class<?>> invoked = CgLedger.invoked(args);
        boolean model = invoked.size() == 1 && CgLedger.modelCommands().contains(invoked.get(0));
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        DataOutputStream to = model ? new DataOutputStream(held) : sink;
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new Wire.FrameStream(to, Wire.OUT),
                StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new Wire.FrameStream(to, Wire.ERR),
                StandardCharsets.UTF_8));
        Resident resident = new Resident(Path.of(r.cwd()), r.environment(), client);
        int code;
        if (model) {
            synchronized (commands) {
                code = execute(r, args, invoked, resident, out, err);
            }
        } else {
            code = execute(r, args, invoked, resident, out, err);
        }
        out.flush();
        err.flush();
        if (resident.gone) {
            throw new IOException("the client went away before its command ran; not run");
        }
        synchronized (sink) {
            // (between two of the heartbeat's frames)
            held.writeTo(sink);
            sink.flush();
        }
        if (out.checkError() || err.checkError()) {
            throw new IOException("the client went away before the answer");
        }
        return code;
    }

    private int execute(Wire.Request r, String[] args, List<Class<?>> invoked, Resident resident, PrintWriter out,
                        PrintWriter err) {
        if (stopping) {
            err.println("cgledger: ledger " + dir + ": " + STOPPING);
            return CgLedger.LEDGER;
        }
        if (invoked.size() != 1 || !Client.SERVED.contains(name(invoked.get(0)))) {
            // what else a client runs (sh, export, import, compact, help) runs in the client
            err.println("cgledger: serve: runs the model's commands and the journal's readers only, not '"
                    + String.join(" ", args) + "'");
            return CgLedger.USAGE;
        }
        int code;
        try {
            code = CgLedger.createCommandLine(out, err, resident, r.environment(),
                    new ByteArrayInputStream(new byte[0]), r.terminal(), invoked).execute(args);
        } catch (OutOfMemoryError e) {
            // a reader of a large journal: its client is told, in one line, and the server goes on
            err.println("cgledger: out of memory in the ledger server: " + CgLedger.heapAdvice()
                    + " (to 'cgledger serve')");
            code = CgLedger.LEDGER;
        }
        if ((code == CgLedger.LEDGER || code == CgLedger.BUG) && !resident.gone) {
            // the ledger may be what failed: the next command opens it afresh (recovery checks it)
            synchronized (commands) {
                release();
            }
        }
        return code;
    }

    /**
     * Gives the client (process {@code pid}) a lease: closes the ledger, answers, and keeps it
     * closed until the client closes the connection, done with the ledger or dead. The commands
     * sent meanwhile wait in {@link Resident#open}.
     */
    private void lease(long pid, DataInputStream in, DataOutputStream out, Wire.Heartbeat beat) throws IOException {
        String holder = "pid " + pid + ", since " + Instant.now();
        synchronized (commands) {
            // for as long as a command waits for a lock by default: past that, given anyway (the
            // asker waits for its answer without a timeout of its own)
            long deadline = System.nanoTime() + Main.lockTimeout(null).toNanos();
            for (long left = deadline - System.nanoTime(); waiting > 0 && !stopping && left > 0;
                 left = deadline - System.nanoTime()) {
                try {
                    commands.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the commands waiting before it ran", e);
                }
            }
            release();
            leases.add(holder);
        }
        try {
            try {
                synchronized (out) {
                    beat.end();
                    out.writeByte(Wire.EXIT);
                    out.writeInt(0);
                    out.flush();
                }
            } catch (IOException e) {
                // (a client that gave up on a stopped server, continued since: its log had said 'Broken pipe')
                throw new IOException("the client (pid " + pid + ") went away before its lease was given", e);
            }
            while (in.read() >= 0) {
                // a client sends nothing more: the end of the connection ends the lease
            }
        } finally {
            synchronized (commands) {
                leases.remove(holder);
                commands.notifyAll();
            }
            lastRequest = System.nanoTime();
        }
    }

    /**
     * Whether {@code client} has closed its end of the connection: it sends nothing after its
     * request, so a read that does not wait finds the end of the stream only if it went away.
     */
    private static boolean gone(SocketChannel client) {
        try {
            client.configureBlocking(false);
            try {
                return client.read(ByteBuffer.allocate(1)) < 0;
            } finally {
                client.configureBlocking(true);
            }
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The H2 file grows by every commit (about 25 KB for a one-command commit here: H2 writes a
     * chunk each time, and the ledger's retention setting keeps freed space from being reused while
     * the file is open), so a server that runs for days has its ledger compact it: when closing it
     * would compact ({@link DurableLedger#compactionDue}) and no request came for {@code idle}, it
     * closes the ledger, which compacts the file, and opens it again, holding the commands
     * meanwhile. A ledger a reader was given, or on a database server, is left alone. Idle, it
     * also brings the history index up to the commands served ({@link DurableLedger#follow}).
     */
    void maintain(Duration idle) {
        while (!stopping) {
            try {
                Thread.sleep(Math.max(10, idle.toMillis() / 2));
            } catch (InterruptedException e) {
                return;
            }
            if (socketGone()) {
                return;
            }
            synchronized (commands) {
                if (stopping || !(ledger instanceof DurableLedger d) || System.nanoTime() - lastRequest < idle.toNanos()) {
                    continue;
                }
                // the history index follows the commands while the server is idle, not only before a
                // history: a server killed later leaves it current up to here
                d.follow();
                if (!d.compactionDue()) {
                    continue;
                }
                release();
                DurableLedger.Compaction c = d.closeCompaction();
                log.accept(c == null ? "compacting the ledger failed; its file stays as it is"
                        : String.format(Locale.ROOT, "compacted the ledger: %,d -> %,d bytes in %d ms",
                        c.bytesBefore(), c.bytesAfter(), c.millis()));
                try {
                    ledger = owned(production.open(dir));
                } catch (LedgerException e) {
                    // a reader took the lock meanwhile, say: the next command opens the ledger
                    log.accept("reopening put off: " + e.getMessage());
                }
            }
        }
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(picocli.CommandLine.Command.class).name();
    }

    /**
     * {@code l}, opened for this server, closed at exit by the server's own close ({@code serve}'s
     * exit hook: {@link Starting#end}) once the command under way is done, not by the ledger's
     * hook beside it, which closed it under that command ({@link DurableLedger#closedAtExitByOwner}).
     */
    private static Ledger owned(Ledger l) {
        if (l instanceof DurableLedger d) {
            d.closedAtExitByOwner();
        }
        return l;
    }

    /** Closes the ledger if it is open. Holding {@link #commands}. */
    private void release() {
        if (ledger != null) {
            try {
                ledger.close();
            } catch (RuntimeException e) {
                log.accept("closing the ledger: " + e.getMessage());
            }
            ledger = null;
        }
    }

    /**
     * The opener the served commands get: the served directory is the ledger already open (closing
     * it is the server's business, not the command's); a relative path is the client's, resolved
     * against its working directory. Each call holds {@link #commands} (a command of the model
     * holds it already). Opening waits for the leases to end; it refuses to run the command of a
     * client that has gone away ({@link #gone}).
     */
    private final class Resident implements LedgerOpener {
        private final Path cwd;
        private final Map<String, String> environment;
        private final SocketChannel client;
        /** Whether the client was found gone: the command was not run. */
        boolean gone;

        Resident(Path cwd, Map<String, String> environment, SocketChannel client) {
            this.cwd = cwd;
            this.environment = environment;
            this.client = client;
        }

        /** {@code given} as the client names it: from its working directory. */
        @Override
        public Path directory(Path given) {
            return LedgerDirectory.resolve(cwd.resolve(given));
        }

        private Path served(Path d) {
            // the client's CGLEDGER_LOCK_TIMEOUT is checked as a command run alone checks it (a
            // malformed one is exit 3 either way), though a served command takes no lock
            Main.lockTimeout(environment.get("CGLEDGER_LOCK_TIMEOUT"));
            Path abs = directory(d);
            try {
                if (abs.equals(dir) || Files.isSameFile(abs, dir)) {
                    return dir;
                }
            } catch (IOException e) {
                // not the same file
            }
            throw new LedgerException("this server serves " + dir + ", not " + abs);
        }

        @Override
        public Ledger open(Path d) {
            Path served = served(d);
            synchronized (commands) {
                awaitLeases();
                if (LedgerServer.gone(client)) {
                    gone = true;
                    throw new LedgerException("the client went away");
                }
                if (ledger == null) {
                    if (stopping) {
                        // its ledger let go as the server stops: not opened again for a late command
                        throw new LedgerException(STOPPING);
                    }
                    ledger = owned(production.open(served));
                }
                return new Borrowed(ledger);
            }
        }

        /**
         * Waits, holding {@link #commands}, until no lease is held, as long as the client would
         * wait for another process's lock ({@code CGLEDGER_LOCK_TIMEOUT} in its environment).
         *
         * @throws LedgerException naming the oldest lease's holder when it is still held then
         */
        private void awaitLeases() {
            if (leases.isEmpty()) {
                return;
            }
            Duration timeout = Main.lockTimeout(environment.get("CGLEDGER_LOCK_TIMEOUT"));
            long deadline = System.nanoTime() + timeout.toNanos();
            waiting++;
            try {
                while (!leases.isEmpty()) {
                    if (stopping) {
                        throw new LedgerException(STOPPING);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        // as the lock says it (LedgerLock): the lease's holder holds the lock, or is about to
                        throw new LedgerException("in use by another process (" + leases.get(0) + "); waited "
                                + timeout.toMillis() + " ms");
                    }
                    try {
                        commands.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new LedgerException("interrupted while waiting for the ledger", e);
                    }
                }
            } finally {
                // a lease asked for meanwhile waits for this command (it runs holding the monitor)
                waiting--;
                commands.notifyAll();
            }
        }

        @Override
        public boolean exists(Path d) {
            return production.exists(served(d));
        }

        // the journal's readers read it through the ledger held open (no second lock); a journal on
        // a database server goes through the production opener, after the ledger is closed
        @Override
        public List<Journals.Stored> journal(Path d) {
            synchronized (commands) {
                return held(d, rows -> (List<Journals.Stored>) rows.readAllEncoded()).orElseGet(() -> production.journal(served(d)));
            }
        }

        @Override
        public boolean printsWhileReading() {
            return false;
        }

        @Override
        public <T> T travel(Path d, Function<TimeTravel, T> question) {
            synchronized (commands) {
                return held(d, rows -> question.apply(new StoredTravel(rows)))
                        .orElseGet(() -> production.travel(served(d), question));
            }
        }

        @Override
        public List<History.Incarnation> history(Path d, String path, CgroupId id) {
            synchronized (commands) {
                open(d);
                if (ledger instanceof DurableLedger l) {
                    // the index is brought up to the commands served so far, not folded again from the start
                    l.follow();
                }
                return held(d, rows -> Main.history(rows, path, id))
                        .orElseGet(() -> production.history(served(d), path, id));
            }
        }

        /**
         * {@code reader} run on the journal of the ledger held open, if it is an H2 file; otherwise
         * the ledger is closed, and empty. Holding {@link #commands}.
         */
        private <T> Optional<T> held(Path d, Function<JournalRows, T> reader) {
            open(d);
            Optional<T> read = ledger instanceof DurableLedger l ? l.read(reader) : Optional.empty();
            if (read.isEmpty()) {
                release();
            }
            return read;
        }

        // import and compact are never served (Client.RELEASING): the client runs them, under a lease
    }

    /** The open ledger lent to one command: everything but {@link #close}. */
    private static final class Borrowed extends ForwardingLedger {
        Borrowed(Ledger ledger) {
            super(ledger);
        }

        @Override
        public void close() {
            // the server's ledger stays open for the next command
        }
    }
}
