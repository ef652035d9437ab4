package org.cgledger.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link IdMap}'s dense form, and {@link PMap}'s hashed form (the same {@link Version}s over a hash
 * table), where their properties reach rarely: versions thousands of differences back (given a copy
 * of their own), and versions read on other threads while one writes.
 */
@DisplayName("IdMap's dense form and PMap's hashed form: far versions and readers on other threads")
class VersionedMapsTest {

    private static final IdMap.Codec<Integer> DENSE = IdMap.Codec.dense(i -> i, i -> i);

    @Test
    @DisplayName("a version thousands of updates back reads as it was, and the newest still does after it")
    void farVersions() {
        Random r = new Random(7);
        List<IdMap<Integer, Integer>> kept = new ArrayList<>();
        List<TreeMap<Integer, Integer>> want = new ArrayList<>();
        IdMap<Integer, Integer> map = IdMap.empty(DENSE);
        TreeMap<Integer, Integer> ref = new TreeMap<>();
        for (int i = 0; i < 40_000; i++) {
            int id = r.nextInt(5_000);
            if (r.nextInt(4) == 0) {
                map = map.removeInt(id);
                ref.remove(id);
            } else {
                map = map.putInt(id, i);
                ref.put(id, i);
            }
            if (i % 5_000 == 0) {
                kept.add(map);
                want.add(new TreeMap<>(ref));
            }
        }
        // oldest first: each is far from the array; then the newest, which the first read left behind
        for (int i = 0; i < kept.size(); i++) {
            IdMap<Integer, Integer> version = kept.get(i);
            assertThat(version.keys()).isEqualTo(new ArrayList<>(want.get(i).keySet()));
            want.get(i).forEach((k, v) -> assertThat(version.getInt(k)).isEqualTo(v));
        }
        IdMap<Integer, Integer> newest = map;
        ref.forEach((k, v) -> assertThat(newest.getInt(k)).isEqualTo(v));
        assertThat(newest.size()).isEqualTo(ref.size());
        // and an old version written to starts a branch that leaves the others as they were
        IdMap<Integer, Integer> branch = kept.get(1).putInt(4_999_999, -1);
        assertThat(branch.getInt(4_999_999)).isEqualTo(-1);
        assertThat(kept.get(1).getInt(4_999_999)).isNull();
        assertThat(newest.getInt(4_999_999)).isNull();
        ref.forEach((k, v) -> assertThat(newest.getInt(k)).isEqualTo(v));
    }

    @Test
    @DisplayName("ids never reused (cgroups, css, css_sets) churned far past their first pages: the pages and trie nodes "
            + "they emptied are let go, and a version kept from before still reads as it was")
    void churnLetsEmptiedArraysGo() {
        for (IdMap.Codec<Integer> codec : List.of(DENSE, new IdMap.Codec<Integer>(i -> i, i -> i))) {
            IdMap<Integer, Integer> map = IdMap.empty(codec);
            IdMap<Integer, Integer> kept = null;
            for (int i = 0; i < 300_000; i++) {
                map = map.putInt(i, i);
                if (i >= 1_000) {
                    map = map.removeInt(i - 1_000);
                }
                if (i == 50_000) {
                    kept = map;
                }
            }
            assertThat(map.size()).isEqualTo(1_000);
            // the live ids 299,000-299,999 span two pages of 1,024, or a root and a path of the trie
            // to its 32-slot leaves; every page and node behind them was emptied and let go
            assertThat(map.arraysHeld()).as(codec.isDense() ? "pages" : "trie nodes").isLessThanOrEqualTo(40);
            assertThat(map.keys()).isEqualTo(range(299_000, 300_000));
            assertThat(kept.keys()).isEqualTo(range(49_001, 50_001));
            assertThat(kept.getInt(49_001)).isEqualTo(49_001);
            assertThat(kept.getInt(48_000)).isNull();
            assertThat(map.getInt(299_999)).isEqualTo(299_999);
            assertThat(map.removeInt(299_999).removeInt(299_998).size()).isEqualTo(998);
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    @DisplayName("reads back and forth between two near versions (a diff's two states): a copy's worth, then a copy")
    void alternatingReadsOfNearVersions() {
        IdMap.Builder<Integer, Integer> b = IdMap.builder(DENSE);
        for (int i = 0; i < 100_000; i++) {
            b.put(i, i);
        }
        IdMap<Integer, Integer> a = b.build();
        IdMap<Integer, Integer> c = a;
        // 20,000 differences apart: nearer than a copy of the 100,000 slots costs (a quarter of them)
        for (int i = 0; i < 20_000; i++) {
            c = c.putInt(i, -i - 1);
        }
        for (int i = 0; i < 2_000; i++) {
            assertThat(a.getInt(i)).isEqualTo(i);
            assertThat(c.getInt(i)).isEqualTo(-i - 1);
        }
        long[] done = c.rerootings();
        // without the running count each of the 4,000 switches turned 20,000 differences round
        assertThat(done[0]).as("differences turned round").isLessThanOrEqualTo(25_088 + 2 * 20_000);
        assertThat(done[1]).as("copies given").isEqualTo(1);
        assertThat(a.getInt(99_999)).isEqualTo(99_999);
        assertThat(c.getInt(19_999)).isEqualTo(-20_000);
    }

    @Test
    @DisplayName("readers of older versions on other threads see them whole while a writer goes on")
    void readersWhileAWriterGoesOn() throws InterruptedException {
        ConcurrentLinkedQueue<Published> published = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger whileWriting = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(2);
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            long seed = t;
            Thread reader = new Thread(() -> {
                Random r = new Random(seed);
                started.countDown();
                try {
                    while (!done.get() || !published.isEmpty()) {
                        Published p = published.poll();
                        if (p == null) {
                            Thread.onSpinWait();
                            continue;
                        }
                        if (!done.get()) {
                            whileWriting.incrementAndGet();
                        }
                        for (int i = 0; i < 200; i++) {
                            p.check(r.nextInt(p.holds().length));
                        }
                    }
                } catch (Throwable e) {
                    failed.add(e);
                }
            });
            readers.add(reader);
            reader.start();
        }
        started.await();
        Random r = new Random(11);
        int[] now = new int[2_000];
        Arrays.fill(now, -1);
        Versioned map = new DenseMap(IdMap.empty(DENSE));
        for (int i = 0; i < 200_000; i++) {
            map = step(map, now, r, i);
            if (i % 97 == 0) {
                published.add(new Published(map, now.clone()));
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join(60_000);
        }
        assertThat(failed).isEmpty();
        assertThat(whileWriting.get()).as("versions read while the writer ran").isPositive();
        Published last = new Published(map, now);
        for (int id = 0; id < now.length; id++) {
            last.check(id);
        }
    }

    /** A version and what it holds (-1: nothing), as the writer published it. */
    private record Published(Versioned version, int[] holds) {
        void check(int id) {
            Integer got = version.get(id);
            int v = got == null ? -1 : got;
            if (v != holds[id]) {
                throw new AssertionError("id " + id + ": " + v + ", want " + holds[id]);
            }
        }
    }

    /** The writer's step {@code i}: a random id of {@code now} removed (one time in four) or bound to {@code i}. */
    private static Versioned step(Versioned map, int[] now, Random r, int i) {
        int id = r.nextInt(now.length);
        if (r.nextInt(4) == 0) {
            now[id] = -1;
            return map.remove(id);
        }
        now[id] = i;
        return map.put(id, i);
    }

    @Test
    @DisplayName("a reader of the version the writer is about to change sees it whole (the optimistic read is checked)")
    void readersOfTheNewestVersion() throws InterruptedException {
        readersOfTheNewestVersion(new DenseMap(IdMap.empty(DENSE)));
        // keys of few hashes: the readers probe runs that the writer shifts back on removal
        readersOfTheNewestVersion(new HashedMap(PMap.hashed()));
    }

    private void readersOfTheNewestVersion(Versioned empty) throws InterruptedException {
        int ids = 64;
        AtomicReference<Published> latest = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        int[] now = new int[ids];
        Arrays.fill(now, -1);
        Versioned map = empty;
        latest.set(new Published(map, now.clone()));
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread reader = new Thread(() -> {
                try {
                    long n = 0;
                    while (!done.get()) {
                        Published p = latest.get();
                        for (int id = 0; id < ids; id++) {
                            p.check(id);
                        }
                        n += ids;
                    }
                    reads.addAndGet(n);
                } catch (Throwable e) {
                    failed.add(e);
                }
            });
            readers.add(reader);
            reader.start();
        }
        Random r = new Random(3);
        for (int i = 0; i < 300_000 && failed.isEmpty(); i++) {
            map = step(map, now, r, i);
            latest.set(new Published(map, now.clone()));
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join(60_000);
        }
        assertThat(failed).isEmpty();
        assertThat(reads.get()).isPositive();
    }

    /** A map of either form, as the readers test reads and writes it. */
    private interface Versioned {
        Integer get(int id);

        Versioned put(int id, int value);

        Versioned remove(int id);
    }

    private record DenseMap(IdMap<Integer, Integer> map) implements Versioned {
        public Integer get(int id) {
            return map.getInt(id);
        }

        public Versioned put(int id, int value) {
            return new DenseMap(map.putInt(id, value));
        }

        public Versioned remove(int id) {
            return new DenseMap(map.removeInt(id));
        }
    }

    private record HashedMap(PMap<PMapProperties.Key, Integer> map) implements Versioned {
        public Integer get(int id) {
            return map.get(new PMapProperties.Key(id, 5));
        }

        public Versioned put(int id, int value) {
            return new HashedMap(map.put(new PMapProperties.Key(id, 5), value));
        }

        public Versioned remove(int id) {
            return new HashedMap(map.remove(new PMapProperties.Key(id, 5)));
        }
    }
}
