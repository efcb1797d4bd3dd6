package io.switchboard.cli;

import io.switchboard.daemon.admin.AdminApiConfig;
import io.switchboard.daemon.admin.AdminTls;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;

/** TLS on the daemon's admin API and console port, as flags: HTTPS only on it, from PEM files. */
final class AdminTlsOptions {

    @Option(names = "--admin-tls-cert", paramLabel = "FILE", description = "PEM certificate chain: the admin API "
            + "and console speak HTTPS only (with --admin-tls-key), so passwords and session tokens do not cross the "
            + "network in clear. It must name the daemon's IP (or the --allow-host names operators use).")
    File cert;

    @Option(names = "--admin-tls-key", paramLabel = "FILE", description = "The PEM private key (PKCS#8) of "
            + "--admin-tls-cert.")
    File key;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** {@code admin} over HTTPS when both files are given and readable; one without the other is a usage error. */
    AdminApiConfig applyTo(AdminApiConfig admin) {
        AdminTls tls = ServerTlsFlags.read(spec.commandLine(), "--admin-tls-cert", cert, "--admin-tls-key", key,
                (chain, privateKey) -> {
                    AdminTls files = new AdminTls(chain.toPath(), privateKey.toPath());
                    files.serverContext();
                    return files;
                });
        return tls == null ? admin : admin.withTls(tls);
    }
}
