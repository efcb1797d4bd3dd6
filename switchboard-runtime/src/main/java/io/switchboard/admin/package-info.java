/**
 * The admin HTTP server, bound to loopback by default: {@code /health}, {@code /metrics} (Prometheus text)
 * and whatever routes the process adds (cluster view, shutdown).
 */
package io.switchboard.admin;
