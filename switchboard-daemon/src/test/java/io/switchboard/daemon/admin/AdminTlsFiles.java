package io.switchboard.daemon.admin;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;

/**
 * A private CA and the admin port's certificate it signed, as PEM files in the temp directory: for the TLS tests of
 * the admin port here and of the admin client in the CLI's tests.
 */
public final class AdminTlsFiles {
    private final X509Bundle ca;
    private final AdminTls tls;
    private final Path caPem;

    /** A certificate for 127.0.0.1 and localhost. */
    public AdminTlsFiles() throws Exception {
        this("localhost", "127.0.0.1");
    }

    /** A certificate for the host name {@code dnsName} and, unless {@code null}, the address {@code ip}. */
    public AdminTlsFiles(String dnsName, String ip) throws Exception {
        ca = new CertificateBuilder().subject("CN=switchboard-test-ca").setIsCertificateAuthority(true)
                .buildSelfSigned();
        CertificateBuilder daemon = new CertificateBuilder().subject("CN=switchboard-daemon").addSanDnsName(dnsName);
        if (ip != null) {
            daemon.addSanIpAddress(ip);
        }
        X509Bundle issued = daemon.buildIssuedBy(ca);
        tls = new AdminTls(issued.toTempCertChainPem().toPath(), issued.toTempPrivateKeyPem().toPath());
        caPem = ca.toTempRootCertPem().toPath();
    }

    /** The port's certificate chain and key. */
    public AdminTls tls() {
        return tls;
    }

    /** The CA's certificate, PEM: what a client must trust. */
    public Path caPem() {
        return caPem;
    }

    /** A client's TLS context that trusts the CA alone. */
    public SSLContext clientContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);
        return context;
    }
}
