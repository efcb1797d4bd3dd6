package io.switchboard.cli;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.common.text.Redact;
import io.switchboard.registry.Registries;
import io.switchboard.registry.Registry;
import io.switchboard.users.SessionDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.function.Supplier;

/**
 * What {@code gate} and {@code service} open at start, with their failures as the command line reports them: a bad
 * URI is a usage error (exit 2), a registry or directory that cannot be reached one line (exit 1), never a trace.
 */
final class Startup {
    private Startup() {
    }

    /**
     * What {@code build} makes from option values, its {@link IllegalArgumentException} (a port or heartbeat out of
     * range, say) a usage error: the value came from the command line.
     */
    static <T> T checked(CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The registry at {@code uri} (as {@link ResourceOptions#registry} resolved it). */
    static Registry registry(CommandLine commandLine, String uri) {
        try {
            return Registries.open(uri);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--registry " + Redact.userInfo(uri) + ": "
                    + redacted(e.getMessage(), uri));
        } catch (SwitchboardException e) {
            // Unreachable (or no provider for the scheme): nothing the command line can fix by its form.
            throw new CommandFailure(redacted(e.getMessage(), uri), e);
        }
    }

    /** The session directory {@code --directory} names. */
    static SessionDirectory directory(CommandLine commandLine, String directory) {
        try {
            return SessionDirectories.open(directory);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }

    /** {@code message} with {@code uri}, if it repeats it, stripped of its user info. */
    private static String redacted(String message, String uri) {
        return message == null || uri == null ? message : message.replace(uri, Redact.userInfo(uri));
    }
}
