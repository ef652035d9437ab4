package org.cgledger.core.command;

/**
 * What a user asks for, cgroupfs-style. Text the user typed (paths, pids written to a tasks file,
 * file values, subsystem and object names) stays text here, so that {@code Decider.decide} refuses
 * bad input with the errno the kernel would give, the same for every front end.
 */
public sealed interface Command permits Init, Mount, Umount, Mkdir, Rmdir, Attach, Fork, Exit, Charge, Uncharge,
        SetFile {
}
