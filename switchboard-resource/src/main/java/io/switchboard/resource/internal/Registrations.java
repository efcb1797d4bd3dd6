package io.switchboard.resource.internal;

import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.registry.NodeInfo;
import io.switchboard.resource.config.Endpoint;
import io.switchboard.resource.config.ModuleConfig;
import io.switchboard.resource.config.ResourceConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The processes registered through the {@code resource://} registry, each held on the endpoint of the config it
 * stands for: the endpoint of its module (its {@link NodeInfo#type()}) whose {@code id} is the process id, or else
 * whose host and port one of its advertised addresses names. Its node id is the endpoint's position among all
 * endpoints of the config (module.conf's order, then file order), so it is the same on every start of the same
 * config. It is served (in {@code GET /v1/registry}) while its endpoint is live: probed up, or in a
 * {@code service_list}.
 *
 * <p>Records live in memory only; a registry client registers again when it finds the manager restarted. Each
 * registration carries the session its client chose: a new registration of the same process replaces the old one
 * (a restart), and only the session holding a record may update or remove it. Confined to the manager's loop.
 */
public final class Registrations {
    private final Catalog catalog;
    /** Tells clients apart a restarted manager, which has forgotten every record. */
    private final String instance = UUID.randomUUID().toString();
    /** By process id. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    /**
     * Starts at the wall clock in microseconds, so a restarted manager's index is past any index a client had from
     * the run before (unless that run made a thousand changes a millisecond): a client's watch parked with the old
     * index then returns at once, sees the new {@link #instance}, and registers again. The clock gives only this
     * epoch; no wait depends on it. Below 2^53, so JavaScript reads it exactly.
     */
    private long index = System.currentTimeMillis() * 1_000;

    /** One registered process: where it is in the config and what it published. */
    private record Held(Endpoint endpoint, String session, NodeInfo info) {
    }

    /** A registration refused, with the registry error code the client raises. */
    static final class Refused extends Exception {
        private final ErrorCode code;

        Refused(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        ErrorCode code() {
            return code;
        }
    }

    public Registrations(Catalog catalog) {
        this.catalog = catalog;
    }

    /** This run of the manager: clients register again when it changes. */
    String instance() {
        return instance;
    }

    /** The index of the last change to the served list. */
    public long index() {
        return index;
    }

    /** Something that may change the served list happened: an endpoint changed state. */
    public void changed() {
        index++;
    }

    /** A new config is in force: records whose endpoint went away are dropped, the others follow their endpoint. */
    public void reconcile(ResourceConfig config) {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        config.endpoints().forEach(endpoint -> endpoints.put(endpoint.key(), endpoint));
        held.entrySet().removeIf(entry -> !endpoints.containsKey(entry.getValue().endpoint().key()));
        held.replaceAll((id, record) -> new Held(endpoints.get(record.endpoint().key()), record.session(),
                record.info()));
        index++;
    }

    /** Registers {@code info} for {@code session}: its record with the node id filled in. */
    NodeInfo register(NodeInfo info, String session) throws Refused {
        ResourceConfig config = catalog.config();
        ModuleConfig module = config.module(info.type()).orElseThrow(() -> new Refused(
                RegistryErrors.NOT_IN_TOPOLOGY, "module '" + info.type() + "' is not in module.conf, so process "
                + info.id() + " of that type cannot register"));
        Endpoint endpoint = match(module, info).orElseThrow(() -> new Refused(RegistryErrors.NOT_IN_TOPOLOGY,
                "no endpoint of module '" + module.name() + "' (idc file of module " + module.name() + ") has id '"
                        + info.id() + "' or the host and port of an address it advertises "
                        + info.addresses().values() + "; add one to register " + info.id()));
        int nodeId = config.endpoints().indexOf(endpoint);
        if (nodeId >= NodeInfo.MAX_NODES) {
            throw new Refused(RegistryErrors.NODE_IDS_EXHAUSTED, "endpoint " + endpoint.key() + " is number "
                    + nodeId + " of the config, past the " + NodeInfo.MAX_NODES + " node ids a cluster has");
        }
        for (Held other : held.values()) {
            boolean sameEndpoint = other.endpoint().key().equals(endpoint.key());
            if (!other.info().id().equals(info.id()) && !sameEndpoint && other.info().nodeId() == nodeId) {
                throw new Refused(RegistryErrors.DUPLICATE_NODE, "node id " + nodeId + " of endpoint "
                        + endpoint.key() + " is held by " + other.info().id() + ", registered before the config "
                        + "moved it; restart " + other.info().id() + " first");
            }
        }
        // A restart of the same process, or of another one on the same endpoint: the newer one wins.
        held.values().removeIf(other -> other.endpoint().key().equals(endpoint.key()));
        NodeInfo numbered = info.withNodeId(nodeId);
        held.put(info.id(), new Held(endpoint, session, numbered));
        index++;
        return numbered;
    }

    /** Replaces the record {@code session} holds for {@code info}'s process; the node id stays. */
    NodeInfo update(NodeInfo info, String session) throws Refused {
        Held record = held.get(info.id());
        if (record == null || !record.session().equals(session)) {
            throw new Refused(RegistryErrors.NOT_REGISTERED, info.id() + " is not registered in this session: "
                    + "deregistered, replaced by a newer registration, or the resource manager restarted");
        }
        NodeInfo numbered = info.withNodeId(record.info().nodeId());
        held.put(info.id(), new Held(record.endpoint(), session, numbered));
        index++;
        return numbered;
    }

    /** Removes the record {@code session} holds for process {@code id}; whether there was one. */
    boolean deregister(String id, String session) {
        Held record = held.get(id);
        if (record == null || !record.session().equals(session)) {
            return false;
        }
        held.remove(id);
        index++;
        return true;
    }

    /** The served list: the registered processes whose endpoint is live, by node id. */
    List<NodeInfo> live() {
        List<NodeInfo> live = new ArrayList<>();
        for (Held record : held.values()) {
            if (catalog.live(record.endpoint())) {
                live.add(record.info());
            }
        }
        live.sort(Comparator.comparingInt(NodeInfo::nodeId));
        return live;
    }

    /** The process registered on {@code endpoint}, if any: for the topology view. */
    Optional<NodeInfo> on(Endpoint endpoint) {
        return held.values().stream().filter(record -> record.endpoint().key().equals(endpoint.key()))
                .map(Held::info).findFirst();
    }

    /** The endpoint of {@code module} that {@code info} stands for: by id first, then by an advertised address. */
    static Optional<Endpoint> match(ModuleConfig module, NodeInfo info) {
        for (Endpoint endpoint : module.endpoints()) {
            if (endpoint.id().equals(info.id())) {
                return Optional.of(endpoint);
            }
        }
        for (Endpoint endpoint : module.endpoints()) {
            for (String address : info.addresses().values()) {
                if (listensOn(endpoint, address)) {
                    return Optional.of(endpoint);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether {@code address} ({@code host:port}, optionally {@code scheme://} before and a path after) is on it. */
    private static boolean listensOn(Endpoint endpoint, String address) {
        String rest = address.contains("://") ? address.substring(address.indexOf("://") + 3) : address;
        int slash = rest.indexOf('/');
        rest = slash < 0 ? rest : rest.substring(0, slash);
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String host = rest.substring(0, colon).toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = rest.substring(colon + 1);
        return port.equals(Integer.toString(endpoint.port()))
                && (host.equals(endpoint.innerIp().toLowerCase(Locale.ROOT))
                || host.equals(endpoint.outIp().toLowerCase(Locale.ROOT)));
    }
}
