package io.switchboard.registry.zookeeper;

import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.common.PathUtils;

/** Where the registry keeps what under its root; see the package documentation. */
final class ZnodePaths {

    final String root;
    final String nodes;
    final String ids;

    ZnodePaths(String root) {
        PathUtils.validatePath(root);
        this.root = root;
        nodes = ZKPaths.makePath(root, "nodes");
        ids = ZKPaths.makePath(root, "ids");
    }

    String node(String id) {
        return ZKPaths.makePath(nodes, id);
    }

    String nodeId(int nodeId) {
        return ZKPaths.makePath(ids, Integer.toString(nodeId));
    }

    /** The process id a path under {@link #nodes} names, or {@code null} for any other path. */
    String idOf(String path) {
        ZKPaths.PathAndNode parts = ZKPaths.getPathAndNode(path);
        return nodes.equals(parts.getPath()) ? parts.getNode() : null;
    }
}
