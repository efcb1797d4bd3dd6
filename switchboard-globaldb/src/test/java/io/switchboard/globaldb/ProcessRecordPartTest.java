package io.switchboard.globaldb;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The record part on a store that can be taken down: the first write at start, one write per tick, failures that
 * never throw and are logged sparingly. The schedule's interval is an hour, so only the ticks the test makes happen.
 */
class ProcessRecordPartTest {
    private static final ProcessKey KEY = new ProcessKey("east", "127.0.0.2", "gate-1");

    private final FlakyDb db = new FlakyDb();
    private final AtomicLong wall = new AtomicLong(1_000_000);
    private final ManualTicker ticker = new ManualTicker();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private ProcessRecordPart part;

    @BeforeEach
    void captureLogs() {
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ProcessRecordPart.class);
        logger.setLevel(Level.INFO);
        logger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        if (part != null) {
            part.close();
        }
        scheduler.shutdownNow();
        Logger logger = (Logger) LoggerFactory.getLogger(ProcessRecordPart.class);
        logger.detachAppender(logs);
        logger.setLevel(null);
    }

    private ProcessRecordPart start() {
        part = ProcessRecordPart.builder(db, KEY).interval(Duration.ofHours(1)).scheduler(scheduler)
                .wallClock(wall::get).ticker(ticker).pid(4242).kind("gate").version("0.1.0").sessions(() -> 7)
                .build();
        part.start();
        return part;
    }

    private Optional<ProcessRecord> record() {
        return db.record(KEY);
    }

    @Test
    void startRecordsTheStartAtOnceAndEachTickRecordsTheProcessAlive() {
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> record().isPresent());
        ProcessRecord first = record().orElseThrow();
        assertThat(first.startCount()).isEqualTo(1);
        assertThat(first.pid()).isEqualTo(4242);
        assertThat(first.lastUpdate()).isEqualTo(1_000_000);
        JsonNode info = first.info();
        assertThat(info.path("kind").asText()).isEqualTo("gate");
        assertThat(info.path("sessions").asInt()).isEqualTo(7);
        assertThat(info.path("heapUsed").asLong()).isPositive();
        assertThat(info.path("heapMax").isNumber()).isTrue();
        assertThat(info.path("cpu").asDouble()).isBetween(-1.0, 1.0);
        assertThat(info.path("version").asText()).isEqualTo("0.1.0");

        wall.addAndGet(1_000);
        part.tick();
        ProcessRecord second = record().orElseThrow();
        assertThat(second.lastUpdate()).isEqualTo(1_001_000);
        assertThat(second.startCount()).as("alive writes do not count starts").isEqualTo(1);
        assertThat(second.isStale(wall.get() + 5 * 1_000, 5 * 1_000)).isFalse();
    }

    @Test
    void aStoreThatIsDownNeverStopsTheProcessAndTheStartIsRecordedOnceItIsBack() {
        db.down = true;
        start();
        await().atMost(Duration.ofSeconds(10)).until(part::isFailing);
        part.tick();
        part.tick();
        assertThat(record()).isEmpty();

        db.down = false;
        wall.addAndGet(3_000);
        part.tick();
        ProcessRecord record = record().orElseThrow();
        assertThat(record.startCount()).isEqualTo(1);
        assertThat(record.lastUpdate()).isEqualTo(1_003_000);
        assertThat(part.isFailing()).isFalse();
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.INFO)
                .anyMatch(e -> e.getFormattedMessage().contains("written again after 3 failed write(s)"));
    }

    @Test
    void failedWritesAreWarnedAboutOncePerInterval() {
        db.down = true;
        start();
        await().atMost(Duration.ofSeconds(10)).until(part::isFailing);
        for (int i = 0; i < 5; i++) {
            part.tick();
        }
        assertThat(warnings()).isEqualTo(1);
        ticker.advance(ProcessRecordPart.LOG_EVERY);
        part.tick();
        assertThat(warnings()).isEqualTo(2);
        assertThat(logs.list.get(logs.list.size() - 1).getFormattedMessage())
                .contains("6 failure(s) since the last warning").contains("globaldb is down");
    }

    private long warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    @Test
    void afterCloseNothingIsWritten() {
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> record().isPresent());
        part.close();
        wall.addAndGet(1_000);
        part.tick();
        assertThat(record().orElseThrow().lastUpdate()).isEqualTo(1_000_000);
    }

    /** An in-memory store whose record writes fail while {@link #down}. */
    private static final class FlakyDb extends ForwardingGlobalDb {
        volatile boolean down;

        FlakyDb() {
            super(new InMemoryGlobalDb(1_000));
        }

        private void check() {
            if (down) {
                throw new GlobalDbException("globaldb is down");
            }
        }

        @Override
        public void recordStart(ProcessKey key, long pid, long nowMillis) {
            check();
            super.recordStart(key, pid, nowMillis);
        }

        @Override
        public void recordAlive(ProcessKey key, long pid, JsonNode info, long nowMillis) {
            check();
            super.recordAlive(key, pid, info, nowMillis);
        }
    }
}
