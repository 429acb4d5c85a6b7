package org.collegedb.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.collegedb.jdbc.CollegeDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sqlline.SqlLine;

/**
 * {@code collegedb shell <url>}: SQLLine on a CollegeDB URL. Interactive on a terminal; with standard input from a
 * pipe or a file given with {@code --run}, it runs the statements and SQLLine commands ({@code !tables},
 * {@code !dbinfo}, ...) and exits.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = "Opens an SQL shell (SQLLine) on a CollegeDB database.")
final class ShellCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URL",
      description = "jdbc:collegedb:<configuration file>, e.g. jdbc:collegedb:collegedb.yaml")
  private String url;

  @Option(names = {"-n", "--user"}, description = "default user for shards that name none")
  private String user = "";

  @Option(names = {"-p", "--password"}, description = "default password for shards that name none")
  private String password = "";

  @Option(names = {"-f", "--run"}, paramLabel = "FILE", description = "run this script, then exit")
  private Path script;

  @Option(names = "--max-width", paramLabel = "COLUMNS", description = "width of tables printed without a terminal "
      + "(default: ${DEFAULT-VALUE})")
  private int maxWidth = 160;

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>(List.of("-d", CollegeDriver.class.getName(), "-u", url, "-n", user,
        "-p", password));
    if (script != null) {
      args.add("--run=" + script);
    }
    // Piped input is a script too; a terminal gets SQLLine's line editing.
    InputStream in = script == null && System.console() == null ? System.in : null;
    if (script != null || in != null) { // no terminal: SQLLine would size its tables to zero columns
      args.add("--maxWidth=" + maxWidth);
      System.setProperty("org.jline.terminal.dumb", "true");
    }
    System.setProperty("sqlline.system.exit", "true"); // return here rather than exit the JVM
    SqlLine.Status status = SqlLine.start(args.toArray(String[]::new), in, in == null && script == null);
    return status == SqlLine.Status.OK ? 0 : 1;
  }
}
