package io.switchboard.demo;

import io.switchboard.handler.Handlers;

/** Registers the demo application's routes. */
public final class DemoApp {
    private DemoApp() {
    }

    /** Adds {@code demo.echo.*} and {@code demo.room.*} to {@code handlers}. */
    public static Handlers register(Handlers handlers) {
        handlers.register(new EchoHandler()).pushRoutes(EchoHandler.ON_TELL);
        new DemoRooms().register(handlers);
        return handlers;
    }
}
