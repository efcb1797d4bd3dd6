/** One machine's processes as the daemon controls them: the control interface and each process's state. */
package io.switchboard.daemon.machine;
