package org.cgledger.core.decide;

import org.cgledger.core.model.Errno;

/**
 * Unwinds a decision that is refused. Used only inside this package and always turned into a
 * {@link Decision.Rejected} value before {@link Decider#decide} returns.
 */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final Errno errno;
    final String reason;

    Refusal(Errno errno, String reason) {
        super(errno + ": " + reason, null, false, false);
        this.errno = errno;
        this.reason = reason;
    }
}
