package io.switchboard.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the registry knows about one process of the cluster. Immutable; serialises to and from JSON with a plain
 * Jackson {@code ObjectMapper} (the ZooKeeper registry stores exactly that JSON in the node's znode).
 *
 * @param id        the process id, unique in the cluster and stable for the life of the process, e.g. {@code gate-1}:
 *                  letters, digits and {@code . _ - : @}, at most 128 characters (it names a znode)
 * @param nodeId    the node id the registry assigned, 0 to {@value #MAX_NODE_ID}, or {@value #UNASSIGNED} before
 *                  registration; it is the node part of the snowflake ids the process makes
 * @param type      the service type, e.g. {@code gate}, {@code chat}: the first part of a route
 *                  {@code service.handler.method}, so letters, digits, {@code _} and {@code -} only
 * @param version   the version of the service's code; a higher version of the same type makes older nodes drain
 * @param addresses where the node listens, by purpose: {@code client → tcp://127.0.0.1:10101},
 *                  {@code cluster → 127.0.0.1:10301}, {@code admin → http://127.0.0.1:19901}
 * @param state     whether the node takes new users and rooms
 * @param load      how busy the node is
 * @param startedAt when the process started, in milliseconds since the Unix epoch (a plain number, so the JSON needs
 *                  no date module)
 * @param metadata  anything else worth publishing (host name, pid, build); not interpreted by the registry
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeInfo(
        String id,
        int nodeId,
        String type,
        int version,
        Map<String, String> addresses,
        NodeState state,
        Load load,
        long startedAt,
        Map<String, String> metadata) {

    /** The {@link #nodeId()} of a node the registry has not numbered yet. */
    public static final int UNASSIGNED = -1;
    /** The highest node id a snowflake id can carry: it has 10 bits for it (DESIGN §6). */
    public static final int MAX_NODE_ID = 1023;
    /**
     * How many nodes can be live at once: 1023, the limit of seed 001. Registries assign ids 0 to 1022, so the
     * all-ones id {@value #MAX_NODE_ID} is never given to a node and stays free for a process outside the registry
     * (a tool, a test) that must mint snowflake ids without colliding with the cluster.
     */
    public static final int MAX_NODES = 1023;

    /** Well-known keys of {@link #addresses()}. */
    public static final String CLIENT_ADDRESS = "client";
    public static final String CLUSTER_ADDRESS = "cluster";
    public static final String ADMIN_ADDRESS = "admin";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "id must be 1..128 of letters, digits and . _ - : @ (not starting with a sign), was '" + id + "'");
        }
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException(
                    "type must be 1..64 of letters, digits, _ and - (not starting with a sign), was '" + type + "'");
        }
        if (nodeId < UNASSIGNED || nodeId > MAX_NODE_ID) {
            throw new IllegalArgumentException("nodeId must be -1 or within 0.." + MAX_NODE_ID + ", was " + nodeId);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, was " + version);
        }
        addresses = sortedCopy(addresses, "addresses");
        metadata = sortedCopy(metadata, "metadata");
        state = state == null ? NodeState.SERVING : state;
        load = load == null ? Load.IDLE : load;
    }

    /** Starts a node description with version 0, serving, idle, started now. */
    public static Builder builder(String id, String type) {
        return new Builder(id, type);
    }

    /** A builder holding this node's values, to change several at once. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The address registered for {@code purpose} (see {@link #CLIENT_ADDRESS} and its siblings). */
    public Optional<String> address(String purpose) {
        return Optional.ofNullable(addresses.get(purpose));
    }

    /** Whether the node takes new users and rooms. */
    @JsonIgnore
    public boolean isServing() {
        return state == NodeState.SERVING;
    }

    public NodeInfo withNodeId(int nodeId) {
        return new NodeInfo(id, nodeId, type, version, addresses, state, load, startedAt, metadata);
    }

    public NodeInfo withState(NodeState state) {
        return new NodeInfo(id, nodeId, type, version, addresses, state, load, startedAt, metadata);
    }

    public NodeInfo withLoad(Load load) {
        return new NodeInfo(id, nodeId, type, version, addresses, state, load, startedAt, metadata);
    }

    public NodeInfo withAddress(String purpose, String address) {
        Map<String, String> copy = new TreeMap<>(addresses);
        copy.put(purpose, address);
        return new NodeInfo(id, nodeId, type, version, copy, state, load, startedAt, metadata);
    }

    public NodeInfo withMetadata(String key, String value) {
        Map<String, String> copy = new TreeMap<>(metadata);
        copy.put(key, value);
        return new NodeInfo(id, nodeId, type, version, addresses, state, load, startedAt, copy);
    }

    // Sorted, so the JSON of equal nodes is equal byte for byte.
    private static Map<String, String> sortedCopy(Map<String, String> map, String what) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        map.forEach((key, value) -> {
            if (key == null || key.isBlank() || value == null) {
                throw new IllegalArgumentException(what + " must have non-blank keys and non-null values: " + map);
            }
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    /** Builds a {@link NodeInfo}; {@link NodeInfo#builder(String, String)} makes one. */
    public static final class Builder {
        private final String id;
        private final String type;
        private int nodeId = UNASSIGNED;
        private int version;
        private final Map<String, String> addresses = new TreeMap<>();
        private NodeState state = NodeState.SERVING;
        private Load load = Load.IDLE;
        private long startedAt = System.currentTimeMillis();
        private final Map<String, String> metadata = new TreeMap<>();

        private Builder(String id, String type) {
            this.id = Objects.requireNonNull(id, "id");
            this.type = Objects.requireNonNull(type, "type");
        }

        private Builder(NodeInfo info) {
            this(info.id, info.type);
            nodeId = info.nodeId;
            version = info.version;
            addresses.putAll(info.addresses);
            state = info.state;
            load = info.load;
            startedAt = info.startedAt;
            metadata.putAll(info.metadata);
        }

        public Builder nodeId(int nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public Builder version(int version) {
            this.version = version;
            return this;
        }

        public Builder address(String purpose, String address) {
            addresses.put(Objects.requireNonNull(purpose, "purpose"), Objects.requireNonNull(address, "address"));
            return this;
        }

        public Builder addresses(Map<String, String> addresses) {
            addresses.forEach(this::address);
            return this;
        }

        public Builder state(NodeState state) {
            this.state = Objects.requireNonNull(state, "state");
            return this;
        }

        public Builder load(Load load) {
            this.load = Objects.requireNonNull(load, "load");
            return this;
        }

        /** Start time in milliseconds since the Unix epoch. */
        public Builder startedAt(long epochMillis) {
            this.startedAt = epochMillis;
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public NodeInfo build() {
            return new NodeInfo(id, nodeId, type, version, addresses, state, load, startedAt, metadata);
        }
    }
}
