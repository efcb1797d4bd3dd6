package io.switchboard.bench.internal;

import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The baseline's rooms: a map of copy-on-write member arrays. Joins and leaves lock one room; a broadcast
 * reads the current array without locking, which is the cheapest fan-out plain Java offers.
 */
final class BaselineRooms {
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();

    /** Adds a member and returns the room as it is after the join. */
    Room join(String name, Channel member) {
        for (;;) {
            Room room = rooms.computeIfAbsent(name, Room::new);
            if (room.add(member)) {
                return room;
            }
            // The room emptied and was removed between the lookup and the add: take the new one.
        }
    }

    void leave(Room room, Channel member) {
        if (room.remove(member)) {
            rooms.remove(room.name, room);
        }
    }

    static final class Room {
        private static final Channel[] NONE = new Channel[0];

        final String name;
        private volatile Channel[] members = NONE;
        private boolean closed;

        Room(String name) {
            this.name = name;
        }

        Channel[] members() {
            return members;
        }

        synchronized boolean add(Channel member) {
            if (closed) {
                return false;
            }
            Channel[] old = members;
            Channel[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = member;
            members = grown;
            return true;
        }

        /** Removes a member; returns true when the room is now empty and closed for good. */
        synchronized boolean remove(Channel member) {
            Channel[] old = members;
            List<Channel> kept = new ArrayList<>(old.length);
            for (Channel c : old) {
                if (c != member) {
                    kept.add(c);
                }
            }
            members = kept.toArray(NONE);
            closed = kept.isEmpty();
            return closed;
        }
    }
}
