package io.github.polardbopsalerts.archive;

import java.util.Arrays;

/**
 * The tasks of a snapshot as two sorted arrays, key and content hash, 16 bytes a task: enough to say which
 * tasks of the next snapshot are new or changed and how many are gone, without keeping the tasks.
 */
final class SnapshotIndex {

    private long[] keys = new long[1024];
    private long[] hashes = new long[1024];
    private int size;
    private boolean sorted;

    void add(long key, long hash) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        keys[size] = key;
        hashes[size] = hash;
        size++;
        sorted = false;
    }

    int size() {
        return size;
    }

    /** Position of the key, or -1. */
    int find(long key) {
        sort();
        int i = Arrays.binarySearch(keys, 0, size, key);
        return i < 0 ? -1 : i;
    }

    long hashAt(int i) {
        return hashes[i];
    }

    private void sort() {
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        long[] k = keys;
        Arrays.sort(order, (a, b) -> Long.compare(k[a], k[b]));
        long[] nk = new long[Math.max(size, 1)];
        long[] nh = new long[Math.max(size, 1)];
        for (int i = 0; i < size; i++) {
            nk[i] = keys[order[i]];
            nh[i] = hashes[order[i]];
        }
        keys = nk;
        hashes = nh;
        sorted = true;
    }
}
