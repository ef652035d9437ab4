package org.cgledger.persistence;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Does H2 keep every commit it acknowledged when its process is killed -9? No ledger, no Pekko:
 * a child process commits small batches of rows to four "streams" of one table, one writer, and
 * prints each commit once {@code commit()} returned; the parent kills it at a random moment,
 * reopens the database and compares, many times over on the same, ageing file. A killed file
 * that lost a commit is kept next to the directory for examination.
 *
 * <p>Not a unit test (minutes, not seconds); run by hand:
 * {@code java -cp "persistence/target/test-classes:persistence/target/classes:cli/target/lib/*"
 * org.cgledger.persistence.H2KillProbe DIR KILLS [ledger|h2-default]}. {@code ledger} (the default)
 * opens H2 with the ledger's settings ({@link JournalStore#H2_SETTINGS} and
 * {@link JournalStore#H2_RETENTION}); {@code h2-default} with
 * {@code WRITE_DELAY=0} alone. Measured here (2 cores, 2026-11-28): {@code h2-default}, 38
 * of 80 kills lost acknowledged commits, the first at the 12th kill; the ledger's settings, 0 of
 * 120 (every kill after acknowledged commits). The price: space freed while the file is open is
 * not reused, so this probe's file grew to 3.5 GB instead of 0.5 GB (it replaces a 0.1-2 MB blob
 * every 40 commits).
 */
public final class H2KillProbe {

    private static final String[] STREAMS = {"s0", "s1", "s2", "s3"};

    private H2KillProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("child")) {
            child(Path.of(args[1]), args[2], Long.parseLong(args[3]));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: H2KillProbe DIR KILLS [ledger|h2-default]");
            System.exit(2);
        }
        parent(Path.of(args[0]), Integer.parseInt(args[1]), args.length > 2 ? args[2] : "ledger");
    }

    private static String url(Path dir, String settings) {
        String s = settings.equals("h2-default") ? ";WRITE_DELAY=0" : JournalStore.H2_SETTINGS;
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("db") + s;
    }

    /** Commits 1-60 rows to a random stream, and a 0.1-2 MB blob every 40 commits, without end. */
    private static void child(Path dir, String settings, long seed) throws SQLException {
        Random random = new Random(seed);
        Map<String, Long> next = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url(dir, settings), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS j(pid VARCHAR(64), nr BIGINT, payload VARBINARY(4000), "
                    + "PRIMARY KEY(pid, nr))");
            st.execute("CREATE TABLE IF NOT EXISTS snap(id INT PRIMARY KEY, payload BLOB)");
            if (!settings.equals("h2-default")) {
                st.execute(JournalStore.H2_RETENTION);
            }
            for (String s : STREAMS) {
                next.put(s, last(c, s) + 1);
            }
            c.setAutoCommit(false);
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
            byte[] payload = new byte[300];
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO j VALUES (?, ?, ?)");
                 PreparedStatement blob = c.prepareStatement("INSERT INTO snap VALUES (?, ?)")) {
                for (int commit = 0; ; commit++) {
                    String s = STREAMS[random.nextInt(STREAMS.length)];
                    int rows = 1 + random.nextInt(60);
                    long first = next.get(s);
                    for (int i = 0; i < rows; i++) {
                        random.nextBytes(payload);
                        ins.setString(1, s);
                        ins.setLong(2, first + i);
                        ins.setBytes(3, payload);
                        ins.addBatch();
                    }
                    ins.executeBatch();
                    c.commit();
                    next.put(s, first + rows);
                    if (commit % 40 == 39) {
                        byte[] b = new byte[100_000 + random.nextInt(2_000_000)];
                        random.nextBytes(b);
                        st.executeUpdate("DELETE FROM snap");
                        blob.setInt(1, commit);
                        blob.setBytes(2, b);
                        blob.executeUpdate();
                        c.commit();
                    }
                    out.println("ACK " + s + " " + (first + rows - 1));
                    out.flush();
                }
            }
        }
    }

    private static long last(Connection c, String stream) throws SQLException {
        // not MAX(nr): H2 answers that by reading the whole stream, and a child must start writing quickly
        try (PreparedStatement ps = c.prepareStatement("SELECT nr FROM j WHERE pid = ? ORDER BY pid DESC, nr DESC "
                + "LIMIT 1")) {
            ps.setString(1, stream);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void parent(Path dir, int kills, String settings) throws Exception {
        Files.createDirectories(dir);
        Random random = new Random();
        int lost = 0;
        int writing = 0;
        for (int k = 0; k < kills; k++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    H2KillProbe.class.getName(), "child", dir.toString(), settings, Long.toString(random.nextLong()));
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process child = pb.start();
            Map<String, Long> acked = new HashMap<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        String[] f = line.split(" ");
                        if (f.length == 3 && f[0].equals("ACK")) {
                            synchronized (acked) {
                                acked.put(f[1], Long.parseLong(f[2]));
                            }
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // the pipe breaks (or a line is cut) when the child is killed
                }
            });
            reader.start();
            // the kill comes at a random moment after the child's first acknowledged commit
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (child.isAlive() && System.nanoTime() < deadline) {
                synchronized (acked) {
                    if (!acked.isEmpty()) {
                        break;
                    }
                }
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(1500));
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            Path killed = dir.resolveSibling(dir.getFileName() + "-kill" + k);
            copy(dir, killed);
            StringBuilder report = new StringBuilder();
            boolean bad = false;
            try (Connection c = DriverManager.getConnection(url(dir, settings), "sa", "")) {
                synchronized (acked) {
                    for (Map.Entry<String, Long> e : acked.entrySet()) {
                        long have = last(c, e.getKey());
                        report.append(e.getKey()).append(" acknowledged up to ").append(e.getValue())
                                .append(", has ").append(have).append("; ");
                        bad |= have < e.getValue();
                    }
                }
            }
            if (!acked.isEmpty()) {
                writing++;
            }
            if (bad) {
                lost++;
                System.out.println("kill " + k + ": LOST " + report + "the killed file: " + killed);
            } else {
                delete(killed);
                System.out.println("kill " + k + ": ok " + report);
            }
        }
        System.out.println(settings + ": " + kills + " kills (" + writing + " after acknowledged commits), " + lost
                + " lost acknowledged commits");
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
