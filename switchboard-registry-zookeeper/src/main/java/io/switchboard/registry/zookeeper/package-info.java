/**
 * The registry on ZooKeeper, through Apache Curator (DESIGN §5), and an embedded ZooKeeper server for local
 * clusters.
 *
 * <p>Layout under the root (default {@code /switchboard}):
 * <pre>
 * &lt;root&gt;/nodes/&lt;id&gt;   EPHEMERAL, the node's {@link io.switchboard.registry.NodeInfo} as JSON
 * &lt;root&gt;/ids/&lt;n&gt;     EPHEMERAL, the process id holding node id n (0 to 1022)
 * </pre>
 * Both vanish with the process's ZooKeeper session, which is how the cluster learns that a node died. Creating
 * {@code ids/<n>} fails when it exists, and that is what makes node ids unique.
 *
 * <p>Put this module on the classpath and {@code Registries.open("zk://host:2181/switchboard")} finds it.
 */
package io.switchboard.registry.zookeeper;
