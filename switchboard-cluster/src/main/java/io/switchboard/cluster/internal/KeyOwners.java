package io.switchboard.cluster.internal;

import io.switchboard.registry.NodeInfo;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node owns a placement key (a room id): the winner of a rendezvous hash over the candidates, so every gate with
 * the same view of the registry picks the same node. A choice is remembered while its node stays linked, so a room
 * stays put when nodes join or start draining; clients send the keys, so only the most recently used ones are
 * remembered, and only short ones (a forgotten key is hashed again: the same answer while the nodes stay).
 */
final class KeyOwners {
    /** Enough for the live rooms of a busy gate, a few megabytes at most. */
    static final int DEFAULT_CAPACITY = 16_384;
    /** Room ids are short; longer keys are hashed on every message rather than held. */
    static final int MAX_REMEMBERED_KEY_LENGTH = 256;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long MIX = 0xff51afd7ed558ccdL;
    private static final int MIX_SHIFT = 33;
    private static final int INITIAL_CAPACITY = 16;
    private static final float LOAD_FACTOR = 0.75f;

    private final Map<String, Integer> owners;

    KeyOwners(int capacity) {
        // Access order: the least recently used key goes first.
        this.owners = new LinkedHashMap<>(INITIAL_CAPACITY, LOAD_FACTOR, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The node remembered for the key, or {@code null}. */
    synchronized Integer remembered(String service, String key) {
        return owners.get(entry(service, key));
    }

    synchronized void remember(String service, String key, int nodeId) {
        if (key.length() <= MAX_REMEMBERED_KEY_LENGTH) {
            owners.put(entry(service, key), nodeId);
        }
    }

    /** Forgets the keys of a node whose link went down: they are hashed again over the nodes left. */
    synchronized void forget(int nodeId) {
        owners.values().removeIf(owner -> owner == nodeId);
    }

    synchronized int size() {
        return owners.size();
    }

    private static String entry(String service, String key) {
        return service + '\u0000' + key;
    }

    /** The candidate with the highest score for the key, or {@code null} when there are none. */
    static NodeInfo choose(String key, List<NodeInfo> candidates) {
        NodeInfo best = null;
        long bestScore = 0;
        for (NodeInfo node : candidates) {
            long score = rendezvous(key, node.id());
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    /** FNV-1a over key and node id, then a final mix: the same score on every gate. */
    static long rendezvous(String key, String nodeId) {
        long h = FNV_OFFSET;
        for (byte b : (key + '\n' + nodeId).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h ^= h >>> MIX_SHIFT;
        h *= MIX;
        h ^= h >>> MIX_SHIFT;
        return h;
    }
}
