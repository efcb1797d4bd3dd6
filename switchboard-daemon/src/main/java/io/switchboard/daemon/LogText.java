package io.switchboard.daemon;

/** Text a peer sent, made safe for one log line. */
public final class LogText {
    private LogText() {
    }

    /** {@code text} as the peer gave it, control characters (a forged line break) made '?'. */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.toString();
    }
}
