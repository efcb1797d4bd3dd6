package io.switchboard.globaldb;

/**
 * One thing wrong with a world file: where (file, line and column, and the JSON path when the JSON itself was
 * readable) and what.
 */
public record WorldProblem(String source, int line, int column, String path, String message) {

    @Override
    public String toString() {
        return source + ':' + line + ':' + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
