package io.switchboard.cli;

import io.switchboard.cluster.LinkSecurity;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.LinkTls;
import io.switchboard.common.port.PortPlan;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How {@code gate} and {@code service} authenticate their cluster links: the shared secret from the environment
 * (never a flag, so it does not show in ps) and, with these flags, mutual TLS; and the project their frames carry.
 */
final class ClusterLinkOptions {
    static final String SECRET_ENV = LinkSecurity.SECRET_ENV;

    @Option(names = "--cluster-tls-cert", description = "Cluster links prove the secret in " + SECRET_ENV
            + " (the same in every gate and node; without it, loopback only). This adds mutual TLS: this process's "
            + "PEM certificate chain (with --cluster-tls-key and --cluster-tls-ca).")
    Path tlsCert;

    @Option(names = "--cluster-tls-key", description = "The PEM private key (PKCS#8) of --cluster-tls-cert.")
    Path tlsKey;

    @Option(names = "--cluster-tls-ca", description = "PEM CA certificate(s) every cluster peer's certificate must "
            + "chain to.")
    Path tlsCa;

    @Option(names = "--project", defaultValue = "" + PortPlan.DEFAULT_PROJECT, description = "The project "
            + "(the app id) written in every cluster frame; frames of another project are refused "
            + "(default: ${DEFAULT-VALUE}).")
    int project;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Link timing as by default, for this project. */
    LinkSettings settings() {
        if (project < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--project must not be negative");
        }
        return LinkSettings.defaults().withAppId(project);
    }

    /** The secret from {@value LinkSecurity#SECRET_ENV}, if set, with TLS if the flags ask for it. */
    LinkSecurity security() {
        LinkSecurity security;
        try {
            security = LinkSecurity.fromEnvironment();
        } catch (IllegalArgumentException tooShort) {
            throw new CommandLine.ParameterException(spec.commandLine(), tooShort.getMessage());
        }
        long given = Stream.of(tlsCert, tlsKey, tlsCa).filter(path -> path != null).count();
        if (given == 0) {
            return security;
        }
        if (given < 3) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--cluster-tls-cert, --cluster-tls-key and --cluster-tls-ca go together");
        }
        LinkTls tls = new LinkTls(tlsCert, tlsKey, tlsCa);
        try {
            // Read the files now: a missing or bad one would otherwise fail deep in start() with a trace.
            tls.acceptorContext();
        } catch (IllegalArgumentException | SSLException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cluster-tls-cert " + tlsCert
                    + ", --cluster-tls-key " + tlsKey + ", --cluster-tls-ca " + tlsCa + ": "
                    + CommandFailure.rootMessage(e));
        }
        return security.withTls(tls);
    }
}
