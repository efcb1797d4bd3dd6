package io.switchboard.daemon.supervisor;


import io.switchboard.common.text.LogText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The processes' output files: {@code <dir>/<name>.log}, which the child appends to itself (O_APPEND), rotated by
 * size into {@code <name>.log.1} (newest) … {@code <name>.log.N} by copy and truncate. The child keeps its file
 * open across a rotation, and O_APPEND puts its next write at the new end, so truncating under it is safe; only
 * what it writes between the copy and the truncation is lost.
 */
final class LogFiles {
    /** What an imported world allows as a process name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final Path dir;
    private final long maxBytes;
    private final int backups;
    private final int tailMaxBytes;

    LogFiles(Path dir, long maxBytes, int backups, int tailMaxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.backups = backups;
        this.tailMaxBytes = tailMaxBytes;
    }

    /** The output file of a process, its directory created. */
    Path file(String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log directory " + dir, e);
        }
        return path(name);
    }

    /**
     * {@code <dir>/<name>.log}, refused unless {@code name} is a plain file name: world specs read from globaldb are
     * not checked as an imported file is, and a name such as {@code ../../etc/x} or {@code /tmp/x} would have a child
     * append to, and the rotation truncate, a file outside the directory.
     *
     * @throws IllegalArgumentException for any other name
     */
    private Path path(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a process name for a log file (1-64 of A-Z a-z 0-9 _ -): '"
                    + (name == null ? null : LogText.printable(name)) + "'");
        }
        return dir.resolve(name + ".log");
    }

    /** Rotates the process's file if it is larger than the limit; whether it did. */
    boolean rotateIfLarge(String name) throws IOException {
        Path file = path(name);
        if (!Files.exists(file) || Files.size(file) <= maxBytes) {
            return false;
        }
        for (int i = backups - 1; i >= 1; i--) {
            Path older = backup(file, i);
            if (Files.exists(older)) {
                Files.move(older, backup(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(file, backup(file, 1), StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        return true;
    }

    private static Path backup(Path file, int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    /** The last {@code maxLines} lines of the process's current file, reading at most the configured bytes. */
    List<String> tail(String name, int maxLines) throws IOException {
        if (maxLines <= 0) {
            return List.of();
        }
        try (FileChannel channel = FileChannel.open(path(name), StandardOpenOption.READ)) {
            long size = channel.size();
            long from = Math.max(0, size - tailMaxBytes);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // reads until the end seen at open; the child may append more meanwhile
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            if (from > 0 && !lines.isEmpty()) {
                lines.remove(0); // cut in the middle of a line
            }
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1); // the text after the last newline
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
