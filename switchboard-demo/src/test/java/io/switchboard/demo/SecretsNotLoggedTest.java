package io.switchboard.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.chat.ChatConfig;
import io.switchboard.chat.ChatRoutes;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** No password, token or secret reaches a log line, at any level, on the happy path or the failing ones. */
class SecretsNotLoggedTest {
    private static final String TOKEN_SECRET = "token-secret-" + UUID.randomUUID();
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private Level rootLevel;
    private DemoServer server;

    @BeforeEach
    void captureEverything() {
        rootLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void tearDown() {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        if (server != null) {
            server.close();
        }
        root.detachAppender(captured);
        root.setLevel(rootLevel);
    }

    @Test
    void passwordsTokensAndSecretsStayOutOfTheLogs() throws Exception {
        server = DemoServer.start(GateConfig.builder().host("127.0.0.1").port(0), 0, ChatConfig.builder()
                .jdbcUrl(ChatConfig.h2MemoryUrl("secrets-" + UUID.randomUUID()))
                .tokenSecret(TOKEN_SECRET).passwordIterations(1_000).build());
        SwitchboardClient client = connect(null);
        assertThat(ask(client, ChatRoutes.REGISTER, "{\"name\":\"ann\",\"password\":\"" + PASSWORD + "\"}").isError())
                .isFalse();
        assertThat(ask(client, ChatRoutes.LOGIN, "{\"name\":\"ann\",\"password\":\"" + WRONG_PASSWORD + "\"}")
                .isError()).isTrue();
        Response login = ask(client, ChatRoutes.LOGIN, "{\"name\":\"ann\",\"password\":\"" + PASSWORD + "\"}");
        String token = login.json().get("token").asText();
        assertThat(token).isNotEmpty();
        // The token in a handshake, a forged one too, and a resume with a broken body.
        connect(Json.MAPPER.createObjectNode().put("token", token));
        SwitchboardClient forged = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + server.port()))
                .user(Json.MAPPER.createObjectNode().put("token", token + "x")).build();
        clients.add(forged);
        forged.connect().handle((v, e) -> null).get(10, TimeUnit.SECONDS);
        ask(connect(null), ChatRoutes.RESUME, "{\"token\":\"" + token + "\"");

        List<ILoggingEvent> events;
        // Server threads are still logging: copy under the appender's own lock (AppenderBase appends under it).
        synchronized (captured) {
            events = new ArrayList<>(captured.list);
        }
        assertThat(events).isNotEmpty();
        for (ILoggingEvent event : events) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(line).as("log line of %s", event.getLoggerName())
                    .doesNotContain(PASSWORD, WRONG_PASSWORD, token, TOKEN_SECRET);
        }
    }

    private SwitchboardClient connect(com.fasterxml.jackson.databind.JsonNode user) throws Exception {
        var builder = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + server.port()));
        if (user != null) {
            builder.user(user);
        }
        SwitchboardClient client = builder.build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static Response ask(SwitchboardClient client, String route, String body) throws Exception {
        return client.request(route, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }
}
