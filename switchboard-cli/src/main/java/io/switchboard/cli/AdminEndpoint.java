package io.switchboard.cli;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.switchboard.cluster.protocol.Loopback;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where {@code switchboard admin} reaches a daemon's admin API: {@code HOST:PORT} (plain HTTP), or an
 * {@code http://} or {@code https://} URL; over HTTPS, the certificates it trusts (a PEM CA file, or the JDK's trust
 * store), the host name checked as HTTPS clients do.
 */
final class AdminEndpoint {
    private static final Duration CONNECT = Duration.ofSeconds(5);

    private final URI base;
    private final SSLContext trust;

    private AdminEndpoint(URI base, SSLContext trust) {
        this.base = base;
        this.trust = trust;
    }

    /**
     * @param daemon {@code HOST:PORT}, {@code http://HOST:PORT} or {@code https://HOST:PORT}
     * @param ca     PEM certificate(s) to trust for an {@code https://} daemon instead of the JDK's, or {@code null}
     * @throws IllegalArgumentException when {@code daemon} is none of those, or a CA is given for plain HTTP (usage)
     * @throws CommandFailure           when the CA file cannot be read as PEM certificates
     */
    static AdminEndpoint of(String daemon, Path ca) {
        URI base = uri(daemon);
        boolean https = "https".equals(base.getScheme());
        if (ca != null && !https) {
            throw new IllegalArgumentException("--ca is for an https:// daemon, not '" + daemon + "'");
        }
        return new AdminEndpoint(base, ca == null ? null : trusting(ca));
    }

    private static URI uri(String daemon) {
        String usage = "--daemon is HOST:PORT, http://HOST:PORT or https://HOST:PORT, not '" + daemon + "'";
        URI uri;
        try {
            uri = URI.create(daemon.contains("://") ? daemon : "http://" + daemon);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(usage);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        boolean web = scheme.equals("http") || scheme.equals("https");
        boolean rootOnly = (path.isEmpty() || path.equals("/")) && uri.getRawQuery() == null;
        if (!web || !rootOnly || uri.getHost() == null || uri.getPort() < 0 || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(usage);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    /** The JDK's TLS context of Netty's PEM reading, so the CA file is read as the daemon reads its own. */
    private static SSLContext trusting(Path ca) {
        try {
            JdkSslContext context = (JdkSslContext) SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .trustManager(ca.toFile()).build();
            return context.context();
        } catch (IllegalArgumentException | SSLException e) {
            throw new CommandFailure("cannot read --ca " + ca + " as PEM certificates: "
                    + CommandFailure.rootMessage(e), e);
        }
    }

    /** The API's root, {@code scheme://host:port}. */
    URI base() {
        return base;
    }

    /** {@code host:port}, for messages. */
    String daemon() {
        return base.getHost() + ":" + base.getPort();
    }

    /** An HTTP client for this daemon; hostname verification stays the JDK's, on. */
    HttpClient newClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT);
        if (trust != null) {
            builder.sslContext(trust);
        }
        return builder.build();
    }

    /**
     * A one-line warning when the password and the session token would cross a network in clear (plain HTTP to a
     * host off loopback), or {@code null}.
     */
    String plainTextWarning() {
        if ("https".equals(base.getScheme()) || Loopback.isLoopback(base.getHost())) {
            return null;
        }
        return "warning: " + daemon() + " is reached over plain HTTP: the password and the session token cross the "
                + "network in clear; serve the daemon with --admin-tls-cert/--admin-tls-key and use https://"
                + daemon();
    }
}
