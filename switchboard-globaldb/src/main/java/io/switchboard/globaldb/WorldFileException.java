package io.switchboard.globaldb;

import io.switchboard.common.text.LogText;

import java.util.List;
import java.util.stream.Collectors;

/** A world file was refused; {@link #problems()} lists everything wrong with it, not only the first. */
public final class WorldFileException extends Exception {
    /** How many problems {@link #summary} lists: enough to act on, and the line stays readable. */
    public static final int SUMMARY_PROBLEMS = 5;
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
                .map(p -> LogText.printable((p.path().isEmpty() ? "" : p.path() + ": ") + p.message()))
                .collect(Collectors.joining("; "));
        return problems.size() > max ? shown + "; and " + (problems.size() - max) + " more" : shown;
    }
}
