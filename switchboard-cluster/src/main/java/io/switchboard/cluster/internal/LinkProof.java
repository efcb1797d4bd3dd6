package io.switchboard.cluster.internal;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The proof each end of a link gives that it holds the cluster secret: HMAC-SHA256 under the secret of a version
 * tag, the end's {@link LinkRole} label, the dialer's and the acceptor's nonces, and the end's node id and type. Both
 * nonces make it good for one link only (a replay from another link fails); the label makes it good for one
 * direction only; the identity binds it to what the end said in HELLO. Each field is length-prefixed so no two
 * different inputs MAC the same bytes.
 */
final class LinkProof {
    /** Bytes of challenge each end sends in HELLO: as long as the MAC, so guessing one is hopeless. */
    static final int NONCE_BYTES = 32;
    private static final byte[] VERSION = "switchboard-link-proof-v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKey key;

    LinkProof(SecretKey key) {
        this.key = key;
    }

    static byte[] newNonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** The proof the end of {@code role} sends. */
    byte[] of(LinkRole role, byte[] dialerNonce, byte[] acceptorNonce, int nodeId, String type) {
        Mac mac = newMac();
        field(mac, VERSION);
        field(mac, role.label());
        field(mac, dialerNonce);
        field(mac, acceptorNonce);
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(nodeId).array());
        field(mac, type.getBytes(StandardCharsets.UTF_8));
        return mac.doFinal();
    }

    /** Whether {@code proof} is what the end of {@code role} had to send; compared in constant time. */
    boolean verify(byte[] proof, LinkRole role, byte[] dialerNonce, byte[] acceptorNonce, int nodeId, String type) {
        return MessageDigest.isEqual(of(role, dialerNonce, acceptorNonce, nodeId, type), proof);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is in every Java runtime; without it no link can authenticate.
            throw new IllegalStateException("cannot compute " + key.getAlgorithm(), e);
        }
    }

    private static void field(Mac mac, byte[] bytes) {
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        mac.update(bytes);
    }
}
