package org.collegedb.clients;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.collegedb.jdbc.CollegeDataSource;
import org.collegedb.testing.TestShards;

/** Configuration files and pools for the client tests, as an application would set them up. */
public final class Configs {
  private Configs() {
  }

  /** A YAML configuration file for the shards, as an application would ship it. */
  public static Path configFile(TestShards shards, String... tableSettings) throws Exception {
    StringBuilder yaml = new StringBuilder("shards:\n");
    Properties p = shards.properties();
    for (String name : shards.names()) {
      yaml.append("  ").append(name).append(":\n");
      yaml.append("    url: \"").append(p.getProperty("shards." + name + ".url")).append("\"\n");
      if (p.getProperty("shards." + name + ".user") != null) {
        yaml.append("    user: ").append(p.getProperty("shards." + name + ".user")).append('\n');
      }
    }
    if (tableSettings.length > 0) {
      yaml.append("tables:\n");
      for (int i = 0; i + 1 < tableSettings.length; i += 2) {
        yaml.append("  ").append(tableSettings[i]).append(":\n    key: ").append(tableSettings[i + 1]).append('\n');
      }
    }
    Path file = Files.createTempDirectory("cdb-config").resolve("collegedb.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  public static HikariDataSource pool(Path config) {
    HikariConfig hc = new HikariConfig();
    hc.setDataSourceClassName(CollegeDataSource.class.getName());
    hc.addDataSourceProperty("configLocation", config.toString());
    hc.setMaximumPoolSize(2);
    hc.setConnectionTimeout(10_000);
    return new HikariDataSource(hc);
  }
}
