/** Benchmarks: JMH micro-benchmarks and the load generator that bench/run.sh drives. */
package io.strata.bench;
