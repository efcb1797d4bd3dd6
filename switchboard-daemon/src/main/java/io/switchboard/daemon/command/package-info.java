/** The admin commands as parsed values, the permission each needs, and their results. */
package io.switchboard.daemon.command;
