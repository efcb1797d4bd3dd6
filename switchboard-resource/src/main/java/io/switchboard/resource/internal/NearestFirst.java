package io.switchboard.resource.internal;

import io.switchboard.resource.config.Endpoint;

import java.util.Comparator;
import java.util.List;

/**
 * Orders endpoints for a caller in {@code idc}/{@code set}: same set first, then the rest of the same IDC, then the
 * others; config order within each group (the sort is stable). A set is named within its IDC, so "same set" means
 * same IDC and same set. No {@code idc} leaves the config order.
 */
final class NearestFirst {
    private static final int SAME_SET = 0;
    private static final int SAME_IDC = 1;
    private static final int ELSEWHERE = 2;

    private NearestFirst() {
    }

    static List<Endpoint> sort(List<Endpoint> endpoints, String idc, String set) {
        if (idc == null) {
            return endpoints;
        }
        return endpoints.stream().sorted(Comparator.comparingInt(endpoint -> distance(endpoint, idc, set))).toList();
    }

    private static int distance(Endpoint endpoint, String idc, String set) {
        if (!endpoint.idc().equals(idc)) {
            return ELSEWHERE;
        }
        return endpoint.set().equals(set) ? SAME_SET : SAME_IDC;
    }
}
