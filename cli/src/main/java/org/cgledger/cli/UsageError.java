package org.cgledger.cli;

/** The user asked for something the command line cannot run as given (exit 2). Never a model refusal. */
final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message, null, false, false);
    }
}
