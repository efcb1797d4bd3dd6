/**
 * The daemon's supervisor of one machine's processes (DESIGN §9, seed 004's daemonserver; issue 12 items 3 and 4),
 * after supervisord's model: STARTING → RUNNING once a process has lived {@code startSeconds}; an exit → BACKOFF
 * and a restart after a growing delay; too many early exits in a row → FATAL until an operator starts it; stop is
 * SIGTERM, then SIGKILL after a grace period. Output goes straight to size-rotated files, never through pipes, so a
 * child outlives its daemon; a restarted daemon adopts the children still running (their pids are in globaldb) and
 * restarts a Switchboard process whose globaldb {@code lastupdate} has gone stale (hung), whatever its pid says.
 */
package io.switchboard.daemon.supervisor;
