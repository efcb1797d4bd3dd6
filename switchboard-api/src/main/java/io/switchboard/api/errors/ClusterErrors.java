package io.switchboard.api.errors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of cluster mode (module {@link ErrorModule#CLUSTER}: 1,004,000,001 and up). Gates send them to
 * clients in error responses; {@link ServiceNode#rpc} fails with them.
 *
 * <table>
 *   <caption>Cluster error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1004000001</td><td>NO_NODE</td><td>no live, linked node serves the route's service</td></tr>
 *   <tr><td>1004000002</td><td>NODES_OVERLOADED</td><td>every node of the service is above its memory limit
 *       (90% by default): new sessions are refused</td></tr>
 *   <tr><td>1004000003</td><td>NODE_LOST</td><td>the node handling the request went away before answering</td></tr>
 *   <tr><td>1004000004</td><td>REQUEST_TIMEOUT</td><td>the node did not answer within the request timeout</td></tr>
 *   <tr><td>1004000005</td><td>NODE_UNREACHABLE</td><td>no link to the addressed node, or the request could not
 *       be written</td></tr>
 *   <tr><td>1004000006</td><td>SHUTTING_DOWN</td><td>the process is shutting down</td></tr>
 *   <tr><td>1004000007</td><td>LINK_SATURATED</td><td>the link to the node has more unsent bytes than its high
 *       water mark: the request was not sent, try again later</td></tr>
 * </table>
 */
public final class ClusterErrors {
    public static final ErrorCode NO_NODE =
            ErrorModule.CLUSTER.code(1, "NO_NODE", "no node serves this service");
    public static final ErrorCode NODES_OVERLOADED =
            ErrorModule.CLUSTER.code(2, "NODES_OVERLOADED", "all nodes of this service are overloaded");
    public static final ErrorCode NODE_LOST =
            ErrorModule.CLUSTER.code(3, "NODE_LOST", "the node went away before answering");
    public static final ErrorCode REQUEST_TIMEOUT =
            ErrorModule.CLUSTER.code(4, "REQUEST_TIMEOUT", "the node did not answer in time");
    public static final ErrorCode NODE_UNREACHABLE =
            ErrorModule.CLUSTER.code(5, "NODE_UNREACHABLE", "the node cannot be reached");
    public static final ErrorCode SHUTTING_DOWN =
            ErrorModule.CLUSTER.code(6, "SHUTTING_DOWN", "shutting down");

    public static final ErrorCode LINK_SATURATED =
            ErrorModule.CLUSTER.code(7, "LINK_SATURATED", "the link to the node is saturated; try again later");

    private ClusterErrors() {
    }
}
