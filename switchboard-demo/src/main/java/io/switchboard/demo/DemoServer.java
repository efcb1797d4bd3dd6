package io.switchboard.demo;

import io.switchboard.chat.ChatApp;
import io.switchboard.chat.ChatConfig;
import java.util.List;
import java.util.UUID;

import io.switchboard.gate.GateConfig;
import io.switchboard.api.Handlers;
import io.switchboard.rooms.RoomRegistry;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.server.StandaloneServer;

/**
 * The demo application and the chat application on one {@link StandaloneServer}: what {@code switchboard demo}
 * runs. The chat's web page is served on the client port.
 */
public final class DemoServer implements AutoCloseable {
    private final StandaloneServer server;
    private final RoomRegistry rooms;
    private final ChatApp chat;

    private DemoServer(StandaloneServer server, RoomRegistry rooms, ChatApp chat) {
        this.server = server;
        this.rooms = rooms;
        this.chat = chat;
    }

    /**
     * Starts the demo on {@code port} with admin HTTP on {@code adminPort} (0 = any free port, -1 = off), and the
     * chat on a private in-memory database that is gone when the server closes.
     */
    public static DemoServer start(int port, int adminPort) throws InterruptedException {
        return start(GateConfig.builder().port(port), adminPort);
    }

    /** Starts the demo with the given gate settings and the chat on a private in-memory database. */
    public static DemoServer start(GateConfig.Builder gate, int adminPort) throws InterruptedException {
        return start(gate, adminPort, ChatConfig.builder()
                .jdbcUrl(ChatConfig.h2MemoryUrl("demo-" + UUID.randomUUID())).build());
    }

    /**
     * Starts the demo with the given gate settings and chat configuration (database, token secret, events), and
     * {@code parts} (an event publisher) started before the gate and closed after it.
     */
    public static DemoServer start(GateConfig.Builder gate, int adminPort, ChatConfig chatConfig,
                                   ProcessPart... parts) throws InterruptedException {
        Handlers handlers = new Handlers();
        RoomRegistry rooms = DemoApp.register(handlers, RoomRegistry.builder());
        ChatApp chat = null;
        try {
            chat = ChatApp.open(chatConfig);
            StandaloneServer.Builder builder = StandaloneServer.builder().gate(gate).adminPort(adminPort);
            for (ProcessPart part : parts) {
                builder.part(part);
            }
            StandaloneServer server = chat.install(builder, handlers).build().start();
            return new DemoServer(server, rooms, chat);
        } catch (InterruptedException | RuntimeException e) {
            rooms.close();
            if (chat != null) {
                chat.close();
            }
            throw e;
        }
    }

    /** The chat application. */
    public ChatApp chat() {
        return chat;
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return server.adminPort();
    }

    /** The demo's rooms. */
    public RoomRegistry rooms() {
        return rooms;
    }

    public StandaloneServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        rooms.close();
        chat.close();
    }
}
