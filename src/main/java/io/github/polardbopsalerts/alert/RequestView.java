package io.github.polardbopsalerts.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What the configured request filters let the API return. A task that no longer comes back is only gone if
 * it would still pass the filters; one the operator filtered out since it was alerted is out of view, not
 * finished, and must not be reported resolved.
 *
 * <p>The "any" value of each filter is the one DescribeActiveOperationTasks documents (TaskType and
 * ChangeLevel {@code all}, Status, AllowCancel and AllowChange {@code -1}, DBType and DBClusterId empty);
 * any other value matches the item's field of the same name exactly, as the API filters.
 */
public final class RequestView {

    private static final Map<String, String> ANY = Map.of("TaskType", "all", "ChangeLevel", "all", "Status", "-1",
            "AllowCancel", "-1", "AllowChange", "-1", "DBType", "", "DBClusterId", "");

    private final Map<String, String> filters;

    /** @param filters the request filters in the API's parameter names, as Settings.requestFilters gives them */
    public RequestView(Map<String, String> filters) {
        this.filters = Map.copyOf(filters);
    }

    /** Whether the API, asked with these filters, would return the item as it was last seen. */
    public boolean covers(ObjectNode item) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            String wanted = f.getValue();
            if (wanted == null || wanted.isEmpty() || wanted.equals(ANY.get(f.getKey()))) {
                continue;
            }
            if (!wanted.equals(item.path(f.getKey()).asText())) {
                return false;
            }
        }
        return true;
    }
}
