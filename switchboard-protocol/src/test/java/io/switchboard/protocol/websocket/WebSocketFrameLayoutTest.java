package io.switchboard.protocol.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A client's frame headers, as Netty's client-side encoder writes them (masked), read in place at every boundary. */
class WebSocketFrameLayoutTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
    void aClientsHeaderTellsItsPayloadAndItsLength(int length) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        client.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[length])));
        ByteBuf frame = Unpooled.buffer();
        for (ByteBuf part; (part = client.readOutbound()) != null; ) {
            frame.writeBytes(part);
            part.release();
        }
        ByteBuf behind = Unpooled.buffer().writeZero(3).writeBytes(frame, 0, frame.readableBytes());
        try {
            assertThat(WebSocketFrameLayout.payloadLength(frame, 0)).isEqualTo(length);
            assertThat(WebSocketFrameLayout.headerLength(frame, 0) + length).isEqualTo(frame.readableBytes());
            assertThat(WebSocketFrameLayout.payloadLength(behind, 3)).isEqualTo(length);
            // Until the bytes that tell the length are all there, it is not known.
            int lengthBytes = WebSocketFrameLayout.EXTENDED_LENGTH_OFFSET
                    + WebSocketFrameLayout.extendedLengthBytes(frame.getUnsignedByte(1) & WebSocketFrameLayout.LENGTH_BITS);
            for (int have = 0; have < lengthBytes; have++) {
                assertThat(WebSocketFrameLayout.payloadLength(frame.slice(0, have), 0))
                        .isEqualTo(WebSocketFrameLayout.UNKNOWN);
            }
        } finally {
            frame.release();
            behind.release();
            client.finishAndReleaseAll();
        }
    }

    @Test
    void aSixtyFourBitLengthWithItsTopBitSetIsOverAnyCap() {
        ByteBuf header = Unpooled.buffer().writeByte(0x82).writeByte(WebSocketFrameLayout.MASK_FLAG
                | WebSocketFrameLayout.LENGTH_64).writeLong(-1);
        assertThat(WebSocketFrameLayout.payloadLength(header, 0)).isEqualTo(Long.MAX_VALUE);
    }
}
