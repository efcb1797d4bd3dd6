/**
 * Rooms: stateful groups of users on a service node (DOMI's groups on zones). A {@link io.switchboard.rooms.RoomRegistry}
 * holds the node's {@link io.switchboard.rooms.Room}s; each room runs its handlers, timers and membership changes on
 * its own serial executor, so user code needs no locks, and broadcasts are serialized once and fanned out per gate.
 */
package io.switchboard.rooms;
