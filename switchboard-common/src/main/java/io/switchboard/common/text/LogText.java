package io.switchboard.common.text;

/**
 * Text that came from a peer or a file, fit for one line of a log or terminal: control characters (a forged line
 * break, an escape sequence) escaped as Java writes them, and long text cut short, so what a peer sends can neither
 * forge log lines nor fill the log.
 */
public final class LogText {
    /** How much of one value a line shows: enough to recognise it, never a peer's whole payload. */
    public static final int MAX_CHARS = 200;

    private LogText() {
    }

    /** {@code text} escaped and cut past {@value #MAX_CHARS} characters (marked {@code ...}); {@code null} as "null". */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 3);
        int i = 0;
        for (; i < text.length() && out.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < text.length() ? out.append("...").toString() : out.toString();
    }
}
