package io.switchboard.events.amqp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.switchboard.api.Events;
import io.switchboard.common.time.Backoff;
import io.switchboard.events.amqp.internal.Event;
import io.switchboard.events.amqp.internal.EventBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Events} to a RabbitMQ topic exchange. Callers only put the event in a bounded {@link EventBuffer} and wake
 * the publisher thread, which owns the one connection: it connects (again, with doubling backoff, after any loss),
 * declares the exchange, publishes with publisher confirms, and releases an event only once the broker confirms
 * it. Events sent but unconfirmed when a connection drops are sent again on the next one, so delivery is at least
 * once. A full buffer drops the new event and counts it. {@link #close()} flushes for a bounded time.
 *
 * <p>When the broker refuses events (a nack: a full queue with {@code x-overflow=reject-publish}, an internal
 * error) they are kept and sent again, but not at once: sending stops until what is in flight is settled, then one
 * event at a time goes out after a wait that doubles, like the reconnect delay and within the same bounds, until the
 * broker accepts one; then full speed again. An event refused {@value #MAX_REFUSALS} times in a row on its own (about
 * a minute at the default delays) is dropped and counted in {@code switchboard.events.dropped}: most refusals pass
 * (the queue drains), and waiting keeps order and at-least-once delivery, but some never do (an event larger than a
 * bound queue's {@code x-max-length-bytes}), and such an event would otherwise hold back every event behind it.
 *
 * <p>Meters ({@link #bindTo}): {@code switchboard.events.published} (handed to the broker, resends included),
 * {@code .confirmed}, {@code .nacked} (refused, resends included), {@code .dropped}, and the gauges
 * {@code switchboard.events.buffered} and {@code switchboard.events.buffered.bytes}.
 */
public final class AmqpEvents implements Events, MeterBinder, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmqpEvents.class);
    private static final int MAX_ROUTING_KEY = 255;
    /** How long the idle publisher sleeps between looks (a publish or a confirm wakes it sooner). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long FLUSH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Refusals in a row of one event sent on its own, after which it is dropped (see the class doc). */
    static final int MAX_REFUSALS = 10;
    /** Refusals can come in a stream: at most one warning about them this often. */
    private static final long REFUSAL_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Where the publisher is with the broker. */
    public enum State { NEW, CONNECTING, CONNECTED, CLOSED }

    private final AmqpEventsConfig config;
    private final ConnectionFactory factory;
    private final EventBuffer buffer;
    private final ObjectMapper json = new ObjectMapper();
    /** Message ids are {@code <prefix>-<number>}: unique per process run, for consumers that drop duplicates. */
    private final String idPrefix = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private final AtomicLong numbers = new AtomicLong();
    private final LongAdder published = new LongAdder();
    private final LongAdder confirmed = new LongAdder();
    private final LongAdder nacked = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread publisher;
    private volatile State state = State.NEW;
    private volatile boolean closing;
    private volatile long flushDeadlineNanos;
    private volatile boolean channelLost;
    private volatile String lastError;
    private volatile Connection connection;
    /** The broker refused an event: one is sent at a time, paced by {@link #refusals}, until it takes one. */
    private volatile boolean probing;
    // The publisher thread's own.
    private Channel channel;
    private long generation;
    private final Backoff.Attempts refusals;
    private Event probe;
    private int probeRefusals;
    private long refusalWarnedAt;
    private boolean refusalWarned;

    private AmqpEvents(AmqpEventsConfig config) {
        this.config = config;
        this.factory = config.connectionFactory();
        this.buffer = new EventBuffer(config.maxBufferedEvents(), config.maxBufferedBytes());
        this.refusals = new Backoff(config.minReconnectDelay(), config.maxReconnectDelay()).attempts();
        this.publisher = new Thread(this::run, "switchboard-events-publisher");
        publisher.setDaemon(true);
    }

    /** A publisher for {@code config}; it buffers at once and connects on {@link #start()}. */
    public static AmqpEvents create(AmqpEventsConfig config) {
        return new AmqpEvents(Objects.requireNonNull(config, "config"));
    }

    /** Starts the publisher thread, which connects; a broker that is away is retried, never an error. */
    public synchronized AmqpEvents start() {
        if (state == State.NEW && !closing) {
            state = State.CONNECTING;
            publisher.start();
            log.info("events: publishing to exchange '{}' on {}", config.exchange(), config.redactedUri());
        }
        return this;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void publish(String routingKey, byte[] body) {
        Objects.requireNonNull(body, "body");
        if (routingKey == null || routingKey.isEmpty()
                || routingKey.getBytes(StandardCharsets.UTF_8).length > MAX_ROUTING_KEY) {
            throw new IllegalArgumentException("a routing key is 1 to " + MAX_ROUTING_KEY + " bytes: " + routingKey);
        }
        if (closing) {
            dropped.increment();
            return;
        }
        Event event = new Event(numbers.incrementAndGet(), routingKey, body, config.clock().millis());
        if (!buffer.offer(event)) {
            dropped.increment();
            return;
        }
        LockSupport.unpark(publisher);
    }

    @Override
    public void publishJson(String routingKey, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            dropped.increment();
            log.warn("events: cannot write a {} event as JSON; dropped", routingKey, e);
            return;
        }
        publish(routingKey, bytes);
    }

    private void run() {
        Backoff.Attempts reconnects = new Backoff(config.minReconnectDelay(), config.maxReconnectDelay()).attempts();
        while (!(closing && (buffer.isEmpty() || System.nanoTime() - flushDeadlineNanos >= 0))) {
            if (channelLost && channel != null) {
                dropConnection();
            }
            if (channel == null) {
                if (!connect()) {
                    if (closing) {
                        pause(FLUSH_POLL_NANOS);
                    } else {
                        // Waited out whatever publish() does: callers publishing fast must not set the pace of
                        // connection attempts on a broker that is away.
                        waitOut(reconnects.next().toNanos());
                    }
                    continue;
                }
                reconnects.reset();
            }
            if (!mayPublish()) {
                continue;
            }
            Event event = buffer.next();
            if (event == null) {
                pause(closing ? FLUSH_POLL_NANOS : IDLE_NANOS);
                continue;
            }
            if (probing) {
                // Refusals count per event, in a row: another event starts from zero.
                probeRefusals = event == probe ? probeRefusals : 0;
                probe = event;
            }
            try {
                long sequence = channel.getNextPublishSeqNo();
                // Recorded before the publish, so a fast confirm finds it.
                buffer.sent(generation, sequence, event);
                channel.basicPublish(config.exchange(), event.routingKey(), false, properties(event), event.body());
                published.increment();
            } catch (Exception e) { // IOException, or the channel's ShutdownSignalException / AlreadyClosedException
                lastError = e.toString();
                dropConnection();
            }
        }
        Connection open = connection;
        if (open != null) {
            try {
                open.close(1000);
            } catch (Exception e) {
                open.abort(1000);
            }
        }
        channel = null;
        state = State.CLOSED;
    }

    private void pause(long nanos) {
        LockSupport.parkNanos(this, nanos);
    }

    /**
     * Whether the loop may send the next event now. Without this a refused event, put back in front, would be sent
     * again at once, and the whole buffer resent as fast as the nacks come back.
     */
    private boolean mayPublish() {
        if (!probing) {
            if (!buffer.refused()) {
                return true;
            }
            probing = true;
            if (refusalWarningDue()) {
                log.warn("events: the broker refuses events ({} nacked so far); sending one at a time, backing off,"
                        + " until it takes one", nacked.sum());
            }
        }
        if (buffer.unconfirmed() > 0) {
            pause(closing ? FLUSH_POLL_NANOS : IDLE_NANOS); // a confirm wakes it sooner while probing
            return false;
        }
        switch (buffer.takeOutcome()) {
            case ACCEPTED -> {
                probing = false;
                probe = null;
                refusals.reset();
                return true;
            }
            case REFUSED -> {
                if (probe != null && ++probeRefusals >= MAX_REFUSALS && buffer.dropFirst(probe)) {
                    dropped.increment();
                    probe = null;
                    if (refusalWarningDue()) {
                        log.warn("events: dropped an event the broker refused {} times in a row ({} dropped so far)",
                                MAX_REFUSALS, dropped.sum());
                    }
                }
                waitOut(refusals.next().toNanos());
                return false; // the loop looks at the channel and the close deadline before the next send
            }
            default -> {
                return true; // nothing settled since the wait, or the probe went back with a lost channel
            }
        }
    }

    /** Waits {@code nanos} even as publish() unparks the thread; a lost channel or the close deadline ends it early. */
    private void waitOut(long nanos) {
        long until = System.nanoTime() + nanos;
        while (!channelLost) {
            long now = System.nanoTime();
            long left = closing ? Math.min(until - now, flushDeadlineNanos - now) : until - now;
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    private boolean refusalWarningDue() {
        long now = System.nanoTime();
        if (refusalWarned && now - refusalWarnedAt < REFUSAL_WARNING_NANOS) {
            return false;
        }
        refusalWarned = true;
        refusalWarnedAt = now;
        return true;
    }

    private AMQP.BasicProperties properties(Event event) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2) // persistent: kept by durable queues across a broker restart
                .messageId(idPrefix + "-" + event.number())
                .timestamp(new Date(event.createdAtMillis()))
                .build();
    }

    private boolean connect() {
        channelLost = false;
        Connection opened = null;
        try {
            opened = factory.newConnection("switchboard-events");
            Channel ch = opened.createChannel();
            ch.confirmSelect();
            ch.exchangeDeclare(config.exchange(), BuiltinExchangeType.TOPIC, true);
            long gen = buffer.newChannel();
            ch.addConfirmListener(
                    (sequence, multiple) -> settled(confirmed, buffer.confirmed(gen, sequence, multiple)),
                    (sequence, multiple) -> settled(nacked, buffer.nacked(gen, sequence, multiple)));
            ShutdownListener lost = cause -> {
                if (!cause.isInitiatedByApplication()) {
                    lastError = String.valueOf(cause.getMessage());
                    channelLost = true;
                    LockSupport.unpark(publisher);
                }
            };
            opened.addShutdownListener(lost);
            ch.addShutdownListener(lost);
            connection = opened;
            channel = ch;
            generation = gen;
            if (state != State.CONNECTED) {
                log.info("events: connected to {}, {} events buffered", config.redactedUri(), buffer.size());
            }
            state = State.CONNECTED;
            return true;
        } catch (Exception e) { // IOException, TimeoutException, a refused login, a clashing exchange
            if (opened != null) {
                opened.abort();
            }
            if (!Objects.equals(lastError, e.toString())) {
                log.warn("events: cannot connect to {} ({}); {} events buffered, retrying", config.redactedUri(),
                        e.toString(), buffer.size());
            }
            lastError = e.toString();
            state = closing ? state : State.CONNECTING;
            return false;
        }
    }

    private void settled(LongAdder counter, int events) {
        counter.add(events);
        if (closing || probing) {
            LockSupport.unpark(publisher);
        }
    }

    /** The connection failed: what it left unconfirmed is sent again on the next one. */
    private void dropConnection() {
        int unconfirmed = buffer.unconfirmed();
        buffer.newChannel();
        Connection old = connection;
        connection = null;
        channel = null;
        if (old != null) {
            old.abort(1000);
        }
        if (state == State.CONNECTED) {
            log.warn("events: lost the broker at {} ({}); {} unconfirmed events will be sent again",
                    config.redactedUri(), lastError, unconfirmed);
            state = State.CONNECTING;
        }
    }

    /**
     * Stops taking events, sends what is buffered for up to the flush timeout, then closes the connection; what is
     * still buffered is counted as dropped. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            flushDeadlineNanos = System.nanoTime() + config.flushTimeout().toNanos();
            closing = true;
            if (state == State.NEW) {
                state = State.CLOSED;
                dropped.add(buffer.size());
                return;
            }
        }
        LockSupport.unpark(publisher);
        try {
            publisher.join(config.flushTimeout().plusSeconds(5).toMillis());
            if (publisher.isAlive()) {
                Connection open = connection;
                if (open != null) {
                    open.abort(); // a publish blocked by the broker's flow control lets go
                }
                publisher.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = buffer.size();
        if (left > 0) {
            dropped.add(left);
            log.warn("events: closed with {} events not confirmed by the broker", left);
        }
        state = State.CLOSED;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("switchboard.events.published", published, LongAdder::sum)
                .description("Events handed to the broker, resends included").register(registry);
        FunctionCounter.builder("switchboard.events.confirmed", confirmed, LongAdder::sum)
                .description("Events the broker confirmed").register(registry);
        FunctionCounter.builder("switchboard.events.nacked", nacked, LongAdder::sum)
                .description("Events the broker refused (they are sent again, after a backoff)").register(registry);
        FunctionCounter.builder("switchboard.events.dropped", dropped, LongAdder::sum)
                .description("Events dropped: buffer full, unsent at close, or refused by the broker "
                        + MAX_REFUSALS + " times in a row").register(registry);
        Gauge.builder("switchboard.events.buffered", buffer, EventBuffer::size)
                .description("Events waiting for the broker or its confirm").register(registry);
        Gauge.builder("switchboard.events.buffered.bytes", buffer, EventBuffer::bytes)
                .baseUnit("bytes").register(registry);
    }

    public State state() {
        return state;
    }

    /** The last connection or publish failure, or {@code null}. */
    public String lastError() {
        return lastError;
    }

    public AmqpEventsConfig config() {
        return config;
    }

    public long published() {
        return published.sum();
    }

    public long confirmed() {
        return confirmed.sum();
    }

    public long nacked() {
        return nacked.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    /** Events waiting for the broker or its confirm. */
    public int buffered() {
        return buffer.size();
    }

    public long bufferedBytes() {
        return buffer.bytes();
    }
}
