package org.collegedb.reshard;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes the instances a test class creates look for a newer shard map every {@link #CHECK_MILLIS} instead of every
 * second (the driver's test-only property {@code collegedb.test.mapCheckMillis}), so that a reshard can wait
 * {@link ReshardFixture#GRACE_MILLIS} rather than the production grace for them to learn a motion or a new map: the
 * same protocol, a fraction of the sleeping.
 */
final class FastMapChecks implements BeforeAllCallback, AfterAllCallback {
  static final long CHECK_MILLIS = 200;

  @Override
  public void beforeAll(ExtensionContext context) {
    System.setProperty("collegedb.test.mapCheckMillis", Long.toString(CHECK_MILLIS));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    System.clearProperty("collegedb.test.mapCheckMillis");
  }
}
