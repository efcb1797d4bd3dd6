/**
 * TCP probing of {@code heartbeat_list} endpoints (DESIGN §8): non-blocking connects on one event loop, on an injected
 * {@link io.switchboard.common.time.Ticker}, with Consul's {@code failures_before_critical} and
 * {@code success_before_passing} (the seed's {@code lose_time} and {@code recover_time}).
 */
package io.switchboard.resource.probe;
