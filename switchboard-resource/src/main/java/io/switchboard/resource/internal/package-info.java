/**
 * The resource manager's insides: the served state and its change index ({@link
 * io.switchboard.resource.internal.Catalog}), the {@code /v1} HTTP handler, parked blocking watches, and the conf
 * directory watcher. Everything here runs on the manager's one event loop. Not an API.
 */
package io.switchboard.resource.internal;
