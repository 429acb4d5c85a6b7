package org.collegedb.internal.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.collegedb.SqlStates;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the flat key/value settings behind a {@code jdbc:collegedb:<location>} URL: a YAML or {@code .properties}
 * file, or {@code classpath:<name>}, with the connection's properties laid over it. YAML nests the same names that
 * properties spell with dots. {@code ${configDir}} in a value stands for the directory of the file.
 */
public final class ConfigLoader {
  public static final String PREFIX = "jdbc:collegedb:";

  private ConfigLoader() {
  }

  /** The settings for {@code url} with {@code overrides} on top, sorted by key. */
  public static Map<String, String> load(String url, Properties overrides) throws SQLException {
    String location = url.substring(PREFIX.length()).trim();
    Map<String, String> settings = new TreeMap<>();
    String configDir = Path.of("").toAbsolutePath().toString();
    if (!location.isEmpty()) {
      if (location.startsWith("classpath:")) {
        String name = location.substring("classpath:".length());
        String resource = name.startsWith("/") ? name.substring(1) : name;
        InputStream in = resourceStream(resource);
        if (in == null) {
          throw new SQLException("configuration '" + location + "' not found on the class path",
              SqlStates.BAD_CONFIG);
        }
        try (in) {
          read(name, in, settings);
        } catch (IOException e) {
          throw new SQLException("cannot read configuration '" + location + "': " + e.getMessage(),
              SqlStates.BAD_CONFIG, e);
        }
      } else {
        Path file = Path.of(location.startsWith("file:") ? location.substring(5) : location).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
          throw new SQLException("configuration file '" + file + "' does not exist", SqlStates.BAD_CONFIG);
        }
        configDir = file.getParent().toString();
        try (InputStream in = Files.newInputStream(file)) {
          read(file.getFileName().toString(), in, settings);
        } catch (IOException e) {
          throw new SQLException("cannot read configuration '" + file + "': " + e.getMessage(),
              SqlStates.BAD_CONFIG, e);
        }
      }
    }
    if (overrides != null) {
      for (String key : overrides.stringPropertyNames()) {
        settings.put(key, overrides.getProperty(key));
      }
    }
    String dir = configDir;
    settings.replaceAll((k, v) -> v == null ? null : v.replace("${configDir}", dir));
    if (!settings.containsKey("directory.url")) {
      settings.put("directory.url", defaultDirectory(location, dir, settings));
    }
    return settings;
  }

  /**
   * The embedded directory: an SQLite file beside the configuration file ({@code app.yaml} gets
   * {@code app.directory.db}); for a class-path configuration, {@code <name>.directory.db} in the working directory;
   * with properties only, {@code collegedb-<8 hex digits>.directory.db} in the working directory, the digits a hash
   * of the shard URLs, so that instances over the same shards share it and other shard sets do not.
   */
  static String defaultDirectory(String location, String configDir, Map<String, String> settings) {
    String base;
    if (location.isEmpty()) {
      StringBuilder urls = new StringBuilder();
      for (Map.Entry<String, String> e : settings.entrySet()) {
        if (e.getKey().startsWith("shards.") && e.getKey().endsWith(".url")) {
          urls.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
      }
      try {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256")
            .digest(urls.toString().getBytes(StandardCharsets.UTF_8));
        base = "collegedb-" + java.util.HexFormat.of().formatHex(d, 0, 4);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    } else {
      String name = Path.of(location.startsWith("classpath:") ? location.substring(10)
          : location.startsWith("file:") ? location.substring(5) : location).getFileName().toString();
      int dot = name.lastIndexOf('.');
      base = dot > 0 ? name.substring(0, dot) : name;
    }
    String dir = location.startsWith("classpath:") ? Path.of("").toAbsolutePath().toString() : configDir;
    return "jdbc:sqlite:" + Path.of(dir, base + ".directory.db");
  }

  private static InputStream resourceStream(String name) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    InputStream in = context == null ? null : context.getResourceAsStream(name);
    return in != null ? in : ConfigLoader.class.getClassLoader().getResourceAsStream(name);
  }

  private static void read(String name, InputStream in, Map<String, String> settings)
      throws IOException, SQLException {
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    if (name.endsWith(".properties")) {
      Properties p = new Properties();
      p.load(reader);
      for (String key : p.stringPropertyNames()) {
        settings.put(key.trim(), p.getProperty(key).trim());
      }
      return;
    }
    Object root;
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false); // a shard named twice would silently keep only its last URL
    try {
      root = new Yaml(new SafeConstructor(options)).load(reader);
    } catch (org.yaml.snakeyaml.constructor.DuplicateKeyException e) {
      throw new SQLException("configuration '" + name + "' names the same key twice in one mapping"
          + (e.getProblemMark() == null ? "" : " (line " + (e.getProblemMark().getLine() + 1) + ")") + ": "
          + e.getProblem() + ". Each shard, table and setting must appear once (a shard named twice would keep only "
          + "one of its URLs)", SqlStates.BAD_CONFIG, e);
    } catch (RuntimeException e) {
      throw new SQLException("configuration '" + name + "' is not valid YAML: " + e.getMessage(),
          SqlStates.BAD_CONFIG, e);
    }
    if (root == null) {
      return;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new SQLException("configuration '" + name + "' must be a YAML mapping", SqlStates.BAD_CONFIG);
    }
    flatten("", map, settings, name);
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out, String name)
      throws SQLException {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object value = e.getValue();
      if (value instanceof Map<?, ?> nested) {
        flatten(key + ".", nested, out, name);
        continue;
      }
      if (out.containsKey(key)) { // "shards.s1.url: ..." beside "shards: {s1: {url: ...}}"
        throw new SQLException("configuration '" + name + "' sets '" + key + "' twice (once nested, once with dots): "
            + "each shard, table and setting must appear once", SqlStates.BAD_CONFIG);
      }
      if (value instanceof List<?> list) {
        StringBuilder b = new StringBuilder();
        for (Object item : list) {
          if (b.length() > 0) {
            b.append(',');
          }
          b.append(item);
        }
        out.put(key, b.toString());
      } else {
        out.put(key, value == null ? "" : value.toString());
      }
    }
  }
}
