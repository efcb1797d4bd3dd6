package io.switchboard.resource.internal;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One view of {@code /v1} as a blocking query sees it: the index of its last change, and its answer now. A watch
 * parked at index N is answered once {@link #index} passes N, with {@link #answer} at that moment.
 */
interface ApiQuery {
    long index();

    ApiAnswer answer();

    static ApiQuery of(LongSupplier index, Supplier<ApiAnswer> answer) {
        return new ApiQuery() {
            @Override
            public long index() {
                return index.getAsLong();
            }

            @Override
            public ApiAnswer answer() {
                return answer.get();
            }
        };
    }
}
