package io.switchboard.daemon.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.switchboard.daemon.command.CommandResult;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The open {@code /api/watch} streams (Server-Sent Events): each gets the {@code list world} view at once and then at
 * every refresh; the view is read once per refresh for all of them. At most {@code max} streams; a stream whose login
 * ended is closed at the next refresh, and a stream whose peer does not take its events is skipped.
 */
final class WatchStreams {
    private final int max;
    private final Supplier<CommandResult> view;
    private final Map<Channel, String> streams = new ConcurrentHashMap<>();

    WatchStreams(int max, Supplier<CommandResult> view) {
        this.max = max;
        this.view = view;
    }

    /**
     * Takes {@code channel} as a stream held by {@code token}; false when {@code max} are open already or the channel
     * is a stream already (a second head would corrupt the stream, and a second listener and first send follow).
     */
    synchronized boolean open(Channel channel, String token) {
        if (streams.size() >= max || streams.containsKey(channel)) {
            return false;
        }
        streams.put(channel, token);
        channel.closeFuture().addListener(closed -> streams.remove(channel));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ApiReplies.secure(head);
        channel.write(head);
        return true;
    }

    int size() {
        return streams.size();
    }

    /** Whether {@code channel} carries a stream: nothing but its events may be written to it. */
    boolean isStream(Channel channel) {
        return streams.containsKey(channel);
    }

    /** Sends the view to {@code channel} alone (a new stream's first event). */
    void sendTo(Channel channel) {
        write(channel, event(view.get()));
    }

    /** Reads the view once and sends it to every stream still logged in ({@code valid} of its token). */
    void refresh(Predicate<String> valid) {
        if (streams.isEmpty()) {
            return;
        }
        byte[] event = event(view.get());
        streams.forEach((channel, token) -> {
            if (valid.test(token)) {
                write(channel, event);
            } else {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    void closeAll() {
        streams.keySet().forEach(Channel::close);
    }

    /**
     * Sends {@code event} unless the stream's peer has not taken the ones before: then it is skipped, as each event is
     * the whole view and the next one makes up for it; the port closes a stream whose peer stays so.
     */
    private static void write(Channel channel, byte[] event) {
        if (channel.isWritable()) {
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)));
        }
    }

    private static byte[] event(CommandResult result) {
        try {
            // One line of JSON: an SSE data field ends at the line's end.
            return ("event: world\ndata: " + ApiReplies.JSON.writeValueAsString(ApiReplies.result(result)) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }
}
