/**
 * The {@code bench} command line on picocli: {@link io.switchboard.bench.command.BenchCommand} with one
 * subcommand per {@link io.switchboard.bench.Scenario}, whose flags fill a
 * {@link io.switchboard.bench.BenchOptions.Builder}. Flag groups that several scenarios take are mixins.
 */
package io.switchboard.bench.command;
