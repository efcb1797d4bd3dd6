package io.switchboard.cli;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.switchboard.cluster.protocol.Loopback;
import io.switchboard.gate.GateConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.File;

/** TLS on the client port ({@code tls://}, {@code wss://}), shared by {@code demo} and {@code gate}. */
final class ClientTls {

    @Option(names = "--tls-cert", description = "PEM certificate chain: serve TLS (tls:// and wss://) on the client port.")
    File cert;

    @Option(names = "--tls-key", description = "PEM PKCS#8 private key of --tls-cert.")
    File key;

    /** Sets TLS on {@code gate} when both files are given; one without the other is a usage error. */
    GateConfig.Builder applyTo(GateConfig.Builder gate, CommandLine commandLine) {
        SslContext context = ServerTlsFlags.read(commandLine, "--tls-cert", cert, "--tls-key", key,
                (chain, privateKey) -> SslContextBuilder.forServer(chain, privateKey).build());
        if (context != null) {
            gate.sslContext(context);
        }
        return gate;
    }

    boolean enabled() {
        return cert != null;
    }

    /**
     * Warns when the chat page, where people type passwords, is served without TLS on an address others can reach
     * (DESIGN §10). Returns the warning, or {@code null} when there is nothing to warn about.
     */
    String warnIfChatInPlainText(String host) {
        if (enabled() || Loopback.isLoopback(host)) {
            return null;
        }
        String warning = "warning: the chat page is served without TLS on " + host + ": passwords cross the network"
                + " in plain text; give --tls-cert and --tls-key, or bind --host 127.0.0.1 behind a TLS proxy";
        System.err.println(warning);
        return warning;
    }
}
