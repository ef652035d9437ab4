package org.cgledger.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;

/**
 * A process that fills the H2 file of the ledger in {@code args[0]} with {@code args[1]} MiB of
 * incompressible rows beside its journal, says {@code COMPACTING}, and compacts it, to be
 * signalled while the compaction writes its copy ({@link SigtermTest}).
 */
public final class CompactTarget {

    private CompactTarget() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int mib = Integer.parseInt(args[1]);
        try (Connection c = DriverManager.getConnection(DurableLedger.h2Url(dir), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE PUBLIC.\"filler\" (\"id\" INT PRIMARY KEY, \"data\" VARBINARY(1048576))");
            byte[] data = new byte[1 << 20];
            Random random = new Random(1);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO PUBLIC.\"filler\" VALUES (?, ?)")) {
                for (int i = 0; i < mib; i++) {
                    random.nextBytes(data);
                    insert.setInt(1, i);
                    insert.setBytes(2, data);
                    insert.executeUpdate();
                }
            }
            st.execute("SHUTDOWN");
        }
        System.out.println("COMPACTING");
        System.out.flush();
        DurableLedger.compact(dir, Duration.ofSeconds(10));
        System.out.println("COMPACTED");
        System.out.flush();
    }
}
