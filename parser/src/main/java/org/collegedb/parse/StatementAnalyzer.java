package org.collegedb.parse;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Turns a statement into a {@link ParsedStatement}. DML goes through Calcite's babel parser (after clauses Calcite
 * cannot parse are blanked out); DDL, transaction control and session statements are classified from their first
 * words by the lexer and kept as they are.
 */
public final class StatementAnalyzer {
  private static final SqlParser.Config DOUBLE_QUOTED = SqlParser.config()
      .withParserFactory(SqlBabelParserImpl.FACTORY)
      .withConformance(SqlConformanceEnum.BABEL)
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false)
      .withQuoting(Quoting.DOUBLE_QUOTE);
  private static final SqlParser.Config BACK_TICKED = DOUBLE_QUOTED.withQuoting(Quoting.BACK_TICK);

  /** Words Calcite reserves that applications commonly use as column or table names. */
  private static final Set<String> RESERVED_NAMES = Set.of("date", "time", "timestamp", "offset", "limit", "default",
      "value", "year", "month", "day", "hour", "minute", "second", "user", "position", "role", "level", "count",
      "key", "type", "start", "end", "result", "language", "names", "password", "status", "name", "session",
      "comment", "data", "order", "rank", "row", "rows", "text", "size", "source", "range", "uuid", "partition",
      "cursor", "interval", "ordinal", "pattern", "skip");

  private StatementAnalyzer() {
  }

  /** Analyses one statement. Never throws for SQL it cannot parse: that is an {@link ParsedStatement.Unparsed}. */
  public static ParsedStatement analyze(Tokens tokens) {
    int end = tokens.size();
    while (end > 0 && tokens.type(end - 1) == TokenType.SEMICOLON) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      if (tokens.type(i) == TokenType.SEMICOLON && !DdlClassifier.definesRoutine(tokens, end)) {
        throw new SqlSyntaxException("more than one statement in one call: send them one at a time");
      }
    }
    if (end == 0) {
      throw new SqlSyntaxException("empty statement");
    }
    int first = 0;
    while (first < end && (tokens.type(first) == TokenType.HINT || tokens.type(first) == TokenType.LPAREN)) {
      first++;
    }
    String word = first < end && tokens.type(first) == TokenType.WORD
        ? tokens.text(first).toUpperCase(Locale.ROOT) : "";
    if (word.equals("EXPLAIN") || word.equals("ANALYZE") || word.equals("ANALYSE") || word.equals("DESCRIBE")
        || word.equals("DESC")) {
      ParsedStatement.Explain explain = ExplainReader.read(tokens, first, end);
      if (explain != null) {
        return explain;
      }
    }
    return switch (word) {
      case "SELECT" -> parseDml(tokens, end, selectsInto(tokens, first, end)
          ? ParsedStatement.StatementKind.INSERT : ParsedStatement.StatementKind.SELECT);
      case "VALUES", "TABLE" -> parseDml(tokens, end, ParsedStatement.StatementKind.SELECT);
      case "WITH" -> parseDml(tokens, end, WithKind.of(tokens, first, end));
      case "INSERT", "REPLACE", "UPSERT" -> parseDml(tokens, end, ParsedStatement.StatementKind.INSERT);
      case "UPDATE" -> parseDml(tokens, end, ParsedStatement.StatementKind.UPDATE);
      case "DELETE" -> parseDml(tokens, end, ParsedStatement.StatementKind.DELETE);
      case "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "COMMENT", "GRANT", "REVOKE", "DO" ->
          DdlClassifier.classify(tokens, first, end);
      case "BEGIN", "START" -> new ParsedStatement.Control(ParsedStatement.ControlKind.BEGIN);
      case "COMMIT", "END" -> new ParsedStatement.Control(ParsedStatement.ControlKind.COMMIT);
      case "ROLLBACK", "ABORT" -> tokens.isWord(first + 1, "TO") || tokens.isWord(first + 2, "TO")
          ? new ParsedStatement.Control(ParsedStatement.ControlKind.ROLLBACK_TO_SAVEPOINT)
          : new ParsedStatement.Control(ParsedStatement.ControlKind.ROLLBACK);
      case "SAVEPOINT" -> new ParsedStatement.Control(ParsedStatement.ControlKind.SAVEPOINT);
      case "RELEASE" -> new ParsedStatement.Control(ParsedStatement.ControlKind.RELEASE_SAVEPOINT);
      case "SET", "PRAGMA", "USE", "RESET", "DISCARD" ->
          new ParsedStatement.Control(ParsedStatement.ControlKind.SESSION);
      case "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "CALL", "HELP" ->
          new ParsedStatement.Control(ParsedStatement.ControlKind.INFO);
      case "VACUUM", "ANALYZE", "ANALYSE", "CHECKPOINT", "REINDEX", "OPTIMIZE", "CLUSTER" ->
          new ParsedStatement.Control(ParsedStatement.ControlKind.MAINTENANCE);
      default -> throw new SqlSyntaxException("statement not recognised: it starts with '"
          + (first < end ? tokens.text(first) : "") + "'");
    };
  }

  /**
   * Whether a SELECT writes its rows into a table ({@code SELECT ... INTO t FROM ...}, PostgreSQL and SQL Server):
   * a top-level INTO before FROM. (MySQL's {@code INTO @var} / {@code INTO OUTFILE} are refused as writes too.)
   */
  private static boolean selectsInto(Tokens tokens, int first, int end) {
    int depth = 0;
    for (int i = first + 1; i < end; i++) {
      if (tokens.is(i, TokenType.LPAREN)) {
        depth++;
      } else if (tokens.is(i, TokenType.RPAREN)) {
        depth--;
      } else if (depth == 0 && tokens.isWord(i, "FROM")) {
        return false;
      } else if (depth == 0 && tokens.isWord(i, "INTO")) {
        return true;
      }
    }
    return false;
  }

  private static ParsedStatement parseDml(Tokens tokens, int end, ParsedStatement.StatementKind kind) {
    ClauseMask mask = ClauseMask.find(tokens, end, kind);
    SqlParser.Config config = usesBackticks(tokens, end) ? BACK_TICKED : DOUBLE_QUOTED;
    Set<Integer> tableLists = new HashSet<>();
    ParseText text = sqliteLists(mask.apply(ParseText.from(tokens, end)), tokens, end, mask, tableLists).build();
    SqlNode node;
    try {
      node = SqlParser.create(text.text(), config).parseStmt();
    } catch (SqlParseException first) {
      // Retry with reserved words that stand where a name is expected quoted, e.g. a column called "date".
      ParseText.Builder quoted = sqliteLists(mask.apply(ParseText.from(tokens, end)), tokens, end, mask,
          new HashSet<>());
      boolean any = false;
      for (int i = 0; i < end; i++) {
        if (!mask.blanks(i) && looksLikeName(tokens, i, end)) {
          quoted.quote(i);
          any = true;
        }
      }
      if (!any) {
        return unparsed(tokens, end, kind, first);
      }
      text = quoted.build();
      try {
        node = SqlParser.create(text.text(), config).parseStmt();
      } catch (SqlParseException second) {
        return unparsed(tokens, end, kind, second); // what is left once the names are quoted
      }
    }
    TreeReader reader = new TreeReader(tokens, text, mask);
    reader.tableLists = tableLists;
    return reader.read(node);
  }

  /**
   * SQLite's lists Calcite cannot parse, rewritten in the copy Calcite reads (the shards get the original text):
   * {@code x IN ()} (an empty list, always false) is read as {@code x IN (NULL)}, which routing cannot narrow; and
   * {@code x IN t1} (a table as the list) as {@code x IN (SELECT * FROM t1)}, a subquery over {@code t1} whose
   * table token is put in {@code tableLists}.
   */
  private static ParseText.Builder sqliteLists(ParseText.Builder text, Tokens tokens, int end, ClauseMask mask,
      Set<Integer> tableLists) {
    for (int i = 0; i + 1 < end; i++) {
      if (!tokens.isWord(i, "IN") || mask.blanks(i)) {
        continue;
      }
      if (tokens.is(i + 1, TokenType.LPAREN) && tokens.is(i + 2, TokenType.RPAREN)) {
        text.insert(tokens.start(i + 2), "NULL");
      } else if ((tokens.is(i + 1, TokenType.WORD) || tokens.is(i + 1, TokenType.QUOTED_ID))
          && !tokens.isWord(i + 1, "SELECT") && !tokens.isWord(i + 1, "UNNEST")
          && !tokens.is(i + 2, TokenType.LPAREN) && !tokens.isSymbol(i + 2, ".")) {
        text.insert(tokens.start(i + 1), "(SELECT * FROM ");
        text.insert(tokens.end(i + 1), ")");
        tableLists.add(i + 1);
      }
    }
    return text;
  }

  private static ParsedStatement unparsed(Tokens tokens, int end, ParsedStatement.StatementKind kind,
      SqlParseException e) {
    String message = e.getMessage() == null ? "syntax error" : e.getMessage().split("\n")[0];
    // Without Calcite's line and column: they differ between the texts of one shape, which share this plan.
    message = message.replaceAll(" at line \\d+, column \\d+", "");
    return new ParsedStatement.Unparsed(kind, LexicalTarget.table(tokens, end, kind), message);
  }

  private static boolean usesBackticks(Tokens tokens, int end) {
    for (int i = 0; i < end; i++) {
      if (tokens.type(i) == TokenType.QUOTED_ID && tokens.sql().charAt(tokens.start(i)) == '`') {
        return true;
      }
    }
    return false;
  }

  /** Whether word token {@code i} is a reserved word used as a name: not a keyword in its place. */
  private static boolean looksLikeName(Tokens tokens, int i, int end) {
    if (tokens.type(i) != TokenType.WORD
        || !RESERVED_NAMES.contains(tokens.text(i).toLowerCase(Locale.ROOT))) {
      return false;
    }
    if (tokens.isWord(i - 1, "INTO") || tokens.isWord(i - 1, "UPDATE")) {
      return true; // INSERT INTO order (id) ..., UPDATE user SET ...
    }
    if (tokens.is(i + 1, TokenType.STRING) || tokens.is(i + 1, TokenType.LPAREN)) {
      return false; // DATE '2024-01-01', COUNT(...)
    }
    if (tokens.isWord(i - 1, "AS") && insideCast(tokens, i)) {
      return false; // CAST(x AS DATE)
    }
    if (tokens.is(i - 1, TokenType.LPAREN) && (tokens.isWord(i - 2, "EXTRACT") || tokens.isWord(i - 2, "TIMESTAMPADD")
        || tokens.isWord(i - 2, "TIMESTAMPDIFF"))) {
      return false; // EXTRACT(YEAR FROM d)
    }
    if (tokens.is(i - 1, TokenType.LPAREN) && (tokens.isWord(i - 2, "OVER") || tokens.isWord(i - 2, "AS"))
        && (tokens.isWord(i, "ROWS") || tokens.isWord(i, "RANGE"))) {
      return false; // OVER (ROWS BETWEEN ..), WINDOW w AS (RANGE ..)
    }
    if (tokens.isWord(i, "DEFAULT") && inValuesRow(tokens, i)) {
      return false; // VALUES (?, DEFAULT); in SET a = DEFAULT, Calcite reads it only as a name
    }
    if (tokens.isSymbol(i - 1, ".") || tokens.isSymbol(i + 1, ".")) {
      return true;
    }
    boolean before = i == 0 || tokens.is(i - 1, TokenType.COMMA) || tokens.is(i - 1, TokenType.LPAREN)
        || tokens.isWord(i - 1, "SELECT") || tokens.isWord(i - 1, "WHERE") || tokens.isWord(i - 1, "AND")
        || tokens.isWord(i - 1, "OR") || tokens.isWord(i - 1, "BY") || tokens.isWord(i - 1, "SET")
        || tokens.isWord(i - 1, "ON") || tokens.isWord(i - 1, "AS") || tokens.isWord(i - 1, "NOT")
        || tokens.is(i - 1, TokenType.OP) && !tokens.isSymbol(i - 1, "*") && !tokens.isSymbol(i - 1, "::")
        || tokens.isWord(i - 1, "FROM") || tokens.isWord(i - 1, "JOIN") || tokens.isWord(i - 1, "DISTINCT")
        || tokens.isWord(i - 1, "HAVING") || tokens.isWord(i - 1, "BETWEEN") || tokens.isWord(i - 1, "CASE")
        || tokens.isWord(i - 1, "WHEN") || tokens.isWord(i - 1, "THEN") || tokens.isWord(i - 1, "ELSE")
        || tokens.is(i - 1, TokenType.HINT);
    boolean after = i + 1 >= end || tokens.is(i + 1, TokenType.COMMA) || tokens.is(i + 1, TokenType.RPAREN)
        || tokens.is(i + 1, TokenType.OP) || tokens.isWord(i + 1, "FROM") || tokens.isWord(i + 1, "IS")
        || tokens.isWord(i + 1, "IN") || tokens.isWord(i + 1, "LIKE") || tokens.isWord(i + 1, "BETWEEN")
        || tokens.isWord(i + 1, "ASC") || tokens.isWord(i + 1, "DESC") || tokens.isWord(i + 1, "AND")
        || tokens.isWord(i + 1, "OR") || tokens.isWord(i + 1, "WHERE") || tokens.isWord(i + 1, "ORDER")
        || tokens.isWord(i + 1, "GROUP") || tokens.isWord(i + 1, "NOT") || tokens.isWord(i + 1, "AS")
        || tokens.isWord(i + 1, "LIMIT") || tokens.isWord(i + 1, "HAVING") || tokens.isWord(i + 1, "NULLS")
        || tokens.isWord(i + 1, "SET") || tokens.isWord(i + 1, "VALUES") || tokens.isWord(i + 1, "OFFSET")
        || tokens.isWord(i + 1, "FETCH") || tokens.isWord(i + 1, "FOR") || tokens.isWord(i + 1, "LOCK")
        || tokens.isWord(i + 1, "UNION") || tokens.isWord(i + 1, "EXCEPT") || tokens.isWord(i + 1, "INTERSECT")
        || tokens.isWord(i + 1, "WHEN") || tokens.isWord(i + 1, "THEN") || tokens.isWord(i + 1, "ELSE")
        || tokens.isWord(i + 1, "END") || tokens.isWord(i + 1, "ESCAPE") || tokens.isWord(i + 1, "ON")
        || tokens.isWord(i + 1, "JOIN") || tokens.isWord(i + 1, "INNER") || tokens.isWord(i + 1, "LEFT")
        || tokens.isWord(i + 1, "CROSS") || tokens.isWord(i + 1, "RETURNING");
    return before && after;
  }

  /** Whether token {@code i} is an element of a row of INSERT ... VALUES. */
  private static boolean inValuesRow(Tokens tokens, int i) {
    int depth = 0;
    for (int j = i - 1; j >= 0; j--) {
      if (tokens.type(j) == TokenType.RPAREN) {
        depth++;
      } else if (tokens.type(j) == TokenType.LPAREN && depth-- == 0) {
        return tokens.isWord(j - 1, "VALUES")
            || tokens.is(j - 1, TokenType.COMMA) && tokens.is(j - 2, TokenType.RPAREN);
      }
    }
    return false;
  }

  private static boolean insideCast(Tokens tokens, int i) {
    int depth = 0;
    for (int j = i - 1; j >= 0; j--) {
      if (tokens.type(j) == TokenType.RPAREN) {
        depth++;
      } else if (tokens.type(j) == TokenType.LPAREN) {
        if (depth == 0) {
          return tokens.isWord(j - 1, "CAST") || tokens.isWord(j - 1, "TRY_CAST")
              || tokens.isWord(j - 1, "CONVERT");
        }
        depth--;
      }
    }
    return false;
  }

  /** Walks a Calcite tree into a {@link ParsedStatement}, mapping every parser position back to a token. */
  static final class TreeReader {
    private final Tokens tokens;
    private final ParseText text;
    private final ClauseMask mask;
    private boolean literalSensitive;
    /** Query blocks numbered so far (the top level is 0). */
    private int blockCount;
    /** The table tokens of SQLite's {@code x IN t1}, read as {@code x IN (SELECT * FROM t1)}. */
    Set<Integer> tableLists = Set.of();

    TreeReader(Tokens tokens, ParseText text, ClauseMask mask) {
      this.tokens = tokens;
      this.text = text;
      this.mask = mask;
    }

    ParsedStatement read(SqlNode node) {
      return switch (node.getKind()) {
        case INSERT -> readInsert((SqlInsert) node);
        case UPDATE -> readUpdate((SqlUpdate) node);
        case DELETE -> readDelete((SqlDelete) node);
        default -> readSelect(node);
      };
    }

    private ParsedStatement.Select readSelect(SqlNode node) {
      QueryReader query = new QueryReader(this);
      query.readTop(node);
      return new ParsedStatement.Select(List.copyOf(query.tables), List.copyOf(query.scope), query.where,
          List.copyOf(query.joins), Set.copyOf(query.features), mask.forUpdate(), literalSensitive,
          SelectShapeReader.read(tokens, this, node, query), List.copyOf(query.blocks),
          List.copyOf(query.windowPartitions), query.features.contains(ParsedStatement.Feature.SET_OPERATION)
              ? SelectShapeReader.readSetQuery(tokens, this, node, query) : null);
    }

    private ParsedStatement.Insert readInsert(SqlInsert insert) {
      TableRef table = tableOf(insert.getTargetTable());
      List<String> columns = new ArrayList<>();
      if (insert.getTargetColumnList() != null) {
        for (SqlNode c : insert.getTargetColumnList()) {
          columns.add(lastName((SqlIdentifier) c));
        }
      }
      SqlNode source = insert.getSource();
      List<ParsedStatement.Row> rows = new ArrayList<>();
      ParsedStatement.Select select = null;
      if (source.getKind() == SqlKind.VALUES) {
        for (SqlNode r : ((SqlCall) source).getOperandList()) {
          SqlCall row = (SqlCall) r;
          int open = token(row.getParserPosition());
          if (tokens.isWord(open, "ROW")) {
            open++; // MySQL's VALUES ROW(1, 2)
          }
          if (!tokens.is(open, TokenType.LPAREN) || !tokens.isWord(open - 1, "VALUES")
              && !tokens.is(open - 1, TokenType.COMMA) && !tokens.isWord(open - 1, "ROW")) {
            throw new SqlSyntaxException("each row of INSERT ... VALUES must be in parentheses");
          }
          int close = tokens.matchingParen(open);
          List<ValueRef> values = new ArrayList<>();
          for (SqlNode v : row.getOperandList()) {
            values.add(v.getKind() == SqlKind.DEFAULT ? ValueRef.Computed.DEFAULT : valueOf(v));
          }
          rows.add(new ParsedStatement.Row(open, close, List.copyOf(values)));
        }
      } else {
        select = readSelect(source);
      }
      return new ParsedStatement.Insert(table, List.copyOf(columns), List.copyOf(rows), select, mask.upsert(),
          mask.returning());
    }

    private ParsedStatement.Update readUpdate(SqlUpdate update) {
      TableRef table = tableOf(update.getTargetTable(), update.getAlias());
      List<String> columns = new ArrayList<>();
      for (SqlNode c : update.getTargetColumnList()) {
        columns.add(lastName((SqlIdentifier) c));
      }
      List<ValueRef> values = new ArrayList<>();
      QueryReader scope = new QueryReader(this);
      scope.addTable(table);
      for (SqlNode v : update.getSourceExpressionList()) {
        values.add(valueOf(v));
        scope.scanExpression(v);
      }
      Condition where = update.getCondition() == null ? Condition.Opaque.INSTANCE
          : scope.condition(update.getCondition());
      if (update.getCondition() != null) {
        scope.scanExpression(update.getCondition());
      }
      return new ParsedStatement.Update(table, List.copyOf(columns), List.copyOf(values), where,
          List.copyOf(scope.tables), Set.copyOf(scope.features), mask.returning(), List.copyOf(scope.blocks),
          WriteSpans.of(tokens, true));
    }

    private ParsedStatement.Delete readDelete(SqlDelete delete) {
      TableRef table = tableOf(delete.getTargetTable(), delete.getAlias());
      QueryReader scope = new QueryReader(this);
      scope.addTable(table);
      Condition where = delete.getCondition() == null ? Condition.Opaque.INSTANCE
          : scope.condition(delete.getCondition());
      if (delete.getCondition() != null) {
        scope.scanExpression(delete.getCondition());
      }
      return new ParsedStatement.Delete(table, where, List.copyOf(scope.tables), Set.copyOf(scope.features),
          mask.returning(), List.copyOf(scope.blocks), WriteSpans.of(tokens, false));
    }

    TableRef tableOf(SqlNode target) {
      return tableOf(target, null);
    }

    TableRef tableOf(SqlNode target, SqlIdentifier alias) {
      if (target instanceof SqlIdentifier id) {
        return new TableRef(lastName(id), alias == null ? null : lastName(alias));
      }
      if (target.getKind() == SqlKind.AS) {
        List<SqlNode> ops = ((SqlCall) target).getOperandList();
        return tableOf(ops.get(0), (SqlIdentifier) ops.get(1));
      }
      throw new SqlSyntaxException("unsupported target table: " + target);
    }

    static String lastName(SqlIdentifier id) {
      return id.names.get(id.names.size() - 1);
    }

    /** The token at a parser position. */
    int token(SqlParserPos pos) {
      int offset = text.toOriginal(pos.getLineNum(), pos.getColumnNum());
      int t = tokens.tokenAt(offset);
      if (t < 0) {
        throw new IllegalStateException("no token at offset " + offset + " of " + tokens.sql());
      }
      return t;
    }

    /** The token holding the last character of a parser position. */
    int tokenAtEnd(SqlParserPos pos) {
      int offset = text.toOriginal(pos.getEndLineNum(), pos.getEndColumnNum());
      int t = tokens.tokenAt(offset);
      if (t < 0) {
        throw new IllegalStateException("no token at offset " + offset + " of " + tokens.sql());
      }
      return t;
    }

    /** The token of a leaf: Calcite places a parenthesised leaf, such as {@code (?)}, at its parenthesis. */
    int leafToken(SqlParserPos pos) {
      int t = token(pos);
      while (tokens.is(t, TokenType.LPAREN)) {
        t++;
      }
      return t;
    }

    void markLiteralSensitive() {
      literalSensitive = true;
    }

    /** A value the driver can know before execution, or {@link ValueRef.Computed#EXPRESSION}. */
    ValueRef valueOf(SqlNode node) {
      if (node instanceof SqlDynamicParam) {
        int t = leafToken(node.getParserPosition());
        return new ValueRef.Param(tokens.paramIndex(t));
      }
      if (node instanceof SqlIdentifier && tokens.is(leafToken(node.getParserPosition()), TokenType.NUMBER)) {
        return new ValueRef.Literal(leafToken(node.getParserPosition()), false); // 0x1F: Calcite reads a name
      }
      if (node.getKind() == SqlKind.MINUS_PREFIX && ((SqlCall) node).operand(0) instanceof SqlIdentifier hex
          && tokens.is(leafToken(hex.getParserPosition()), TokenType.NUMBER)) {
        return new ValueRef.Literal(leafToken(hex.getParserPosition()), true); // -0x1F, as -5 is
      }
      if (node instanceof SqlLiteral literal) {
        return literalRef(literal);
      }
      if (node.getKind() == SqlKind.CAST) {
        return valueOf(((SqlCall) node).operand(0));
      }
      return ValueRef.Computed.EXPRESSION;
    }

    private ValueRef literalRef(SqlLiteral literal) {
      Object value = literal.getValue();
      switch (literal.getTypeName().getFamily() == null ? org.apache.calcite.sql.type.SqlTypeFamily.ANY
          : literal.getTypeName().getFamily()) {
        case BOOLEAN:
          return new ValueRef.Constant(literal.booleanValue());
        default: // NULL is told by the type name below: DATE '..' is an UNKNOWN literal, whose family is NULL too
          break;
      }
      if (literal.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.NULL || value == null) {
        return new ValueRef.Constant(null);
      }
      int t = leafToken(literal.getParserPosition());
      if (tokens.is(t, TokenType.NUMBER) && tokens.isSymbol(t - 1, "-")
          && (tokens.isWord(t - 2, "LIMIT") || tokens.isWord(t - 2, "OFFSET"))) {
        return new ValueRef.Literal(t, true); // LIMIT -1, whose sign was blanked for Calcite
      }
      if (tokens.is(t, TokenType.NUMBER) || tokens.is(t, TokenType.STRING)) {
        return new ValueRef.Literal(t, false);
      }
      if (tokens.isSymbol(t, "-") && tokens.is(t + 1, TokenType.NUMBER)) {
        return new ValueRef.Literal(t + 1, true);
      }
      if (tokens.isSymbol(t, "+") && tokens.is(t + 1, TokenType.NUMBER)) {
        return new ValueRef.Literal(t + 1, false);
      }
      if (tokens.is(t, TokenType.WORD) && tokens.is(t + 1, TokenType.STRING)) {
        return new ValueRef.Literal(t + 1, false); // DATE '...', TIMESTAMP '...'
      }
      return ValueRef.Computed.EXPRESSION;
    }
  }

  /** Reads the tables, features and routing condition of a query. */
  static final class QueryReader {
    final TreeReader reader;
    final List<TableRef> tables = new ArrayList<>();
    final EnumSet<ParsedStatement.Feature> features = EnumSet.noneOf(ParsedStatement.Feature.class);
    /** The tables of the top level's FROM clause, by alias and name, to resolve qualified columns. */
    final List<TableRef> scope = new ArrayList<>();
    final List<Condition> joins = new ArrayList<>();
    Condition where = Condition.Opaque.INSTANCE;
    SqlNode topSelect;
    /**
     * The names of the WITH queries, lower case, shared by the whole tree: FROM items that name them are not
     * tables.
     */
    final Set<String> withNames;

    /** The enclosing block's reader, for correlated column references; null at the top. */
    final QueryReader parent;
    /** Every nested block read below the top one, shared by the whole tree. */
    final List<ParsedStatement.Block> blocks;
    /** Column references that resolved to an enclosing block's table. */
    private final java.util.Set<ColumnRef> outerRefs =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** This block's number (0 at the top) and the unqualified column names its own expressions use. */
    final int id;
    final List<String> unqualified = new ArrayList<>();
    /** For {@code x [NOT] IN (SELECT ...)}: the first token of {@code x}; -1 otherwise. */
    private int operand = -1;

    QueryReader(TreeReader reader) {
      this.reader = reader;
      this.parent = null;
      this.blocks = new ArrayList<>();
      this.withNames = new HashSet<>();
      this.id = 0;
    }

    private QueryReader(TreeReader reader, QueryReader parent, ParsedStatement.BlockContext context) {
      this.reader = reader;
      this.parent = parent;
      this.blocks = parent.blocks;
      this.withNames = parent.withNames;
      this.context = context;
      this.id = ++reader.blockCount;
    }

    /**
     * The PARTITION BY columns of each window function of this block; an empty list for a window that is not
     * partitioned by plain columns (or is named).
     */
    final List<List<ColumnRef>> windowPartitions = new ArrayList<>();

    private List<ColumnRef> partition(SqlNode window) {
      if (!(window instanceof org.apache.calcite.sql.SqlWindow w) || w.getRefName() != null) {
        return List.of();
      }
      List<ColumnRef> columns = new ArrayList<>();
      for (SqlNode p : w.getPartitionList()) {
        ColumnRef c = column(p);
        if (c == null) {
          return List.of();
        }
        columns.add(c);
      }
      return List.copyOf(columns);
    }

    /** Where this block stands in its parent (OTHER at the top). */
    private ParsedStatement.BlockContext context = ParsedStatement.BlockContext.OTHER;
    /** Whether this block, or a block inside it, refers to a block enclosing this one. */
    private boolean correlated;

    void addTable(TableRef table) {
      tables.add(table);
      scope.add(table);
    }

    void readTop(SqlNode node) {
      switch (node.getKind()) {
        case ORDER_BY -> {
          SqlCall orderBy = (SqlCall) node;
          SqlNodeList order = (SqlNodeList) orderBy.operand(1);
          if (order != null && !order.isEmpty()) {
            features.add(ParsedStatement.Feature.ORDER_BY);
            for (SqlNode item : order) {
              noteOrdinal(item);
              scanExpression(item);
            }
          }
          if (orderBy.operand(2) != null) {
            features.add(ParsedStatement.Feature.OFFSET);
          }
          if (orderBy.operand(3) != null) {
            features.add(ParsedStatement.Feature.LIMIT);
          }
          readTop(orderBy.operand(0));
        }
        case SELECT -> readSelectBlock((org.apache.calcite.sql.SqlSelect) node);
        case EXPLICIT_TABLE -> addTable(reader.tableOf(((SqlCall) node).operand(0))); // TABLE users
        case WITH -> {
          features.add(ParsedStatement.Feature.WITH);
          scanNested(node);
        }
        case UNION, INTERSECT, EXCEPT -> {
          features.add(ParsedStatement.Feature.SET_OPERATION);
          scanNested(node);
        }
        default -> scanNested(node);
      }
    }

    private void readSelectBlock(org.apache.calcite.sql.SqlSelect select) {
      topSelect = select;
      if (select.isDistinct()) {
        features.add(ParsedStatement.Feature.DISTINCT);
      }
      List<Condition> conditions = new ArrayList<>();
      if (select.getFrom() != null) {
        readFrom(select.getFrom(), conditions);
      }
      if (select.getWhere() != null) {
        conditions.add(condition(select.getWhere()));
        scanExpression(select.getWhere());
      }
      where = Condition.and(conditions);
      List<ParsedStatement.Correlation> correlations = new ArrayList<>();
      if (parent != null) {
        List<Condition> all = new ArrayList<>(conditions);
        all.addAll(joins);
        for (Condition c : all) {
          correlations(c, correlations);
        }
      }
      for (SqlNode item : select.getSelectList()) {
        if (containsAggregate(item)) {
          features.add(ParsedStatement.Feature.AGGREGATE);
        }
        scanExpression(item);
      }
      if (select.getGroup() != null && !select.getGroup().isEmpty()) {
        features.add(ParsedStatement.Feature.GROUP_BY);
        for (SqlNode g : select.getGroup()) {
          noteOrdinal(g);
          scanExpression(g);
        }
      }
      if (select.getHaving() != null) {
        features.add(ParsedStatement.Feature.HAVING);
        if (containsAggregate(select.getHaving())) {
          features.add(ParsedStatement.Feature.AGGREGATE);
        }
        scanExpression(select.getHaving());
      }
      if (select.getOrderList() != null && !select.getOrderList().isEmpty()) {
        features.add(ParsedStatement.Feature.ORDER_BY);
        for (SqlNode item : select.getOrderList()) {
          noteOrdinal(item);
          scanExpression(item);
        }
      }
      if (select.getOffset() != null) {
        features.add(ParsedStatement.Feature.OFFSET);
      }
      if (select.getFetch() != null) {
        features.add(ParsedStatement.Feature.LIMIT);
      }
      if (select.getWindowList() != null && !select.getWindowList().isEmpty()) {
        features.add(ParsedStatement.Feature.WINDOW);
      }
      if (parent != null) {
        blocks.add(block(select, correlations));
      }
    }

    /** This nested block as routing sees it, with the tokens of its parenthesised query and its context. */
    private ParsedStatement.Block block(org.apache.calcite.sql.SqlSelect select,
        List<ParsedStatement.Correlation> correlations) {
      Tokens tokens = reader.tokens;
      int first = -1;
      int last = -1;
      ParsedStatement.BlockContext where = ParsedStatement.BlockContext.OTHER;
      int selectToken = reader.token(select.getParserPosition());
      if (reader.tableLists.contains(selectToken)) { // x IN t1: the block is the table's name, without parentheses
        return new ParsedStatement.Block(List.copyOf(scope), this.where, List.copyOf(correlations), correlated,
            context, selectToken, selectToken, new ParsedStatement.Names(id, parent.id, List.copyOf(unqualified),
                context == ParsedStatement.BlockContext.IN ? operandBefore(selectToken - 1) : -1));
      }
      int depth = 0;
      int open = tokens.is(selectToken, TokenType.LPAREN) ? selectToken : -1;
      for (int i = selectToken - 1; i >= 0 && open < 0; i--) {
        if (tokens.type(i) == TokenType.RPAREN) {
          depth++;
        } else if (tokens.type(i) == TokenType.LPAREN) {
          if (depth == 0) {
            open = i;
            break;
          }
          depth--;
        }
      }
      int operandStart = -1;
      if (open >= 0 && context != ParsedStatement.BlockContext.OTHER) {
        first = open + 1;
        last = tokens.matchingParen(open) - 1;
        where = context;
        if (context == ParsedStatement.BlockContext.IN && tokens.isWord(open - 1, "IN")) {
          operandStart = operandBefore(open - 1);
        }
      }
      return new ParsedStatement.Block(List.copyOf(scope), this.where, List.copyOf(correlations), correlated,
          where, first, last, new ParsedStatement.Names(id, parent.id, List.copyOf(unqualified), operandStart));
    }

    /**
     * The first token of this IN block's operand, whose IN keyword is token {@code in}: the operand ends before IN
     * (or NOT IN), widened over parentheses that wrap it, as in {@code (a + 1) IN (...)}; -1 when unknown.
     */
    private int operandBefore(int in) {
      Tokens tokens = reader.tokens;
      if (operand < 0) {
        return -1;
      }
      int end = tokens.isWord(in - 1, "NOT") ? in - 2 : in - 1;
      int start = operand;
      while (start > 0 && tokens.is(start - 1, TokenType.LPAREN) && tokens.matchingParen(start - 1) <= end) {
        start--;
      }
      return start > end ? -1 : start;
    }

    private void noteOrdinal(SqlNode item) {
      SqlNode n = item;
      while (n instanceof SqlCall call && (n.getKind() == SqlKind.DESCENDING || n.getKind() == SqlKind.NULLS_FIRST
          || n.getKind() == SqlKind.NULLS_LAST)) {
        n = call.operand(0);
      }
      if (n instanceof SqlLiteral) {
        reader.markLiteralSensitive();
      }
    }

    private void readFrom(SqlNode from, List<Condition> conditions) {
      switch (from.getKind()) {
        case IDENTIFIER -> {
          if (!namesWithQuery(from)) {
            addTable(reader.tableOf(from));
          }
        }
        case AS -> {
          SqlCall as = (SqlCall) from;
          SqlNode inner = as.operand(0);
          if (inner instanceof SqlIdentifier) {
            if (!namesWithQuery(inner)) {
              addTable(reader.tableOf(from));
            }
          } else {
            features.add(ParsedStatement.Feature.SUBQUERY);
            scanNested(inner);
          }
        }
        case JOIN -> {
          org.apache.calcite.sql.SqlJoin join = (org.apache.calcite.sql.SqlJoin) from;
          features.add(ParsedStatement.Feature.JOIN);
          readFrom(join.getLeft(), conditions);
          readFrom(join.getRight(), conditions);
          Condition on = join.getCondition() == null || join.isNatural() ? Condition.Opaque.INSTANCE
              : condition(join.getCondition());
          joins.add(on);
          switch (join.getJoinType()) {
            case INNER, COMMA, CROSS -> conditions.add(on);
            default -> features.add(ParsedStatement.Feature.OUTER_JOIN);
          }
          if (join.getCondition() != null) {
            scanExpression(join.getCondition());
          }
        }
        default -> {
          features.add(ParsedStatement.Feature.SUBQUERY);
          scanNested(from);
        }
      }
    }

    /** Whether a FROM item names no table: a WITH query, or the DUAL of SELECT 1 FROM DUAL. */
    private boolean namesWithQuery(SqlNode name) {
      SqlIdentifier id = (SqlIdentifier) name;
      return id.isSimple() && (withNames.contains(id.getSimple().toLowerCase(Locale.ROOT))
          || id.getSimple().equalsIgnoreCase("dual"));
    }

    /** Records the tables and features of a nested query, which never narrow the top level's routing. */
    private void scanNested(SqlNode node) {
      scanNested(node, ParsedStatement.BlockContext.OTHER);
    }

    private void scanNested(SqlNode node, ParsedStatement.BlockContext context) {
      scanNested(node, context, -1);
    }

    private void scanNested(SqlNode node, ParsedStatement.BlockContext context, int operand) {
      QueryReader nested = new QueryReader(reader, this,
          node.getKind() == SqlKind.SELECT ? context : ParsedStatement.BlockContext.OTHER);
      nested.operand = operand;
      nested.readAnyQuery(node);
      tables.addAll(nested.tables);
      EnumSet<ParsedStatement.Feature> inner = nested.features;
      if (inner.contains(ParsedStatement.Feature.WINDOW)) {
        features.add(ParsedStatement.Feature.WINDOW);
      }
      if (inner.contains(ParsedStatement.Feature.SET_OPERATION)) {
        features.add(ParsedStatement.Feature.SET_OPERATION);
      }
      if (inner.contains(ParsedStatement.Feature.WITH)) {
        features.add(ParsedStatement.Feature.WITH);
      }
      if (!inner.isEmpty() || !nested.tables.isEmpty()) {
        features.add(ParsedStatement.Feature.SUBQUERY);
      }
    }

    private void readAnyQuery(SqlNode node) {
      switch (node.getKind()) {
        case SELECT, ORDER_BY, EXPLICIT_TABLE -> readTop(node);
        case WITH -> {
          features.add(ParsedStatement.Feature.WITH);
          org.apache.calcite.sql.SqlWith with = (org.apache.calcite.sql.SqlWith) node;
          for (SqlNode item : with.withList) {
            withNames.add(((org.apache.calcite.sql.SqlWithItem) item).name.getSimple().toLowerCase(Locale.ROOT));
          }
          for (SqlNode item : with.withList) {
            scanNested(((org.apache.calcite.sql.SqlWithItem) item).query);
          }
          scanNested(with.body);
        }
        case UNION, INTERSECT, EXCEPT -> {
          features.add(ParsedStatement.Feature.SET_OPERATION);
          for (SqlNode operand : ((SqlCall) node).getOperandList()) {
            scanNested(operand); // each branch is a block of its own
          }
        }
        case VALUES -> {
        }
        default -> scanExpression(node);
      }
    }

    /** Finds subqueries and window functions inside an expression. */
    void scanExpression(SqlNode node) {
      scanExpression(node, ParsedStatement.BlockContext.SCALAR);
    }

    private void scanExpression(SqlNode node, ParsedStatement.BlockContext context) {
      if (node == null) {
        return;
      }
      switch (node.getKind()) {
        case SELECT, ORDER_BY, WITH, UNION, INTERSECT, EXCEPT -> {
          features.add(ParsedStatement.Feature.SUBQUERY);
          scanNested(node, context);
        }
        case IN, NOT_IN -> {
          SqlCall call = (SqlCall) node;
          scanExpression(call.operand(0));
          SqlNode list = call.operand(1);
          switch (list.getKind()) {
            case SELECT, ORDER_BY, WITH, UNION, INTERSECT, EXCEPT -> {
              features.add(ParsedStatement.Feature.SUBQUERY);
              SqlParserPos at = call.operand(0).getParserPosition();
              scanNested(list, ParsedStatement.BlockContext.IN, at.equals(SqlParserPos.ZERO) ? -1 : reader.token(at));
            }
            default -> scanExpression(list, ParsedStatement.BlockContext.IN);
          }
        }
        case IDENTIFIER -> noteName((SqlIdentifier) node);
        case AS -> scanExpression(((SqlCall) node).operand(0)); // not the alias

        case EXISTS -> scanExpression(((SqlCall) node).operand(0), ParsedStatement.BlockContext.EXISTS);
        case SOME, ALL -> {
          for (SqlNode n : ((SqlCall) node).getOperandList()) {
            scanExpression(n, ParsedStatement.BlockContext.OTHER);
          }
        }
        case OVER -> {
          features.add(ParsedStatement.Feature.WINDOW);
          SqlNode window = ((SqlCall) node).operand(1);
          windowPartitions.add(partition(window));
          scanExpression(((SqlCall) node).operand(0));
          if (window instanceof org.apache.calcite.sql.SqlWindow w) { // not the window's own names
            scanOperands(w.getPartitionList());
            scanOperands(w.getOrderList());
          }
        }
        default -> scanOperands(node);
      }
    }

    /**
     * A column name of an expression: an unqualified one is kept for the router, which knows the tables' columns; a
     * qualified one that names an enclosing block's table makes this block correlated, whatever compares it.
     */
    private void noteName(SqlIdentifier id) {
      if (id.isStar() || reader.tokens.is(reader.leafToken(id.getParserPosition()), TokenType.NUMBER)) {
        return;
      }
      if (id.names.size() == 1) {
        unqualified.add(id.getSimple());
      } else {
        column(id);
      }
    }

    private void scanOperands(SqlNode node) {
      if (node instanceof SqlNodeList list) {
        for (SqlNode n : list) {
          scanExpression(n);
        }
      } else if (node instanceof SqlCall call) {
        for (SqlNode n : call.getOperandList()) {
          scanExpression(n);
        }
      }
    }

    /** The routing condition of a predicate: equalities and IN lists of columns, under AND and OR. */
    Condition condition(SqlNode node) {
      switch (node.getKind()) {
        case AND, OR -> {
          List<Condition> terms = new ArrayList<>();
          for (SqlNode operand : ((SqlCall) node).getOperandList()) {
            terms.add(condition(operand));
          }
          if (node.getKind() == SqlKind.AND) {
            return Condition.and(terms);
          }
          if (terms.contains(Condition.Opaque.INSTANCE)) {
            return Condition.Opaque.INSTANCE;
          }
          List<Condition> flat = new ArrayList<>(); // a OR b OR c comes as OR(OR(a, b), c)
          for (Condition t : terms) {
            flat.addAll(t instanceof Condition.Or or ? or.terms() : List.of(t));
          }
          return new Condition.Or(List.copyOf(flat));
        }
        case EQUALS -> {
          SqlCall call = (SqlCall) node;
          SqlNode left = call.operand(0);
          SqlNode right = call.operand(1);
          ColumnRef l = column(left);
          ColumnRef r = column(right);
          if (l != null && r != null) {
            return new Condition.ColumnsEqual(l, r);
          }
          if (l != null) {
            return eq(l, right);
          }
          if (r != null) {
            return eq(r, left);
          }
          return Condition.Opaque.INSTANCE;
        }
        case IS_NULL -> {
          ColumnRef c = column(((SqlCall) node).operand(0));
          return c == null ? Condition.Opaque.INSTANCE : new Condition.IsNull(c);
        }
        case CAST -> {
          // Babel gives '::' the lowest precedence: 'a = ?::int AND b = ?' comes as '(a = ?)::int AND b = ?'.
          SqlCall call = (SqlCall) node;
          return call.getOperator().getName().equals("::") ? condition(call.operand(0)) : Condition.Opaque.INSTANCE;
        }
        case IN -> {
          SqlCall call = (SqlCall) node;
          ColumnRef c = column(call.operand(0));
          if (c == null || !(call.operand(1) instanceof SqlNodeList list) || list.isEmpty()) {
            return Condition.Opaque.INSTANCE;
          }
          List<ValueRef> values = new ArrayList<>();
          for (SqlNode v : list) {
            ValueRef ref = reader.valueOf(v);
            if (ref instanceof ValueRef.Computed) {
              return Condition.Opaque.INSTANCE;
            }
            values.add(ref);
          }
          Tokens tokens = reader.tokens;
          int open = reader.token(list.getParserPosition());
          if (!tokens.is(open, TokenType.LPAREN)) {
            return new Condition.In(c, List.copyOf(values), -1, -1, new int[0], new int[0]);
          }
          int close = tokens.matchingParen(open);
          List<int[]> items = tokens.items(open + 1, close - 1);
          if (items.size() != values.size()) {
            return new Condition.In(c, List.copyOf(values), -1, -1, new int[0], new int[0]);
          }
          int[] starts = new int[values.size()];
          int[] ends = new int[values.size()];
          for (int e = 0; e < starts.length; e++) {
            starts[e] = items.get(e)[0];
            ends[e] = items.get(e)[1];
          }
          return new Condition.In(c, List.copyOf(values), open, close, starts, ends);
        }
        default -> {
          return Condition.Opaque.INSTANCE;
        }
      }
    }

    private void correlations(Condition c, List<ParsedStatement.Correlation> out) {
      if (c instanceof Condition.ColumnsEqual eq) {
        boolean leftOuter = outerRefs.contains(eq.left());
        boolean rightOuter = outerRefs.contains(eq.right());
        if (leftOuter != rightOuter) {
          out.add(leftOuter ? new ParsedStatement.Correlation(eq.right(), eq.left())
              : new ParsedStatement.Correlation(eq.left(), eq.right()));
        }
      } else if (c instanceof Condition.And and) {
        for (Condition t : and.terms()) {
          correlations(t, out);
        }
      }
    }

    /** The table an alias or name of this block or an enclosing one means; null if none. */
    private TableRef resolve(String qualifier) {
      for (TableRef t : scope) {
        if (qualifier.equalsIgnoreCase(t.alias()) || t.alias() == null && qualifier.equalsIgnoreCase(t.name())) {
          return t;
        }
      }
      return null;
    }

    private Condition eq(ColumnRef column, SqlNode value) {
      ValueRef ref = reader.valueOf(value);
      return ref instanceof ValueRef.Computed ? Condition.Opaque.INSTANCE : new Condition.Eq(column, ref);
    }

    /** The column an expression is, resolved against the top level's tables, or null. */
    ColumnRef column(SqlNode node) {
      if (!(node instanceof SqlIdentifier id) || id.isStar()
          || reader.tokens.is(reader.leafToken(id.getParserPosition()), TokenType.NUMBER)) {
        return null;
      }
      String column = TreeReader.lastName(id);
      if (id.names.size() == 1) {
        return new ColumnRef(scope.size() == 1 ? scope.get(0).name() : null, column);
      }
      String qualifier = id.names.get(id.names.size() - 2);
      TableRef own = resolve(qualifier);
      if (own != null) {
        return new ColumnRef(own.name(), column, qualifier);
      }
      for (QueryReader outer = parent; outer != null; outer = outer.parent) {
        TableRef t = outer.resolve(qualifier);
        if (t != null) {
          ColumnRef ref = new ColumnRef(t.name(), column, qualifier);
          outerRefs.add(ref);
          for (QueryReader r = this; r != outer; r = r.parent) {
            r.correlated = true;
          }
          return ref;
        }
      }
      return new ColumnRef(qualifier, column, qualifier);
    }
  }

  /** Names of the aggregate functions the merge engine must know about, lower case. */
  static final Set<String> AGGREGATES = Set.of("count", "sum", "min", "max", "avg", "group_concat", "string_agg",
      "array_agg", "listagg", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp", "bool_and",
      "bool_or", "every", "any_value", "bit_and", "bit_or", "bit_xor", "json_agg", "jsonb_agg", "json_group_array",
      "json_group_object", "json_arrayagg", "json_objectagg", "median", "mode", "percentile_cont",
      "percentile_disc", "total", "count_big", "xmlagg", "json_object_agg", "jsonb_object_agg", "collect");

  static boolean isAggregate(SqlNode node) {
    return node instanceof SqlBasicCall call && node.getKind() != SqlKind.OVER
        && AGGREGATES.contains(call.getOperator().getName().toLowerCase(Locale.ROOT));
  }

  /** Whether an expression holds an aggregate call outside any subquery or window. */
  static boolean containsAggregate(SqlNode node) {
    if (node == null) {
      return false;
    }
    if (isAggregate(node)) {
      return true;
    }
    switch (node.getKind()) {
      case SELECT, ORDER_BY, WITH, UNION, INTERSECT, EXCEPT, OVER -> {
        return false;
      }
      default -> {
      }
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        if (containsAggregate(n)) {
          return true;
        }
      }
    } else if (node instanceof SqlCall call) {
      for (SqlNode n : call.getOperandList()) {
        if (containsAggregate(n)) {
          return true;
        }
      }
    }
    return false;
  }
}
