package io.switchboard.bench.jmh;

import io.switchboard.protocol.RouteDictionary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Route dictionary lookups over a 64-route dictionary, both ways, cycling through the routes so that no
 * single lookup is constant-folded. The route strings' hashes are cached, as they are for the interned
 * routes a server writes; a gate reading route strings off the wire pays for hashing on top.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1)
public class RouteDictionaryBenchmark {
    private static final int ROUTES = 64;

    private RouteDictionary dictionary;
    private String[] routes;
    private int[] codes;
    private int next;

    @Setup
    public void setUp() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ROUTES; i++) {
            names.add("service" + (i % 8) + ".handler" + i + ".method");
        }
        dictionary = RouteDictionary.of(Map.of(), names);
        routes = new String[ROUTES];
        codes = new int[ROUTES];
        for (int i = 0; i < ROUTES; i++) {
            routes[i] = names.get(i);
            codes[i] = dictionary.codeOf(names.get(i));
        }
    }

    @Benchmark
    public int codeOf() {
        return dictionary.codeOf(routes[next++ & (ROUTES - 1)]);
    }

    @Benchmark
    public String routeOf() {
        return dictionary.routeOf(codes[next++ & (ROUTES - 1)]);
    }
}
