/**
 * The router of seed 004's process plane (DESIGN §9, its port guarded as §10 says): daemons dial it, prove the
 * cluster secret and name their machine; it relays admin commands between them. Router ⇄ daemon traffic is the
 * cluster link frame and {@code Envelope} (DESIGN §4) with {@code plane.*} routes and JSON bodies: see
 * {@link io.switchboard.daemon.router.PlaneMessages}. The daemon's side is {@code io.switchboard.daemon.link}.
 */
package io.switchboard.daemon.router;
