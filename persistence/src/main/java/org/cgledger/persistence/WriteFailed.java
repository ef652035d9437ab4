package org.cgledger.persistence;

/**
 * A journal write failed, and the ledger is broken until it is opened again. Says from which event
 * on the write was not recorded (or may not be), and, for {@link DurableLedger#executeAll}, how
 * many of the commands given were recorded: every event before {@link #firstLost} is in the
 * journal; when {@link #certain}, the next open cuts any later one other streams wrote (a torn tail).
 */
public final class WriteFailed extends LedgerException {
    private static final long serialVersionUID = 1L;

    private final long firstLost;
    private final int commandsRecorded;
    private final boolean certain;

    WriteFailed(String message, Throwable cause, long firstLost, int commandsRecorded, boolean certain) {
        super(message, cause);
        this.firstLost = firstLost;
        this.commandsRecorded = commandsRecorded;
        this.certain = certain;
    }

    /**
     * Whether the events from {@link #firstLost} on are known not to be recorded; false when that
     * event's write timed out or its commit failed, which may still have recorded it.
     */
    public boolean certain() {
        return certain;
    }

    /** The sequence number of the first event not recorded (or that may not be). */
    public long firstLost() {
        return firstLost;
    }

    /**
     * How many of the commands given to {@link DurableLedger#executeAll}, from the first, are
     * recorded (each with every event it has: one refused without a record counts too); -1 when
     * the write was of one command ({@link DurableLedger#execute}), which is then not recorded.
     */
    public int commandsRecorded() {
        return commandsRecorded;
    }

    WriteFailed withCommandsRecorded(int n) {
        return new WriteFailed(getMessage(), getCause(), firstLost, n, certain);
    }
}
