package io.switchboard.resource.internal;

import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The conf directory's poll: when it looks, and that an I/O error while listing is a change, never a throw. */
class ConfigWatcherTest {
    private static final Duration EVERY = Duration.ofSeconds(1);

    @TempDir
    Path dir;
    private final ManualTicker ticker = new ManualTicker();
    private Supplier<RuntimeException> failure;

    @Test
    void looksOncePerPeriodAndSeesAChangedFile() throws IOException {
        ConfigWatcher watcher = new ConfigWatcher(dir, ticker, EVERY, Files::newDirectoryStream);
        Files.writeString(dir.resolve("module.conf"), "{}");
        watcher.baseline();

        assertThat(watcher.due()).isFalse();
        ticker.advance(EVERY);
        assertThat(watcher.due()).isTrue();
        assertThat(watcher.due()).isFalse();
        assertThat(watcher.changed()).isFalse();
        Files.writeString(dir.resolve("module.conf"), "{ }");
        assertThat(watcher.changed()).isTrue();
        assertThat(watcher.changed()).isFalse();
    }

    @Test
    void anErrorWhileIteratingTheDirectoryIsAChangeNotAThrow() throws IOException {
        Files.writeString(dir.resolve("module.conf"), "{}");
        ConfigWatcher watcher = new ConfigWatcher(dir, ticker, EVERY, this::list);
        watcher.baseline();

        // What the JDK throws for an I/O error met while iterating, and what wraps one elsewhere: both unchecked.
        failure = () -> new DirectoryIteratorException(new IOException("Input/output error"));
        assertThat(watcher.changed()).isTrue();
        assertThat(watcher.changed()).as("the same error again is no new change").isFalse();
        failure = () -> new UncheckedIOException(new IOException("Stale file handle"));
        assertThat(watcher.changed()).isTrue();

        failure = null;
        assertThat(watcher.changed()).as("listed again: back to the files").isTrue();
        assertThat(watcher.changed()).isFalse();
    }

    /** The real listing, whose iteration throws {@link #failure} when one is set. */
    private DirectoryStream<Path> list(Path path) throws IOException {
        DirectoryStream<Path> real = Files.newDirectoryStream(path);
        Supplier<RuntimeException> failing = failure;
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> entries = real.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        if (failing != null) {
                            throw failing.get();
                        }
                        return entries.hasNext();
                    }

                    @Override
                    public Path next() {
                        return entries.next();
                    }
                };
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }
}
