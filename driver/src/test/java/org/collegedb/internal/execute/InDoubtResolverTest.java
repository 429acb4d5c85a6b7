package org.collegedb.internal.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Map;
import org.collegedb.internal.config.CollegeConfig;
import org.junit.jupiter.api.Test;

/**
 * The periodic in-doubt passes of a configuration run while one of its logical connections is open, and stop when the
 * last one closes (each pass connects to every shard: a JVM that used many configurations once must not keep
 * connecting to all their shards). No server is needed: a pass that cannot connect waits for the next one.
 */
class InDoubtResolverTest {
  private static CollegeConfig config(String name) throws SQLException {
    return CollegeConfig.of(Map.of("shards.s1.url", "jdbc:postgresql://127.0.0.1:1/" + name,
        "shards.s2.url", "jdbc:mariadb://127.0.0.1:1/" + name, "transactions.recoveryInterval", "3600"));
  }

  @Test
  void passesRunWhileAConnectionHoldsTheConfiguration() throws SQLException {
    CollegeConfig config = config("resolver_holds");
    assertThat(InDoubtResolver.scheduled(config)).isFalse();
    InDoubtResolver.Lease first = InDoubtResolver.start(config);
    InDoubtResolver.Lease second = InDoubtResolver.start(config);
    assertThat(InDoubtResolver.scheduled(config)).isTrue();
    first.close();
    assertThat(InDoubtResolver.scheduled(config)).as("one connection still open").isTrue();
    first.close(); // a second close releases nothing more
    assertThat(InDoubtResolver.scheduled(config)).isTrue();
    second.close();
    assertThat(InDoubtResolver.scheduled(config)).as("every connection closed").isFalse();
    try (InDoubtResolver.Lease again = InDoubtResolver.start(config)) {
      assertThat(InDoubtResolver.scheduled(config)).as("a new connection resumes the passes").isTrue();
    }
    assertThat(InDoubtResolver.scheduled(config)).isFalse();
  }

  @Test
  void shardConnectionsHoldThePassesUntilClosed() throws SQLException {
    CollegeConfig config = config("resolver_connections");
    ShardConnections shards = ShardConnections.open(config); // lazy: connects to nothing
    assertThat(InDoubtResolver.scheduled(config)).isTrue();
    shards.close();
    assertThat(InDoubtResolver.scheduled(config)).isFalse();
  }

  @Test
  void shardsThatCannotPrepareHaveNoPasses() throws SQLException {
    CollegeConfig config = CollegeConfig.of(Map.of("shards.s1.url", "jdbc:h2:mem:resolver_none"));
    try (InDoubtResolver.Lease lease = InDoubtResolver.start(config)) {
      assertThat(InDoubtResolver.scheduled(config)).isFalse();
    }
  }
}
