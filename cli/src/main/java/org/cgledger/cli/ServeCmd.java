package org.cgledger.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.cgledger.core.model.Errno;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: keeps a ledger open for the one-shot commands that follow ({@link LedgerServer}). */
@Command(name = "serve", description = {"Keep the ledger open and run the model's commands (writes and views) "
        + "and the journal's readers that other cgledger processes send it over the ledger's socket, "
        + "DIR/ledger.sock. Each of them then pays for starting a small process only, not for opening the "
        + "ledger: on a 1,000,000-event ledger a one-shot mkdir took 1.2-1.4 s without a server and "
        + "0.22-0.24 s with one.",
        "A command's answer comes once its events are durable, as without a server. The journal's readers "
        + "(log, history, audit...) run in the server too; export, import, compact and sh run in their own "
        + "process: they ask the server to close the ledger first, and it keeps it closed until they are done "
        + "(a command sent meanwhile waits for them as for another process's lock, then it opens the ledger "
        + "again). "
        + "When the ledger's file has grown to twice its size (and by 64 MiB) and no command came for 2 s, the "
        + "server compacts it. Runs in the foreground until Ctrl-C, SIGTERM or 'serve --stop'."},
        footerHeading = "%nExample:%n", footer = {"  cgledger --ledger ./l mount -o A none /H1   # serve opens a ledger, never creates one",
        "  cgledger --ledger ./l serve &", "  cgledger --ledger ./l mkdir /H1/a",
        "  cgledger --ledger ./l serve --stop"})
final class ServeCmd extends BaseCommand {

    @Option(names = "--stop", description = "Stop the server of this ledger, if one runs.")
    boolean stop;

    ServeCmd(CliContext cli) {
        super(cli);
    }

    @Override
    int run(Session session, Out out) {
        if (session.memory) {
            throw new UsageError("serve needs a ledger directory, not --in-memory");
        }
        if (stop) {
            boolean stopped = Client.stop(Wire.socket(session.dir));
            if (!stopped) {
                throw new Refused(session.dir.toString(), Errno.ENOENT,
                        "no server answers on " + Wire.socket(session.dir));
            }
            said(out, "stopped the server of ", session);
            return 0;
        }
        if (!cli.opener.exists(session.dir)) {
            // as a reader, export or compact refuses a missing ledger
            throw noLedger(session);
        }
        // said once, by whichever stops it: on SIGTERM the JVM halts as soon as its hooks end, which
        // could be before the main thread, woken by the close, got to say it
        java.util.concurrent.atomic.AtomicBoolean said = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stopped = () -> {
            if (said.compareAndSet(false, true)) {
                said(out, "stopped serving ", session);
                cli.out.flush();
            }
        };
        // (hooked before the start: one ended while it opens the ledger had left its socket, silently)
        LedgerServer.Starting starting = new LedgerServer.Starting();
        Thread hook = new Thread(() -> atExit(starting, stopped, cli.err, session.dir.toString()),
                "cgledger-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        LedgerServer server;
        try {
            server = LedgerServer.start(session.dir, cli.opener, message -> {
                cli.err.println("cgledger serve: " + Out.visible(message));
                cli.err.flush();
            }, starting);
        } catch (LedgerServer.GaveUp e) {
            // the process is exiting (SIGTERM as the open completed): its hook said so, and the
            // start bound no socket again
            removeHook(hook);
            return CgLedger.LEDGER;
        } catch (LedgerServer.NothingRecorded e) {
            // a journal that records nothing (a first write killed before its first event): no
            // ledger, as the views say (it had been served as one)
            removeHook(hook);
            throw noLedger(session);
        } catch (RuntimeException e) {
            removeHook(hook);
            throw e;
        }
        Thread maintenance = new Thread(() -> server.maintain(Duration.ofSeconds(2)),
                "cgledger-serve-compact");
        maintenance.setDaemon(true);
        maintenance.start();
        cli.err.println("cgledger serve: serving " + Out.visible(session.dir.toString()) + " on "
                + Out.visible(server.socket().toString()) + " (pid "
                + ProcessHandle.current().pid() + "); stop with Ctrl-C or 'serve --stop'");
        cli.err.flush();
        try {
            server.serve();
        } finally {
            server.close();
            removeHook(hook);
        }
        stopped.run();
        return 0;
    }

    /**
     * {@code what DIR} in a line, or under {@code --json} {@code {"ok": true, "ledger": DIR}} (it had
     * been the text line, in the middle of a script's JSON).
     */
    private static void said(Out out, String what, Session session) {
        if (out.json) {
            ObjectNode n = out.okNode();
            n.put("ledger", session.dir.toString());
            out.emit(n);
        } else {
            // (escaped once: println's escapes would leave a newline of it as it is)
            out.printlnAsIs(what + Out.visible(session.dir.toString()));
        }
    }

    private static Refused noLedger(Session session) {
        return new Refused(null, Errno.ENOENT, "no ledger at " + session.dir
                + " to serve: create it first ('cgledger --ledger " + session.dir + " init')");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (and finds it all closed)
        }
    }

    /**
     * What the process's exit (SIGTERM, Ctrl-C) does to a server: closes it once it serves; while it
     * still opens its ledger (waiting for another writer's lock, say), removes its socket and says
     * so in one line on {@code err}.
     */
    static void atExit(LedgerServer.Starting starting, Runnable stopped, java.io.PrintWriter err, String dir) {
        LedgerServer server = starting.end();
        if (server != null) {
            server.close();
            stopped.run();
        } else if (starting.gaveUp()) {
            err.println("cgledger serve: stopped before it served " + Out.visible(dir)
                    + ": ended while it was still opening the ledger");
            err.flush();
        }
    }
}
