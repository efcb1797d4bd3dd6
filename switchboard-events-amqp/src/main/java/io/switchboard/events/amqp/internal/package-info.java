/** The publisher's buffer; not API. */
package io.switchboard.events.amqp.internal;
