package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;

/**
 * A group of flags that several scenarios take, declared once as a picocli mixin. {@link ScenarioCommand}
 * applies every such mixin of a scenario, so a scenario only says which groups it takes.
 */
interface SharedFlags {
    void applyTo(BenchOptions.Builder options);
}
