/** A small real Pomelo server, made of the protocol module's codecs, that the client's tests talk to. */
package io.switchboard.client.testserver;
