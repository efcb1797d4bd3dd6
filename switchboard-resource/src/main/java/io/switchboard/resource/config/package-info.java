/**
 * Reading and checking the conf directory: {@link io.switchboard.resource.config.ConfigLoader} turns the files into an
 * immutable {@link io.switchboard.resource.config.ResourceConfig} or a list of
 * {@link io.switchboard.resource.config.ConfigProblem}s, each with file, line and column.
 */
package io.switchboard.resource.config;
