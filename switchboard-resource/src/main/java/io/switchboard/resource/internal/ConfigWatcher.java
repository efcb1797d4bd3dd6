package io.switchboard.resource.internal;

import io.switchboard.common.time.Ticker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Notices a change in the conf directory by polling, on the injected ticker: every {@code every} it lists the
 * directory's files with their size and modification time, and reports a change when that list differs. Polling a
 * handful of small local files costs nothing and, unlike a {@code WatchService}, sees edits made through any path
 * (symlink swaps, editors that replace the file) and runs on the manager's clock.
 *
 * <p>{@link #due} runs on the manager's loop; {@link #changed} touches the disk, so it runs on the thread that reads
 * the conf directory, one call at a time.
 */
public final class ConfigWatcher {
    /** Opens the directory's listing: {@link Files#newDirectoryStream(Path)}; tests pass one that stalls or fails. */
    @FunctionalInterface
    public interface Lister {
        DirectoryStream<Path> list(Path dir) throws IOException;
    }

    private final Path dir;
    private final Ticker ticker;
    private final long everyNanos;
    private final Lister lister;
    private Map<String, String> seen = Map.of();
    private long lastCheck;

    public ConfigWatcher(Path dir, Ticker ticker, Duration every, Lister lister) {
        this.dir = dir;
        this.ticker = ticker;
        this.everyNanos = every.toNanos();
        this.lister = Objects.requireNonNull(lister, "lister");
        this.lastCheck = ticker.nanoTime();
    }

    /** Takes the directory as it is now as the known state. */
    public void baseline() {
        seen = fingerprint();
    }

    /** Whether a look at the directory is due: at most one per period. */
    public boolean due() {
        long now = ticker.nanoTime();
        if (now - lastCheck < everyNanos) {
            return false;
        }
        lastCheck = now;
        return true;
    }

    /** Whether the directory changed since the last look (or the baseline). */
    public boolean changed() {
        Map<String, String> current = fingerprint();
        if (current.equals(seen)) {
            return false;
        }
        seen = current;
        return true;
    }

    private Map<String, String> fingerprint() {
        Map<String, String> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = lister.list(dir)) {
            for (Path entry : entries) {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    files.put(entry.getFileName().toString(), attributes.size() + "@" + attributes.lastModifiedTime());
                }
            }
        } catch (IOException | DirectoryIteratorException | UncheckedIOException e) {
            // A directory that cannot be listed is a change too: the reload reports why. An error while iterating
            // comes unchecked (DirectoryIteratorException), but it is the same I/O error.
            files.clear();
            files.put("", e.toString());
        }
        return files;
    }
}
