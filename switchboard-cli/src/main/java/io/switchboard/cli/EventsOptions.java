package io.switchboard.cli;

import io.switchboard.api.Events;
import io.switchboard.events.amqp.AmqpEvents;
import io.switchboard.events.amqp.AmqpEventsConfig;
import io.switchboard.events.amqp.AmqpEventsPart;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code --events amqp://...}: the RabbitMQ event publisher of {@code demo}, {@code gate} and {@code service}. */
final class EventsOptions {
    /** Credentials from the environment, so they show in no command line (DESIGN §10). */
    static final String USER_ENV = "SWITCHBOARD_EVENTS_USER";
    static final String PASSWORD_ENV = "SWITCHBOARD_EVENTS_PASSWORD";

    @Option(names = "--events", description = "Publish events (chat messages and memberships, session login and "
            + "logout) to RabbitMQ: amqp://host:port/vhost or amqps://... (off by default). The user and password "
            + "come from " + USER_ENV + " and " + PASSWORD_ENV + ".")
    String uri;

    @Option(names = "--events-exchange", description = "The topic exchange events go to (default ${DEFAULT-VALUE}).")
    String exchange = AmqpEventsConfig.DEFAULT_EXCHANGE;

    private AmqpEvents opened;

    /** The publisher {@code --events} names, made once (not yet connected); {@link Events#NONE} without it. */
    Events events(CommandLine commandLine) {
        return events(commandLine, System.getenv());
    }

    Events events(CommandLine commandLine, Map<String, String> env) {
        if (uri == null) {
            return Events.NONE;
        }
        if (opened == null) {
            try {
                AmqpEventsConfig.Builder config = AmqpEventsConfig.builder(uri).exchange(exchange);
                if (env.containsKey(USER_ENV) || env.containsKey(PASSWORD_ENV)) {
                    config.credentials(env.get(USER_ENV), env.get(PASSWORD_ENV));
                } else if (uri.contains("@") && uri.substring(0, uri.indexOf('@')).contains(":")) {
                    System.err.println("warning: a password in --events shows in ps; use " + PASSWORD_ENV);
                }
                opened = AmqpEvents.create(config.build());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--events: " + e.getMessage());
            }
        }
        return opened;
    }

    /** The publisher as a process part (meters, {@code /health}, flush on close); none when off. */
    ProcessPart[] parts(CommandLine commandLine) {
        return events(commandLine) instanceof AmqpEvents amqp
                ? new ProcessPart[] {new AmqpEventsPart(amqp)} : new ProcessPart[0];
    }

    /** Adds the publisher to {@code runtime} before its other parts, so it flushes after them; nothing when off. */
    void addTo(ProcessRuntime runtime, CommandLine commandLine) {
        for (ProcessPart part : parts(commandLine)) {
            runtime.addFirst(part);
        }
    }
}
