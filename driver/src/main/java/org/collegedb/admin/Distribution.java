package org.collegedb.admin;

import java.util.Map;
import java.util.TreeMap;

/**
 * How rows are spread over the shards: the rows of each shard (every row counted once, on the shard that holds
 * it), and the spread's summary.
 *
 * @param rows   rows per shard, by shard name
 * @param total  all rows
 * @param min    the fewest rows on a shard
 * @param max    the most rows on a shard
 * @param mean   rows per shard on average
 * @param stddev the population standard deviation of rows per shard
 * @param skew   max / min: 1 when even; infinite when a shard is empty and another is not; 1 when all are empty
 */
public record Distribution(Map<String, Long> rows, long total, long min, long max, double mean, double stddev,
    double skew) {

  static Distribution of(Map<String, Long> rows) {
    long total = 0;
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long n : rows.values()) {
      total += n;
      min = Math.min(min, n);
      max = Math.max(max, n);
    }
    if (rows.isEmpty()) {
      min = 0;
    }
    double mean = rows.isEmpty() ? 0 : (double) total / rows.size();
    double squares = 0;
    for (long n : rows.values()) {
      squares += (n - mean) * (n - mean);
    }
    double stddev = rows.isEmpty() ? 0 : Math.sqrt(squares / rows.size());
    double skew = max == 0 ? 1 : min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
    return new Distribution(new TreeMap<>(rows), total, min, max, mean, stddev, skew);
  }
}
