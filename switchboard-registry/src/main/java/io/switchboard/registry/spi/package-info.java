/**
 * Building blocks for {@link io.switchboard.registry.Registry} implementations (the in-memory one here, ZooKeeper's in
 * its own module): the node table with its change events, the registration every registry extends with the steps of
 * its store, the listener fan-out, the JSON form of a node.
 */
package io.switchboard.registry.spi;
