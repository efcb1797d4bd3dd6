package io.switchboard.globaldb;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * One process a machine runs, as the world file and globaldb hold it:
 * {@code {type,name,host,port,agentcount?,cmd?,args?,env?}}. {@code type} is a Switchboard role ({@code gate},
 * {@code service:demo}, {@code registry}, {@code resource}, ...) or {@code cmd} for any program, which then needs
 * {@code cmd}. The name is unique on its machine and is the last part of the process key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessSpec(
        @JsonProperty("type") String type,
        @JsonProperty("name") String name,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("agentcount") Integer agentCount,
        @JsonProperty("cmd") String cmd,
        @JsonProperty("args") List<String> args,
        @JsonProperty("env") Map<String, String> env) {

    /** The type of a spec that runs any program. */
    public static final String CMD = "cmd";

    public ProcessSpec {
        args = args == null ? null : List.copyOf(args);
        env = env == null ? null : Map.copyOf(env);
    }

    /** Whether this is a plain program, not a Switchboard role (its record is written by its daemon). */
    @JsonIgnore
    public boolean isCommand() {
        return CMD.equals(type);
    }
}
