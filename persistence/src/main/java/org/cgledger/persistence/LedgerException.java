package org.cgledger.persistence;

/**
 * The ledger itself failed: locked by another process, unreadable, or corrupt. Never a refusal
 * by the model (that is an {@link Outcome.Refused}). The message names what is wrong and where.
 */
public class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
