/** Cluster mode's machinery: link pipeline and protocol, routing, remote sessions, draining. Not API. */
package io.switchboard.cluster.internal;
