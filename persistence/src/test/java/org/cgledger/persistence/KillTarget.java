package org.cgledger.persistence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;

/**
 * The process {@link KillTest} kills: writes commands to a ledger without end and prints
 * {@code ACK n} (flushed) each time every event up to {@code n} is acknowledged.
 * Arguments: the ledger directory, {@code one} (a write per command) or {@code window}
 * (group commit across streams), a run number that keeps names unique, and optionally how many
 * events since the last snapshot make closing take one (by default closing never does).
 */
public final class KillTarget {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        boolean window = args[1].equals("window");
        String run = args[2];
        long snapshotAtClose = args.length > 3 ? Long.parseLong(args[3]) : 1 << 30;
        try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withWindowEvents(256)
                .withSnapshots(2_000, snapshotAtClose))) {
            if (!l.state().initialized()) {
                l.executeAll(List.of(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.OFFLINE),
                        new Mount("A", "/H1"), new Mount("B", "/H2"), new Mount("none,name=n", "/H3")));
            }
            System.out.println("ACK " + l.state().lastEvent());
            for (int i = 0; ; i++) {
                List<Command> batch = new ArrayList<>();
                for (int j = 0; j < 20; j++) {
                    int k = i * 20 + j;
                    String g = "r" + run + "_" + k;
                    int pid = l.state().counters().maxPid() + 1 + j;
                    batch.add(new Fork(Pid.INIT, Pid.of(pid)));
                    batch.add(new Mkdir("/H" + (1 + k % 3) + "/" + g, false));
                    batch.add(new Attach(Integer.toString(pid), "/H" + (1 + k % 3) + "/" + g));
                    batch.add(new Charge(Pid.of(pid), k % 2 == 0 ? "A" : "B", "obj:" + g, 1 + k % 7, k % 5 == 0));
                    if (k % 3 == 0) {
                        batch.add(new Uncharge("obj:" + g, null));
                    }
                    if (k % 4 == 0) {
                        batch.add(new Exit(Pid.of(pid)));
                    }
                }
                if (window) {
                    l.executeAll(batch);
                } else {
                    for (Command c : batch) {
                        l.execute(c);
                    }
                }
                System.out.println("ACK " + l.state().lastEvent());
                System.out.flush();
            }
        }
    }
}
