package io.switchboard.cluster;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Mutual TLS on cluster links, from PEM files: each process presents its certificate chain and trusts only peers
 * whose certificate the given CA signed. A gate requires the node's certificate; a node checks that the gate's
 * certificate names the host it dialed (the gate's advertised host).
 *
 * @param certificateChain    this process's certificate chain (PEM)
 * @param privateKey          its private key (PKCS#8 PEM, unencrypted)
 * @param trustedCertificates the CA certificate(s) peers' certificates must chain to (PEM)
 */
public record LinkTls(Path certificateChain, Path privateKey, Path trustedCertificates) {
    /** A node checks the gate's certificate against the host it dialed, as HTTPS clients do. */
    private static final String HOST_VERIFICATION = "HTTPS";

    public LinkTls {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(trustedCertificates, "trustedCertificates");
    }

    /** The gate's side: presents its certificate and requires one from every node. */
    public SslContext acceptorContext() throws SSLException {
        return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                .trustManager(trustedCertificates.toFile())
                .clientAuth(ClientAuth.REQUIRE)
                .build();
    }

    /** The node's side: presents its certificate and checks the gate's. */
    public SslContext dialerContext() throws SSLException {
        return SslContextBuilder.forClient()
                .keyManager(certificateChain.toFile(), privateKey.toFile())
                .trustManager(trustedCertificates.toFile())
                .endpointIdentificationAlgorithm(HOST_VERIFICATION)
                .build();
    }
}
