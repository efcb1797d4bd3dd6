/**
 * A daemon's link to the router (DESIGN §9): {@link io.switchboard.daemon.link.RouterLink} dials the router, keeps
 * dialling with exponential backoff while it is away, proves the cluster secret, sends commands for other machines
 * through it and runs the commands that come for this machine. The wire is
 * {@link io.switchboard.daemon.router.PlaneMessages}.
 */
package io.switchboard.daemon.link;
