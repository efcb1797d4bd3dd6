package io.switchboard.api;

/**
 * Events for work that must not hold up a room or a request (notifications, analytics, audit): a handler or the
 * framework publishes a fact under a routing key and goes on; consumers elsewhere pick it up. Routing keys read
 * {@code <app>.<entity>.<verb>}, such as {@code chat.message.stored} or {@code session.login}; bodies are JSON.
 *
 * <p>Every method returns at once: it never waits for a broker and never throws because of one. An event that
 * cannot be kept (the publisher's buffer is full, or it is closed) is dropped and counted by the implementation.
 * Delivery is at least once: a consumer may see an event twice after a reconnect. {@link #NONE} (events off) drops
 * everything without cost; callers that build a body check {@link #enabled()} first.
 */
public interface Events {

    /** Whether events go anywhere; when false, building a body is wasted work. */
    boolean enabled();

    /** Publishes {@code body} (JSON, UTF-8) under {@code routingKey}; never blocks, never throws on broker trouble. */
    void publish(String routingKey, byte[] body);

    /** Publishes {@code body} serialized as JSON (a record, a map, a Jackson tree) under {@code routingKey}. */
    void publishJson(String routingKey, Object body);

    /** Events off: nothing is published, nothing is counted. */
    Events NONE = new Events() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void publish(String routingKey, byte[] body) {
        }

        @Override
        public void publishJson(String routingKey, Object body) {
        }

        @Override
        public String toString() {
            return "Events.NONE";
        }
    };
}
