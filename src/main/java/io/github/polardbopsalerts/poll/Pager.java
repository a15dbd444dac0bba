package io.github.polardbopsalerts.poll;

import io.github.polardbopsalerts.api.ActiveOperationTask;
import io.github.polardbopsalerts.api.Exchanges;
import io.github.polardbopsalerts.api.TaskPage;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paging cursor: page 1 of a region first, which tells TotalRecordCount; then the remaining pages in
 * waves of polardb.max-concurrency pages fetched together, until TotalRecordCount is covered, a page comes
 * back empty, or the hard cap is reached.
 */
public final class Pager {

    private static final Logger LOG = LoggerFactory.getLogger(Pager.class);

    /** No account has a million maintenance tasks; past this the API is misbehaving. */
    static final int MAX_PAGES = 10_000;
    public static final String CURSOR = "regionCursor";

    private final int pageSize;
    private final int waveSize;

    public Pager(int pageSize, int waveSize) {
        this.pageSize = pageSize;
        this.waveSize = waveSize;
    }

    /** Sets the cursor to page 1 of the region in the body. */
    public void start(Exchange exchange) {
        exchange.setProperty(Exchanges.REGION, exchange.getMessage().getBody(String.class));
        exchange.setProperty(Exchanges.PAGE_NUMBER, 1);
        exchange.setProperty(CURSOR, new RegionCursor());
        exchange.setProperty(Exchanges.MORE_PAGES, false);
    }

    /** The page numbers of the next wave; the body becomes that list. */
    public List<Integer> nextWave(Exchange exchange) {
        return exchange.getProperty(CURSOR, RegionCursor.class).nextWave(waveSize);
    }

    /** Points the exchange at one page of a wave (the body), with a full set of attempts. */
    public void at(Exchange exchange) {
        exchange.setProperty(Exchanges.PAGE_NUMBER, exchange.getMessage().getBody(Integer.class));
        exchange.getMessage().removeHeaders("CamelRedeliver*");
    }

    /** After a wave: more to read unless TotalRecordCount is covered, a page was empty, or the region failed. */
    public void afterWave(Exchange exchange) {
        CycleReport cycle = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        String region = exchange.getProperty(Exchanges.REGION, String.class);
        boolean failed = cycle.region(region).error() != null;
        exchange.setProperty(Exchanges.MORE_PAGES, !failed && exchange.getProperty(CURSOR, RegionCursor.class).more());
    }

    /** Counts the page and drops tasks already seen this cycle. Body: the new tasks. */
    public List<ActiveOperationTask> advance(Exchange exchange) {
        TaskPage page = exchange.getMessage().getBody(TaskPage.class);
        CycleReport cycle = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        String region = exchange.getProperty(Exchanges.REGION, String.class);
        int pageNumber = exchange.getProperty(Exchanges.PAGE_NUMBER, Integer.class);
        RegionCursor cursor = exchange.getProperty(CURSOR, RegionCursor.class);

        List<ActiveOperationTask> fresh = new ArrayList<>(page.items().size());
        for (ActiveOperationTask task : page.items()) {
            if (cycle.firstSighting(task.taskKey())) {
                fresh.add(task);
            } else {
                LOG.debug("region {} page {}: TaskId {} already seen this cycle", region, pageNumber, task.taskId());
            }
        }
        cycle.region(region).pageRead(page.totalRecordCount(), fresh.size());

        long pagesNeeded = (page.totalRecordCount() + pageSize - 1) / pageSize;
        if (pageNumber == 1) {
            if (pagesNeeded > MAX_PAGES) {
                LOG.warn("region {}: TotalRecordCount {} would take {} pages; reading at most {}", region,
                        page.totalRecordCount(), pagesNeeded, MAX_PAGES);
            }
            cursor.firstPage((int) Math.min(pagesNeeded, MAX_PAGES), page.items().isEmpty());
            exchange.setProperty(Exchanges.MORE_PAGES, cursor.more());
        } else if (page.items().isEmpty()) {
            cursor.emptyPage();
        } else {
            cursor.raiseLastPage((int) Math.min(pagesNeeded, MAX_PAGES));
        }
        // The next page starts with a full set of attempts.
        exchange.getMessage().removeHeaders("CamelRedeliver*");
        return fresh;
    }
}
