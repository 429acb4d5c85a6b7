package org.collegedb.directory;

import java.sql.SQLException;
import java.util.List;
import org.collegedb.route.KeyDirectory;
import org.collegedb.schema.TableRule;

/** Where keys are placed (stage 4 adds the strategies); until then, the shard map's owner. */
final class Placer {
  private final DirectorySession session;

  Placer(DirectorySession session) {
    this.session = session;
  }

  int owner(TableRule rule, Object[] key, long hash, KeyDirectory.Use use, List<String> cacheUsed)
      throws SQLException {
    return session.directory().hashOwner(hash);
  }
}
