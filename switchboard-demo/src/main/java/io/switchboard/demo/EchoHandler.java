package io.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gate.Session;
import io.switchboard.handler.Handler;
import io.switchboard.handler.Route;

/** {@code demo.echo.say} answers with the request body; {@code demo.echo.tell} pushes it back as {@code onTell}. */
@Handler("demo.echo")
public final class EchoHandler {
    public static final String ON_TELL = "onTell";

    @Route("say")
    public JsonNode say(JsonNode body) {
        return body;
    }

    @Route("tell")
    public void tell(Session session, JsonNode body) {
        session.push(ON_TELL, body);
    }
}
