/**
 * The admin side of a daemon (DESIGN §9 "Admin" and "Console", §10 for the port): the commands run with the
 * caller's role checked first, the world view with each process's liveness judged from globaldb's
 * {@code lastupdate}, the admin HTTP API with logins, and the web console served from this jar.
 */
package io.switchboard.daemon.admin;
