/**
 * Seed 004's process plane (DESIGN §9, ports per §10): a router that daemons connect to and that relays admin
 * commands between them; a daemon per machine that supervises the machine's processes (start, stop, restart with
 * backoff, crash loops, output capture, adoption after its own restart, hung processes found through globaldb's
 * {@code lastupdate}); the admin commands, checked by role on the daemon; the admin API and web console on the
 * daemon's admin port.
 */
package io.switchboard.daemon;
