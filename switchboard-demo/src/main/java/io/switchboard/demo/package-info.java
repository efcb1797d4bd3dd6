/**
 * The demo application of {@code switchboard demo}: {@code demo.echo.*} (request echo, notify → push) and
 * {@code demo.room.*} (join, say, leave with pushes to the other members, on the room runtime of
 * switchboard-rooms). Small on purpose: it shows the
 * handler API and gives the benchmarks and client examples something to talk to.
 */
package io.switchboard.demo;
