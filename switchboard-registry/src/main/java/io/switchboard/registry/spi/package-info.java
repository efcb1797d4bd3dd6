/**
 * Building blocks for {@link io.switchboard.registry.Registry} implementations (the in-memory one here, ZooKeeper's in
 * its own module): the node table with its change events, the listener fan-out, the JSON form of a node.
 */
package io.switchboard.registry.spi;
