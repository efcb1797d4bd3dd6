package io.switchboard.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.client.CloseReason;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.server.StandaloneServer;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A chat server in-process on a free loopback port, and Java clients for it. */
final class ChatHarness implements AutoCloseable {
    final ChatApp chat;
    final StandaloneServer server;
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    ChatHarness(ChatConfig config) throws InterruptedException {
        this(ChatApp.open(config));
    }

    /** Serves {@code chat}, which it closes when it closes. */
    ChatHarness(ChatApp chat) throws InterruptedException {
        this(chat, GateConfig.builder());
    }

    /** Serves {@code chat} with a gate set up by {@code gate} (bound to a free loopback port). */
    ChatHarness(ChatApp chat, GateConfig.Builder gate) throws InterruptedException {
        this.chat = chat;
        try {
            server = chat.install(StandaloneServer.builder(), new Handlers())
                    .gate(gate.host("127.0.0.1").port(0))
                    .adminPort(-1)
                    .build()
                    .start();
        } catch (InterruptedException | RuntimeException e) {
            chat.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    Client connect() throws Exception {
        return connect("ws", null);
    }

    /** Connects with {@code user} (such as {"token":..}) as the handshake's user object. */
    Client connect(String scheme, JsonNode user) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create(scheme + "://127.0.0.1:" + port()))
                .user(user).build();
        Client c = new Client(client);
        clients.add(c);
        client.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    /** Registers and logs in a new connection as {@code name}. */
    Client login(String name) throws Exception {
        Client c = connect();
        c.ok(ChatRoutes.LOGIN, "name", name, "password", name + "-secret");
        return c;
    }

    Client register(String name) throws Exception {
        Client c = connect();
        c.ok(ChatRoutes.REGISTER, "name", name, "password", name + "-secret");
        c.close();
        return c;
    }

    @Override
    public void close() {
        clients.forEach(Client::close);
        server.close();
        chat.close();
    }

    static ObjectNode json(Object... fieldsAndValues) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            node.set((String) fieldsAndValues[i], Json.MAPPER.valueToTree(fieldsAndValues[i + 1]));
        }
        return node;
    }

    /** One connection: requests answered synchronously, pushes and the close reason recorded. */
    static final class Client {
        final SwitchboardClient client;
        final List<Push> pushes = new CopyOnWriteArrayList<>();
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

        Client(SwitchboardClient client) {
            this.client = client;
            client.onPush(pushes::add);
            client.onClose(closed::complete);
        }

        Response call(String route, JsonNode body) throws Exception {
            return client.request(route, body).get(10, TimeUnit.SECONDS);
        }

        Response call(String route, byte[] body) throws Exception {
            return client.request(route, body).get(10, TimeUnit.SECONDS);
        }

        JsonNode ok(String route, Object... fieldsAndValues) throws Exception {
            return ok(route, json(fieldsAndValues));
        }

        JsonNode ok(String route, JsonNode body) throws Exception {
            Response response = call(route, body);
            assertThat(response.isError()).as("%s %s -> %s", route, body, response).isFalse();
            JsonNode answer = response.json();
            assertThat(answer.path("code").asInt()).isEqualTo(200);
            return answer;
        }

        long error(String route, Object... fieldsAndValues) throws Exception {
            return error(route, json(fieldsAndValues));
        }

        long error(String route, byte[] body) throws Exception {
            Response response = call(route, body);
            assertThat(response.isError()).as("%s -> %s", route, response).isTrue();
            return response.errorCode();
        }

        long error(String route, JsonNode body) throws Exception {
            Response response = call(route, body);
            assertThat(response.isError()).as("%s %s -> %s", route, body, response).isTrue();
            return response.errorCode();
        }

        List<JsonNode> pushes(String route) {
            List<JsonNode> result = new ArrayList<>();
            for (Push push : pushes) {
                if (push.route().equals(route)) {
                    result.add(push.json());
                }
            }
            return result;
        }

        void close() {
            client.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
