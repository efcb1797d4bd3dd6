/**
 * Carrying Pomelo packages over WebSocket: binary frames in, package bytes out; one package per frame on
 * write. Several packages in one frame are split by the package decoder that follows.
 */
package io.switchboard.protocol.websocket;
