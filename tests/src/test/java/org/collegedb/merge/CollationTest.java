package org.collegedb.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.collegedb.testing.TestShards;
import org.junit.jupiter.api.Test;

/**
 * Text order across shards: CollegeDB merges in the order the backend sorts, and refuses (0A000) a text order it
 * cannot reproduce (a PostgreSQL database with a linguistic default collation) unless the statement names a C
 * collation.
 */
class CollationTest {
  private static final String DB = org.collegedb.testing.TestShards.DB_PREFIX;
  @Test
  void refusesLinguisticOrderButMergesUnderCollateC() throws Exception {
    TestShards.requireServer("PostgreSQL", () -> {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
        return true;
      } catch (SQLException e) {
        return false;
      }
    });
    Properties p = new Properties();
    p.setProperty("crossShardQueries", "pushdown-only"); // by default such a query takes the distributed path
    try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
         Statement s = admin.createStatement()) {
      for (int i = 1; i <= 2; i++) {
        s.execute("DROP DATABASE IF EXISTS " + DB + "_collation_s" + i + " WITH (FORCE)");
        s.execute("CREATE DATABASE " + DB + "_collation_s" + i + " TEMPLATE template0 LOCALE_PROVIDER icu "
            + "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
        p.setProperty("shards.s" + i + ".url", "jdbc:postgresql://127.0.0.1:5432/" + DB + "_collation_s" + i);
        p.setProperty("shards.s" + i + ".user", "postgres");
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:collegedb:", p); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE words (id INT PRIMARY KEY, w VARCHAR(10))");
      String[] words = {"b", "B", "a", "A", "é", "e", "Z", "z"};
      for (int i = 0; i < words.length; i++) {
        s.executeUpdate("INSERT INTO words VALUES (" + i + ", '" + words[i] + "')");
      }
      assertThatThrownBy(() -> {
        try (ResultSet rs = s.executeQuery("SELECT w FROM words ORDER BY w")) {
          while (rs.next()) {
            rs.getString(1);
          }
        }
      }).isInstanceOf(SQLException.class).hasMessageContaining("collation")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
      List<String> ordered = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT w FROM words ORDER BY w COLLATE \"C\"")) {
        while (rs.next()) {
          ordered.add(rs.getString(1));
        }
      }
      assertThat(ordered).containsExactly("A", "B", "Z", "a", "b", "e", "z", "é");
      // Numbers still merge under any collation.
      List<Integer> ids = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id FROM words ORDER BY id DESC LIMIT 3")) {
        while (rs.next()) {
          ids.add(rs.getInt(1));
        }
      }
      assertThat(ids).containsExactly(7, 6, 5);
    }
  }
}
