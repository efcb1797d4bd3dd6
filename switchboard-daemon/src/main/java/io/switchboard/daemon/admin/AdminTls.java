package io.switchboard.daemon.admin;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS on the daemon's admin port, from PEM files: the port then speaks HTTPS only, so the password at login and the
 * session token after it do not cross the network in clear. Clients check the certificate as HTTPS clients do
 * ({@code switchboard admin --ca} for a private CA or a self-signed certificate).
 *
 * @param certificateChain the port's certificate chain (PEM), naming the daemon's IP or the names operators use
 * @param privateKey       its private key (PKCS#8 PEM, unencrypted)
 */
public record AdminTls(Path certificateChain, Path privateKey) {

    public AdminTls {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * Reads the files into the port's server context.
     *
     * @throws IllegalArgumentException when a file is missing or holds no certificate or key
     * @throws SSLException             when the key does not go with the certificate or cannot be used
     */
    public SslContext serverContext() throws SSLException {
        return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile()).build();
    }
}
