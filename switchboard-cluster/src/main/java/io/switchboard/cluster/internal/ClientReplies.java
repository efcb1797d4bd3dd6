package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.netty.buffer.Unpooled;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.api.Session;
import io.switchboard.gate.GateSession;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PomeloMessage;

import java.nio.charset.StandardCharsets;

/** Responses to a client's request, written to its session on the gate. */
final class ClientReplies {

    private ClientReplies() {
    }

    /** The body is read where it is, in the parsed envelope's own bytes, as the package is encoded. */
    static void ok(Session session, long requestId, ByteString body) {
        write(session, PomeloMessage.response(requestId, Unpooled.wrappedBuffer(body.asReadOnlyByteBuffer())));
    }

    static void error(Session session, long requestId, ErrorCode code, String message) {
        error(session, requestId, code.code(), message);
    }

    static void error(Session session, long requestId, long code, String message) {
        byte[] body = Json.errorBody(code, message).toString().getBytes(StandardCharsets.UTF_8);
        write(session, PomeloMessage.errorResponse(requestId, Unpooled.wrappedBuffer(body)));
    }

    /** Behind the session's earlier writes, in its outbox; client sessions here are the gate's own. */
    private static void write(Session session, PomeloMessage message) {
        ((GateSession) session).write(message);
    }
}
