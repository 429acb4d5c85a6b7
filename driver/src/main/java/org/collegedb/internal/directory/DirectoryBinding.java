package org.collegedb.internal.directory;

import org.collegedb.internal.schema.CreateIfMissing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.execute.BackendDrivers;

/**
 * Ties a set of shards to one directory. The directory has an id ({@code directory_id} in its meta table) and records
 * the shards it serves ({@code served_shards}); every shard records the directory that serves it in
 * {@value #TABLE}. A second directory for the same shards (the default SQLite directory beside a copy of the
 * configuration in another folder) would lose lookup entries, placements and key counters: when the directory is
 * first opened, shards bound to another directory make it fail with a message that says to set
 * {@code directory.url}.
 */
final class DirectoryBinding {
  static final String TABLE = "collegedb_directory_binding";
  private static final String SCHEMA = "collegedb_internal";

  private DirectoryBinding() {
  }

  /** A shard's record of its directory. */
  record Bound(String shard, String directoryId, String directoryUrl) {
  }

  private static String table(Connection shard) throws SQLException {
    String product = shard.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    boolean ownSchema = product.contains("postgres") || product.equals("h2");
    if (ownSchema) {
      CreateIfMissing.run(shard, "CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
    }
    String t = (ownSchema ? SCHEMA + "." : "") + TABLE;
    CreateIfMissing.run(shard, "CREATE TABLE IF NOT EXISTS " + t + " (directory_id VARCHAR(64) NOT NULL PRIMARY KEY, "
        + "directory_url VARCHAR(2000) NOT NULL, bound BIGINT NOT NULL)");
    return t;
  }

  /** The directories a shard records (normally one; none before it was first served). */
  static List<Bound> read(String name, Connection shard) throws SQLException {
    List<Bound> out = new ArrayList<>();
    try (Statement s = shard.createStatement();
         ResultSet rs = s.executeQuery("SELECT directory_id, directory_url FROM " + table(shard))) {
      while (rs.next()) {
        out.add(new Bound(name, rs.getString(1), rs.getString(2)));
      }
    }
    return out;
  }

  /** Whether any of the shards records a directory. */
  static boolean anyBound(List<String> names, List<Connection> shards) throws SQLException {
    for (int i = 0; i < shards.size(); i++) {
      if (!read(names.get(i), shards.get(i)).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** This directory's id, made on its first opening. */
  static String directoryId(DirectoryStore store, Connection dir) throws SQLException {
    store.insertIfAbsent(dir, DirectoryStore.META, new String[] {"meta_name", "meta_value"},
        new Object[] {"directory_id", UUID.randomUUID().toString()});
    return meta(dir, "directory_id");
  }

  static String meta(Connection dir, String name) throws SQLException {
    try (PreparedStatement ps = dir.prepareStatement("SELECT meta_value FROM " + DirectoryStore.META
        + " WHERE meta_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /**
   * Checks, with the directory's connection (in auto-commit mode), that no shard is served by another directory,
   * binds the shards that record none, and records the configured shards as those this directory serves.
   */
  static void verify(DirectoryStore store, Connection dir, CollegeConfig config) throws SQLException {
    String id = directoryId(store, dir);
    List<ShardSpec> specs = config.shards();
    List<Connection> shards = new ArrayList<>();
    try {
      for (ShardSpec spec : specs) {
        shards.add(BackendDrivers.connect(spec));
      }
      Map<String, List<Bound>> others = new LinkedHashMap<>();
      for (int i = 0; i < specs.size(); i++) {
        String name = specs.get(i).name();
        List<Bound> bound = read(name, shards.get(i));
        if (bound.isEmpty()) {
          bind(shards.get(i), id, store.url());
          bound = read(name, shards.get(i)); // another instance may have bound it at the same moment
        }
        for (Bound b : bound) {
          if (!b.directoryId().equals(id)) {
            others.computeIfAbsent(b.directoryUrl(), k -> new ArrayList<>()).add(b);
          }
        }
      }
      if (!others.isEmpty()) {
        throw anotherDirectory(others, store.url());
      }
      List<String> names = new ArrayList<>();
      for (ShardSpec spec : specs) {
        names.add(spec.name());
      }
      String served = String.join(",", names);
      if (!store.insertIfAbsent(dir, DirectoryStore.META, new String[] {"meta_name", "meta_value"},
          new Object[] {"served_shards", served})) {
        try (PreparedStatement ps = dir.prepareStatement("UPDATE " + DirectoryStore.META
            + " SET meta_value = ? WHERE meta_name = 'served_shards'")) {
          ps.setString(1, served);
          ps.executeUpdate();
        }
      }
    } finally {
      for (Connection c : shards) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // a short-lived connection of the check; the shard's own errors were reported above
        }
      }
    }
  }

  private static void bind(Connection shard, String id, String url) throws SQLException {
    try (PreparedStatement ps = shard.prepareStatement("INSERT INTO " + table(shard)
        + " (directory_id, directory_url, bound) VALUES (?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, url);
      ps.setLong(3, System.currentTimeMillis());
      ps.executeUpdate();
    } catch (SQLException e) {
      if (!shard.isValid(5)) {
        throw e;
      }
      // the same directory bound it first (same id): read() shows what is there
    }
  }

  private static SQLException anotherDirectory(Map<String, List<Bound>> others, String ours) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<Bound>> e : others.entrySet()) {
      List<String> names = e.getValue().stream().map(Bound::shard).distinct().toList();
      b.append(b.length() > 0 ? "; " : "").append("shard").append(names.size() > 1 ? "s " : " ").append(names)
          .append(names.size() > 1 ? " are" : " is").append(" served by the directory ").append(e.getKey());
    }
    String remade = others.containsKey(ours) ? " (the directory at " + ours + " was made again since it bound them: "
        + "if the old one is lost for good, delete the rows of " + TABLE + " on every shard to bind them to it)" : "";
    return new SQLException(b + ", but this configuration's directory is " + ours + ", another database" + remade
        + ". Two "
        + "directories for one set of shards lose lookup entries, placements and generated-key counters. Set "
        + "directory.url to that directory in every configuration of these shards (by default the directory is an "
        + "SQLite file beside the configuration file, so a copy of the configuration in another folder gets a "
        + "directory of its own)", SqlStates.BAD_CONFIG);
  }
}
