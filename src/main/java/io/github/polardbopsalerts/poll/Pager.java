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
 * Keeps the paging cursor in exchange properties: PageNumber 1..N until TotalRecordCount is covered,
 * stopping early at an empty page and never beyond a hard cap.
 */
public final class Pager {

    private static final Logger LOG = LoggerFactory.getLogger(Pager.class);

    /** No account has a million maintenance tasks; past this the API is misbehaving. */
    static final int MAX_PAGES = 10_000;

    private final int pageSize;

    public Pager(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Sets the cursor to page 1 of the region in the body. */
    public void start(Exchange exchange) {
        exchange.setProperty(Exchanges.REGION, exchange.getMessage().getBody(String.class));
        exchange.setProperty(Exchanges.PAGE_NUMBER, 1);
        exchange.setProperty(Exchanges.MORE_PAGES, true);
    }

    /** Counts the page, drops tasks already seen this cycle, and moves the cursor. Body: the new tasks. */
    public List<ActiveOperationTask> advance(Exchange exchange) {
        TaskPage page = exchange.getMessage().getBody(TaskPage.class);
        CycleReport cycle = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        String region = exchange.getProperty(Exchanges.REGION, String.class);
        int pageNumber = exchange.getProperty(Exchanges.PAGE_NUMBER, Integer.class);

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
        boolean more = !page.items().isEmpty() && pageNumber < pagesNeeded;
        if (more && pageNumber >= MAX_PAGES) {
            LOG.warn("region {}: stopping at page {} although TotalRecordCount {} claims more", region,
                    pageNumber, page.totalRecordCount());
            more = false;
        }
        // The next page starts with a full set of attempts.
        exchange.getMessage().removeHeaders("CamelRedeliver*");
        exchange.setProperty(Exchanges.MORE_PAGES, more);
        exchange.setProperty(Exchanges.PAGE_NUMBER, pageNumber + 1);
        return fresh;
    }
}
