package io.switchboard.events.amqp;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test consumer: a queue bound to the events exchange, and what arrived on it. */
final class BoundQueue implements AutoCloseable {
    /** One message as a consumer sees it. */
    record Received(String routingKey, String body, String messageId, String contentType) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Connection connection;

    private BoundQueue(Connection connection) {
        this.connection = connection;
    }

    /** A server-named queue for this consumer alone, bound with {@code pattern}, consumed at once. */
    static BoundQueue consume(ConnectionFactory factory, String exchange, String pattern) throws Exception {
        Connection connection = factory.newConnection("test-consumer");
        BoundQueue queue = new BoundQueue(connection);
        Channel channel = connection.createChannel();
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        String name = channel.queueDeclare().getQueue();
        channel.queueBind(name, exchange, pattern);
        queue.consume(channel, name);
        return queue;
    }

    /** Consumes (and so drains) the existing queue {@code name}. */
    static BoundQueue consumeExisting(ConnectionFactory factory, String name) throws Exception {
        Connection connection = factory.newConnection("test-consumer");
        BoundQueue queue = new BoundQueue(connection);
        queue.consume(connection.createChannel(), name);
        return queue;
    }

    private void consume(Channel channel, String name) throws Exception {
        channel.basicConsume(name, true, (tag, delivery) -> received.add(new Received(
                delivery.getEnvelope().getRoutingKey(), new String(delivery.getBody(), StandardCharsets.UTF_8),
                delivery.getProperties().getMessageId(), delivery.getProperties().getContentType())), tag -> { });
    }

    /**
     * A queue {@code name} bound with {@code pattern} that holds one message and refuses more, filled: while it is
     * full the broker nacks every confirmed publish routed to it.
     */
    static void declareFullAndRefusing(ConnectionFactory factory, String exchange, String name, String pattern)
            throws Exception {
        try (Connection connection = factory.newConnection("test-declare")) {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            channel.queueDeclare(name, false, false, false,
                    Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
            channel.queueBind(name, exchange, pattern);
            channel.confirmSelect();
            channel.basicPublish(exchange, "filler", null, "{}".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    /** A durable queue {@code name} bound with {@code pattern}: it keeps messages across a broker restart. */
    static void declareDurable(ConnectionFactory factory, String exchange, String name, String pattern)
            throws Exception {
        try (Connection connection = factory.newConnection("test-declare")) {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            channel.queueDeclare(name, true, false, false, null);
            channel.queueBind(name, exchange, pattern);
        }
    }

    /** Takes every message waiting in queue {@code name}. */
    static List<Received> drain(ConnectionFactory factory, String name) throws Exception {
        List<Received> all = new ArrayList<>();
        try (Connection connection = factory.newConnection("test-drain")) {
            Channel channel = connection.createChannel();
            for (GetResponse r = channel.basicGet(name, true); r != null; r = channel.basicGet(name, true)) {
                all.add(new Received(r.getEnvelope().getRoutingKey(), new String(r.getBody(), StandardCharsets.UTF_8),
                        r.getProps().getMessageId(), r.getProps().getContentType()));
            }
        }
        return all;
    }

    @Override
    public void close() throws Exception {
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
