package io.switchboard.resource.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.switchboard.resource.config.ConfigLoader;
import io.switchboard.resource.config.LoadResult;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Looks at the conf directory off the manager's loop: the listing ({@link ConfigWatcher}) and the read of a changed
 * directory ({@link ConfigLoader}) run on a thread of their own, one look at a time, so a slow disk never stalls the
 * loop that serves {@code /v1}, and a disk that hangs holds back reloads without queueing looks; what was read is
 * handed back to the loop. Everything but that thread's work is confined to the loop.
 */
public final class ConfReader implements AutoCloseable {
    private final Path conf;
    private final ConfigWatcher watcher;
    private final EventLoop loop;
    private final Consumer<LoadResult> apply;
    private final BiConsumer<String, Throwable> failed;
    private final ExecutorService reader =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("switchboard-resource-conf", true));
    /** The look under way, if any. */
    private Promise<Void> looking;
    /** Set once the manager closes; a look that ends later is dropped. */
    private boolean closed;

    /**
     * @param apply  on the loop: a changed directory, as read
     * @param failed on the loop: a step that failed, and how
     */
    public ConfReader(Path conf, ConfigWatcher watcher, EventLoop loop, Consumer<LoadResult> apply,
                      BiConsumer<String, Throwable> failed) {
        this.conf = conf;
        this.watcher = watcher;
        this.loop = loop;
        this.apply = apply;
        this.failed = failed;
    }

    /** On the loop: starts a look when one is due; the future ends once it (or the one under way) is applied. */
    public Future<Void> look() {
        if (looking != null) {
            return looking;
        }
        if (closed || !watcher.due()) {
            return loop.newSucceededFuture(null);
        }
        Promise<Void> look = loop.newPromise();
        looking = look;
        try {
            reader.execute(() -> {
                LoadResult result = null;
                Throwable failure = null;
                try {
                    result = watcher.changed() ? ConfigLoader.load(conf) : null;
                } catch (Throwable e) {
                    // Handed to the loop, which reports it; without an answer no look would ever start again.
                    failure = e;
                }
                LoadResult read = result;
                Throwable failedWith = failure;
                try {
                    loop.execute(() -> looked(look, read, failedWith));
                } catch (RejectedExecutionException stopping) {
                    // The loop is gone with the manager: nothing is left to apply this to.
                }
            });
        } catch (RejectedExecutionException stopping) {
            looking = null;
            look.trySuccess(null);
        }
        return look;
    }

    private void looked(Promise<Void> look, LoadResult result, Throwable failure) {
        looking = null;
        try {
            if (closed) {
                return;
            }
            if (failure != null) {
                failed.accept("looking at the conf directory", failure);
            } else if (result != null) {
                apply.accept(result);
            }
        } catch (RuntimeException e) {
            failed.accept("reloading the conf directory", e);
        } finally {
            look.trySuccess(null);
        }
    }

    /** On the loop: no look is applied from now on, and the one under way is told done. */
    public void stop() {
        closed = true;
        if (looking != null) {
            looking.trySuccess(null);
        }
    }

    /** Stops the reading thread; any thread. */
    @Override
    public void close() {
        reader.shutdownNow();
    }
}
