package io.switchboard.resource.internal;

import io.switchboard.common.time.Ticker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Notices a change in the conf directory by polling, on the injected ticker: every {@code every} it lists the
 * directory's files with their size and modification time, and reports a change when that list differs. Polling a
 * handful of small local files costs nothing and, unlike a {@code WatchService}, sees edits made through any path
 * (symlink swaps, editors that replace the file) and runs on the manager's clock.
 */
public final class ConfigWatcher {
    private final Path dir;
    private final Ticker ticker;
    private final long everyNanos;
    private Map<String, String> seen = Map.of();
    private long lastCheck;

    public ConfigWatcher(Path dir, Ticker ticker, Duration every) {
        this.dir = dir;
        this.ticker = ticker;
        this.everyNanos = every.toNanos();
        this.lastCheck = ticker.nanoTime();
    }

    /** Takes the directory as it is now as the known state. */
    public void baseline() {
        seen = fingerprint();
        lastCheck = ticker.nanoTime();
    }

    /** Whether the directory changed since the last look; looks at most once per period. */
    public boolean changed() {
        long now = ticker.nanoTime();
        if (now - lastCheck < everyNanos) {
            return false;
        }
        lastCheck = now;
        Map<String, String> current = fingerprint();
        if (current.equals(seen)) {
            return false;
        }
        seen = current;
        return true;
    }

    private Map<String, String> fingerprint() {
        Map<String, String> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    files.put(entry.getFileName().toString(), attributes.size() + "@" + attributes.lastModifiedTime());
                }
            }
        } catch (IOException e) {
            // A directory that cannot be listed is a change too: the reload reports why.
            files.put("", e.toString());
        }
        return files;
    }
}
