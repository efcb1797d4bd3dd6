package io.switchboard.resource.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test conf directories: the seed's files as written ({@code /seed}) and the mended worked example ({@code /example}). */
public final class ConfDirs {
    private ConfDirs() {
    }

    /** Copies the test resource folder {@code name} into {@code target} and returns {@code target}. */
    public static Path copy(String name, Path target) {
        try (Stream<Path> files = Files.list(Path.of(ConfDirs.class.getResource("/" + name).toURI()))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName().toString()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the first {@code from} with {@code to} in {@code file}. */
    public static void edit(Path file, String from, String to) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (!text.contains(from)) {
                throw new IllegalArgumentException(file + " has no " + from);
            }
            Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from),
                    java.util.regex.Matcher.quoteReplacement(to)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
