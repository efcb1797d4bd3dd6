package io.switchboard.globaldb;

import java.util.List;
import java.util.stream.Collectors;

/** A world file was refused; {@link #problems()} lists everything wrong with it, not only the first. */
public final class WorldFileException extends Exception {
    /** How many problems {@link #summary} lists: enough to act on, and the line stays readable. */
    public static final int SUMMARY_PROBLEMS = 5;
    /** A problem quotes what it found, which may be long: past this the summary cuts it. */
    private static final int SUMMARY_PROBLEM_CHARS = 200;

    private final List<WorldProblem> problems;

    public WorldFileException(List<WorldProblem> problems) {
        super(problems.size() + " problem(s) in the world file:\n" + problems.stream().map(WorldProblem::toString)
                .collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<WorldProblem> problems() {
        return problems;
    }

    /**
     * The first {@code max} problems on one line, each as {@code path: message} (no line and column: for a world
     * not read from a file they are of no use), then how many more. Control characters are escaped and each problem
     * is cut short, as the line goes to logs and terminals and quotes what globaldb holds.
     */
    public String summary(int max) {
        String shown = problems.stream().limit(max)
                .map(p -> printable((p.path().isEmpty() ? "" : p.path() + ": ") + p.message()))
                .collect(Collectors.joining("; "));
        return problems.size() > max ? shown + "; and " + (problems.size() - max) + " more" : shown;
    }

    /**
     * {@code text} fit for one line of a log or terminal, as {@link #summary} prints each problem: control characters
     * escaped, cut short past {@value #SUMMARY_PROBLEM_CHARS} characters. For other text that quotes what globaldb holds.
     */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < text.length() && out.length() < SUMMARY_PROBLEM_CHARS; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < text.length() ? out + "..." : out.toString();
    }
}
