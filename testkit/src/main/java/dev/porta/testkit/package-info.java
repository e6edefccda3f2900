/**
 * Porta's testkit: {@link dev.porta.testkit.PortaTestServer} runs a real Porta in a plugin's tests. Add
 * {@code dev.porta:porta-testkit} with scope {@code test} (installed by {@code ./porta sdk}).
 */
package dev.porta.testkit;
