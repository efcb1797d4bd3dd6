/**
 * An interactive client shell, like Pitaya's REPL: connect to a server, send requests and notifies typed as
 * JSON, watch pushes and kicks arrive. {@link io.switchboard.client.shell.ClientShell} reads commands from any
 * reader, so it also runs scripts piped to standard input.
 */
package io.switchboard.client.shell;
