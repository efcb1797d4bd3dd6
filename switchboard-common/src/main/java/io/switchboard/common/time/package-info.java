/** Injectable time, so heartbeats, timeouts and clocks can be driven by tests without sleeping. */
package io.switchboard.common.time;
