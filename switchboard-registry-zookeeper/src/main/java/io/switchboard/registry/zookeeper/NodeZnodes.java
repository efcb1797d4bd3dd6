package io.switchboard.registry.zookeeper;

import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.spi.NodeInfoJson;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The znodes a {@link ZooKeeperRegistry} writes for its nodes, on its writer thread: the node id each claims
 * ({@code ids/<n>}, holding the process id) and each one's record (JSON under {@code nodes}), created, updated,
 * restored and removed. Both are ephemeral, the session's that created them; a create that finds one there already
 * tells a retry of its own (this session, the same content) from another process's.
 */
final class NodeZnodes {
    private static final Logger log = LoggerFactory.getLogger(NodeZnodes.class);

    private final CuratorFramework client;
    private final ZnodePaths paths;
    private final int maxNodes;

    NodeZnodes(CuratorFramework client, ZnodePaths paths, int maxNodes) {
        this.client = client;
        this.paths = paths;
        this.maxNodes = maxNodes;
    }

    /**
     * Takes a node id by creating {@code ids/<n>}: {@code preferred} if it can, otherwise the lowest free one. The
     * listing only narrows the search; the create is what decides, so two processes never get the same id.
     */
    int claimNodeId(String id, int preferred) throws Exception {
        if (preferred >= 0 && preferred < maxNodes && tryClaim(preferred, id)) {
            return preferred;
        }
        Set<Integer> taken = new HashSet<>();
        List<String> children;
        try {
            children = client.getChildren().forPath(paths.ids);
        } catch (KeeperException.NoNodeException e) {
            children = List.of(); // removed by hand; the creates below make it again
        }
        for (String child : children) {
            try {
                taken.add(Integer.parseInt(child));
            } catch (NumberFormatException e) {
                log.debug("Ignoring stray znode {}/{}", paths.ids, child);
            }
        }
        for (int nodeId = 0; nodeId < maxNodes; nodeId++) {
            if (!taken.contains(nodeId) && tryClaim(nodeId, id)) {
                return nodeId;
            }
        }
        throw new SwitchboardException(RegistryErrors.NODE_IDS_EXHAUSTED,
                "all " + maxNodes + " node ids are in use; node " + id + " cannot join");
    }

    private boolean tryClaim(int nodeId, String id) throws Exception {
        String path = paths.nodeId(nodeId);
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath(path, id.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (KeeperException.NodeExistsException e) {
            // Ours already when re-registering on a session that survived, or when Curator retried a create
            // whose first attempt had succeeded.
            return holdsNodeId(nodeId, id);
        }
    }

    private boolean holdsNodeId(int nodeId, String id) throws Exception {
        Stat stat = new Stat();
        byte[] holder;
        try {
            holder = client.getData().storingStatIn(stat).forPath(paths.nodeId(nodeId));
        } catch (KeeperException.NoNodeException e) {
            return false;
        }
        return stat.getEphemeralOwner() == sessionId() && id.equals(new String(holder, StandardCharsets.UTF_8));
    }

    /** Frees a node id this session holds for {@code id}; one it cannot free goes with the session at the latest. */
    void releaseNodeId(int nodeId, String id) {
        try {
            if (holdsNodeId(nodeId, id)) {
                client.delete().forPath(paths.nodeId(nodeId));
            }
        } catch (Exception e) {
            // It goes with the session at the latest.
            log.warn("Could not free node id {} of {}", nodeId, id, e);
        }
    }

    /** Publishes the record of a node registering: fails when another process's record has its id. */
    void create(NodeInfo info) throws Exception {
        byte[] json = NodeInfoJson.encode(info);
        String path = paths.node(info.id());
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, json);
        } catch (KeeperException.NodeExistsException e) {
            Stat stat = new Stat();
            byte[] existing = client.getData().storingStatIn(stat).forPath(path);
            // Our own create, retried by Curator after its reply was lost.
            if (stat.getEphemeralOwner() == sessionId() && Arrays.equals(existing, json)) {
                return;
            }
            throw duplicate(info.id(), stat);
        }
    }

    /** Puts the record back after a loss: creates it, or overwrites it when the session kept it. */
    void restore(NodeInfo info) throws Exception {
        byte[] json = NodeInfoJson.encode(info);
        String path = paths.node(info.id());
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, json);
        } catch (KeeperException.NodeExistsException e) {
            Stat stat = client.checkExists().forPath(path);
            if (stat == null || stat.getEphemeralOwner() != sessionId()) {
                // Likely our previous session, which the server has not expired yet: retried later.
                throw duplicate(info.id(), stat);
            }
            client.setData().forPath(path, json);
        }
    }

    /** Replaces a registered node's record; {@code NoNodeException} when it is gone (the session was lost). */
    void update(NodeInfo info) throws Exception {
        client.setData().forPath(paths.node(info.id()), NodeInfoJson.encode(info));
    }

    /** Deletes a node's record if this session holds it; another session's is left to that session. */
    void remove(String id) throws Exception {
        String path = paths.node(id);
        Stat stat = client.checkExists().forPath(path);
        if (stat != null && stat.getEphemeralOwner() == sessionId()) {
            client.delete().forPath(path);
        }
    }

    private static SwitchboardException duplicate(String id, Stat stat) {
        String holder = stat == null ? "" : stat.getEphemeralOwner() == 0
                ? " (a persistent znode: remove it by hand)"
                : String.format(" (session 0x%x; if that was this node's previous run, it expires shortly)",
                        stat.getEphemeralOwner());
        return new SwitchboardException(RegistryErrors.DUPLICATE_NODE,
                "a live node is already registered with id " + id + holder);
    }

    /** The session that owns this registry's ephemeral znodes. */
    private long sessionId() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }
}
