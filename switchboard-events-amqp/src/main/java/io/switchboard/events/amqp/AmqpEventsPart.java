package io.switchboard.events.amqp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;

/**
 * {@link AmqpEvents} as a part of a process: started before the parts that publish (add it with
 * {@link ProcessRuntime#addFirst}), so it closes after them and flushes what they published last; its meters on the
 * runtime's registry; the broker's state under {@code events} in {@code /health}. A broker that is away does not
 * change the process's status: events wait in the buffer.
 */
public final class AmqpEventsPart implements ProcessPart {
    private final AmqpEvents events;

    public AmqpEventsPart(AmqpEvents events) {
        this.events = events;
    }

    @Override
    public void start(ProcessRuntime runtime) {
        events.bindTo(runtime.meters());
        events.start();
    }

    @Override
    public void health(ObjectNode health) {
        ObjectNode node = health.putObject("events");
        node.put("broker", events.config().redactedUri());
        node.put("exchange", events.config().exchange());
        node.put("state", events.state().name().toLowerCase(java.util.Locale.ROOT));
        node.put("buffered", events.buffered());
        node.put("dropped", events.dropped());
        if (events.state() != AmqpEvents.State.CONNECTED && events.lastError() != null) {
            node.put("error", events.lastError());
        }
    }

    @Override
    public void close() {
        events.close();
    }

    public AmqpEvents events() {
        return events;
    }
}
