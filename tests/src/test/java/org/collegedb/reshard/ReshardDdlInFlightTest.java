package org.collegedb.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.collegedb.admin.CollegeAdmin;
import org.collegedb.internal.reshard.Reshard;
import org.collegedb.testing.TestShards.Backend;
import org.junit.jupiter.api.Test;

/**
 * A reshard started while a schema change is in flight through another driver instance waits for it: the change
 * ({@code ALTER TABLE users ADD COLUMN}) is held on shard s1 by a write lock taken there directly, the reshard that
 * adds a fifth shard starts meanwhile, and only when the lock is let go do both go on. The joining shard then has the
 * new column (the reshard read the tables after the change), every row is on exactly one shard with its value of the
 * column, and verify finds nothing. Without the wait, the reshard read the tables before the change and created the
 * fifth shard's table without the column.
 */
class ReshardDdlInFlightTest {
  private static final int USERS = 120;

  @Test
  void aReshardWaitsForASchemaChangeInFlight() throws Exception {
    ReshardFixture f = new ReshardFixture(Backend.SQLITE, "reshard_ddl_flight", 5, false);
    try (Connection four = ReshardFixture.connect(f.config(ReshardFixture.names(1, 4)))) {
      f.createTables(four);
      ReshardFixture.insertUsers(four, 1, USERS);
    }
    List<String> steps = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ddl;
    CompletableFuture<Reshard.Result> reshard;
    try (Connection lock = f.shards.direct(0); Statement s = lock.createStatement()) {
      s.execute("BEGIN IMMEDIATE"); // holds the schema change on s1 (SQLite waits up to its busy timeout, 3 s)
      ddl = CompletableFuture.runAsync(() -> {
        // an instance configured with the joining shard, as every instance is before a reshard (the same directory)
        try (Connection c = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
          ReshardFixture.exec(c, "ALTER TABLE users ADD COLUMN extra INTEGER");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(400);
      reshard = CompletableFuture.supplyAsync(() -> {
        try (Connection c = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
          return CollegeAdmin.of(c).reshard(Reshard.Options.defaults().graceMillis(0),
              (step, done, total) -> steps.add(step));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(1000);
      assertThat(ddl).isNotDone();
      assertThat(steps).as("the reshard waits for the schema change").doesNotContain("prepare", "copy")
          .contains("waiting for a schema change");
      s.execute("COMMIT");
    }
    ddl.get(30, TimeUnit.SECONDS);
    assertThat(reshard.get(60, TimeUnit.SECONDS).state()).isEqualTo("done");
    try (Connection five = ReshardFixture.connect(f.config(ReshardFixture.names(1, 5)))) {
      ReshardFixture.exec(five, "UPDATE users SET extra = id * 2");
      Set<Long> ids = new TreeSet<>();
      try (Statement q = five.createStatement(); ResultSet rs = q.executeQuery("SELECT id, extra FROM users")) {
        while (rs.next()) {
          assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1) * 2);
          ids.add(rs.getLong(1));
        }
      }
      assertThat(ids).hasSize(USERS);
      ReshardFixture.assertVerified(five);
    }
    try (Connection s5 = f.shards.direct(4); Statement q = s5.createStatement();
         ResultSet rs = q.executeQuery("SELECT COUNT(*), COUNT(extra) FROM users")) {
      rs.next();
      assertThat(rs.getLong(1)).as("rows moved to the joining shard").isPositive();
      assertThat(rs.getLong(2)).as("with the column added while the reshard started").isEqualTo(rs.getLong(1));
    }
    Set<Long> expected = new TreeSet<>();
    for (long id = 1; id <= USERS; id++) {
      expected.add(id);
    }
    f.assertExactlyOnce("users", 5, expected);
  }
}
