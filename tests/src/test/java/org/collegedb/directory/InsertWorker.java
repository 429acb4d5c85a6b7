package org.collegedb.directory;

import java.io.FileInputStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Inserts users through CollegeDB from several threads: each with a generated id and its own email and username,
 * and every thread also tries the shared emails, of which only one insert in the whole system may succeed. Prints
 * {@code id <n>} per inserted row and {@code dup <email>} per refused shared email. Runs in the test's JVM and,
 * through {@link #main}, in a second one.
 */
public final class InsertWorker {
  static final String SQL = "INSERT INTO users (email, username, name) VALUES (?, ?, ?)";

  private InsertWorker() {
  }

  /** What one worker did. */
  record Result(List<Long> ids, List<String> duplicates) {
  }

  static Result run(Properties settings, String prefix, int threads, int rowsPerThread, int shared)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Result>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit((Callable<Result>) () -> {
        List<Long> ids = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:collegedb:", settings);
             PreparedStatement ps = c.prepareStatement(SQL, Statement.RETURN_GENERATED_KEYS)) {
          for (int i = 0; i < rowsPerThread + shared; i++) {
            String email = i < rowsPerThread ? prefix + "-" + thread + "-" + i + "@example.com"
                : "shared-" + (i - rowsPerThread) + "@example.com";
            ps.setString(1, email);
            ps.setString(2, email.replace("@example.com", ""));
            ps.setString(3, prefix);
            try {
              ps.executeUpdate();
            } catch (SQLException e) {
              if ("23505".equals(e.getSQLState()) && email.startsWith("shared-")) {
                duplicates.add(email);
                continue;
              }
              throw e;
            }
            try (ResultSet keys = ps.getGeneratedKeys()) {
              if (!keys.next()) {
                throw new IllegalStateException("no generated key for " + email);
              }
              ids.add(keys.getLong(1));
            }
          }
        }
        return new Result(ids, duplicates);
      }));
    }
    List<Long> ids = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    try {
      for (Future<Result> f : futures) {
        Result r = f.get();
        ids.addAll(r.ids());
        duplicates.addAll(r.duplicates());
      }
    } finally {
      pool.shutdown();
    }
    return new Result(ids, duplicates);
  }

  /** {@code InsertWorker <settings file> <prefix> <threads> <rows per thread> <shared>}. */
  public static void main(String[] args) throws Exception {
    Properties settings = new Properties();
    try (InputStream in = new FileInputStream(args[0])) {
      settings.load(in);
    }
    Result r = run(settings, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
        Integer.parseInt(args[4]));
    StringBuilder out = new StringBuilder();
    for (long id : r.ids()) {
      out.append("id ").append(id).append('\n');
    }
    for (String d : r.duplicates()) {
      out.append("dup ").append(d).append('\n');
    }
    System.out.print(out);
    System.out.flush();
  }
}
