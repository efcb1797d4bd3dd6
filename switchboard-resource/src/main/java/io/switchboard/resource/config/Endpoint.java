package io.switchboard.resource.config;

import java.util.Objects;

/**
 * One endpoint of a module's idc file, with where it sits: its IDC and set.
 *
 * @param heartbeat how it is probed; {@code null} for a {@code service_list} endpoint, served without probing
 */
public record Endpoint(String module, String id, String idc, String set, String innerIp, String outIp, int port,
                       Heartbeat heartbeat) {

    public Endpoint {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(idc, "idc");
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(innerIp, "innerIp");
        Objects.requireNonNull(outIp, "outIp");
    }

    /** Whether it comes from a {@code heartbeat_list} and is probed. */
    public boolean probed() {
        return heartbeat != null;
    }

    /** The address probes connect to: the one {@code heartbeat_ip} names. */
    public String probeHost() {
        if (heartbeat == null) {
            throw new IllegalStateException(module + "/" + id + " is not probed");
        }
        return heartbeat.address() == ProbeAddress.INNER_IP ? innerIp : outIp;
    }

    /** {@code module/id}, unique in a config. */
    public String key() {
        return module + "/" + id;
    }
}
