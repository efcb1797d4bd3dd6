package io.switchboard.bench.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BodiesTest {

    @Test
    void echoBodyHasTheAskedSize() {
        assertThat(Bodies.echo(64).readableBytes()).isEqualTo(64);
        assertThat(Bodies.echo(1000).readableBytes()).isEqualTo(1000);
    }

    @Test
    void chatTextMakesThePushTheAskedSize() {
        int text = Bodies.chatTextLength("m0", 64);
        ByteBuf notify = Unpooled.buffer();
        Bodies.chat(notify, 123, text);
        String push = "{\"from\":\"m0\",\"text\":\"" + notify.toString(StandardCharsets.US_ASCII)
                .substring("{\"text\":\"".length());
        assertThat(push).hasSize(64);
        notify.release();
    }

    @Test
    void stampSurvivesTheServersRewriting() {
        ByteBuf notify = Unpooled.buffer();
        Bodies.chat(notify, 1_234_567_890_123L, 30);
        String text = notify.toString(StandardCharsets.US_ASCII);
        notify.release();
        String pushed = "{\"from\":\"ann\"," + text.substring(1);
        ByteBuf push = Unpooled.copiedBuffer(pushed, StandardCharsets.US_ASCII);
        assertThat(Bodies.stamp(push)).isEqualTo(1_234_567_890_123L);
        push.release();
    }

    @Test
    void bodyWithoutStampIsRefused() {
        ByteBuf push = Unpooled.copiedBuffer("{\"from\":\"ann\",\"text\":\"hi\"}", StandardCharsets.US_ASCII);
        assertThat(Bodies.stamp(push)).isEqualTo(-1);
        push.release();
    }
}
