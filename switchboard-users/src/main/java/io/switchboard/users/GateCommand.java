package io.switchboard.users;

import java.util.Objects;

/**
 * What one gate asks another to do to one of its sessions: push to it, or kick it. Travels through the
 * {@link SessionDirectory} (Redis pub/sub, or in memory).
 *
 * @param type      push or kick
 * @param sessionId the session on the receiving gate
 * @param route     push only
 * @param body      push only: the serialized body
 * @param reason    kick only
 */
public record GateCommand(Type type, long sessionId, String route, byte[] body, String reason) {

    public enum Type { PUSH, KICK }

    public GateCommand {
        Objects.requireNonNull(type, "type");
    }

    public static GateCommand push(long sessionId, String route, byte[] body) {
        return new GateCommand(Type.PUSH, sessionId, Objects.requireNonNull(route, "route"),
                Objects.requireNonNull(body, "body"), null);
    }

    public static GateCommand kick(long sessionId, String reason) {
        return new GateCommand(Type.KICK, sessionId, null, null, Objects.requireNonNull(reason, "reason"));
    }
}
