package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.api.Session;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gate's router keeps about one client session, beside it rather than in its user-visible attributes: the
 * node the session is pinned to per service, the rooms it is in per node, and its requests forwarded to nodes and
 * not yet ended. Thread-safe: pins change on the session's I/O thread, rooms and requests on the links' threads.
 */
final class RoutedSession {
    private final Session session;
    private final Map<String, Integer> nodeByService = new ConcurrentHashMap<>();
    private final Map<Integer, Set<String>> roomsByNode = new ConcurrentHashMap<>();
    private final AtomicInteger requestsInFlight = new AtomicInteger();

    /** The client's address as envelopes carry it: made on the first message, then the same for every one. */
    private ByteString clientAddress;

    RoutedSession(Session session) {
        this.session = session;
    }

    Session session() {
        return session;
    }

    /**
     * The client's address for the envelopes of its messages ({@link Envelopes#addressBytes}), or {@code null} when the
     * connection has no IP address. On the session's I/O thread.
     */
    ByteString clientAddress() {
        ByteString address = clientAddress;
        if (address == null) {
            address = Envelopes.addressBytes(session.remoteAddress());
            clientAddress = address;
        }
        return address;
    }

    /** Counts a forwarded request in; false, counting nothing, when {@code max} are in flight already. */
    boolean requestStarted(int max) {
        if (requestsInFlight.incrementAndGet() > max) {
            requestsInFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A forwarded request ended (answered, failed or expired). */
    void requestEnded() {
        requestsInFlight.decrementAndGet();
    }

    int requestsInFlight() {
        return requestsInFlight.get();
    }

    /** The node the session is pinned to for {@code service}, or {@code null}. */
    Integer node(String service) {
        return nodeByService.get(service);
    }

    void pin(String service, int nodeId) {
        nodeByService.put(service, nodeId);
    }

    /** The pinned node of each service (a node serving two services appears twice). */
    List<Integer> pinnedNodes() {
        return List.copyOf(nodeByService.values());
    }

    void joined(int nodeId, String room) {
        roomsByNode.computeIfAbsent(nodeId, n -> ConcurrentHashMap.newKeySet()).add(room);
    }

    void left(int nodeId, String room) {
        Set<String> rooms = roomsByNode.get(nodeId);
        if (rooms != null) {
            rooms.remove(room);
        }
    }

    /** Forgets and returns the session's rooms on a node that is gone. */
    Set<String> dropRooms(int nodeId) {
        Set<String> rooms = roomsByNode.remove(nodeId);
        return rooms == null ? Set.of() : rooms;
    }
}
