package org.cgledger.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.SetFile;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.command.Umount;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.event.TaskForked;
import org.cgledger.core.model.CgroupPath;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.Result;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.persistence.Outcome;
import org.cgledger.persistence.Recorded;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that change the model (DESIGN.md §5): each parses text into one core command. */
final class WriteCommands {

    private WriteCommands() {
    }

    @Command(name = "init", description = "Create the ledger: choose the subsystem catalog and the policies.",
            footerHeading = "%nExample:%n", footer = "  cgledger --ledger /tmp/l init --subsys A,B --pin cssset --rmdir offline")
    static final class InitCmd extends BaseCommand {
        @Option(names = "--subsys", split = ",", paramLabel = "LIST",
                description = "Subsystems, comma-separated (default: ${DEFAULT-VALUE}).",
                defaultValue = "A,B,cpu,memory,beancounter")
        List<String> subsys;

        @Option(names = "--pin", paramLabel = "css|cssset", defaultValue = "css", completionCandidates = Candidates.Pins.class,
                description = "What a charged object pins: its css, or its task's css_set (default: ${DEFAULT-VALUE}).")
        String pin;

        @Option(names = "--rmdir", paramLabel = "strict|offline|unchecked", defaultValue = "strict",
                completionCandidates = Candidates.RmdirPolicies.class,
                description = "rmdir of a group whose css are still referenced (default: ${DEFAULT-VALUE}).")
        String rmdir;

        InitCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            Result<PinPolicy> p = Decider.parsePin(pin);
            Result<RmdirPolicy> r = Decider.parseRmdir(rmdir);
            if (p instanceof Result.Refused<PinPolicy> bad) {
                throw new UsageError(bad.reason());
            }
            if (r instanceof Result.Refused<RmdirPolicy> bad) {
                throw new UsageError(bad.reason());
            }
            return write(session, out, "init", session.dir.toString(), new Init(subsys,
                    ((Result.Ok<PinPolicy>) p).value(), ((Result.Ok<RmdirPolicy>) r).value()), null);
        }
    }

    @Command(name = "mount", description = "Mount a hierarchy: mount [-t cgroup] -o SUBSYS[,...][,name=N] [none] MOUNTPOINT.",
            footerHeading = "%nExample:%n", footer = "  cgledger mount -t cgroup -o A none /H1")
    static final class MountCmd extends BaseCommand {
        @Option(names = "-t", paramLabel = "TYPE", completionCandidates = Candidates.MountTypes.class,
                description = "cgroup or container (the 2007 name).")
        String type;

        @Option(names = "-o", paramLabel = "OPTIONS", description = "Subsystems and options, comma-separated; "
                + "given more than once, joined (as mount(8) joins them).")
        List<String> options = new ArrayList<>();

        @Parameters(arity = "1..2", paramLabel = "[DEVICE] MOUNTPOINT", hideParamSyntax = true, description = "The device (ignored) and the mount point.")
        List<String> args;

        MountCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            if (args.size() > 2) {
                // (the arity bounds each match of the list, not how many words it takes)
                throw new UsageError("one mount point, not " + (args.size() - 1) + ": " + String.join(" ", args.subList(1, args.size())));
            }
            if (args.size() == 1 && List.of("none", "cgroup", "container").contains(args.get(0))) {
                // mount(8) reads one argument as an fstab entry; in sh a relative mount point would
                // silently become /none
                throw new UsageError("no mount point: '" + args.get(0) + "' is the device; give the mount point after "
                        + "it (mount -t cgroup -o A none /H1)");
            }
            String mp = session.resolve(args.get(args.size() - 1));
            if (type != null && !type.equals("cgroup") && !type.equals("container")) {
                return out.refused("mount", mp, Errno.ENODEV, "unknown filesystem type '" + type + "'");
            }
            return write(session, out, "mount", mp, new Mount(String.join(",", options), mp), null);
        }
    }

    @Command(name = "umount", description = "Unmount a hierarchy (with child cgroups it survives, detached).",
            footerHeading = "%nExample:%n", footer = "  cgledger umount /H1")
    static final class UmountCmd extends BaseCommand {
        @Parameters(paramLabel = "MOUNTPOINT")
        String mountPoint;

        UmountCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            String mp = session.resolve(mountPoint);
            if (session.inSh && CgroupPath.parse(mp) instanceof Result.Ok<CgroupPath> p) {
                // the shell's working directory holds its mount busy, as a process's does in the kernel
                String at = p.value().toString();
                if (session.state().mountPoints().containsKey(at)
                        && (session.cwd.equals(at) || session.cwd.startsWith(at.equals("/") ? "/" : at + "/"))) {
                    return out.refused("umount", mp, Errno.EBUSY, "the working directory " + session.cwd
                            + " is on this mount (cd out of it first)");
                }
            }
            return write(session, out, "umount", mp, new Umount(mp), null);
        }
    }

    @Command(name = "mkdir", description = "Create cgroups.", footerHeading = "%nExample:%n",
            footer = "  cgledger mkdir -p /H1/web/workers")
    static final class MkdirCmd extends BaseCommand {
        @Option(names = "-p", description = "Create missing parents; an existing directory is no error.")
        boolean parents;

        @Parameters(arity = "1..*", paramLabel = "PATH")
        List<String> paths;

        MkdirCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            int code = 0;
            for (String p : paths) {
                Refused exists = new Refused(p, Errno.EEXIST, "'.' is the working directory "
                        + session.cwd + ", removed but still in use");
                String path;
                try {
                    path = session.resolve(p, exists, new Refused(p, Errno.EEXIST, "'..' names a directory (walked from"
                            + " the removed working directory " + session.cwd + ")"));
                } catch (Refused r) {
                    if (r.errno == Errno.EEXIST && parents) {
                        // an existing directory: mkdir -p makes nothing, as coreutils' does, and
                        // answers as for any existing directory (under --json, no events)
                        out.done(List.of(), null);
                        continue;
                    }
                    // each path on its own, as mkdir(1) goes on to the next
                    code = Math.max(code, out.refused("mkdir", r.subject, r.errno, r.reason));
                    continue;
                }
                code = Math.max(code, write(session, out, "mkdir", p, new Mkdir(path, parents), null));
            }
            return code;
        }
    }

    @Command(name = "rmdir", description = "Remove cgroups (what happens to a still-referenced css depends on the rmdir policy).",
            footerHeading = "%nExample:%n", footer = "  cgledger rmdir /H1/foo")
    static final class RmdirCmd extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "PATH")
        List<String> paths;

        RmdirCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            int code = 0;
            for (String p : paths) {
                String path;
                try {
                    path = session.resolve(p, new Refused(p, Errno.EINVAL, "cannot remove '.'"),
                            new Refused(p, Errno.ENOTEMPTY, "cannot remove '..'"));
                } catch (Refused r) {
                    // each path on its own, as rmdir(1) goes on to the next
                    code = Math.max(code, out.refused("rmdir", r.subject, r.errno, r.reason));
                    continue;
                }
                code = Math.max(code, write(session, out, "rmdir", p, new Rmdir(path), null));
            }
            return code;
        }
    }

    @Command(name = "attach", description = "Move a task into a cgroup (= echo PID > PATH/tasks).",
            footerHeading = "%nExample:%n", footer = "  cgledger attach 1 /H1/foo")
    static final class AttachCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "PID")
        String pid;

        @Parameters(index = "1", paramLabel = "PATH")
        String path;

        AttachCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            String p = session.resolve(path);
            return write(session, out, "attach", p, new Attach(pid, p), null);
        }
    }

    @Command(name = "fork", description = "Fork a task: the child joins its parent's css_set and holds what it holds.",
            footerHeading = "%nExample:%n", footer = "  cgledger fork 1 --pid 100")
    static final class ForkCmd extends BaseCommand {
        @Parameters(paramLabel = "PARENT")
        Pid parent;

        @Option(names = "--pid", paramLabel = "N", description = "The child's pid (default: the highest so far + 1; past 4194303, "
                + "the largest the kernel gives, the lowest free pid from 300 up, as the kernel wraps).")
        Pid child;

        ForkCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            Outcome o = session.execute(new Fork(parent, child));
            if (o instanceof Outcome.Refused r) {
                return out.refused("fork", parent.toString(), r.errno(), r.reason());
            }
            List<Recorded> events = ((Outcome.Done) o).events();
            Pid made = events.stream().map(Recorded::event).filter(e -> e instanceof TaskForked)
                    .map(e -> ((TaskForked) e).child()).findFirst().orElseThrow();
            if (out.json) {
                out.done(events, out.object().put("pid", made.value()));
            } else {
                out.println(made.toString());
            }
            return 0;
        }
    }

    @Command(name = "exit", description = "A task exits: drops its css_set and all its holds.",
            footerHeading = "%nExample:%n", footer = "  cgledger exit 100")
    static final class ExitCmd extends BaseCommand {
        @Parameters(paramLabel = "PID", description = {"The task's pid, a decimal number as ps shows it: spaces "
                + "around it and a leading + are taken (' 5' is 5) and 010 is 10, while 0x10 is refused, as bash's "
                + "own exit reads its number.", "In sh, exit without a PID ends the script (as quit)."})
        Pid pid;

        ExitCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            return write(session, out, "exit", pid.toString(), new Exit(pid), null);
        }
    }

    @Command(name = "charge", description = "Charge an object to a task's css for SUBSYS (hierarchical usage, limits).",
            footerHeading = "%nExample:%n", footer = "  cgledger charge 1 A file:1 --amount 4096")
    static final class ChargeCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "PID")
        Pid pid;

        @Parameters(index = "1", paramLabel = "SUBSYS")
        String subsys;

        @Parameters(index = "2", paramLabel = "OBJECT")
        String object;

        @Parameters(index = "3", arity = "0..1", paramLabel = "AMOUNT", description = "Same as --amount.")
        Long amountArg;

        @Option(names = "--amount", paramLabel = "N", description = "The amount (default 1).")
        Long amount;

        @Option(names = "--cache", description = "Like a page-cache page: stays charged after its last holder exits.")
        boolean cache;

        ChargeCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            if (amount != null && amountArg != null) {
                throw new UsageError("give the amount once (AMOUNT or --amount)");
            }
            long a = amount != null ? amount : amountArg != null ? amountArg : 1;
            return write(session, out, "charge", object, new Charge(pid, subsys, object, a, cache), null);
        }
    }

    @Command(name = "uncharge", description = "Drop holds on an object; released when no hold is left.",
            footerHeading = "%nExample:%n", footer = "  cgledger uncharge file:1 --task 1")
    static final class UnchargeCmd extends BaseCommand {
        @Parameters(paramLabel = "OBJECT")
        String object;

        @Option(names = "--task", paramLabel = "PID", description = "Drop only this task's hold (default: all holds).")
        Pid task;

        UnchargeCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            return write(session, out, "uncharge", object, new Uncharge(object, task), null);
        }
    }

    @Command(name = "set", description = "Write a cgroup file (= echo VALUE > PATH/FILE): SUBSYS.limit, "
            + "SUBSYS.move_charge_at_immigrate, notify_on_release, tasks, cgroup.procs (a task is its own thread "
            + "group: as tasks).",
            footerHeading = "%nExample:%n", footer = "  cgledger set /H1/foo A.limit 10")
    static final class SetCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "The cgroup whose file is written.")
        String path;

        @Parameters(index = "1", paramLabel = "FILE", description = "The file: one of those above.")
        String file;

        @Parameters(index = "2", arity = "1..*", paramLabel = "VALUE", description = "What echo writes: the words "
                + "joined by one space (so 'A.limit 1 2' writes '1 2', which the file refuses, EINVAL, as the "
                + "kernel's does).")
        List<String> value;

        SetCmd(CliContext cli) {
            super(cli);
        }

        @Override
        int run(Session session, Out out) {
            String p = session.resolve(path);
            return write(session, out, "set", p + "/" + file, new SetFile(p, file, String.join(" ", value)), null);
        }
    }

    /** The write subcommands, in help order. */
    static List<Class<?>> all() {
        return new ArrayList<>(Arrays.asList(InitCmd.class, MountCmd.class, UmountCmd.class, MkdirCmd.class,
                RmdirCmd.class, AttachCmd.class, ForkCmd.class, ExitCmd.class, ChargeCmd.class, UnchargeCmd.class,
                SetCmd.class));
    }
}
