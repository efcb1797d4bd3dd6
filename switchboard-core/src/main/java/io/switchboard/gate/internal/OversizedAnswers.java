package io.switchboard.gate.internal;

import io.netty.buffer.Unpooled;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;

import java.nio.charset.StandardCharsets;

/**
 * A handler's answer larger than a package carries would fail in the encoder, after the request was counted as
 * answered: the client would wait for it until its own timeout. It is answered {@code ANSWER_TOO_LARGE} instead.
 */
final class OversizedAnswers {
    private OversizedAnswers() {
    }

    /**
     * {@code message} when it is no answer or fits in a package; else an error answer to its request (taking
     * ownership of it).
     */
    static PomeloMessage fitting(PomeloMessage message) {
        int length = message.content().readableBytes();
        if (message.type() != MessageType.RESPONSE || PomeloMessageCodec.responseFits(message.id(), length)) {
            return message;
        }
        long id = message.id();
        message.release();
        byte[] body = Json.errorBody(HandlerErrors.ANSWER_TOO_LARGE.code(), "the answer has " + length
                + " bytes; a package carries at most " + PackageHeader.MAX_BODY_LENGTH).toString()
                .getBytes(StandardCharsets.UTF_8);
        return PomeloMessage.errorResponse(id, Unpooled.wrappedBuffer(body));
    }
}
