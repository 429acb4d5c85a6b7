package org.collegedb.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * A CollegeDB shard hint: {@code /*+ collegedb shard(s2) *}{@code /}, {@code shard(s1,s3)} or {@code all_shards},
 * which runs a statement on exactly those shards, unchanged and unmerged. {@code shards} is empty for all shards.
 * Only a hint that leads the statement counts (it is token 0); the same text may be given as a connection's
 * {@code shardHint} property, without the comment marks.
 */
public record ShardHint(List<String> shards) {
  private static final String PREFIX = "collegedb";

  /** Whether it names every shard. */
  public boolean all() {
    return shards.isEmpty();
  }

  /**
   * The hint that leads {@code tokens}, or null when none does (a hint comment of another product is no hint, nor is
   * {@code /*+ collegedb partial_results *}{@code /}: see {@link #partialResults}).
   */
  public static ShardHint of(Tokens tokens) {
    String directive = directive(tokens);
    if (directive == null || directive.equalsIgnoreCase(PARTIAL_RESULTS)) {
      return null;
    }
    return parse(directive);
  }

  /**
   * Whether {@code tokens} lead with {@code /*+ collegedb partial_results *}{@code /}: a read on several shards skips
   * the shards it cannot reach, as with the connection property {@code partialResults=true}. It routes nothing.
   */
  public static boolean partialResults(Tokens tokens) {
    String directive = directive(tokens);
    return directive != null && directive.equalsIgnoreCase(PARTIAL_RESULTS);
  }

  private static final String PARTIAL_RESULTS = "partial_results";

  /** The text after {@code collegedb} in the hint that leads {@code tokens}, or null. */
  private static String directive(Tokens tokens) {
    if (tokens.size() == 0 || tokens.type(0) != TokenType.HINT) {
      return null;
    }
    String text = tokens.text(0);
    String body = text.substring(3, text.length() - 2).trim(); // inside "/*+" and "*/"
    if (!body.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || body.length() > PREFIX.length() && !Character.isWhitespace(body.charAt(PREFIX.length()))) {
      return null;
    }
    return body.substring(PREFIX.length()).trim();
  }

  /**
   * Reads the directive after {@code collegedb}: {@code shard(a, b)} or {@code all_shards}.
   *
   * @throws SqlSyntaxException naming the spellings CollegeDB knows when it is neither
   */
  public static ShardHint parse(String directive) {
    String d = directive.trim();
    if (d.equalsIgnoreCase("all_shards")) {
      return new ShardHint(List.of());
    }
    if (d.regionMatches(true, 0, "shard", 0, 5)) {
      String rest = d.substring(5).trim();
      if (rest.startsWith("(") && rest.endsWith(")")) {
        List<String> names = new ArrayList<>();
        for (String n : rest.substring(1, rest.length() - 1).split(",")) {
          String name = n.trim();
          if (name.isEmpty()) {
            throw new SqlSyntaxException("a CollegeDB shard hint names an empty shard: '" + directive + "'");
          }
          if (!names.contains(name)) {
            names.add(name);
          }
        }
        if (!names.isEmpty()) {
          return new ShardHint(List.copyOf(names));
        }
      }
    }
    throw new SqlSyntaxException("unknown CollegeDB hint '" + directive + "': write shard(<name>), "
        + "shard(<name>,<name>...), all_shards or (in a statement) partial_results");
  }

  @Override
  public String toString() {
    return all() ? "all_shards" : "shard(" + String.join(",", shards) + ")";
  }
}
