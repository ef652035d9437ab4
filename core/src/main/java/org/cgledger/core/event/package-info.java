/**
 * Events: what happened, in the past tense, each applied by {@code Evolver.evolve}. The journal
 * is a sequence of these; every state of the ledger is a fold of them.
 */
package org.cgledger.core.event;
