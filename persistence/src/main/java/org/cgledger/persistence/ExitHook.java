package org.cgledger.persistence;

/**
 * A close that runs if the process exits first (Ctrl-C, SIGTERM, an error nothing caught): what
 * an open ledger and an open journal reader register, as H2 does not close the database at exit
 * ({@code DB_CLOSE_ON_EXIT=FALSE}).
 */
final class ExitHook {

    private Thread hook;

    private ExitHook(Thread hook) {
        this.hook = hook;
    }

    /**
     * Registers {@code close} to run at exit; if the process is exiting already, runs it now and
     * throws.
     *
     * @param what what is being opened, for the message ({@code "the ledger in DIR"})
     * @throws LedgerException if the process is exiting
     */
    static ExitHook register(String name, Runnable close, String what) {
        Thread t = new Thread(close, name);
        try {
            Runtime.getRuntime().addShutdownHook(t);
        } catch (IllegalStateException e) {
            close.run();
            throw new LedgerException("cannot open " + what + ": the process is exiting", e);
        }
        return new ExitHook(t);
    }

    /**
     * Registers {@code cleanup} to run at exit, as {@link #register} does; if the process is
     * exiting already (this is another exit hook's work, a close that compacts, say), registers
     * nothing and runs nothing: the work goes on, the hook under way waited for.
     */
    static ExitHook unlessExiting(String name, Runnable cleanup) {
        Thread t = new Thread(cleanup, name);
        try {
            Runtime.getRuntime().addShutdownHook(t);
        } catch (IllegalStateException e) {
            return new ExitHook(null);
        }
        return new ExitHook(t);
    }

    /** Unregisters the hook, as the close it runs is under way already; at exit (the hook's own run, say) it stays. */
    void remove() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the process is exiting: this is the hook's run, or the hook runs next and finds it closed
        }
        hook = null;
    }
}
