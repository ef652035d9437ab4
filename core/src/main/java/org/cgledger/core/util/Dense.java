package org.cgledger.core.util;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The store of {@link IdMap}'s dense form: pages of {@value #PAGE} slots under a directory that
 * grows as ids do, a page made when an id first lands in it and dropped when its last binding goes
 * (cgroup ids, css serials and css_set serials are never reused: a long run's churn would otherwise
 * keep a page for every 1,024 ids it ever gave, most of them empty). Every operation takes and gives
 * the store; none locks ({@link Version} holds its family's lock).
 */
final class Dense implements Version.Store {

    /** The store's kind, as a {@link Version} family takes it. */
    static final Dense KIND = new Dense();

    private static final int PAGE_BITS = 10;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE - 1;

    /** The directory of pages and, per page, how many of its slots are bound; changed in place. */
    static final class Pages {
        Object[][] pages = new Object[0][];
        int[] live = new int[0];

        /** Pages held (for tests: emptied pages are dropped). */
        int held() {
            int n = 0;
            for (Object[] page : pages) {
                n += page == null ? 0 : 1;
            }
            return n;
        }
    }

    private Dense() {
    }

    /** A new, empty store. */
    static Pages empty() {
        return new Pages();
    }

    @Override
    public Object get(Object store, int k, Object unused) {
        return get((Pages) store, k);
    }

    @Override
    public Object set(Object store, int k, Object unused, Object value) {
        return set((Pages) store, k, value);
    }

    @Override
    public Object copy(Object store) {
        return copy((Pages) store);
    }

    @Override
    public int far(Object store) {
        return far((Pages) store);
    }

    @Override
    public void forEach(Object store, BiConsumer<Object, Object> action) {
        Object[][] pages = ((Pages) store).pages;
        for (int i = 0; i < pages.length; i++) {
            Object[] page = pages[i];
            for (int j = 0; page != null && j < PAGE; j++) {
                if (page[j] != null) {
                    action.accept(i << PAGE_BITS | j, page[j]);
                }
            }
        }
    }

    static Object get(Pages store, int k) {
        Object[][] pages = store.pages;
        int i = k >>> PAGE_BITS;
        if (i >= pages.length) {
            return null;
        }
        Object[] page = pages[i];
        return page == null ? null : page[k & PAGE_MASK];
    }

    /** {@code store} with slot {@code k} set to {@code v} (null: cleared), in place. */
    static Pages set(Pages store, int k, Object v) {
        Object[][] pages = store.pages;
        int i = k >>> PAGE_BITS;
        if (i >= pages.length) {
            if (v == null) {
                return store;
            }
            int n = Math.max(i + 1, pages.length + (pages.length >> 1));
            store.pages = pages = Arrays.copyOf(pages, n);
            store.live = Arrays.copyOf(store.live, n);
        }
        Object[] page = pages[i];
        if (page == null) {
            if (v == null) {
                return store;
            }
            page = pages[i] = new Object[PAGE];
        }
        int j = k & PAGE_MASK;
        Object old = page[j];
        page[j] = v;
        if (old == null) {
            if (v != null) {
                store.live[i]++;
            }
        } else if (v == null && --store.live[i] == 0) {
            pages[i] = null;
        }
        return store;
    }

    static Pages copy(Pages store) {
        Pages copy = new Pages();
        copy.pages = new Object[store.pages.length][];
        for (int i = 0; i < store.pages.length; i++) {
            copy.pages[i] = store.pages[i] == null ? null : store.pages[i].clone();
        }
        copy.live = store.live.clone();
        return copy;
    }

    /**
     * How many differences a version may lie from the array before it is given a copy rather than
     * the array itself: a copy costs a pass over the slots, a rerooting one step per difference now
     * and as many again when the newest version is next read.
     */
    static int far(Pages store) {
        return Math.max(256, store.pages.length * (PAGE / 4));
    }
}
