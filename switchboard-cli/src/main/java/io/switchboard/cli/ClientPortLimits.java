package io.switchboard.cli;

import io.switchboard.gate.GateConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The limits on the client port, the same for {@code demo} and {@code gate} (README: "Limits on the client port"),
 * and how long and with how much memory dropped sessions wait for a resume (README: "Reconnect and resume").
 */
final class ClientPortLimits {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", description = "Seconds a client has from "
            + "connecting to complete the handshake, TLS and WebSocket upgrade included; heartbeats do not extend it "
            + "(default ${DEFAULT-VALUE}).")
    long handshakeTimeout = GateConfig.DEFAULT_HANDSHAKE_TIMEOUT.toSeconds();

    @Option(names = "--max-handshake", paramLabel = "BYTES", description = "Largest handshake body a client may "
            + "send; a larger one is refused before it is read (default ${DEFAULT-VALUE}).")
    int maxHandshake = GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH;

    @Option(names = "--max-connections", paramLabel = "N", description = "Most client connections open at once; "
            + "one more is closed on arrival; 0 = no cap (default ${DEFAULT-VALUE}).")
    int maxConnections = GateConfig.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Most client connections open at "
            + "once from one IP address; 0 = no cap (default ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp = GateConfig.NO_LIMIT;

    @Option(names = "--resume-grace", paramLabel = "SECONDS", description = "Seconds a session whose connection "
            + "dropped waits, parked, for its client to resume it (README: \"Reconnect and resume\"); 0 = off "
            + "(default ${DEFAULT-VALUE}).")
    long resumeGrace = GateConfig.DEFAULT_RESUME_GRACE.toSeconds();

    @Option(names = "--resume-buffer", paramLabel = "BYTES", description = "Most push bytes one session keeps for a "
            + "resume; a parked session that needs more ends (default ${DEFAULT-VALUE}).")
    int resumeBuffer = GateConfig.DEFAULT_RESUME_BUFFER;

    @Option(names = "--max-parked", paramLabel = "N", description = "Most sessions parked at once; a drop past it "
            + "ends its session (default ${DEFAULT-VALUE}).")
    int maxParked = GateConfig.DEFAULT_MAX_PARKED_SESSIONS;

    /** Sets the limits on {@code gate}; a value out of range is a usage error. */
    GateConfig.Builder applyTo(GateConfig.Builder gate) {
        try {
            return gate.handshakeTimeout(Duration.ofSeconds(handshakeTimeout)).maxHandshakeLength(maxHandshake)
                    .maxConnections(maxConnections).maxConnectionsPerIp(maxConnectionsPerIp)
                    .resumeGrace(Duration.ofSeconds(resumeGrace)).resumeBufferBytes(resumeBuffer)
                    .maxParkedSessions(maxParked);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
