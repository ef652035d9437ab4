/**
 * The read side of a ledger: stored journals folded with core's own {@code Evolver.evolve} (never
 * a second state machine) into the state at any event or time, an audit that recomputes every
 * refcount an event touches from first principles and traces each discrepancy to its event and its
 * get/put timeline, the history of one group through an index of the events that touch each
 * group, who holds a css or css_set, why an rmdir would fail, the reference graph, diffs between
 * two points, and export/import as JSON lines. Everything here reads finite, already-stored
 * journals; nothing here writes one (the history index lives in tables of its own).
 */
package org.cgledger.replay;
