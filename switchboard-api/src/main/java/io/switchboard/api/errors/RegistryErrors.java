package io.switchboard.api.errors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * The error codes of the registry (module {@link ErrorModule#REGISTRY}, codes 1,005,000,001 and up). They reach
 * operators through logs and the CLI rather than clients.
 *
 * <table>
 *   <caption>Registry error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1,005,000,001</td><td>NODE_IDS_EXHAUSTED</td><td>the cluster already has 1023 live nodes, its limit</td></tr>
 *   <tr><td>1,005,000,002</td><td>DUPLICATE_NODE</td><td>a live node is already registered with the same id</td></tr>
 *   <tr><td>1,005,000,003</td><td>REGISTRY_UNAVAILABLE</td><td>the registry's store could not be reached</td></tr>
 *   <tr><td>1,005,000,004</td><td>REGISTRY_CLOSED</td><td>the registry was used after it was closed</td></tr>
 *   <tr><td>1,005,000,005</td><td>NOT_REGISTERED</td><td>a registration was used after it was deregistered</td></tr>
 *   <tr><td>1,005,000,006</td><td>UNSUPPORTED_REGISTRY</td><td>no registry implementation for a URI's scheme</td></tr>
 *   <tr><td>1,005,000,007</td><td>NOT_IN_TOPOLOGY</td><td>a static topology (the resource manager's idc files)
 *       lists no endpoint for the process</td></tr>
 * </table>
 */
public final class RegistryErrors {

    public static final ErrorCode NODE_IDS_EXHAUSTED = ErrorModule.REGISTRY.code(1, "NODE_IDS_EXHAUSTED",
            "All node ids are in use: the cluster already has 1023 live nodes");
    public static final ErrorCode DUPLICATE_NODE = ErrorModule.REGISTRY.code(2, "DUPLICATE_NODE",
            "A live node is already registered with this id");
    public static final ErrorCode REGISTRY_UNAVAILABLE = ErrorModule.REGISTRY.code(3, "REGISTRY_UNAVAILABLE",
            "The registry cannot be reached");
    public static final ErrorCode REGISTRY_CLOSED = ErrorModule.REGISTRY.code(4, "REGISTRY_CLOSED",
            "The registry is closed");
    public static final ErrorCode NOT_REGISTERED = ErrorModule.REGISTRY.code(5, "NOT_REGISTERED",
            "The node is not registered any more");
    public static final ErrorCode UNSUPPORTED_REGISTRY = ErrorModule.REGISTRY.code(6, "UNSUPPORTED_REGISTRY",
            "No registry implementation supports this URI");
    public static final ErrorCode NOT_IN_TOPOLOGY = ErrorModule.REGISTRY.code(7, "NOT_IN_TOPOLOGY",
            "The static topology lists no endpoint for this process");

    private RegistryErrors() {
    }
}
