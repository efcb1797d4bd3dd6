package io.switchboard.events.amqp.internal;

/** One event waiting in the buffer: its number in this process (for the message id), key, body and time. */
public record Event(long number, String routingKey, byte[] body, long createdAtMillis) {

    /** What the event counts against the buffer's byte limit. */
    public int size() {
        return body.length + routingKey.length();
    }
}
