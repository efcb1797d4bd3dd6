package io.switchboard.daemon.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.CommandSyntaxException;

import java.io.IOException;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The router ⇄ daemon messages: envelopes with a {@code plane.*} route and a JSON body. The handshake, in order:
 * <pre>
 * router → daemon  NOTIFY  plane.challenge  {"nonce": b64?}                    (nonce only with a cluster secret)
 * daemon → router  NOTIFY  plane.hello      {"ip": IP, "nonce": b64?, "proof": b64?}
 * router → daemon  NOTIFY  plane.welcome    {"proof": b64?}                    or plane.refused {"reason": ...}
 * </pre>
 * then, either way, REQUEST/RESPONSE pairs correlated by request id: {@code plane.command}
 * {@code {"ip": target, "user", "command"}} (daemon → router) and {@code {"from": IP, "user", "command"}}
 * (router → target daemon), answered with a {@link CommandResult} {@code {"outcome","message","data"}};
 * {@code plane.machines} {@code {}} answered {@code {"machines": [IP, ...]}}. CONTROL PING/PONG keep the link alive.
 * Every body read here comes from a peer: anything malformed is a {@link PlaneProtocolException}.
 */
public final class PlaneMessages {
    public static final String CHALLENGE = "plane.challenge";
    public static final String HELLO = "plane.hello";
    public static final String WELCOME = "plane.welcome";
    public static final String REFUSED = "plane.refused";
    public static final String COMMAND = "plane.command";
    public static final String MACHINES = "plane.machines";
    /** The longest user name and refusal reason carried; longer ones are cut (reasons) or refused (users). */
    public static final int MAX_TEXT = 256;
    /** The longest IP text read; a machine's IP is shorter, anything longer cannot be one. */
    public static final int MAX_IP = 64;
    private static final int MAX_COMMAND = 256;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PlaneMessages() {
    }

    public static Envelope challenge(byte[] nonce) {
        return notify(CHALLENGE, withBytes(NODES.objectNode(), "nonce", nonce));
    }

    public static Envelope hello(String ip, byte[] nonce, byte[] proof) {
        return notify(HELLO, withBytes(withBytes(NODES.objectNode().put("ip", ip), "nonce", nonce), "proof", proof));
    }

    public static Envelope welcome(byte[] proof) {
        return notify(WELCOME, withBytes(NODES.objectNode(), "proof", proof));
    }

    public static Envelope refused(String reason) {
        String cut = reason.length() > MAX_TEXT ? reason.substring(0, MAX_TEXT) : reason;
        return notify(REFUSED, NODES.objectNode().put("reason", cut));
    }

    /** A command for machine {@code ip}, as a daemon sends it to the router. */
    public static Envelope commandFor(long requestId, String ip, String user, String command) {
        return request(requestId, COMMAND, NODES.objectNode().put("ip", ip).put("user", user).put("command", command));
    }

    /** A command relayed by the router to its target, saying which machine sent it. */
    public static Envelope commandFrom(long requestId, String from, String user, String command) {
        return request(requestId, COMMAND, NODES.objectNode().put("from", from).put("user", user)
                .put("command", command));
    }

    public static Envelope machinesRequest(long requestId) {
        return request(requestId, MACHINES, NODES.objectNode());
    }

    public static Envelope machines(long requestId, Collection<String> ips) {
        ObjectNode body = NODES.objectNode();
        ArrayNode list = body.putArray("machines");
        new TreeSet<>(ips).forEach(list::add);
        return Envelopes.response(requestId, bytes(body));
    }

    public static Envelope result(long requestId, CommandResult result) {
        ObjectNode body = NODES.objectNode().put("outcome", result.outcome().name()).put("message", result.message());
        body.set("data", result.data());
        return Envelopes.response(requestId, bytes(body));
    }

    /** The JSON object an envelope carries. */
    public static JsonNode body(Envelope envelope) throws PlaneProtocolException {
        try {
            JsonNode body = JSON.readTree(envelope.getPayload().newInput());
            if (body == null || !body.isObject()) {
                throw new PlaneProtocolException(Envelopes.route(envelope) + ": the body is not a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new PlaneProtocolException(Envelopes.route(envelope) + ": the body is not JSON");
        }
    }

    /** A text field, present and at most {@code max} characters. */
    public static String text(JsonNode body, String field, int max) throws PlaneProtocolException {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().length() > max) {
            throw new PlaneProtocolException("'" + field + "' is missing, not text or longer than " + max);
        }
        return value.asText();
    }

    /** A base64 field, absent (empty) or exactly {@code length} bytes. */
    public static Optional<byte[]> bytes(JsonNode body, String field, int length) throws PlaneProtocolException {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        try {
            byte[] bytes = value.isTextual() ? Base64.getDecoder().decode(value.asText()) : null;
            if (bytes != null && bytes.length == length) {
                return Optional.of(bytes);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new PlaneProtocolException("'" + field + "' is not " + length + " bytes of base64");
    }

    /** The command a {@code plane.command} body carries, parsed again: a peer's text is never taken as it is. */
    public static AdminCommand command(JsonNode body) throws PlaneProtocolException, CommandSyntaxException {
        return AdminCommand.parse(text(body, "command", MAX_COMMAND));
    }

    /** The command result a RESPONSE carries. */
    public static CommandResult result(Envelope envelope) throws PlaneProtocolException {
        JsonNode body = body(envelope);
        try {
            CommandResult.Outcome outcome = CommandResult.Outcome.valueOf(text(body, "outcome", 32));
            JsonNode message = body.get("message");
            return new CommandResult(outcome, message == null ? "" : message.asText(), body.get("data"));
        } catch (IllegalArgumentException e) {
            throw new PlaneProtocolException("not an outcome: " + body.get("outcome"));
        }
    }

    /** The machines a {@code plane.machines} RESPONSE lists. */
    public static Set<String> machines(Envelope envelope) throws PlaneProtocolException {
        JsonNode list = body(envelope).get("machines");
        if (list == null || !list.isArray()) {
            throw new PlaneProtocolException("plane.machines: no list of machines");
        }
        Set<String> ips = new TreeSet<>();
        list.forEach(ip -> ips.add(ip.asText()));
        return ips;
    }

    /** Whether the envelope is a NOTIFY of {@code route}. */
    public static boolean isNotify(Envelope envelope, String route) {
        return Envelopes.kind(envelope) == Kind.NOTIFY && route.equals(Envelopes.route(envelope));
    }

    private static ObjectNode withBytes(ObjectNode body, String field, byte[] bytes) {
        if (bytes != null) {
            body.put(field, Base64.getEncoder().encodeToString(bytes));
        }
        return body;
    }

    private static Envelope notify(String route, ObjectNode body) {
        return Envelopes.builder(Kind.NOTIFY).route(route).payload(bytes(body)).build();
    }

    private static Envelope request(long requestId, String route, ObjectNode body) {
        return Envelopes.builder(Kind.REQUEST).requestId(requestId).route(route).payload(bytes(body)).build();
    }

    private static ByteString bytes(JsonNode body) {
        try {
            return ByteString.copyFrom(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            // A tree of plain nodes always serializes.
            throw new IllegalStateException(e);
        }
    }
}
