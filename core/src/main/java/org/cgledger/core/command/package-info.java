/**
 * Commands: what a user asks the ledger to do, one record per cgroupfs operation. Decided by
 * {@code org.cgledger.core.decide.Decider} against the whole model, as the kernel decides under
 * its one cgroup mutex.
 */
package org.cgledger.core.command;
