package io.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.Session;
import io.switchboard.api.Handler;
import io.switchboard.api.Route;

/**
 * {@code demo.echo.say} answers with the request body; {@code demo.echo.tell} pushes it back as {@code onTell}. Both
 * are non-blocking, so the gate runs them on the connection's I/O thread when the session has nothing queued on the
 * workers (the opt-in of {@link Route#nonBlocking()}). {@code demo.echo.sayOnWorkers} is the same echo on the worker
 * pool, the framework's default path: {@code bench echo --on-workers} measures it; {@code demo.echo.sayBytesOnWorkers}
 * takes and returns the body as bytes, with no JSON parsed or written (the raw-Netty baseline's work), for
 * {@code bench echo --on-workers --bytes}.
 */
@Handler("demo.echo")
public final class EchoHandler {
    public static final String ON_TELL = "onTell";

    @Route(value = "say", nonBlocking = true)
    public JsonNode say(JsonNode body) {
        return body;
    }

    @Route("sayOnWorkers")
    public JsonNode sayOnWorkers(JsonNode body) {
        return body;
    }

    @Route("sayBytesOnWorkers")
    public byte[] sayBytesOnWorkers(byte[] body) {
        return body;
    }

    @Route(value = "tell", nonBlocking = true)
    public void tell(Session session, JsonNode body) {
        session.push(ON_TELL, body);
    }
}
