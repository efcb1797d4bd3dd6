package io.switchboard.cluster.internal;

/**
 * The user event {@link LinkAuthenticator} fires down the link pipeline once the peer proved itself and the registry
 * vouched for its identity: from here on the link carries traffic.
 */
record PeerAuthenticated(LinkIdentity peer) {
}
