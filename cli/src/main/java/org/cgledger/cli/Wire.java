package org.cgledger.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cgledger.persistence.LedgerDirectory;

/**
 * What a client and {@code cgledger serve} say to each other over the ledger's Unix socket
 * ({@code ledger.sock} in the ledger directory): one request a connection, then the answer as
 * frames of stdout and stderr bytes ending with the exit code.
 *
 * <pre>
 * request: int MAGIC, byte op;  op RUN: string cwd, boolean terminal, int n, n x (string, string) env,
 *                                       int m, m x string args
 *                               op RELEASE: long pid
 * answer:  frames: byte OUT|ERR, int length, bytes, or byte ALIVE  ...  then byte EXIT, int code
 * </pre>
 * Strings are an int length and UTF-8 bytes. RELEASE, STOP and PING are answered by an EXIT frame
 * alone (0: done). A client sends nothing after its request: the end of its connection before the
 * answer means it went away. RELEASE is a lease: the server keeps the ledger closed until the
 * client (process {@code pid}) closes the connection, when it is done with the ledger or as it dies.
 *
 * <p>While the server works on a request, until its EXIT frame (and while it opens its ledger, to a
 * connection it accepted meanwhile), it sends an ALIVE frame (the byte alone) every {@link
 * #HEARTBEAT}: a client that hears nothing for as long as {@link Client#SILENCE} while it waits
 * gives up, where it had waited for ever on a server stopped (SIGSTOP) or hung.
 */
final class Wire {

    /**
     * "CGL" and the protocol version: a client and a server of different versions refuse each other.
     * A server answers a request of another version (its magic "CGL" and another last byte) with its
     * own magic alone, which no answer of any version begins with ('C' is no frame's byte), and
     * stops if the request was a STOP: so each side can name both versions, and {@code serve
     * --stop} of either build stops the server.
     */
    static final int MAGIC = 0x43474c03;
    /** The protocol version this build speaks (the last byte of {@link #MAGIC}). */
    static final int PROTOCOL = MAGIC & 0xff;
    /** "CGL": the first three bytes of the magic of every version. */
    private static final int CGL = MAGIC & ~0xff;

    /** Runs a command line in the server. */
    static final byte RUN = 'R';
    /**
     * Closes the server's ledger and keeps it closed while the connection lasts (commands sent
     * meanwhile wait), so that the client's process can work on the ledger's files itself.
     */
    static final byte RELEASE = 'L';
    /** Stops the server. */
    static final byte STOP = 'S';
    /** Asks whether the server is up. */
    static final byte PING = 'P';

    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte EXIT = 'X';
    /** The server is at work on the request: a frame of this byte alone. */
    static final byte ALIVE = 'A';

    /** How often a server at work on a request says so ({@link #ALIVE}). */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    /** The socket's file name in the ledger directory. */
    static final String SOCKET = "ledger.sock";

    /** The longest socket path Linux takes ({@code sun_path} holds 108 bytes with the terminating NUL). */
    static final int MAX_SOCKET_PATH = 107;

    private Wire() {
    }

    /**
     * The socket of the ledger in {@code dir}, in the directory the operating system resolves it to
     * ({@link LedgerDirectory#resolve}), where the ledger's lock and journal are and where the
     * launcher looks for it ({@code -S "$ledger/ledger.sock"}).
     */
    static Path socket(Path dir) {
        return LedgerDirectory.resolve(dir).resolve(SOCKET);
    }

    /** The address of {@code socket}, or a reason it cannot have one. */
    static UnixDomainSocketAddress address(Path socket) throws IOException {
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH) {
            throw new IOException("the socket path " + socket + " is " + length + " bytes long, over the "
                    + MAX_SOCKET_PATH + " a Unix socket takes: use a shorter ledger path");
        }
        return UnixDomainSocketAddress.of(socket);
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new IOException("bad string length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /** One command line to run, as the client saw it. */
    record Request(String cwd, boolean terminal, Map<String, String> environment, List<String> args) {

        void write(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            out.writeByte(RUN);
            writeString(out, cwd);
            out.writeBoolean(terminal);
            out.writeInt(environment.size());
            for (Map.Entry<String, String> e : environment.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.writeInt(args.size());
            for (String a : args) {
                writeString(out, a);
            }
            out.flush();
        }

        /** The rest of a RUN request, after its magic and op. */
        static Request read(DataInputStream in) throws IOException {
            String cwd = readString(in);
            boolean terminal = in.readBoolean();
            int n = in.readInt();
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                env.put(readString(in), readString(in));
            }
            int m = in.readInt();
            List<String> args = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                args.add(readString(in));
            }
            return new Request(cwd, terminal, env, args);
        }
    }

    /** Reads the op of a request, after checking its magic. */
    static byte readOp(DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            if ((magic & ~0xff) == CGL) {
                throw new OtherProtocol(magic & 0xff, in.readByte());
            }
            throw new IOException(String.format("not a cgledger request (magic %08x, expected %08x)", magic, MAGIC));
        }
        return in.readByte();
    }

    /**
     * The other side speaks another version of the protocol ({@link #MAGIC}): a cgledger of another
     * build. A server reads it in a request (with the request's op), a client in an answer.
     */
    static final class OtherProtocol extends IOException {
        /** The other side's protocol version. */
        final int version;
        /** The op of the request a server read ({@link #STOP}...); 0 in an answer. */
        final byte op;

        OtherProtocol(int version, byte op) {
            super("it speaks protocol " + version + ", this build " + PROTOCOL);
            this.version = version;
            this.op = op;
        }
    }

    /**
     * A stream that sends what is written to it as frames of one kind ({@link #OUT} or {@link #ERR}),
     * a frame per 8 KiB or per flush; the two kinds of one answer share {@code sink} and its lock.
     */
    static final class FrameStream extends OutputStream {
        private final DataOutputStream sink;
        private final byte kind;
        private final byte[] buffer = new byte[8192];
        private int used;

        FrameStream(DataOutputStream sink, byte kind) {
            this.sink = sink;
            this.kind = kind;
        }

        @Override
        public void write(int b) throws IOException {
            if (used == buffer.length) {
                flush();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (used == buffer.length) {
                    flush();
                }
                int n = Math.min(len, buffer.length - used);
                System.arraycopy(b, off, buffer, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (used > 0) {
                synchronized (sink) {
                    sink.writeByte(kind);
                    sink.writeInt(used);
                    sink.write(buffer, 0, used);
                    sink.flush();
                }
                used = 0;
            }
        }
    }

    /**
     * The {@link #ALIVE} frames of one answer, at once and every {@link #HEARTBEAT} until {@link #end}, under the
     * lock of {@code sink} that the answer's frames take too. A beat is sent on a thread of {@code
     * senders}, so one that waits on a client not reading its socket holds up no other answer's
     * beats; that answer's later beats are skipped meanwhile.
     */
    static final class Heartbeat {
        private final DataOutputStream sink;
        private final AtomicBoolean beating = new AtomicBoolean();
        /** Guarded by {@link #sink}. */
        private boolean ended;
        private final ScheduledFuture<?> schedule;

        Heartbeat(DataOutputStream sink, ScheduledExecutorService timer, Executor senders) {
            this.sink = sink;
            long every = HEARTBEAT.toMillis();
            ScheduledFuture<?> scheduled;
            try {
                scheduled = timer.scheduleWithFixedDelay(() -> {
                    if (beating.compareAndSet(false, true)) {
                        try {
                            senders.execute(this::beat);
                        } catch (RejectedExecutionException e) {
                            beating.set(false); // the server is closing
                        }
                    }
                }, 0, every, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                scheduled = null; // the server is closing: this answer is its last
            }
            this.schedule = scheduled;
        }

        private void beat() {
            try {
                synchronized (sink) {
                    if (!ended) {
                        sink.writeByte(ALIVE);
                        sink.flush();
                    }
                }
            } catch (IOException e) {
                // the client went away: the answer's own writes find that out too
                end();
            } finally {
                beating.set(false);
            }
        }

        /** Sends no more beats: called before the EXIT frame (a beat after it would follow the answer). */
        void end() {
            synchronized (sink) {
                ended = true;
            }
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
    }

    /**
     * Copies the frames of an answer to {@code out} and {@code err} and returns its exit code. A
     * stream that fails (stdout piped to {@code head}, closed) is written no more, and the answer is
     * still read to its exit code, as a one-shot command's own {@code PrintWriter} would go on.
     *
     * @throws EOFException if the server closed the connection before the exit code
     * @throws IOException if reading the answer fails
     */
    static int copyAnswer(DataInputStream in, OutputStream out, OutputStream err) throws IOException {
        boolean outOk = true;
        boolean errOk = true;
        while (true) {
            byte kind = in.readByte();
            if (kind == EXIT) {
                return in.readInt();
            }
            if (kind == (byte) (MAGIC >>> 24)) {
                // a server of another version: its magic ('C' is no frame)
                int magic = (kind & 0xff) << 24 | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8)
                        | in.readUnsignedByte();
                if ((magic & ~0xff) == CGL) {
                    throw new OtherProtocol(magic & 0xff, (byte) 0);
                }
                throw new IOException(String.format("bad answer (magic %08x)", magic));
            }
            if (kind == ALIVE) {
                continue;
            }
            int n = in.readInt();
            if (n < 0 || (kind != OUT && kind != ERR)) {
                throw new IOException("bad frame " + kind + "/" + n);
            }
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException();
            }
            try {
                if (kind == OUT && outOk) {
                    out.write(b);
                    out.flush();
                } else if (kind == ERR && errOk) {
                    err.write(b);
                    err.flush();
                }
            } catch (IOException e) {
                if (kind == OUT) {
                    outOk = false;
                } else {
                    errOk = false;
                }
            }
        }
    }
}
