/**
 * The {@code cgledger} command line: picocli commands that parse text into core's commands, hand
 * them to a {@code Ledger}, and render what comes back (text for a person, one JSON object per
 * command with {@code --json}). No rule of the model lives here: every refusal comes from
 * core's {@code Decider}, every view from core's state and {@code org.cgledger.core.query}.
 * Exit codes: 0 ok, 1 refused by the model, 2 usage, 3 the ledger itself, 70 a bug, 141 stdout a pipe
 * its reader closed.
 */
package org.cgledger.cli;
