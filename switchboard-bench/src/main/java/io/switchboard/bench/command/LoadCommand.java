package io.switchboard.bench.command;

import picocli.CommandLine.Mixin;

/** A scenario that drives load against a target: every one but jmh takes these flags. */
abstract class LoadCommand extends ScenarioCommand {

    @Mixin
    TargetFlags target;

    @Mixin
    GeneratorFlags generator;
}
