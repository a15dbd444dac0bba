package io.github.polardbopsalerts.api;

import java.util.List;

/** One page of DescribeActiveOperationTasks as the API answered it. */
public record TaskPage(String requestId, long totalRecordCount, int pageNumber, int pageSize,
        List<ActiveOperationTask> items) {
}
