/**
 * Parts shared by the registry implementations: the watched node table, the serial event delivery, the JSON form
 * of {@link io.switchboard.registry.NodeInfo}. Not a public API: it may change without notice.
 */
package io.switchboard.registry.internal;
