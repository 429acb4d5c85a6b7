package org.collegedb.differential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One sqllogictest file (the format of SQLite's sqllogictest, here the {@code select1.test} ... files of the
 * {@code net.hydromatic:sql-logic-test} jar), parsed into its records for one database: {@code statement ok|error}
 * blocks and {@code query <types> <sortmode> [label]} blocks whose SQL ends at {@code ----} or a blank line.
 * {@code skipif <db>} and {@code onlyif <db>} lines before a record keep it from, or limit it to, a database;
 * {@code halt} ends the file for the databases it applies to. Expected results (values or hashes) are not kept:
 * the differential test compares with a reference database instead.
 */
final class SqlLogicTestFile {
  /** A statement to run before the queries (DDL, INSERT). */
  record Statement(int line, String sql, boolean expectError) implements Record {
  }

  /** A query: its column types ({@code I}, {@code R}, {@code T}), sort mode and SQL. */
  record Query(int line, String types, SortMode sortMode, String sql) implements Record {
  }

  sealed interface Record permits Statement, Query {
    int line();
  }

  /** How the runner orders an answer before comparing it. */
  enum SortMode { NOSORT, ROWSORT, VALUESORT }

  private SqlLogicTestFile() {
  }

  /**
   * The records of the resource {@code test/<name>.test} that apply to the database {@code db} (sqllogictest's
   * names: {@code sqlite}, {@code postgresql}, {@code mysql}, ...; {@code aliases} are other names it answers to).
   */
  static List<Record> read(String name, String db, String... aliases) {
    String resource = "test/" + name + ".test";
    try (InputStream in = SqlLogicTestFile.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path (net.hydromatic:sql-logic-test)");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList(), db,
          aliases);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Record> parse(List<String> lines, String db, String... aliases) {
    List<Record> records = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        i++;
        continue;
      }
      boolean applies = true;
      boolean halt = false;
      while (line.startsWith("skipif ") || line.startsWith("onlyif ")) {
        boolean named = names(line.substring(7).strip().split("\\s+")[0], db, aliases);
        applies &= line.startsWith("skipif ") ? !named : named;
        i++;
        line = i < lines.size() ? lines.get(i).strip() : "";
      }
      int start = i + 1;
      String[] head = line.split("\\s+");
      if (head[0].equals("halt")) {
        halt = true;
      }
      if (halt && applies) {
        break;
      }
      // the block: this line up to the next blank line
      int end = start;
      while (end < lines.size() && !lines.get(end).isBlank()) {
        end++;
      }
      if (head[0].equals("statement")) {
        String sql = String.join("\n", lines.subList(start, end));
        if (applies) {
          records.add(new Statement(start, sql, head.length > 1 && head[1].equals("error")));
        }
      } else if (head[0].equals("query")) {
        int sqlEnd = start;
        while (sqlEnd < end && !lines.get(sqlEnd).strip().equals("----")) {
          sqlEnd++;
        }
        String sql = String.join("\n", lines.subList(start, sqlEnd));
        SortMode mode = head.length > 2 ? SortMode.valueOf(head[2].toUpperCase()) : SortMode.NOSORT;
        if (applies) {
          records.add(new Query(start, head[1], mode, sql));
        }
      }
      // hash-threshold and other control lines: nothing to keep
      i = end;
    }
    return records;
  }

  private static boolean names(String name, String db, String... aliases) {
    if (name.equalsIgnoreCase(db)) {
      return true;
    }
    for (String a : aliases) {
      if (name.equalsIgnoreCase(a)) {
        return true;
      }
    }
    return false;
  }
}
