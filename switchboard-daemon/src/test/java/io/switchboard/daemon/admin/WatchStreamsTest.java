package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.daemon.command.CommandResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Watch streams on an embedded channel whose writability the test sets: one that cannot take more is skipped. */
class WatchStreamsTest {
    private final AtomicInteger views = new AtomicInteger();
    private final WatchStreams streams = new WatchStreams(2, () -> CommandResult.ok(
            JsonNodeFactory.instance.objectNode().put("view", views.incrementAndGet())));
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aStreamThatCannotTakeWritesIsSkippedUntilItCanAgain() {
        assertThat(streams.open(channel, "token")).isTrue();
        channel.flush();
        assertThat((Object) channel.readOutbound()).isInstanceOf(HttpResponse.class);

        // The peer stopped reading: the next views would only pile up in memory.
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        streams.refresh(token -> true);
        streams.refresh(token -> true);
        assertThat((Object) channel.readOutbound()).isNull();

        // It reads again: the next refresh carries the whole view, so nothing skipped is missed.
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        streams.refresh(token -> true);
        HttpContent event = channel.readOutbound();
        assertThat(event.content().toString(java.nio.charset.StandardCharsets.UTF_8)).contains("\"view\":");
        ReferenceCountUtil.release(event);
        assertThat(streams.size()).isEqualTo(1);
    }

    @Test
    void aStreamWhoseLoginEndedIsClosedEvenWhenItCannotTakeWrites() {
        assertThat(streams.open(channel, "token")).isTrue();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

        streams.refresh(token -> false);

        assertThat(channel.isOpen()).isFalse();
        assertThat(streams.size()).isZero();
    }
}
