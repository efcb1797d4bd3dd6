package io.switchboard.daemon.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.Objects;

/**
 * What a command came to: an outcome, a message for people (empty when there is nothing to say) and the data
 * (rows for lists, the affected processes for start/stop/kill) as JSON.
 */
public record CommandResult(Outcome outcome, String message, JsonNode data) {

    /** How a command ended, and the admin client's exit code for it (DESIGN §9). */
    public enum Outcome {
        OK(0), FAILED(1), FORBIDDEN(1), UNREACHABLE(1), BAD_COMMAND(2);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public CommandResult {
        Objects.requireNonNull(outcome, "outcome");
        message = message == null ? "" : message;
        data = data == null ? NullNode.getInstance() : data;
    }

    public static CommandResult ok(JsonNode data) {
        return new CommandResult(Outcome.OK, "", data);
    }

    public static CommandResult failed(Outcome outcome, String message) {
        return new CommandResult(outcome, message, null);
    }

    public boolean isOk() {
        return outcome == Outcome.OK;
    }
}
