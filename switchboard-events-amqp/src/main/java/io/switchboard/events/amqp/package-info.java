/**
 * Events to RabbitMQ (seed 003's {@code component/amqp}): {@link io.switchboard.events.amqp.AmqpEvents} implements
 * {@link io.switchboard.api.Events} on the official amqp-client with publisher confirms, a bounded buffer while the
 * broker is away, reconnect and resend (at least once); {@link io.switchboard.events.amqp.AmqpEventsPart} puts it
 * in a process's runtime (meters, {@code /health}, flush on close).
 */
package io.switchboard.events.amqp;
