package org.collegedb.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.collegedb.admin.CollegeAdmin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What every admin command shares: the configuration file first, the same options to override its settings, a
 * CollegeDB connection, and the exit status: 0 on success, 1 when the operation failed (with a message on standard
 * error), 2 for a command line that picocli rejects.
 */
abstract class AdminCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG",
      description = "the configuration: a YAML or .properties file, or a jdbc:collegedb: URL")
  String config;

  @Option(names = {"-n", "--user"}, description = "default user for shards that name none")
  String user;

  @Option(names = {"-p", "--password"}, description = "default password for shards that name none")
  String password;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a setting laid over the configuration's "
      + "(repeatable), e.g. --set directory.url=jdbc:sqlite:/srv/dir.db")
  Map<String, String> settings = new LinkedHashMap<>();

  String url() {
    return config.startsWith("jdbc:collegedb:") ? config : "jdbc:collegedb:" + config;
  }

  Properties properties() {
    Properties p = new Properties();
    p.putAll(settings);
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return p;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Override
  public Integer call() {
    try {
      return run();
    } catch (SQLException e) {
      return fail(e.getMessage() + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]"));
    }
  }

  /** Runs the command; the default opens a CollegeDB connection and hands its admin API to {@link #run(Admin)}. */
  int run() throws SQLException {
    try (Connection c = DriverManager.getConnection(url(), properties())) {
      return run(new Admin(CollegeAdmin.of(c), c));
    }
  }

  int run(Admin admin) throws SQLException {
    throw new UnsupportedOperationException(spec.name());
  }

  int fail(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("collegedb " + spec.name() + ": " + message);
    err.flush();
    return FAILED;
  }

  /** The admin API and the connection it belongs to. */
  record Admin(CollegeAdmin api, Connection connection) {
  }

  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String decimal(double d) {
    return Double.isInfinite(d) ? "infinite" : String.format(Locale.ROOT, "%,.2f", d);
  }

  static String key(Object[] key) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < key.length; i++) {
      b.append(i > 0 ? ", " : "").append(key[i]);
    }
    return b.append(')').toString();
  }
}
