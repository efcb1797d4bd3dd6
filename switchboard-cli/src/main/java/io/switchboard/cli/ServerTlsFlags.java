package io.switchboard.cli;

import picocli.CommandLine;

import javax.net.ssl.SSLException;
import java.io.File;

/**
 * TLS on a port a command serves, given as two flags, a PEM certificate chain and its private key: both or neither,
 * and read as the options are, so a missing or bad file is a usage error of one line rather than a trace from deep in
 * the start.
 */
final class ServerTlsFlags {

    /** What a port's server takes from the two files: reading them checks them. */
    @FunctionalInterface
    interface Reader<T> {
        T read(File cert, File key) throws SSLException;
    }

    private ServerTlsFlags() {
    }

    /**
     * What {@code reader} makes of {@code cert} and {@code key}, or {@code null} when neither is given.
     *
     * @throws CommandLine.ParameterException when one is given without the other, or the files cannot be read
     */
    static <T> T read(CommandLine commandLine, String certFlag, File cert, String keyFlag, File key,
                      Reader<T> reader) {
        if ((cert == null) != (key == null)) {
            throw new CommandLine.ParameterException(commandLine, certFlag + " and " + keyFlag + " go together");
        }
        if (cert == null) {
            return null;
        }
        try {
            return reader.read(cert, key);
        } catch (IllegalArgumentException | SSLException e) {
            throw new CommandLine.ParameterException(commandLine, certFlag + " " + cert + ", " + keyFlag + " " + key
                    + ": " + CommandFailure.rootMessage(e));
        }
    }
}
