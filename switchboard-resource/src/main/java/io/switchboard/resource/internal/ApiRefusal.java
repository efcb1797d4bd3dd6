package io.switchboard.resource.internal;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request refused before it is answered: bad parameters (400), an unknown module or path (404). */
final class ApiRefusal extends Exception {
    private final HttpResponseStatus status;

    ApiRefusal(HttpResponseStatus status, String message) {
        // An expected outcome, not a fault: no stack trace to fill.
        super(message, null, false, false);
        this.status = status;
    }

    ApiAnswer answer() {
        return ApiAnswer.error(status, getMessage());
    }
}
