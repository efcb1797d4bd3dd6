/** Switchboard's meters, through Micrometer; the admin server exposes them in Prometheus format. */
package io.switchboard.metrics;
