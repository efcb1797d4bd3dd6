package io.switchboard.common.text;

/** What may be said of a secret-bearing value in a message: a password in it must reach no output or log line. */
public final class Redact {
    private Redact() {
    }

    /**
     * {@code url} with its user info replaced by {@code ***} ({@code redis://***@host:6379}). The last {@code @}
     * counts, so a password holding {@code @} or {@code /} is still hidden whole; a text with no user info is returned
     * as it is, {@code null} as {@code null}.
     */
    public static String userInfo(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        return scheme > 0 && at > scheme ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
    }
}
