package org.collegedb.cli;

import org.collegedb.jdbc.CollegeDriver;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code collegedb} command: {@code java -jar collegedb-<version>.jar <command>}. */
@Command(name = "collegedb", mixinStandardHelpOptions = true, versionProvider = CollegeCli.Version.class,
    description = "CollegeDB, a transparent sharding JDBC driver.", subcommands = {ShellCommand.class,
        AdminCommands.Status.class, AdminCommands.DistributionCommand.class, AdminCommands.ShardOf.class,
        AdminCommands.Lookup.class, AdminCommands.MoveKey.class, AdminCommands.Health.class,
        AdminCommands.Explain.class, AdminCommands.BackfillLookup.class, AdminCommands.Verify.class,
        MigrateCommands.SplitCommand.class, MigrateCommands.UnshardCommand.class,
        ReshardCommand.class})
public final class CollegeCli implements Runnable {
  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this; {@link #main} exits with it). */
  public static int run(String... args) {
    return new CommandLine(new CollegeCli()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The driver's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"CollegeDB " + CollegeDriver.VERSION};
    }
  }
}
