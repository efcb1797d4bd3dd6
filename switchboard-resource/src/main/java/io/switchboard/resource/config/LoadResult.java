package io.switchboard.resource.config;

import java.util.List;

/**
 * What reading a conf directory gave: the config when there was no error, and every problem found (errors and
 * warnings, in the order found).
 */
public record LoadResult(ResourceConfig config, List<ConfigProblem> problems) {

    public LoadResult {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return config != null;
    }

    public List<ConfigProblem> errors() {
        return problems.stream().filter(ConfigProblem::isError).toList();
    }

    public List<ConfigProblem> warnings() {
        return problems.stream().filter(problem -> !problem.isError()).toList();
    }
}
