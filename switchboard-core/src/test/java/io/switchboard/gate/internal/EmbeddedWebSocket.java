package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A WebSocket client's side of an EmbeddedChannel to the gate: the upgrade, its frames, and the server's frames. */
final class EmbeddedWebSocket {
    /** FIN and the opcode, the first byte of a whole frame. */
    static final int BINARY = 0x82;
    static final int TEXT = 0x81;
    static final int PING = 0x89;
    static final int PONG = 0x8A;

    private EmbeddedWebSocket() {
    }

    /** Sends the upgrade request and checks the gate switched protocols. */
    static void upgrade(EmbeddedChannel ch) {
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf upgraded = ch.readOutbound();
        try {
            assertThat(upgraded.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
        } finally {
            upgraded.release();
        }
    }

    /** A client's frame: FIN and {@code opcode} in {@code first}, masked with a zero key (so the payload reads as is). */
    static ByteBuf maskedFrame(int first, byte[] payload) {
        return frameHeader(first, payload.length).writeBytes(payload);
    }

    /** The header of a client's frame (zero mask key) announcing {@code payloadLength} bytes, none of them sent. */
    static ByteBuf frameHeader(int first, long payloadLength) {
        ByteBuf frame = Unpooled.buffer().writeByte(first);
        if (payloadLength < 126) {
            frame.writeByte(0x80 | (int) payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            frame.writeByte(0x80 | 126).writeShort((int) payloadLength);
        } else {
            frame.writeByte(0x80 | 127).writeLong(payloadLength);
        }
        return frame.writeInt(0);
    }

    /** The server's next frame (unmasked, under 64 KiB), or null when nothing was written. */
    static ServerFrame serverFrame(EmbeddedChannel ch) {
        ch.runPendingTasks();
        ByteBuf frame = ch.readOutbound();
        if (frame == null) {
            return null;
        }
        try {
            int first = frame.readUnsignedByte();
            int length = frame.readUnsignedByte();
            if (length == 126) {
                length = frame.readUnsignedShort();
            }
            return new ServerFrame(first, ByteBufUtil.getBytes(frame.readSlice(length)));
        } finally {
            frame.release();
        }
    }

    /** A frame the server sent: its first byte (FIN and opcode) and its payload. */
    record ServerFrame(int first, byte[] payload) {
    }
}
