/**
 * The Pomelo client protocol, byte for byte (DESIGN §3): packages ({@link io.switchboard.protocol.PomeloPackage}
 * with {@link io.switchboard.protocol.PomeloPackageDecoder} and {@link io.switchboard.protocol.PomeloPackageEncoder}),
 * messages inside data packages ({@link io.switchboard.protocol.PomeloMessage} and its codec), the handshake
 * JSON and the route dictionary. Both the gate and the client SDK use these codecs.
 */
package io.switchboard.protocol;
