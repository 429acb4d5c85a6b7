package org.collegedb.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.collegedb.ShardChooser;
import org.junit.jupiter.api.Test;

class DirectoryConfigTest {
  /** A chooser for the configuration tests. */
  public static final class FirstShard implements ShardChooser {
    @Override
    public String choose(String table, List<Object> key, List<String> eligible) {
      return eligible.get(0);
    }
  }

  private static CollegeConfig config(String... kv) throws SQLException {
    Map<String, String> m = new TreeMap<>();
    m.put("shards.s1.url", "jdbc:h2:mem:a");
    m.put("shards.s2.url", "jdbc:h2:mem:b");
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return CollegeConfig.of(m);
  }

  private static void rejects(String message, String... kv) {
    assertThatThrownBy(() -> config(kv)).isInstanceOf(SQLException.class).hasMessageContaining(message)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("HY024");
  }

  @Test
  void defaultsAreHashWithoutPlacementsAndHashedKeys() throws SQLException {
    DirectorySpec d = config().directory();
    assertThat(d.strategy()).isEqualTo(DirectorySpec.Strategy.HASH);
    assertThat(d.placesKeys()).isFalse();
    assertThat(d.hashKeys()).isTrue();
    assertThat(d.cacheSize()).isEqualTo(100_000);
    assertThat(d.maxShardSize()).isZero();
  }

  @Test
  void readsEveryDirectorySetting() throws SQLException {
    CollegeConfig c = config("directory.url", "jdbc:h2:mem:dir", "directory.secret", "k", "directory.cacheSize", "0",
        "directory.blockSize", "7", "strategy", "mixed", "strategy.write", "range", "strategy.read", "all",
        "tables.users.ranges", "10000-19999:s2, 0-9999:s1", "tables.users.lookup", "Email,username",
        "maxShardSize", "1000", "sizeCheckInterval", "2", "targetRegion", "weur");
    DirectorySpec d = c.directory();
    assertThat(d.writeStrategy()).isEqualTo(DirectorySpec.Strategy.RANGE);
    assertThat(d.readAll()).isTrue();
    assertThat(d.placesKeys()).isTrue();
    assertThat(d.rangeOf("users", 5).shard()).isEqualTo("s1");
    assertThat(d.rangeOf("users", 10000).shard()).isEqualTo("s2");
    assertThat(d.rangeOf("users", 20000)).isNull();
    assertThat(c.table("users").lookup()).containsExactly("email", "username");
    assertThat(d.blockSize()).isEqualTo(7);
    assertThat(d.sizeCheckMillis()).isEqualTo(2000);
    assertThat(config("strategy", "custom", "strategy.class", FirstShard.class.getName()).directory().chooser())
        .isEqualTo(FirstShard.class);
  }

  @Test
  void refusesWhatIsWrong() {
    rejects("'strategy' must be one of", "strategy", "consistent");
    rejects("need 'strategy=mixed'", "strategy.read", "all");
    rejects("'strategy.read' must be 'hash' or 'all'", "strategy", "mixed", "strategy.read", "random");
    rejects("needs 'strategy.class=", "strategy", "custom");
    rejects("is not on the class path", "strategy", "custom", "strategy.class", "no.such.Chooser");
    rejects("does not implement", "strategy", "custom", "strategy.class", "java.lang.String");
    rejects("needs 'strategy=range'", "tables.t.ranges", "0-9:s1");
    rejects("overlap", "strategy", "range", "tables.t.ranges", "0-9:s1,5-19:s2");
    rejects("not configured", "strategy", "range", "tables.t.ranges", "0-9:s9");
    rejects("is not <from>-<to>:<shard>", "strategy", "range", "tables.t.ranges", "0..9:s1");
    rejects("'maxShardSize' must be", "maxShardSize", "0");
    rejects("'directory.hashKeys' must be true or false", "directory.hashKeys", "maybe");
    rejects("unknown configuration key 'directory.nope'", "directory.nope", "1");
    rejects("'directory.placements=off' contradicts", "directory.placements", "off", "strategy", "random");
    rejects("broadcast table", "tables.t.broadcast", "true", "tables.t.lookup", "a");
    rejects("names a column twice", "tables.t.lookup", "a, A");
    rejects("'directory.url' points at CollegeDB", "directory.url", "jdbc:collegedb:x");
  }

  @Test
  void theDefaultDirectoryIsAFileBesideTheConfiguration() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cdb-conf");
    java.nio.file.Path file = dir.resolve("app.properties");
    java.nio.file.Files.writeString(file, "shards.s1.url=jdbc:h2:mem:x\n");
    assertThat(ConfigLoader.load("jdbc:collegedb:" + file, null).get("directory.url"))
        .isEqualTo("jdbc:sqlite:" + dir.resolve("app.directory.db"));
    java.util.Properties p = new java.util.Properties();
    p.setProperty("shards.s1.url", "jdbc:h2:mem:x");
    String a = ConfigLoader.load("jdbc:collegedb:", p).get("directory.url");
    assertThat(a).matches("jdbc:sqlite:.*collegedb-[0-9a-f]{8}\\.directory\\.db");
    p.setProperty("shards.s1.url", "jdbc:h2:mem:y");
    assertThat(ConfigLoader.load("jdbc:collegedb:", p).get("directory.url")).isNotEqualTo(a);
    p.setProperty("directory.url", "jdbc:h2:mem:dir");
    assertThat(ConfigLoader.load("jdbc:collegedb:", p).get("directory.url")).isEqualTo("jdbc:h2:mem:dir");
  }
}
