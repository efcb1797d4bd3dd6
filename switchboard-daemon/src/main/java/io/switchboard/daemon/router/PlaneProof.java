package io.switchboard.daemon.router;

import io.switchboard.cluster.protocol.LinkProof;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The cluster link's proof of the secret ({@link LinkProof}) for router ⇄ daemon links: the daemon dials, the
 * router accepts, and each proof names the daemon's machine IP. The labels are the plane's own, so a proof made on a
 * cluster link never passes here, nor one end's for the other's.
 */
public final class PlaneProof {
    private static final byte[] DAEMON = "switchboard plane daemon".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ROUTER = "switchboard plane router".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LinkProof proof;

    public PlaneProof(SecretKey key) {
        this.proof = new LinkProof(key);
    }

    public static byte[] newNonce() {
        return LinkProof.newNonce(RANDOM);
    }

    public byte[] ofDaemon(byte[] daemonNonce, byte[] routerNonce, String ip) {
        return proof.of(DAEMON, daemonNonce, routerNonce, 0, ip);
    }

    public byte[] ofRouter(byte[] daemonNonce, byte[] routerNonce, String ip) {
        return proof.of(ROUTER, daemonNonce, routerNonce, 0, ip);
    }

    public boolean isDaemons(byte[] claimed, byte[] daemonNonce, byte[] routerNonce, String ip) {
        return proof.verify(claimed, DAEMON, daemonNonce, routerNonce, 0, ip);
    }

    public boolean isRouters(byte[] claimed, byte[] daemonNonce, byte[] routerNonce, String ip) {
        return proof.verify(claimed, ROUTER, daemonNonce, routerNonce, 0, ip);
    }
}
