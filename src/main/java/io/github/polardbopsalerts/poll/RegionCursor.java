package io.github.polardbopsalerts.poll;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the reading of one region stands, shared by the threads that fetch its pages: the last page
 * TotalRecordCount calls for, the next page to ask for, and whether a page came back empty.
 */
public final class RegionCursor {

    private int lastPage = 1;
    private int nextPage = 2;
    private volatile boolean emptySeen;

    synchronized void firstPage(int lastPage, boolean empty) {
        this.lastPage = lastPage;
        if (empty) {
            emptySeen = true;
        }
    }

    /** A later page reported more tasks than page 1 did (tasks added while reading): read further. */
    synchronized void raiseLastPage(int pages) {
        lastPage = Math.max(lastPage, pages);
    }

    void emptyPage() {
        emptySeen = true;
    }

    /** The next pages to fetch together, at most {@code max}. */
    synchronized List<Integer> nextWave(int max) {
        List<Integer> wave = new ArrayList<>(max);
        while (wave.size() < max && nextPage <= lastPage && !emptySeen) {
            wave.add(nextPage++);
        }
        return wave;
    }

    /** More pages to read: TotalRecordCount is not covered yet and no page came back empty. */
    synchronized boolean more() {
        return !emptySeen && nextPage <= lastPage;
    }
}
