package io.switchboard.resource.config;

import com.fasterxml.jackson.core.JsonLocation;

import java.util.ArrayList;
import java.util.List;

/** The problems found while loading one conf directory, in the order found. */
final class Problems {
    private final List<ConfigProblem> found = new ArrayList<>();

    void error(String file, int line, int column, String message) {
        found.add(new ConfigProblem(ConfigProblem.Severity.ERROR, file, line, column, message));
    }

    void error(ConfFile file, String pointer, String message) {
        add(ConfigProblem.Severity.ERROR, file, pointer, message);
    }

    void warning(ConfFile file, String pointer, String message) {
        add(ConfigProblem.Severity.WARNING, file, pointer, message);
    }

    private void add(ConfigProblem.Severity severity, ConfFile file, String pointer, String message) {
        JsonLocation at = file.place(pointer);
        found.add(new ConfigProblem(severity, file.name(), at == null ? 0 : at.getLineNr(),
                at == null ? 0 : at.getColumnNr(), message));
    }

    boolean hasErrors() {
        return found.stream().anyMatch(ConfigProblem::isError);
    }

    List<ConfigProblem> all() {
        return found;
    }
}
