package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.testserver.TestServer;
import io.switchboard.client.testserver.TestServer.Transport;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.common.time.Ticker;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reconnect against the test server, which plays the server's part of a resume by hand: the fields the client's
 * handshake carries, what it does with each answer, and giving up. The whole resume against a real gate is
 * {@code switchboard-core}'s {@code ClientReconnectTest}.
 */
@Timeout(value = 30, unit = SECONDS)
class ReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ReconnectPolicy FAST = ReconnectPolicy.defaults()
            .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20));

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger dials = new AtomicInteger();
    private TestServer server;
    private SwitchboardClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            assertThat(client.close()).succeedsWithin(WAIT);
        }
        if (server != null) {
            server.close();
        }
    }

    /** The server answers with sys.session: a token per handshake, and {@code resumed} when one was asked. */
    private void start(boolean resumes) throws Exception {
        server = new TestServer(Transport.TCP).offerResume(resumes);
    }

    private void connect(ReconnectPolicy policy) {
        connect(policy, Ticker.system());
    }

    private void connect(ReconnectPolicy policy, Ticker ticker) {
        build(policy, ticker);
        assertThat(client.connect()).succeedsWithin(WAIT);
        await().atMost(WAIT).until(() -> server.count("ack") == 1);
    }

    /** The client, listened to, not connected yet. */
    private void build(ReconnectPolicy policy, Ticker ticker) {
        client = SwitchboardClient.builder(server.uri()).reconnect(policy).ticker(ticker)
                .dialer(context -> {
                    dials.incrementAndGet();
                    return TcpDialer.INSTANCE.dial(context);
                })
                .build();
        client.onPush(push -> events.add("push " + push.bodyAsString()));
        client.onClose(reason -> events.add("closed " + reason));
        client.onReconnect(new ReconnectListener() {
            @Override
            public void onDisconnect(CloseReason reason) {
                events.add("disconnected " + reason);
            }

            @Override
            public void onReconnect(boolean recovered, String reason) {
                events.add("reconnected " + recovered + " " + reason);
            }
        });
    }

    private long count(String prefix) {
        return events.stream().filter(event -> event.startsWith(prefix)).count();
    }

    @Test
    void theReconnectHandshakeCarriesTheTokenAndThePushCount() throws Exception {
        start(true);
        connect(FAST);
        assertThat(server.handshakes().get(0).path("user").has("resume")).isFalse();
        server.push("room.news", "{\"n\":1}");
        server.push("room.news", "{\"n\":2}");
        await().atMost(WAIT).until(() -> client.pushesReceived() == 2);

        server.dropAll();

        await().atMost(WAIT).until(() -> events.contains("reconnected true session resumed"));
        JsonNode user = server.handshakes().get(1).path("user");
        assertThat(user.path("resume").asText()).isEqualTo("t1");
        assertThat(user.path("received").asLong()).isEqualTo(2);
        assertThat(client.pushesReceived()).isEqualTo(2); // a resumed session counts on
        assertThat(events).containsExactly("push {\"n\":1}", "push {\"n\":2}", "disconnected connection closed",
                "reconnected true session resumed");

        server.dropAll(); // the next resume uses the token of the latest answer
        await().atMost(WAIT).until(() -> server.handshakes().size() == 3);
        assertThat(server.handshakes().get(2).path("user").path("resume").asText()).isEqualTo("t2");
    }

    @Test
    void aRefusedResumeStartsCountingAgainAndTheListenerSaysWhy() throws Exception {
        start(false);
        connect(FAST);
        server.push("room.news", "{\"n\":1}");
        await().atMost(WAIT).until(() -> client.pushesReceived() == 1);

        server.dropAll();

        await().atMost(WAIT).until(() -> events.contains(
                "reconnected false " + SwitchboardClient.RESUME_REFUSED));
        assertThat(client.pushesReceived()).isZero();
        assertThat(client.isConnected()).isTrue();
        assertThat(client.request("echo.hi", Json.MAPPER.createObjectNode())).succeedsWithin(WAIT);
    }

    @Test
    void givesUpAfterItsAttemptsAndTellsTheCloseListenersOnce() throws Exception {
        start(true);
        connect(FAST.withMaxAttempts(3));

        server.close(); // nothing listens any more: every dial is refused

        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.startsWith("closed ")));
        assertThat(events).containsExactly("disconnected connection closed",
                "closed connection closed; gave up reconnecting after 3 attempts");
        assertThat(dials.get()).isEqualTo(1 + 3);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void givesUpOnAServerThatTakesEveryHandshakeAndDropsAtOnce() throws Exception {
        server = new TestServer(Transport.TCP).offerResume(true).dropAfterAck(true);
        // Time stands still, so no connection stays up for stableAfter: each drop continues the same run.
        build(FAST.withMaxAttempts(3), new ManualTicker());

        assertThat(client.connect()).succeedsWithin(WAIT);

        await().atMost(WAIT).until(() -> count("closed ") == 1);
        assertThat(events).last().isEqualTo("closed connection closed; gave up reconnecting after 3 attempts");
        assertThat(dials.get()).isEqualTo(1 + 3);
        assertThat(server.count("ack")).isEqualTo(1 + 3);
        assertThat(count("disconnected ")).isEqualTo(1 + 3);
        assertThat(count("reconnected ")).isEqualTo(3);
    }

    @Test
    void aConnectionThatStayedUpStartsTheAttemptsAfresh() throws Exception {
        start(true);
        ManualTicker ticker = new ManualTicker();
        connect(FAST.withMaxAttempts(1).withStableAfter(Duration.ofSeconds(10)), ticker);
        // A round trip runs after the handshake's task on the event loop: the connection is established by then.
        assertThat(client.request("echo.hi", Json.MAPPER.createObjectNode())).succeedsWithin(WAIT);

        for (int drop = 1; drop <= 3; drop++) {
            ticker.advance(Duration.ofSeconds(10));
            server.dropAll();
            long reconnects = drop;
            // Told after the client noted the connection's start: the next advance is measured from it.
            await().atMost(WAIT).until(() -> count("reconnected ") == reconnects);
        }

        assertThat(dials.get()).isEqualTo(1 + 3);
        assertThat(count("closed ")).isZero();
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void withoutReconnectADropEndsTheClient() throws Exception {
        start(true);
        connect(null);

        server.dropAll();

        await().atMost(WAIT).until(() -> events.contains("closed connection closed"));
        assertThat(dials.get()).isEqualTo(1);
        assertThat(server.handshakes()).hasSize(1);
    }
}
