package io.switchboard.resource.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;

/** A {@code /v1} answer: a status and a JSON body; sent with the index of its query. */
record ApiAnswer(HttpResponseStatus status, ObjectNode body) {

    static ApiAnswer ok(ObjectNode body) {
        return new ApiAnswer(HttpResponseStatus.OK, body);
    }

    static ApiAnswer error(HttpResponseStatus status, String message) {
        return new ApiAnswer(status, ApiViews.error(message));
    }
}
