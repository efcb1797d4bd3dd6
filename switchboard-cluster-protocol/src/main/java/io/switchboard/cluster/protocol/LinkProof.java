package io.switchboard.cluster.protocol;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The proof each end of a link gives that it holds the cluster secret: HMAC-SHA256 under the secret of a version
 * tag, a label naming the end's direction, the dialer's and the acceptor's nonces, and the end's identity (a node id
 * and a type). Both nonces make it good for one link only (a replay from another link fails); the label makes it good
 * for one direction of one kind of link only; the identity binds it to what the end said in HELLO. Each field is
 * length-prefixed so no two different inputs MAC the same bytes.
 */
public final class LinkProof {
    /** Bytes of challenge each end sends in HELLO: as long as the MAC, so guessing one is hopeless. */
    public static final int NONCE_BYTES = 32;
    private static final byte[] VERSION = "switchboard-link-proof-v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKey key;

    public LinkProof(SecretKey key) {
        this.key = key;
    }

    public static byte[] newNonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** The proof the end labelled {@code label} sends. */
    public byte[] of(byte[] label, byte[] dialerNonce, byte[] acceptorNonce, int nodeId, String type) {
        Mac mac = newMac();
        field(mac, VERSION);
        field(mac, label);
        field(mac, dialerNonce);
        field(mac, acceptorNonce);
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(nodeId).array());
        field(mac, type.getBytes(StandardCharsets.UTF_8));
        return mac.doFinal();
    }

    /** Whether {@code proof} is what the end labelled {@code label} had to send; compared in constant time. */
    public boolean verify(byte[] proof, byte[] label, byte[] dialerNonce, byte[] acceptorNonce, int nodeId,
                          String type) {
        return proof != null && MessageDigest.isEqual(of(label, dialerNonce, acceptorNonce, nodeId, type), proof);
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
