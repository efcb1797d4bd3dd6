package io.switchboard.events.amqp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.RabbitMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The publisher against a real rabbitmq-server (one for the class): confirms, buffer, restart, health, close. */
class AmqpEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RabbitMqServer broker;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RabbitMqServer.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A started publisher on {@code exchange} of the test broker, reconnecting quickly. */
    private AmqpEvents events(String exchange) {
        AmqpEvents events = AmqpEvents.create(AmqpEventsConfig.builder(broker.uri()).exchange(exchange)
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(250))
                .flushTimeout(Duration.ofSeconds(5)).build());
        toClose.add(events);
        return events.start();
    }

    private BoundQueue consumer(String exchange, String pattern) throws Exception {
        BoundQueue queue = BoundQueue.consume(broker.connectionFactory(), exchange, pattern);
        toClose.add(queue);
        return queue;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void publishedEventsAreConfirmedAndReachAQueueBoundToTheirKeys() throws Exception {
        AmqpEvents events = events("test.confirmed");
        await().atMost(WAIT).until(() -> events.state() == AmqpEvents.State.CONNECTED);
        BoundQueue chat = consumer("test.confirmed", "chat.#");
        events.publish("chat.message.stored", utf8("{\"id\":\"1\"}"));
        events.publishJson("chat.group.joined", Map.of("conversation", "g:1"));
        events.publish("session.login", utf8("{\"user\":\"7\"}"));

        await().atMost(WAIT).until(() -> events.confirmed() == 3);
        await().atMost(WAIT).until(() -> chat.received.size() == 2);
        assertThat(chat.received).extracting(BoundQueue.Received::routingKey)
                .containsExactly("chat.message.stored", "chat.group.joined");
        assertThat(chat.received.get(0).body()).isEqualTo("{\"id\":\"1\"}");
        assertThat(chat.received.get(1).body()).isEqualTo("{\"conversation\":\"g:1\"}");
        assertThat(chat.received).allSatisfy(r -> assertThat(r.contentType()).isEqualTo("application/json"));
        assertThat(chat.received.get(0).messageId()).isNotEqualTo(chat.received.get(1).messageId());
        assertThat(events.buffered()).isZero();
        assertThat(events.published()).isEqualTo(3);
        assertThat(events.dropped()).isZero();
        assertThat(events.nacked()).isZero();
    }

    @Test
    void whileTheBrokerIsStoppedEventsAreBufferedAndTheyAreDeliveredWhenItReturns() throws Exception {
        String exchange = "test.restart";
        BoundQueue.declareDurable(broker.connectionFactory(), exchange, "restart-kept", "#");
        AmqpEvents events = events(exchange);
        events.publish("before.stop", utf8("{\"n\":0}"));
        await().atMost(WAIT).until(() -> events.confirmed() == 1);

        broker.stop();
        try {
            await().atMost(WAIT).until(() -> events.state() == AmqpEvents.State.CONNECTING);
            for (int n = 1; n <= 20; n++) {
                events.publish("while.stopped", utf8("{\"n\":" + n + "}"));
            }
            // Every call returned with the broker still down: the events wait in the buffer, counted.
            assertThat(events.state()).isEqualTo(AmqpEvents.State.CONNECTING);
            assertThat(events.buffered()).isEqualTo(20);
            assertThat(events.lastError()).isNotNull();
            assertThat(events.dropped()).isZero();
        } finally {
            broker.restart();
        }

        await().atMost(WAIT).until(() -> events.buffered() == 0);
        assertThat(events.confirmed()).isGreaterThanOrEqualTo(21);
        assertThat(events.state()).isEqualTo(AmqpEvents.State.CONNECTED);
        List<BoundQueue.Received> kept = BoundQueue.drain(broker.connectionFactory(), "restart-kept");
        // At least once: a message may come twice, but every one comes, in publish order.
        Set<String> bodies = kept.stream().map(BoundQueue.Received::body).collect(Collectors.toSet());
        for (int n = 0; n <= 20; n++) {
            assertThat(bodies).contains("{\"n\":" + n + "}");
        }
        List<String> stopped = kept.stream().filter(r -> r.routingKey().equals("while.stopped"))
                .map(BoundQueue.Received::body).distinct().toList();
        assertThat(stopped).first().isEqualTo("{\"n\":1}");
        assertThat(stopped).last().isEqualTo("{\"n\":20}");
    }

    @Test
    void whileTheBrokerRefusesEventsThePublisherBacksOffAndSendsThemOnceItTakesThemAgain() throws Exception {
        String exchange = "test.refused";
        BoundQueue.declareFullAndRefusing(broker.connectionFactory(), exchange, "refused-full", "#");
        AmqpEvents events = AmqpEvents.create(AmqpEventsConfig.builder(broker.uri()).exchange(exchange)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(1)).build());
        toClose.add(events);
        events.start();
        AtomicInteger sent = new AtomicInteger();
        while (sent.get() < 100) {
            events.publish("refused.event", utf8("{\"n\":" + sent.getAndIncrement() + "}"));
        }
        await().atMost(WAIT).until(() -> events.nacked() > 0);

        // Callers go on publishing, which wakes the publisher: without a backoff each wake-up would resend the whole
        // buffer at once, thousands of sends in the window.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            events.publish("refused.event", utf8("{\"n\":" + sent.getAndIncrement() + "}"));
            assertThat(events.published()).as("published").isLessThan(300);
        });
        assertThat(events.buffered()).isEqualTo(sent.get());

        BoundQueue drained = BoundQueue.consumeExisting(broker.connectionFactory(), "refused-full");
        toClose.add(drained);
        await().atMost(WAIT).until(() -> events.buffered() == 0);
        assertThat(events.confirmed()).isEqualTo(sent.get());
        assertThat(events.dropped()).isZero();
        // Confirmed to the publisher is not yet delivered to the consumer: the last ones may still be on their way.
        await().atMost(WAIT).untilAsserted(() -> {
            Set<String> bodies = drained.received.stream().map(BoundQueue.Received::body).collect(Collectors.toSet());
            for (int n = 0; n < sent.get(); n++) {
                assertThat(bodies).contains("{\"n\":" + n + "}");
            }
        });
    }

    @Test
    void anEventTheBrokerRefusesTimeAfterTimeIsDroppedAndCounted() throws Exception {
        String exchange = "test.refused.drop";
        BoundQueue.declareFullAndRefusing(broker.connectionFactory(), exchange, "refused-drop", "#");
        AmqpEvents events = AmqpEvents.create(AmqpEventsConfig.builder(broker.uri()).exchange(exchange)
                .reconnectDelay(Duration.ofMillis(5), Duration.ofMillis(20)).build());
        toClose.add(events);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        events.bindTo(meters);
        events.start();
        events.publish("refused.one", utf8("{\"n\":1}"));
        events.publish("refused.two", utf8("{\"n\":2}"));

        await().atMost(WAIT).until(() -> events.buffered() == 0);
        assertThat(events.dropped()).isEqualTo(2);
        assertThat(meters.get("switchboard.events.dropped").functionCounter().count()).isEqualTo(2);
        assertThat(events.confirmed()).isZero();
        // Each was sent once with the other, then on its own until the last refusal: no more.
        assertThat(events.nacked()).isBetween(2L * AmqpEvents.MAX_REFUSALS, 2L * AmqpEvents.MAX_REFUSALS + 2);
        assertThat(events.published()).isEqualTo(events.nacked());
    }

    @Test
    void callersPublishingFastDoNotSetThePaceOfConnectionAttempts() throws Exception {
        // A port that takes connections and drops them at once: every connection attempt fails, and is counted.
        AtomicInteger attempts = new AtomicInteger();
        try (ServerSocket refuser = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!refuser.isClosed()) {
                    try (Socket ignored = refuser.accept()) {
                        attempts.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            AmqpEvents events = AmqpEvents.create(AmqpEventsConfig.builder("amqp://127.0.0.1:" + refuser.getLocalPort())
                    .reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(4))
                    .flushTimeout(Duration.ofMillis(100)).build());
            toClose.add(events);
            events.start();
            await().atMost(WAIT).until(() -> attempts.get() >= 1);

            // Each publish wakes the publisher; within the first reconnect delay none may start an attempt.
            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> {
                for (int n = 0; n < 100; n++) {
                    events.publish("a.b", utf8("{}"));
                }
                return attempts.get() <= 1;
            });
        }
    }

    @Test
    void aFullBufferDropsTheNewEventAndCountsItWithoutABroker() {
        // Nothing listens on this port: every event stays buffered.
        AmqpEvents events = AmqpEvents.create(AmqpEventsConfig.builder("amqp://127.0.0.1:" + FreePort.next())
                .maxBufferedEvents(3).maxBufferedBytes(1_000)
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
                .flushTimeout(Duration.ofMillis(100)).build());
        toClose.add(events);
        events.start();
        for (int n = 0; n < 5; n++) {
            events.publish("a.b", utf8("{}"));
        }
        events.publish("too.big", new byte[2_000]);
        assertThat(events.buffered()).isEqualTo(3);
        assertThat(events.dropped()).isEqualTo(3);
        await().atMost(WAIT).until(() -> events.lastError() != null);
        assertThat(events.state()).isEqualTo(AmqpEvents.State.CONNECTING);

        events.close();
        // What never reached a broker counts as dropped once the publisher gives up at close.
        assertThat(events.dropped()).isEqualTo(6);
        assertThat(events.state()).isEqualTo(AmqpEvents.State.CLOSED);
    }

    @Test
    void asAProcessPartItReportsHealthAndMetersAndFlushesOnClose() throws Exception {
        AmqpEvents events = AmqpEvents.create(AmqpEventsConfig.builder(broker.uri()).exchange("test.part").build());
        BoundQueue queue = consumer("test.part", "#");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ProcessRuntime runtime = ProcessRuntime.of(ProcessConfig.builder("test")
                .admin("127.0.0.1", ProcessConfig.ADMIN_OFF).meters(meters).build())
                .add(new AmqpEventsPart(events));
        toClose.add(runtime);
        runtime.start();
        await().atMost(WAIT).until(() -> events.state() == AmqpEvents.State.CONNECTED);
        assertThat(runtime.health().get("events").get("state").asText()).isEqualTo("connected");
        assertThat(runtime.health().get("events").get("broker").asText()).doesNotContain("guest");

        for (int n = 0; n < 50; n++) {
            events.publish("flush.me", utf8("{\"n\":" + n + "}"));
        }
        runtime.close();
        // Closing waited for the broker's confirms, then closed the connection.
        assertThat(events.state()).isEqualTo(AmqpEvents.State.CLOSED);
        assertThat(events.confirmed()).isEqualTo(50);
        assertThat(events.buffered()).isZero();
        await().atMost(WAIT).until(() -> queue.received.size() == 50);
        assertThat(meters.get("switchboard.events.confirmed").functionCounter().count()).isEqualTo(50);
        assertThat(meters.get("switchboard.events.published").functionCounter().count()).isEqualTo(50);
        assertThat(meters.get("switchboard.events.buffered").gauge().value()).isZero();

        events.publish("after.close", utf8("{}"));
        assertThat(events.dropped()).isEqualTo(1);
        assertThat(meters.get("switchboard.events.dropped").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aBadUrlIsAClearErrorAtStartupAndHidesThePassword() {
        assertThatThrownBy(() -> AmqpEventsConfig.builder("http://user:hunter2@host/").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad events URL").hasMessageContaining("amqp://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> AmqpEventsConfig.builder("amqp://user:hunter2@host:notaport/").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad events URL").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> AmqpEventsConfig.builder("amqp://host/a/b").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad events URL");
        assertThat(AmqpEventsConfig.builder("amqp://u:p@h:5673/v").build().redactedUri())
                .isEqualTo("amqp://h:5673/v");
    }
}
