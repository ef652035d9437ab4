package org.cgledger.cli;

import org.cgledger.core.model.Errno;

/** A refusal met while rendering a view (exit 1), as {@code verb: subject: message}; unwinds to {@link BaseCommand}. */
final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String subject;
    final Errno errno;
    final String reason;

    Refused(String subject, Errno errno, String reason) {
        super(errno + ": " + reason, null, false, false);
        this.subject = subject;
        this.errno = errno;
        this.reason = reason;
    }
}
