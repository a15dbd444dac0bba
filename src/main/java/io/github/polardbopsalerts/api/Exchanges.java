package io.github.polardbopsalerts.api;

/** Names of the exchange properties the routes and beans share. */
public final class Exchanges {

    public static final String CYCLE = "cycle";
    public static final String REGION = "region";
    public static final String PAGE_NUMBER = "pageNumber";
    public static final String MORE_PAGES = "morePages";
    public static final String ALERT_ID = "alertId";
    public static final String ALERT = "alert";
    public static final String SINK = "sink";
    public static final String SINK_ROUTE = "sinkRoute";
    /** True while the archive reads: every task, whatever the alerting filters. */
    public static final String ARCHIVE = "archive";
    /** Where each page of tasks goes: direct:evaluate-page (alerting) or direct:archive-page. */
    public static final String ON_PAGE = "onPage";

    private Exchanges() {
    }
}
