package org.collegedb.internal.directory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.collegedb.internal.value.KeyHasher;

/**
 * The keys the directory files its entries under. A key is qualified by what it belongs to, so that
 * {@code users.id = 1} and {@code orders.id = 1} never meet: lookup entries by table and column, placements by their
 * placement group. The value part is the canonical value ({@link KeyHasher#canonical}) with a type tag, so that
 * {@code setInt(7)}, {@code setString("7")} and the literal {@code 7} of an integer column are one key.
 *
 * <p>With a secret the key is HMAC-SHA-256 of that text, in hex; without one, plain SHA-256 (a guess can be checked
 * by anyone who reads the directory); with {@code directory.hashKeys=false}, the text itself (debugging only; texts
 * over {@value #PLAIN_MAX} characters are hashed all the same, to fit the column).
 */
final class DirectoryKeys {
  static final int PLAIN_MAX = 400;
  private final byte[] secret;
  private final boolean hash;

  DirectoryKeys(String secret, boolean hash) {
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    this.hash = hash;
  }

  /** How keys are made, as recorded in the directory: instances that disagree must not share it. */
  String mode() {
    return !hash ? "plain" : secret == null ? "sha256" : "hmac-sha256";
  }

  /** A fingerprint of the secret (not the secret): instances with different secrets must not share a directory. */
  String check() {
    return secret == null ? "-" : digest("collegedb-directory-key-check").substring(0, 16);
  }

  /** The key of a lookup entry: {@code table.column = value}. */
  String lookup(String table, String column, Object canonical) {
    return key("L|" + table + "|" + column + "|" + tagged(canonical));
  }

  /** The key of a placement: a key value of a placement group (the key's column types). */
  String placement(String group, Object[] canonical) {
    StringBuilder b = new StringBuilder("P|").append(group);
    for (Object v : canonical) {
      b.append('|').append(tagged(v));
    }
    return key(b.toString());
  }

  private String key(String text) {
    if (!hash && text.length() <= PLAIN_MAX) {
      return text;
    }
    return digest(text);
  }

  private String digest(String text) {
    try {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      byte[] d;
      if (secret != null) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        d = mac.doFinal(bytes);
      } else {
        d = MessageDigest.getInstance("SHA-256").digest(bytes);
      }
      return HexFormat.of().formatHex(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HMAC-SHA-256 or SHA-256", e);
    }
  }

  /** The canonical value with a tag for its kind, so that the text 7 and the number 7 of untyped columns differ. */
  static String tagged(Object canonical) {
    if (canonical instanceof Long l) {
      return "I:" + l;
    }
    if (canonical instanceof java.math.BigDecimal d) {
      return "D:" + d.toPlainString();
    }
    if (canonical instanceof KeyHasher.ByteKey b) {
      return "B:" + b;
    }
    if (canonical instanceof KeyHasher.TemporalKey t) {
      return "T:" + t.iso();
    }
    return "S:" + canonical;
  }
}
