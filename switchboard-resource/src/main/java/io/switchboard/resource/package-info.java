/**
 * The resource manager of seed 000 ("balancer", 资源管理服务), as DESIGN §8 reads it: the seed's four conf file kinds
 * ({@code module.conf}, {@code depend_<m>.conf}, {@code idc_<m>.conf}, {@code kv_<m>.conf}), TCP probing of the
 * {@code heartbeat_list} endpoints, and the {@code /v1} HTTP/JSON API with Consul-style blocking watches.
 * {@link io.switchboard.resource.ResourceServer} is the process kind; {@link io.switchboard.resource.ResourceClient}
 * is what a process uses to read its kv config and follow its dependencies;
 * {@link io.switchboard.resource.ResourceRegistry} ({@code resource://host:port}) runs a cluster's registry on the
 * static topology.
 */
package io.switchboard.resource;
