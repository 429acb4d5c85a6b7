package org.collegedb.parse;

/** What a token is. */
public enum TokenType {
  /** An unquoted word: a keyword or an identifier. */
  WORD,
  /** A quoted identifier: {@code "x"}, {@code `x`} or {@code [x]}. */
  QUOTED_ID,
  /** A string literal, with any prefix ({@code N'..'}, {@code E'..'}, {@code X'..'}) or a dollar-quoted string. */
  STRING,
  /** An unsigned numeric literal. */
  NUMBER,
  /** A {@code ?} placeholder. */
  PARAM,
  /** A named parameter ({@code :name}) or any other operator or punctuation. */
  OP,
  LPAREN,
  RPAREN,
  COMMA,
  SEMICOLON,
  /** An optimizer hint comment, {@code /*+ ... *}{@code /}: kept because it may change routing. */
  HINT
}
