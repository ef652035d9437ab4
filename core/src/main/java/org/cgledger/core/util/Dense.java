package org.cgledger.core.util;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The store of {@link IdMap}'s dense form: pages of {@value #PAGE} slots under a directory that
 * grows as ids do, a page made when an id first lands in it. Every operation takes and gives the
 * directory; none locks ({@link Version} holds its family's lock).
 */
final class Dense implements Version.Store {

    /** The store's kind, as a {@link Version} family takes it. */
    static final Dense KIND = new Dense();

    private static final int PAGE_BITS = 10;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE - 1;

    private Dense() {
    }

    @Override
    public Object get(Object store, int k, Object unused) {
        return get((Object[][]) store, k);
    }

    @Override
    public Object set(Object store, int k, Object unused, Object value) {
        return set((Object[][]) store, k, value);
    }

    @Override
    public Object copy(Object store) {
        return copy((Object[][]) store);
    }

    @Override
    public int far(Object store) {
        return far((Object[][]) store);
    }

    @Override
    public void forEach(Object store, BiConsumer<Object, Object> action) {
        Object[][] pages = (Object[][]) store;
        for (int i = 0; i < pages.length; i++) {
            Object[] page = pages[i];
            for (int j = 0; page != null && j < PAGE; j++) {
                if (page[j] != null) {
                    action.accept(i << PAGE_BITS | j, page[j]);
                }
            }
        }
    }

    static Object get(Object[][] pages, int k) {
        int i = k >>> PAGE_BITS;
        if (i >= pages.length) {
            return null;
        }
        Object[] page = pages[i];
        return page == null ? null : page[k & PAGE_MASK];
    }

    /**
     * {@code pages} with slot {@code k} set to {@code v} (null: cleared), in place; a longer
     * directory if it had to grow.
     */
    static Object[][] set(Object[][] pages, int k, Object v) {
        int i = k >>> PAGE_BITS;
        if (i >= pages.length) {
            if (v == null) {
                return pages;
            }
            pages = Arrays.copyOf(pages, Math.max(i + 1, pages.length + (pages.length >> 1)));
        }
        Object[] page = pages[i];
        if (page == null) {
            if (v == null) {
                return pages;
            }
            page = pages[i] = new Object[PAGE];
        }
        page[k & PAGE_MASK] = v;
        return pages;
    }

    static Object[][] copy(Object[][] pages) {
        Object[][] copy = new Object[pages.length][];
        for (int i = 0; i < pages.length; i++) {
            copy[i] = pages[i] == null ? null : pages[i].clone();
        }
        return copy;
    }

    /**
     * How many differences a version may lie from the array before it is given a copy rather than
     * the array itself: a copy costs a pass over the slots, a rerooting one step per difference now
     * and as many again when the newest version is next read.
     */
    static int far(Object[][] pages) {
        return Math.max(256, pages.length * (PAGE / 4));
    }
}
