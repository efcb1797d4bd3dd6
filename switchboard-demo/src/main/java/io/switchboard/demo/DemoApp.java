package io.switchboard.demo;

import io.switchboard.api.Handlers;
import io.switchboard.rooms.RoomRegistry;

/** Registers the demo application's routes. */
public final class DemoApp {
    private DemoApp() {
    }

    /**
     * Adds {@code demo.echo.*} and {@code demo.room.*} to {@code handlers}, with a room registry of their own that
     * lives as long as the process (its threads are daemons). Prefer {@link #register(Handlers, RoomRegistry.Builder)}
     * when the caller can close the registry.
     */
    public static Handlers register(Handlers handlers) {
        register(handlers, RoomRegistry.builder());
        return handlers;
    }

    /** Adds the demo's routes, with rooms in a registry built from {@code rooms}; returns it for the caller to close. */
    public static RoomRegistry register(Handlers handlers, RoomRegistry.Builder rooms) {
        handlers.register(new EchoHandler()).pushRoutes(EchoHandler.ON_TELL);
        DemoRooms demoRooms = new DemoRooms();
        RoomRegistry registry = rooms.listener(demoRooms).build();
        demoRooms.register(handlers, registry);
        return registry;
    }
}
