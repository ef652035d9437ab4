package org.cgledger.core.event;

/**
 * What happened: past-tense records, each applied by {@code Evolver.evolve}. A command yields a
 * primary event and, after it, the consequences it caused (css_sets freed, objects released, css
 * released, release notifications), so that every reference count can be traced event by event.
 * Refcounts agree with their definitions after every single event.
 */
public sealed interface Event permits LedgerInitialized, HierarchyMounted, MountPointAdded, MountPointRemoved,
        HierarchyDestroyed, CgroupCreated, CgroupRemoved, TaskAttached, TaskForked, TaskExited, ObjectCharged,
        HoldDropped, ObjectReleased, CssSetFreed, CssReleased, LimitSet, MoveChargeSet, NotifyOnReleaseSet,
        ReleaseNotified, RmdirRefused {
}
