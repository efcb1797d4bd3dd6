/**
 * Cluster mode (DESIGN §2, §4, §5): {@link io.switchboard.cluster.ClusterGate} and
 * {@link io.switchboard.cluster.ServiceNode} as separate processes, found through a
 * {@link io.switchboard.registry.Registry} and joined by cluster links (HLV frames carrying Envelopes, with HELLO,
 * PING and PONG). Placement is pluggable ({@link io.switchboard.cluster.PlacementPolicy}); errors are in
 * {@link io.switchboard.api.errors.ClusterErrors}.
 *
 * <p>Rooms: a gate places messages by session (sticky per service), or, for routes given a
 * {@link io.switchboard.cluster.PlacementKey}, by a key in the message such as a room id, hashed the same way on
 * every gate so that all members of a room reach the node that holds it.
 */
package io.switchboard.cluster;
