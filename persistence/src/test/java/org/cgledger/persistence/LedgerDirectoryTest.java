package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A ledger directory: one path, the operating system's, which H2 names too")
class LedgerDirectoryTest {

    @TempDir
    Path tmp;

    /** Opened without the actor system: what these tests look at is where the files go. */
    static final DurableLedger.Options QUICK = DurableLedger.Options.defaults().withActorsAtFirstWrite(true);

    /** Every path under {@code root}, relative to it, sorted. */
    static List<String> tree(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    @DisplayName("a directory's entries are flushed (fsync of the directory); a file system that flushes no "
            + "directory (EINVAL, some FUSE ones) is let be, any other failure is not")
    void syncDirectory(@TempDir Path tmp) throws Exception {
        LedgerDirectory.sync(tmp);
        assertThat(LedgerDirectory.cannotFlushDirectories(new java.io.IOException("Invalid argument"))).isTrue();
        assertThat(LedgerDirectory.cannotFlushDirectories(new java.io.IOException("Operation not supported"))).isTrue();
        assertThat(LedgerDirectory.cannotFlushDirectories(new java.io.IOException("Input/output error"))).isFalse();
        assertThat(LedgerDirectory.cannotFlushDirectories(new java.io.IOException())).isFalse();
        assertThatThrownBy(() -> LedgerDirectory.sync(tmp.resolve("missing")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    @DisplayName("a path with a name longer than 255 bytes, or files' paths longer than 4095, cannot be a ledger "
            + "directory: said before anything is made (it had failed creating it, exit 3)")
    void tooLong() {
        assertThat(LedgerDirectory.unusable(Path.of("/tmp", "x".repeat(255)))).isNull();
        assertThat(LedgerDirectory.unusable(Path.of("/tmp", "x".repeat(256)))).isEqualTo("a name in its path ('"
                + "x".repeat(40) + "...') is 256 bytes long, and a file system takes at most 255 (File name too long)");
        assertThat(LedgerDirectory.unusable(Path.of("/tmp", "é".repeat(128)))).contains("is 256 bytes long");
        Path deep = Path.of("/" + String.join("/", java.util.Collections.nCopies(17, "y".repeat(240))));
        assertThat(LedgerDirectory.unusable(deep)).startsWith("its files' paths would be 4123 bytes long, and Linux "
                + "takes at most 4095");
        // the longest it takes leaves room for a compaction's staging files
        StringBuilder path = new StringBuilder();
        while (path.length() < 4095 - ".compact/journal.trace.db".length() - 1 - 201) {
            path.append('/').append("z".repeat(200));
        }
        path.append('/').append("z".repeat(4095 - ".compact/journal.trace.db".length() - 1 - path.length() - 1));
        Path longest = Path.of(path.toString());
        int bytes = longest.resolve(".compact/journal.trace.db").toString().length();
        assertThat(LedgerDirectory.unusable(longest)).as("%d bytes", bytes).isNull();
        assertThat(LedgerDirectory.unusable(Path.of(path + "z".repeat(4095 - bytes + 1)))).as("%d bytes", bytes)
                .startsWith("its files' paths would be 4096 bytes long");
    }

    @Nested
    @DisplayName("resolved by the operating system")
    class Resolved {

        Path d1;
        Path link;

        @BeforeEach
        void links() throws Exception {
            d1 = Files.createDirectories(tmp.resolve("d1/d2")).getParent();
            link = Files.createSymbolicLink(tmp.resolve("link"), d1.resolve("d2"));
        }

        @Test
        @DisplayName("LINK/../NAME is beside the link's target, as the system creates it, not beside the link as text has it")
        void dotDotAfterALink() {
            assertThat(LedgerDirectory.resolve(link.resolve("../lx"))).isEqualTo(d1.resolve("lx"));
            assertThat(LedgerDirectory.resolve(link.resolve("../lx/a/../b"))).isEqualTo(d1.resolve("lx/b"));
            assertThat(LedgerDirectory.resolve(link)).isEqualTo(d1.resolve("d2"));
            assertThat(LedgerDirectory.resolve(tmp.resolve("new/./x/../y"))).isEqualTo(tmp.resolve("new/y"));
            Path resolved = LedgerDirectory.resolve(link.resolve("../lx"));
            assertThat(LedgerDirectory.resolve(resolved)).as("resolving again").isEqualTo(resolved);
        }

        @Test
        @DisplayName("a dangling link, or a loop of links, is not followed (mkdir(2) does not follow one): said in "
                + "words, naming its target, and nothing is created")
        void danglingLink() throws Exception {
            Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere/l"));
            assertThat(LedgerDirectory.resolve(dangling)).isEqualTo(dangling);
            assertThat(LedgerDirectory.danglingLink(dangling)).isEqualTo("it is a symbolic link to " + tmp.resolve(
                    "nowhere/l") + ", which leads to no directory (missing, or a loop of links): create the directory "
                    + "it names first, or give that directory");
            assertThat(LedgerDirectory.danglingLink(LedgerDirectory.resolve(dangling.resolve("x/y"))))
                    .startsWith(dangling + " is a symbolic link to ");
            Path a = tmp.resolve("loopA");
            Files.createSymbolicLink(a, tmp.resolve("loopB"));
            Files.createSymbolicLink(tmp.resolve("loopB"), a);
            assertThat(LedgerDirectory.danglingLink(LedgerDirectory.resolve(a))).contains("a loop of links");
            assertThat(LedgerDirectory.danglingLink(link)).as("a link to a directory").isNull();
            assertThat(LedgerDirectory.danglingLink(tmp.resolve("new/l"))).as("missing, no link").isNull();
            assertThat(Files.exists(tmp.resolve("nowhere"))).isFalse();
        }

        @Test
        @DisplayName("the lock and the journal in one directory; a ledger where text would put it is not opened")
        void lockAndJournalTogether() throws Exception {
            try (DurableLedger beside = DurableLedger.open(tmp.resolve("lx"))) {
                beside.execute(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT));
                beside.execute(new Mount("A", "/H1"));
            }
            try (DurableLedger l = DurableLedger.open(link.resolve("../lx"), QUICK)) {
                assertThat(l.state()).as("not the ledger beside the link").isEqualTo(State.EMPTY);
            }
            assertThat(tree(d1.resolve("lx"))).containsExactly("", "journal.mv.db", "ledger.lock");
            try (DurableLedger beside = DurableLedger.open(tmp.resolve("lx"), QUICK)) {
                assertThat(beside.state().lastEvent()).isEqualTo(2);
            }
        }
    }

    @Nested
    @DisplayName("a path H2 reads otherwise in its URL")
    class ReadOtherwise {

        @ParameterizedTest
        @ValueSource(strings = {"semi;colon", "inj;INIT=CREATE TABLE PWNED(A INT)--", "back\\slash"})
        @DisplayName("';' (settings follow, INIT among them) and '\\' (a separator): refused by every entry point, nothing created")
        void refused(String name) throws Exception {
            Path dir = tmp.resolve(name);
            assertThat(LedgerDirectory.unusable(dir)).contains(name.contains(";") ? "holds ';'" : "holds '\\'");
            String message = dir + " cannot be a ledger directory: its path holds";
            assertThatThrownBy(() -> DurableLedger.open(dir, QUICK)).isInstanceOf(LedgerException.class)
                    .hasMessageStartingWith(message);
            assertThatThrownBy(() -> JournalRows.open(dir, Duration.ofSeconds(1))).hasMessageStartingWith(message);
            assertThatThrownBy(() -> JournalRows.importInto(dir, List.of(), Duration.ofSeconds(1)))
                    .hasMessageStartingWith(message);
            assertThatThrownBy(() -> DurableLedger.compact(dir, Duration.ofSeconds(1))).hasMessageStartingWith(message);
            assertThatThrownBy(() -> JournalStore.url(dir)).hasMessageStartingWith(message);
            assertThat(tree(tmp)).containsExactly("");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b", "c:d", "nio:e", "f=g", "h%20i", "j?k#l", "m~n", "~", "o'p\"q", "r\ns", "t\tu", "café",
            "$v{w}", "x.mv.db", " lead", "trail "})
        @DisplayName("everything else names the directory it says: the journal is there")
        void takenAsItIs(String name) throws Exception {
            Path dir = tmp.resolve(name);
            assertThat(LedgerDirectory.unusable(dir)).isNull();
            DurableLedger.open(dir, QUICK).close();
            assertThat(tree(tmp)).containsExactly("", name, name + "/journal.mv.db", name + "/ledger.lock");
        }
    }

    @Nested
    @DisplayName("compaction keeps the file's owner, group and permissions")
    class CompactionKeepsOwnership {

        Path dir;
        Path file;

        @BeforeEach
        void ledger() {
            dir = tmp.resolve("l");
            file = dir.resolve(DurableLedger.H2_FILE);
            try (DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults())) {
                l.execute(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT));
                l.execute(new Mount("A", "/H1"));
                for (int i = 0; i < 20; i++) {
                    l.execute(new Mkdir("/H1/g" + i, false));
                }
            }
        }

        String mode() throws Exception {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        }

        @ParameterizedTest
        @ValueSource(strings = {"rw-------", "rw-r-----", "rw-rw-rw-"})
        @DisplayName("compact: the mode the file had, whatever the process's umask gives a new file")
        void compactKeepsMode(String mode) throws Exception {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            DurableLedger.Compaction c = DurableLedger.compact(dir, Duration.ofSeconds(5));
            assertThat(c.bytesAfter()).isLessThan(c.bytesBefore());
            assertThat(mode()).isEqualTo(mode);
            assertThat(tree(dir)).as("no staging left").containsExactly("", "journal.mv.db", "ledger.lock");
        }

        @Test
        @DisplayName("compaction at close: the same")
        void closeKeepsMode() throws Exception {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults().withCompactChunks(1));
            l.execute(new Mkdir("/H1/late", false));
            l.close();
            assertThat(l.closeCompaction()).isNotNull();
            assertThat(mode()).isEqualTo("rw-------");
        }

        @Test
        @DisplayName("as root, on another user's ledger: the file stays that user's (skipped unless run as root)")
        void rootKeepsOwner() throws Exception {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            assumeTrue(view.readAttributes().owner().getName().equals("root"), "needs root: only root gives files away");
            UserPrincipalLookupService users = file.getFileSystem().getUserPrincipalLookupService();
            view.setOwner(users.lookupPrincipalByName("nobody"));
            view.setGroup(users.lookupPrincipalByGroupName("nogroup"));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            DurableLedger.compact(dir, Duration.ofSeconds(5));
            PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
            assertThat(after.owner().getName()).isEqualTo("nobody");
            assertThat(after.group().getName()).isEqualTo("nogroup");
            assertThat(PosixFilePermissions.toString(after.permissions())).isEqualTo("rw-------");
        }
    }
}
