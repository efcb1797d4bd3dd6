package io.switchboard.runtime;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the distinct values of each tag of each Switchboard meter (Micrometer's
 * {@link MeterFilter#maximumAllowableTags}, one per meter name and tag key): past the cap a new series is denied (its
 * meter counts nothing) and a warning says so once. Switchboard's tags are fixed sets; this is the second line of
 * defence should one ever take its values from what clients send.
 */
public final class TagValueCap implements MeterFilter {
    /** Meters whose names start with this are capped: {@code switchboard.gate.kicks}, {@code switchboard_workers_...}. */
    public static final String METER_PREFIX = "switchboard";
    /** Far above any fixed set (kick reasons, a node's routes), far below what would hurt a scrape. */
    public static final int MAX_VALUES_PER_TAG = 1000;

    private static final Logger log = LoggerFactory.getLogger(TagValueCap.class);
    private static final char KEY_SEPARATOR = ' ';

    private final int maxValues;
    private final ConcurrentHashMap<String, MeterFilter> caps = new ConcurrentHashMap<>();

    public TagValueCap() {
        this(MAX_VALUES_PER_TAG);
    }

    public TagValueCap(int maxValues) {
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues must be positive: " + maxValues);
        }
        this.maxValues = maxValues;
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        if (!id.getName().startsWith(METER_PREFIX)) {
            return MeterFilterReply.NEUTRAL;
        }
        for (Tag tag : id.getTagsAsIterable()) {
            if (capOf(id.getName(), tag.getKey()).accept(id) == MeterFilterReply.DENY) {
                return MeterFilterReply.DENY;
            }
        }
        return MeterFilterReply.NEUTRAL;
    }

    private MeterFilter capOf(String name, String tagKey) {
        return caps.computeIfAbsent(name + KEY_SEPARATOR + tagKey,
                key -> MeterFilter.maximumAllowableTags(name, tagKey, maxValues, denyOnce(name, tagKey)));
    }

    /** Denies the series past the cap; warns on the first. */
    private MeterFilter denyOnce(String name, String tagKey) {
        return new MeterFilter() {
            private volatile boolean warned;

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                if (!warned) {
                    warned = true;
                    log.warn("meter {} already has {} values of tag {}: new ones are not recorded", name, maxValues,
                            tagKey);
                }
                return MeterFilterReply.DENY;
            }
        };
    }
}
