package io.switchboard.globaldb;

import java.util.List;
import java.util.stream.Collectors;

/** A world file was refused; {@link #problems()} lists everything wrong with it, not only the first. */
public final class WorldFileException extends Exception {
    private final List<WorldProblem> problems;

    public WorldFileException(List<WorldProblem> problems) {
        super(problems.size() + " problem(s) in the world file:\n" + problems.stream().map(WorldProblem::toString)
                .collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<WorldProblem> problems() {
        return problems;
    }
}
