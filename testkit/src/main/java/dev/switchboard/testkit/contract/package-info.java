/**
 * A JUnit 5 contract test that every backend type can extend to check what the host relies on.
 */
package dev.switchboard.testkit.contract;
