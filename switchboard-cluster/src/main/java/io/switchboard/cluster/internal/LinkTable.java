package io.switchboard.cluster.internal;

import io.switchboard.cluster.LinkCloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A gate's links to service nodes, one per node id: a newer link to a node replaces (and closes) the older. */
final class LinkTable {
    private static final Logger log = LoggerFactory.getLogger(LinkTable.class);

    private final Map<Integer, Link> links = new ConcurrentHashMap<>();

    void up(Link link) {
        Link old = links.put(link.peerNodeId(), link);
        log.info("linked to {} node {}", link.peerType(), link.peerNodeId());
        if (old != null && old != link) {
            old.close(LinkCloseReason.LOCAL_CLOSE);
        }
    }

    /** Removes a closed link; false when a newer link to its node had replaced it already (nothing was lost). */
    boolean down(Link link, LinkCloseReason reason) {
        if (!links.remove(link.peerNodeId(), link)) {
            return false;
        }
        log.info("link to {} node {} closed: {}", link.peerType(), link.peerNodeId(), reason);
        return true;
    }

    /** The node's link while it is open, else {@code null}. */
    Link active(int nodeId) {
        Link link = links.get(nodeId);
        return link != null && link.isActive() ? link : null;
    }

    Set<Integer> nodeIds() {
        return Set.copyOf(links.keySet());
    }

    void closeAll() {
        links.values().forEach(link -> link.close(LinkCloseReason.LOCAL_CLOSE));
    }
}
