package io.switchboard.cluster.internal;

import io.switchboard.cluster.LinkCloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gate's links to service nodes, one per node id. A node id with a live link keeps it: a second link claiming that
 * id is refused, never swapped in. A link that is no longer active is replaced (the node reconnected).
 */
final class LinkTable {
    private static final Logger log = LoggerFactory.getLogger(LinkTable.class);

    private final Map<Integer, Link> links = new ConcurrentHashMap<>();

    /** Adds the node's link; false, leaving the table as it was, when the node has a live link already. */
    boolean up(Link link) {
        Link kept = links.merge(link.peerNodeId(), link, (old, newer) -> old.isActive() ? old : newer);
        if (kept != link) {
            log.warn("{} node {} is linked already: refusing a second link from {}", link.peerType(),
                    link.peerNodeId(), link.channel().remoteAddress());
            return false;
        }
        log.info("linked to {} node {}", link.peerType(), link.peerNodeId());
        return true;
    }

    /** Removes a closed link; false when it was refused, or a newer link had replaced it (nothing was lost). */
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

    /** Some open link, or {@code null} when there is none. */
    Link anyActive() {
        for (Link link : links.values()) {
            if (link.isActive()) {
                return link;
            }
        }
        return null;
    }

    Set<Integer> nodeIds() {
        return Set.copyOf(links.keySet());
    }

    void closeAll() {
        links.values().forEach(link -> link.close(LinkCloseReason.LOCAL_CLOSE));
    }
}
