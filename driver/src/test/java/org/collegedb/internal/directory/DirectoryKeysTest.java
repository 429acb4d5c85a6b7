package org.collegedb.internal.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.value.KeyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryKeysTest {
  @Test
  void anIntegerKeyIsOneKeyHoweverItWasBound() throws Exception {
    DirectoryKeys keys = new DirectoryKeys("secret", true);
    String fromInt = keys.lookup("users", "code", KeyHasher.canonical(KeyType.INTEGER, 7));
    assertThat(keys.lookup("users", "code", KeyHasher.canonical(KeyType.INTEGER, "7"))).isEqualTo(fromInt);
    assertThat(keys.lookup("users", "code", KeyHasher.canonical(KeyType.INTEGER, 7L))).isEqualTo(fromInt);
    assertThat(keys.lookup("users", "code", KeyHasher.canonical(KeyType.INTEGER, new BigDecimal("7.00"))))
        .isEqualTo(fromInt);
    assertThat(keys.lookup("users", "code", KeyHasher.canonical(KeyType.INTEGER, 8))).isNotEqualTo(fromInt);
    assertThat(keys.lookup("users", "code", KeyHasher.canonical(KeyType.TEXT, "7"))).isNotEqualTo(fromInt);
  }

  @Test
  void keysAreQualifiedByTableAndColumn() throws Exception {
    DirectoryKeys keys = new DirectoryKeys(null, true);
    Object one = KeyHasher.canonical(KeyType.INTEGER, 1);
    assertThat(List.of(keys.lookup("users", "id", one), keys.lookup("orders", "id", one),
        keys.lookup("users", "code", one), keys.placement("INTEGER", new Object[] {one}),
        keys.placement("TEXT", new Object[] {one}))).doesNotHaveDuplicates();
  }

  @Test
  void theSecretChangesEveryKeyAndPlainModeIsReadable() throws Exception {
    Object email = KeyHasher.canonical(KeyType.TEXT, "alice@example.com");
    String hmac = new DirectoryKeys("one", true).lookup("users", "email", email);
    String hmac2 = new DirectoryKeys("two", true).lookup("users", "email", email);
    String sha = new DirectoryKeys(null, true).lookup("users", "email", email);
    assertThat(hmac).hasSize(64).matches("[0-9a-f]+").isNotEqualTo(hmac2).isNotEqualTo(sha);
    assertThat(sha).hasSize(64);
    assertThat(new DirectoryKeys(null, false).lookup("users", "email", email)).contains("alice@example.com");
    assertThat(new DirectoryKeys(null, false).lookup("users", "email", "x".repeat(500))).hasSize(64);
    assertThat(new DirectoryKeys("one", true).check()).isEqualTo(new DirectoryKeys("one", true).check())
        .isNotEqualTo(new DirectoryKeys("two", true).check()).doesNotContain("one");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void withHashingOnNoValueIsInTheFileInClear(boolean hash) throws Exception {
    Path file = Files.createTempDirectory("cdb-dir").resolve("scan.db");
    DirectoryKeys keys = new DirectoryKeys(hash ? "secret" : null, hash);
    DirectoryStore store = new DirectoryStore("jdbc:sqlite:" + file, null, null, keys);
    String vkey = keys.lookup("users", "email", KeyHasher.canonical(KeyType.TEXT, "alice.secret@example.com"));
    store.insertLookups(List.of(new DirectoryStore.NewLookup("users", "email", vkey, "s1")), 1, 1);
    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertThat(bytes.contains("alice.secret@example.com")).isEqualTo(!hash);
  }
}
