/**
 * How the nodes of a Switchboard cluster find each other (DESIGN §5, seed 001).
 *
 * <p>A process describes itself with a {@link io.switchboard.registry.NodeInfo} and
 * {@linkplain io.switchboard.registry.Registry#register registers} it; the registry gives it a node id
 * (0–1023, unique among live nodes, the node part of snowflake ids) and keeps the record visible for as long
 * as the process lives. Everyone else {@linkplain io.switchboard.registry.Registry#watch watches} the registry
 * to learn which gates and service nodes exist, their addresses, state and load.
 *
 * <p>{@link io.switchboard.registry.MemoryRegistry} serves one JVM (standalone mode, tests); the
 * {@code switchboard-registry-zookeeper} module adds ZooKeeper. {@link io.switchboard.registry.Registries}
 * opens either from a URI. {@link io.switchboard.registry.VersionWatcher} tells an old node when a newer
 * version of its service has come online, so that it can drain.
 */
package io.switchboard.registry;
