package io.switchboard.registry;

/** A running {@link Registry#watch watch}. Closing it stops the events; events already queued are dropped. */
public interface Subscription extends AutoCloseable {

    /** Stops the events. Idempotent. */
    @Override
    void close();
}
