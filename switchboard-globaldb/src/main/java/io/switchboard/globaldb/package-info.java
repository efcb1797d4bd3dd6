/**
 * Seed 004's globaldb (DESIGN §9): the world — region → machine inner IP → the process specs of that machine —,
 * the operators with their roles, and one liveness record per process ({@code info}, {@code pid},
 * {@code lastupdate}, {@code startcount}), from which the process plane judges a process alive or hung whatever
 * any daemon's sockets say. {@link io.switchboard.globaldb.GlobalDb} is the one interface the router, the daemons,
 * the admin commands and every Switchboard process use; it is kept in Redis in production and in memory in tests.
 */
package io.switchboard.globaldb;
